# tests/lib/pdf.sh: checks of PDFs that mnvault writes, with poppler-utils, qpdf and
# mnvault's own number check (`mnvault scan`). Source after tests/lib/tap.sh.

# pdf_text FILE: the text of every page, as pdftotext reads it in content order.
pdf_text() { pdftotext -raw -enc UTF-8 "$1" - 2>/dev/null; }

# pdf_squeeze: digits separated by single spaces joined up ("1 2 3" -> "123"): numbers in
# digit cells come out of pdftotext one digit at a time.
pdf_squeeze() { sed -E ':a; s/([0-9]) ([0-9])/\1\2/g; ta'; }

# pdf_number_count FILE: how many valid My Numbers `mnvault scan` finds in the text of FILE
# read every way a person or a program could read it: as `scan` reads a PDF (poppler's text
# and the rows of digits it finds in cells by where the glyphs stand), as
# pdftotext gives it, and the same with the digits of cells joined up. Prints the total.
# (The raw bytes are not scanned this way: font width tables such as "/W [0 [1000 1000
# 1000]]" hold grouped digit runs that pass the check digit. See pdf_bytes_hold.)
pdf_number_count() {
    local f=$1 n total=0 tmp
    tmp=$(mktemp -d "${T_TMP:-/tmp}/pdfnum.XXXXXX")
    pdf_text "$f" > "$tmp/text.txt"
    pdf_squeeze < "$tmp/text.txt" > "$tmp/squeezed.txt"
    for part in "$f" "$tmp/text.txt" "$tmp/squeezed.txt"; do
        n=$("$MNV" scan --count "$part" 2>/dev/null | sed -n 's/.*:\([0-9]*\)$/\1/p' | tail -n 1)
        total=$((total + ${n:-1}))
    done
    rm -rf "$tmp"
    echo "$total"
}

# pdf_bytes_hold FILE NUMBER...: prints how many of the given 12-digit numbers appear in
# the raw bytes of FILE or in its streams decompressed by qpdf, written plainly, in groups
# of four (space or hyphen), or one digit at a time with spaces.
pdf_bytes_hold() {
    local f=$1 tmp found=0 n; shift
    tmp=$(mktemp -d "${T_TMP:-/tmp}/pdfraw.XXXXXX")
    qpdf --qdf --object-streams=disable "$f" "$tmp/qdf.pdf" 2>/dev/null || cp "$f" "$tmp/qdf.pdf"
    for n in "$@"; do
        local g="${n:0:4} ${n:4:4} ${n:8:4}" h="${n:0:4}-${n:4:4}-${n:8:4}"
        local spaced
        spaced=$(printf '%s' "$n" | sed 's/./& /g; s/ $//')
        if grep -a -q -F -e "$n" -e "$g" -e "$h" -e "$spaced" "$f" "$tmp/qdf.pdf"; then
            found=$((found + 1))
        fi
    done
    rm -rf "$tmp"
    echo "$found"
}

# pdf_fonts_ok FILE: exit 0 when pdffonts lists IPAex Gothic and every font is embedded.
pdf_fonts_ok() {
    local list
    list=$(pdffonts "$1" 2>/dev/null | tail -n +3)
    [ -n "$list" ] || return 1
    printf '%s\n' "$list" | grep -q 'IPAexGothic' || return 1
    # Column "emb" is the third from the right end of each line's flags: yes/no.
    ! printf '%s\n' "$list" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }'
}

