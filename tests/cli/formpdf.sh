#!/usr/bin/env bash
# The printed forms (data/forms/gensen-2025.ini, soukatsu-2025.ini) through the PDF sink,
# checked from outside with poppler-utils, qpdf and mnvault's number check: the tax office's
# copy holds the values and the numbers, the employee's copy holds no number at all although
# every record came with numbers for the employee, the spouse, the dependants and the payer
# (the sink's source drops them for that copy, as the export does), the 総括表, marks on each
# slip, and golden renders of each first page. The slips are drawn by tests/tools/pdftool.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"
for c in pdffonts pdftotext pdfinfo pdftoppm qpdf; do
    command -v $c >/dev/null || t_bail "$c is missing: run make deps"
done
[ -x "$MNV_TOOLS/pdftool" ] || t_bail "pdftool was not built"
export MNVAULT_TEST_NOW=2026-11-27T01:42:00
forms=$MNV_ROOT/data/forms
exp=$MNV_ROOT/tests/cli/exp

# Five employees, every one with a spouse or dependants and all their numbers.
nums=("${PDF_SAMPLE_NUMBERS[@]}")
pdf_sample_slips > "$T_TMP/slips.txt"

tax=$T_TMP/tax.pdf employee=$T_TMP/employee.pdf
t_ok "the tax office's copies are drawn" \
    "$MNV_TOOLS/pdftool" form "$forms/gensen-2025.ini" tax "$tax" < "$T_TMP/slips.txt"
t_ok "the employee's copies are drawn" \
    "$MNV_TOOLS/pdftool" form "$forms/gensen-2025.ini" employee "$employee" < "$T_TMP/slips.txt"
for f in "$tax" "$employee"; do
    t_ok "$(basename "$f"): IPAex fonts, every font embedded (pdffonts)" pdf_fonts_ok "$f"
    info=$(pdfinfo "$f")
    t_contains "$(basename "$f"): A4 landscape" "841.89 x 595.276 pts (A4)" "$info"
    t_eq "$(basename "$f"): two sheets for five slips" 2 "$(printf '%s\n' "$info" | sed -n 's/^Pages: *//p')"
    t_ok "$(basename "$f"): private file (0600)" test "$(stat -c %a "$f")" = 600
done
t_contains "the tax copy is titled as such" "給与所得の源泉徴収票（税務署提出用）" "$(pdfinfo "$tax")"
t_contains "the employee's copy is titled as such" "（受給者交付用）" "$(pdfinfo "$employee")"

# The tax office's copy: pdftotext gives back the values, the era, and every number.
text=$(pdf_text "$tax" | pdf_squeeze)
t_contains "tax copy: the year in the era" "令和 7 年分" "$(pdftotext -layout "$tax" - | tr -s ' ')"
for want in 見本 試験 例示 東京都千代田区霞が関三丁目１番１号 6847500 9990000 \
            4962750 380000 "180,000" 前職分 平成 見本商事株式会社 03-1234-5678 8700110005901; do
    t_contains "tax copy: $want" "$want" "$text"
done
missing=""
for i in 0 1 2 3 4 5 6 7 8 9; do
    case "$text" in *"${nums[$i]}"*) ;; *) missing="$missing ${nums[$i]:8}";; esac
done
t_eq "tax copy: every employee's, spouse's and dependant's number is printed" "" "$missing"
t_eq "tax copy: the number check finds them" 1 "$([ "$(pdf_number_count "$tax")" -ge 5 ] && echo 1)"

# The employee's copy: the same people, the same values, and not one number.
etext=$(pdf_text "$employee" | pdf_squeeze)
for want in 見本 試験 6847500 見本商事株式会社 （受給者交付用）; do
    t_contains "employee copy: $want" "$want" "$etext"
done
t_eq "employee copy: no valid number in its text, read three ways" 0 "$(pdf_number_count "$employee")"
t_eq "employee copy: none of the ten numbers in the bytes or the decompressed streams" 0 \
    "$(pdf_bytes_hold "$employee" "${nums[@]}")"
found=""
for n in "${nums[@]}"; do
    case "$etext" in *"${n:4:8}"*) found="$found ${n:8}";; esac
done
t_eq "employee copy: not even the last eight digits of any number" "" "$found"
t_lacks "employee copy: no corporate number" "8700110005901" "$etext"
t_status "employee copy: mnvault scan finds nothing" 0 "$MNV" scan --quiet "$employee"

# The 総括表: one page a municipality, the date in the era, the payer's number right-aligned.
cat > "$T_TMP/sou.txt" <<'REC'
filing.date=2026-01-20
municipality.name=千代田区
municipality.code=131016
report.period=令和7年1月から令和7年12月まで
payer.number=8700110005901
payer.kana=ミホンショウジ カブシキガイシャ
payer.name=見本商事株式会社
payer.office_address=東京都港区芝公園一丁目2番3号
payer.contact_phone=03-1234-5678
report.persons_total=120
report.special=15
report.ordinary_retired=2
report.persons=17

municipality.name=港区
payer.number=8700110005901
payer.name=見本商事株式会社
report.persons_total=120
report.special=3
report.persons=3
REC
sou=$T_TMP/soukatsu.pdf
t_ok "the 総括表 is drawn" "$MNV_TOOLS/pdftool" form "$forms/soukatsu-2025.ini" municipal "$sou" < "$T_TMP/sou.txt"
t_eq "総括表: one page a municipality" 2 "$(pdfinfo "$sou" | sed -n 's/^Pages: *//p')"
t_contains "総括表: A4 portrait" "595.276 x 841.89 pts (A4)" "$(pdfinfo "$sou")"
stext=$(pdf_text "$sou" | pdf_squeeze | tr -d ' ')
for want in 給与支払報告書 千代田区 港区 令和8年1月20日 8700110005901 見本商事株式会社 120; do
    t_contains "総括表: $want" "$want" "$stext"
done
t_ok "総括表: fonts embedded" pdf_fonts_ok "$sou"

# Refusals name the field and the record, and write nothing.
sed 's/^employee.birth_era=4/employee.birth_era=9/' "$T_TMP/slips.txt" > "$T_TMP/bad.txt"
t_status "an era code the form cannot print is refused" 1 \
    "$MNV_TOOLS/pdftool" form "$forms/gensen-2025.ini" tax "$T_TMP/bad.pdf" < "$T_TMP/bad.txt"
t_contains "… naming the field" "FIELD_CHOICE 受給者の生年月日／元号 line 1" "$(cat "$T_TMP/out")"
t_status "… and nothing is written" 1 test -e "$T_TMP/bad.pdf"

# A demo vault's mark goes on every slip of a sheet, since the slips are cut apart.
PDFTOOL_MARK=見本 "$MNV_TOOLS/pdftool" form "$forms/gensen-2025.ini" employee "$T_TMP/marked.pdf" \
    < "$T_TMP/slips.txt"
count_mi() { pdftotext -f 1 -l 1 "$1" - | grep -o '見' | wc -l; }
t_eq "the mark is on each of the four slips of the first sheet" \
    $(($(count_mi "$employee") + 4)) "$(count_mi "$T_TMP/marked.pdf")"

pdf_render_close "tax copy, first sheet (golden render)" "$exp/gensen-tax.pgm" "$tax"
pdf_render_close "employee copy, first sheet (golden render)" "$exp/gensen-employee.pgm" "$employee"
pdf_render_close "総括表, first page (golden render)" "$exp/soukatsu.pgm" "$sou"
t_done
