#!/usr/bin/env bash
# The PDF layer (pdfdoc.h) seen from outside, with poppler-utils and qpdf: fonts embedded,
# text where it was put, properties, the guard against numbers, marks, and a golden render.
# The documents are drawn by tests/tools/pdftool through the library.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"
for c in pdffonts pdftotext pdfinfo pdftoppm qpdf; do
    command -v $c >/dev/null || t_bail "$c is missing: run make deps"
done
[ -x "$MNV_TOOLS/pdftool" ] && [ -x "$MNV_TOOLS/pgmdiff" ] || t_bail "pdftool or pgmdiff was not built"
export MNVAULT_TEST_NOW=2026-11-27T01:42:00
sample=$T_TMP/sample.pdf

t_ok "the sample page is drawn" "$MNV_TOOLS/pdftool" sample "$sample"
t_ok "pdffonts: IPAex Gothic and Mincho, every font embedded" pdf_fonts_ok "$sample"
fonts=$(pdffonts "$sample")
t_contains "pdffonts lists IPAex Mincho" "IPAexMincho" "$fonts"
t_lacks "no font is left out" " no " "$(printf '%s\n' "$fonts" | tail -n +3 | awk '{print " " $(NF-4) " "}')"
info=$(pdfinfo "$sample")
t_contains "A4 portrait" "x 841.89 pts (A4)" "$info"
t_contains "the title is set" "令和7年分 見本" "$info"
t_contains "the creator is mnvault" "mnvault" "$info"
t_contains "the creation date is the clock's" "2026" "$info"
text=$(pdf_text "$sample")
t_contains "the title text" "給与所得の源泉徴収票" "$text"
t_contains "a wrapped address keeps every character" "東京都千代田区霞が関三丁目一番一号" "$text"
t_contains "… and its second line" "二十三階南側" "$text"
t_contains "a date in the Japanese era" "昭和60年6月15日" "$text"
squeezed=$(pdf_text "$sample" | pdf_squeeze)
t_contains "the number in its 13 cells, right-aligned, read back" "123456789018" "$squeezed"
t_contains "the amount in its cells" "4569846" "$squeezed"
t_eq "the number check finds the sample's one number twice (scan's digit cells, joined-up text)" 2 \
    "$(pdf_number_count "$sample")"
t_eq "mnvault scan finds it in the PDF itself (its digit cells)" "1" \
    "$("$MNV" scan --count "$sample" 2>/dev/null | sed -n 's/.*:\([0-9]*\)$/\1/p')"
t_eq "its digits are not in the bytes (cairo writes glyph ids)" 0 \
    "$(pdf_bytes_hold "$sample" 123456789018)"
t_eq "… while a number put into the bytes is found" 1 \
    "$( { cat "$sample"; printf '%% 1234 5678 9018\n'; } > "$T_TMP/planted.pdf"; pdf_bytes_hold "$T_TMP/planted.pdf" 123456789018)"

# Right-aligned in the 13 cells (80 to 184 mm, 8 mm each, at y 68 to 77 mm): pdftotext's
# boxes of the digits in that row, in points, give the cell each digit sits in.
cells=$(pdftotext -bbox "$sample" - | sed -n -E 's/.*xMin="([0-9.]+)" yMin="([0-9.]+)".*>([0-9])<\/word>/\1 \2 \3/p' |
    awk '$2 > 68 * 72 / 25.4 && $2 < 77 * 72 / 25.4 { printf "%d:%s ", int(($1 * 25.4 / 72 - 80) / 8), $3 }')
t_eq "the My Number sits in cells 1 to 12 of 13, the first cell empty" \
    "1:1 2:2 3:3 4:4 5:5 6:6 7:7 8:8 9:9 10:0 11:1 12:8 " "$cells"

# The number check really looks at the cells: a PDF without the number has none.
t_status "a no-number document refuses a number" 1 "$MNV_TOOLS/pdftool" nonumber "$T_TMP/n.pdf" "番号 1234 5678 9018"
t_contains "… and says so" "PDF_NUMBER" "$(cat "$T_TMP/out")"
t_status "… and writes nothing" 1 test -e "$T_TMP/n.pdf"
t_ok "a phone number is no My Number" "$MNV_TOOLS/pdftool" nonumber "$T_TMP/n.pdf" "電話 03-1234-5678"
t_eq "… and nothing is found in it" 0 "$(pdf_number_count "$T_TMP/n.pdf")"
t_status "a title with a number is refused" 1 "$MNV_TOOLS/pdftool" meta "$T_TMP/m.pdf" "山田 123456789018"
t_contains "… as a property" "PDF_META" "$(cat "$T_TMP/out")"
t_status "a character outside the fonts is refused, not replaced" 1 "$MNV_TOOLS/pdftool" glyph "$T_TMP/g.pdf" "𠮷野"
t_contains "… naming the character" "U+20BB7" "$(cat "$T_TMP/out")"

# Marks: the demo mark on both halves of the page, over everything.
t_ok "a marked sample" "$MNV_TOOLS/pdftool" sample "$T_TMP/marked.pdf" 見本
count_mi() { pdf_text "$1" | grep -o '見' | wc -l; }
t_eq "the mark is stamped on both halves" $(($(count_mi "$sample") + 2)) "$(count_mi "$T_TMP/marked.pdf")"

t_ok "the file is private (0600)" test "$(stat -c %a "$sample")" = 600
pdftoppm -r 150 -png -singlefile "$sample" "$T_TMP/qr"
t_eq "the QR code reads back (zbarimg on the rendered page)" \
    "mnvault 削除証明書 cert:0001 sha256:9f86d081884c7d659a2feaa0c55ad015" \
    "$(zbarimg --raw -q "$T_TMP/qr.png" 2>/dev/null)"
pdf_render_close "the sample page looks as it did (loose golden render)" \
    "$MNV_ROOT/tests/cli/exp/pdfdoc-sample.pgm" "$sample"
t_done