# pdf_render_close NAME GOLDEN.pgm FILE [PAGE]: page PAGE (default 1) of FILE rendered at
# 20 dpi in grey matches GOLDEN.pgm loosely: same size and at most 0.5% of the pixels
# differing by more than a quarter of the grey scale (font rasterising and cairo versions
# move a few pixels; a missing box, label or value moves many). MNV_REGEN=1 rewrites it.
# The golden renders are made with Debian 12's render stack (poppler 22, its cairo and
# freetype); another release rasterises the text differently enough to fail, so there the
# comparison is skipped (said in the test name) and the text checks carry the test.
PDF_RENDER_POPPLER=22
pdf_render_close() {
    local name=$1 golden=$2 f=$3 page=${4:-1} out pv
    pv=$(pdftoppm -v 2>&1 | sed -n 's/^pdftoppm version \([0-9]*\).*/\1/p')
    if [ "${MNV_REGEN:-0}" != 1 ] && [ "$pv" != "$PDF_RENDER_POPPLER" ]; then
        t_pass "$name # SKIP golden renders are made with poppler $PDF_RENDER_POPPLER, this is ${pv:-unknown}"
        return
    fi
    pdftoppm -r 20 -gray -f "$page" -l "$page" -singlefile "$f" "$T_TMP/render" 2>/dev/null
    if [ ! -f "$T_TMP/render.pgm" ]; then t_fail "$name" "pdftoppm could not render $f"; return; fi
    if [ "${MNV_REGEN:-0}" = 1 ]; then
        cp "$T_TMP/render.pgm" "$golden"; rm -f "$T_TMP/render.pgm"
        t_pass "$name (regenerated)"; return
    fi
    if [ ! -f "$golden" ]; then t_fail "$name" "missing golden render $golden"; return; fi
    out=$("$MNV_TOOLS/pgmdiff" "$golden" "$T_TMP/render.pgm")
    rm -f "$T_TMP/render.pgm"
    set -- $out
    if [ $# -eq 3 ] && [ "$3" -le $(($1 * $2 / 200)) ]; then
        t_pass "$name"
    else
        t_fail "$name" "render differs from $golden: $out (width height differing-pixels)"
    fi
}

# PDF_SAMPLE_NUMBERS: ten valid My Numbers; pdf_sample_slips: five 源泉徴収票 records for
# tests/tools/pdftool form (item=value lines, a blank line between records), every employee
# with a spouse and a dependant, and every one of them with a number from the list.
PDF_SAMPLE_NUMBERS=(123456789018 234567890121 345678901234 456789012346 567890123457 678901234562 \
      789012345677 890123456780 901234567893 112233445560)
_pdf_slip() { # NAME KANA AMOUNT N1 N2 N3 CODE
    cat <<REC
filing.era_year=07
employee.address=東京都千代田区霞が関三丁目1番1号 見本マンション101号室
employee.code=$7
employee.number=$4
employee.kana=$2
employee.name=$1
pay.kind=給料・賞与
pay.amount=$3
pay.after_deduction=4962750
pay.deductions=909846
pay.tax=120000
spouse.flag=1
pay.spouse_deduction=380000
count.specific=1
pay.social_insurance=569846
pay.life_insurance=50000
summary.text=前職分 見本工業株式会社 支払金額2,676,100円
pay.new_life_premium=180000
spouse.kana=ミホン ハナコ
spouse.name=見本 花子
spouse.class=00
spouse.number=$5
dependent1.kana=ミホン イチロウ
dependent1.name=見本 一郎
dependent1.class=00
dependent1.number=$6
child1.kana=ミホン サチコ
child1.name=見本 幸子
midyear.kind=2
midyear.year=07
midyear.month=06
midyear.day=30
employee.birth_era=4
employee.birth_year=02
employee.birth_month=06
employee.birth_day=15
payer.number=8700110005901
payer.address=東京都港区芝公園一丁目2番3号
payer.name=見本商事株式会社
payer.phone=03-1234-5678

REC
}
pdf_sample_slips() {
    local nums=("${PDF_SAMPLE_NUMBERS[@]}")
    _pdf_slip "見本 太郎" "ミホン タロウ" 6847500 "${nums[0]}" "${nums[1]}" "${nums[2]}" 1001
    _pdf_slip "試験 次郎" "シケン ジロウ" 5200000 "${nums[3]}" "${nums[4]}" "${nums[5]}" 1002
    _pdf_slip "例示 三郎" "レイジ サブロウ" 7100000 "${nums[6]}" "${nums[7]}" "${nums[8]}" 1003
    _pdf_slip "仮名 四郎" "カメイ シロウ" 5500000 "${nums[9]}" "${nums[1]}" "${nums[2]}" 1004
    _pdf_slip "見本 五郎" "ミホン ゴロウ" 9990000 "${nums[3]}" "${nums[4]}" "${nums[5]}" 1005
}

