#!/usr/bin/env bash
# `mnvault scan`: every planted number found in every encoding and form, no decoy reported;
# office files, zips and PDFs made here by the test itself; special files; exit statuses;
# no planted number in any output mode.
. "$MNV_ROOT/tests/lib/tap.sh"
exp=$MNV_ROOT/tests/cli/exp
fx=$T_TMP/fx meta=$T_TMP/meta
mkdir -p "$meta"
"$MNV_TOOLS/scan-gen" fixtures "$fx" >/dev/null || t_bail "scan-gen fixtures failed"
# The lists of what was planted must not sit among the files being scanned.
mv "$fx"/expected*.txt "$fx"/numbers.txt "$meta"/

# NAME:LINE:COLUMN:LAST4 from result lines (with --show-last4), sorted.
norm() {
    sed -n 's/^\(.*\):\([0-9]*\):\([0-9]*\): \*\*\*\* \*\*\*\* \([0-9][0-9][0-9][0-9]\) \[.*\]$/\1:\2:\3:\4/p' | sort
}

# ---- every encoding and form ------------------------------------------------------------
files="utf8.txt utf8-bom.txt cp932.txt cp932-late.txt utf16le-bom.txt utf16le.txt utf16be-bom.txt utf16be.txt crlf.txt"
(cd "$fx" && "$MNV" scan --show-last4 $files) > "$T_TMP/all.out" 2> "$T_TMP/all.err"; rc=$?
t_eq "generated files: exit 1 (numbers found)" 1 "$rc"
for f in $files; do
    want=$(grep "^$f:" "$meta/expected.txt" | sort)
    got=$(grep "^$f:" "$T_TMP/all.out" | norm)
    n=$(printf '%s\n' "$want" | grep -c .)
    if [ "$want" = "$got" ]; then
        t_pass "$f: all $n planted numbers found at the right line and column, no decoy"
    else
        t_fail "$f: findings differ from what was planted" "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 20)"
    fi
done
total=$(grep -c . "$meta/expected.txt")
t_ok "generated files: at least 400 planted numbers checked" test "$total" -ge 400
t_eq "generated files: every finding is a planted one" "$(sort "$meta/expected.txt" | grep -v '^corp')" \
    "$(norm < "$T_TMP/all.out")"

# The same files found by walking the folder.
(cd "$T_TMP" && "$MNV" scan --show-last4 fx) > "$T_TMP/dir.out" 2>/dev/null
t_eq "folder walk: same findings as naming the files" \
    "$( (sort "$meta/expected.txt"; grep . "$meta/expected-corp-individual.txt") | sort)" \
    "$(sed 's|^fx/||' "$T_TMP/dir.out" | norm)"

# Corporate numbers: only with --corporate, and then only they.
(cd "$fx" && "$MNV" scan --show-last4 --corporate corp.txt) > "$T_TMP/corp.out" 2>/dev/null
t_eq "--corporate: every corporate number, no individual one" "$(sort "$meta/expected-corp.txt")" \
    "$(sed -n 's/^\(.*\):\([0-9]*\):\([0-9]*\): \* \*\*\*\* \*\*\*\* \([0-9]\{4\}\) \[.*\]$/\1:\2:\3:\4/p' "$T_TMP/corp.out" | sort)"
(cd "$fx" && "$MNV" scan --show-last4 corp.txt) > "$T_TMP/corp-i.out" 2>/dev/null
t_eq "individual mode: corporate numbers are not reported" "$(sort "$meta/expected-corp-individual.txt")" \
    "$(norm < "$T_TMP/corp-i.out")"

# ---- output modes -------------------------------------------------------------------------
t_golden "result line format" "$exp/scan-lines.exp" \
    <(printf '氏名 山田太郎\n個人番号：１２３４－５６７８－９０１８\nID621498320257です\n' | "$MNV" scan - 2>&1)
t_golden "result line format in Japanese" "$exp/scan-lines-ja.exp" \
    <(printf '個人番号：１２３４－５６７８－９０１８\nID621498320257です\n' | LANG=ja_JP.UTF-8 "$MNV" scan - 2>&1)
out=$(cd "$fx" && "$MNV" scan --count utf8.txt cp932.txt 2>/dev/null)
t_eq "--count: one total per file" "utf8.txt:$(grep -c '^utf8.txt:' "$meta/expected.txt")
cp932.txt:$(grep -c '^cp932.txt:' "$meta/expected.txt")" "$out"
printf 'nothing here 12345\n' > "$T_TMP/clean.txt"
t_eq "--count: files without numbers say 0" "$T_TMP/clean.txt:0" "$("$MNV" scan -c "$T_TMP/clean.txt" 2>/dev/null)"

(cd "$fx" && "$MNV" scan --json utf8.txt cp932.txt /nonexistent) > "$T_TMP/json.out" 2>/dev/null; rc=$?
t_eq "--json: exit 1 (numbers found) with an unreadable file too" 1 "$rc"
t_ok "--json: every line is a JSON object" jq -e -s 'length > 0 and all(type == "object")' "$T_TMP/json.out"
t_eq "--json: matches as planted" "$(grep -cE '^(utf8|cp932)\.txt:' "$meta/expected.txt")" \
    "$(jq -r 'select(.type=="match") | .path' "$T_TMP/json.out" | grep -c .)"
t_eq "--json: fields of a match" "individual **** **** **** utf-8 2" \
    "$(jq -r 'select(.type=="match") | "\(.kind) \(.masked) \(.encoding) \(.line)"' "$T_TMP/json.out" | head -n 1)"
t_eq "--json: encodings named" "cp932 utf-8" \
    "$(jq -r 'select(.type=="file") | .format' "$T_TMP/json.out" | sort | tr '\n' ' ' | sed 's/ $//')"
t_eq "--json: the unreadable file is an error record" "IO /nonexistent" \
    "$(jq -r 'select(.type=="error") | "\(.code) \(.path)"' "$T_TMP/json.out")"
t_eq "--json: summary" "2 2 1" "$(jq -r 'select(.type=="summary") | "\(.files) \(.files_with_matches) \(.errors)"' "$T_TMP/json.out")"
t_eq "--json --count: no match records" "0" \
    "$(cd "$fx" && "$MNV" scan --json --count utf8.txt 2>/dev/null | jq -r 'select(.type=="match")' | grep -c .)"

out=$(cd "$fx" && "$MNV" scan --quiet utf8.txt 2>&1); rc=$?
t_eq "--quiet: exit 1 when a number is found" 1 "$rc"
t_eq "--quiet: prints nothing" "" "$out"
out=$("$MNV" scan -q "$T_TMP/clean.txt" 2>&1); rc=$?
t_eq "--quiet: exit 0 when none" "0:" "$rc:$out"

# ---- no number, whole or in part, in any output ------------------------------------------
for mode in "" "--show-last4" "--json" "--json --show-last4" "--count" "--quiet" "--corporate" "--corporate --json"; do
    (cd "$T_TMP" && "$MNV" scan $mode fx) >> "$T_TMP/every-mode.out" 2>&1
done
t_ok "no planted or decoy number in any output mode" bash -c "! grep -qFf '$meta/numbers.txt' '$T_TMP/every-mode.out'"
t_ok "no run of five or more digits in any output mode" bash -c "! grep -qE '[0-9]{5}|[０-９]' '$T_TMP/every-mode.out'"
t_ok "default mask shows no digit of a number" bash -c \
    "! (cd '$T_TMP' && '$MNV' scan fx 2>/dev/null) | grep -vE ': \*\*\*\* \*\*\*\* \*\*\*\* \[' | grep -q ."

# ---- office files and archives, made here ---------------------------------------------------
office=$T_TMP/office
mkdir -p "$office"
mkzip() { # OUT DIR: zip DIR's content (mimetype first and stored, as OpenDocument wants)
    local out=$1 dir=$2
    rm -f "$out"
    if [ -f "$dir/mimetype" ]; then
        (cd "$dir" && zip -q -X -0 "$out" mimetype && zip -q -X -r "$out" . -x mimetype)
    else
        (cd "$dir" && zip -q -X -r "$out" .)
    fi
}
ct='<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'

d=$T_TMP/docx; mkdir -p "$d/word"
printf '%s' "$ct" > "$d/[Content_Types].xml"
cat > "$d/word/document.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>個人番号 1234</w:t></w:r><w:r w:rsidR="00A81234"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> 5678 </w:t></w:r><w:r><w:t>9018</w:t></w:r></w:p>
<w:p><w:r><w:t>6141</w:t></w:r><w:r><w:noBreakHyphen/><w:t>0652</w:t></w:r><w:r><w:noBreakHyphen/><w:t>6000</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>621498320257</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>9</w:t></w:r><w:r><w:t>987654321093</w:t></w:r><w:r><w:t> と &#49;23456789018 &amp; 12345678901</w:t></w:r></w:p>
</w:body></w:document>
EOF
mkzip "$office/report.docx" "$d"
out=$("$MNV" scan --show-last4 "$office/report.docx" 2>&1); rc=$?
t_eq ".docx: exit 1" 1 "$rc"
t_golden ".docx: runs joined, cells kept apart, entities decoded, longer runs refused" \
    "$exp/scan-docx.exp" <(printf '%s\n' "$out" | sed "s|$office/||")

x=$T_TMP/xlsx; mkdir -p "$x/xl/worksheets"
printf '%s' "$ct" > "$x/[Content_Types].xml"
cat > "$x/xl/sharedStrings.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>氏名</t></si><si><t>マイナンバー</t></si><si><r><t>6141</t></r><r><rPr><b/></rPr><t>0652</t></r><r><t>6000</t></r></si><si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si></sst>
EOF
cat > "$x/xl/worksheets/sheet1.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>987654321093</v></c><c r="C2"><v>12345678901</v></c><c r="D2"><v>1234567890180</v></c><c r="E2"><f>B2</f><v>1</v></c></row></sheetData></worksheet>
EOF
mkzip "$office/book.xlsx" "$x"
out=$("$MNV" scan --show-last4 "$office/book.xlsx" 2>&1)
t_golden ".xlsx: shared strings and numeric cells, neighbouring cells kept apart" \
    "$exp/scan-xlsx.exp" <(printf '%s\n' "$out" | sed "s|$office/||")

p=$T_TMP/pptx; mkdir -p "$p/ppt/slides"
printf '%s' "$ct" > "$p/[Content_Types].xml"
cat > "$p/ppt/slides/slide1.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>社員番号ではなく</a:t></a:r></a:p><a:p><a:r><a:t>０２３４</a:t></a:r><a:r><a:t>　５６７８　９０１３</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>
EOF
mkzip "$office/slides.pptx" "$p"
t_contains ".pptx: a full-width grouped number across runs" "slides.pptx[ppt/slides/slide1.xml]:2:1: **** **** 9013" \
    "$("$MNV" scan --show-last4 "$office/slides.pptx" 2>&1 | sed "s|$office/||")"

o=$T_TMP/odt; mkdir -p "$o"
printf 'application/vnd.oasis.opendocument.text' > "$o/mimetype"
cat > "$o/content.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>個人番号<text:s/>1234<text:s/>5678<text:s/>9018</text:p><text:p>12<text:span>345678901</text:span>8</text:p></office:text></office:body></office:document-content>
EOF
mkzip "$office/letter.odt" "$o"
t_eq ".odt: spaces as elements, spans joined" "letter.odt[content.xml]:1:6: **** **** 9018 [keyword nearby: 個人番号]
letter.odt[content.xml]:2:1: **** **** 9018 [keyword nearby: 個人番号]" \
    "$("$MNV" scan --show-last4 "$office/letter.odt" 2>/dev/null | sed "s|$office/||")"

s=$T_TMP/ods; mkdir -p "$s"
printf 'application/vnd.oasis.opendocument.spreadsheet' > "$s/mimetype"
cat > "$s/content.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table><table:table-row><table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="614106526000"><text:p>614106526000</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>
EOF
mkzip "$office/sheet.ods" "$s"
t_eq ".ods: a cell next to another cell" "sheet.ods[content.xml]:2:1: **** **** 6000 [no keyword nearby]" \
    "$("$MNV" scan --show-last4 "$office/sheet.ods" 2>/dev/null | sed "s|$office/||")"

# A plain zip holding a CP932 text and the .docx: members are scanned by content.
z=$T_TMP/zip; mkdir -p "$z"
printf '個人番号 ６１４１ ０６５２ ６０００\r\n' | iconv -f UTF-8 -t CP932 > "$z/sjis.csv"
cp "$office/report.docx" "$z/"
mkzip "$office/outbox.zip" "$z"
out=$("$MNV" scan --json "$office/outbox.zip" 2>/dev/null)
t_eq "zip: members scanned by content, a nested office file too" "report.docx/word/document.xml sjis.csv" \
    "$(printf '%s\n' "$out" | jq -r 'select(.type=="match") | .members | join("/")' | sort -u | tr '\n' ' ' | sed 's/ $//')"
t_eq "zip: the CP932 member is read as CP932" "cp932" \
    "$(printf '%s\n' "$out" | jq -r 'select(.type=="match" and .members[0]=="sjis.csv") | .encoding')"
t_eq "zip: format office/zip" "office zip" \
    "$("$MNV" scan --json "$office/report.docx" "$office/outbox.zip" 2>/dev/null | jq -r 'select(.type=="file") | .format' | tr '\n' ' ' | sed 's/ $//')"

# A zip made on Japanese Windows: the member name in CP932, not flagged as UTF-8.
sj=$T_TMP/sjname; mkdir -p "$sj"
sjname=$(printf '社員名簿.csv' | iconv -f UTF-8 -t CP932)
printf '123456789018\n' > "$sj/$sjname"
(cd "$sj" && zip -q "$office/sjis-names.zip" "$sjname")
t_contains "zip: a CP932 member name is shown in Japanese" "sjis-names.zip[社員名簿.csv]:1:1:" \
    "$("$MNV" scan "$office/sjis-names.zip" 2>/dev/null | sed "s|$office/||")"

printf '個人番号 123456789018\n' > "$T_TMP/secret.txt"
(cd "$T_TMP" && zip -q -P not-a-real-password "$office/locked.zip" secret.txt)
out=$("$MNV" scan "$office/locked.zip" 2>&1); rc=$?
t_eq "password-protected zip: exit 3 (not scanned)" 3 "$rc"
t_contains "password-protected zip: said so" "locked.zip[secret.txt]: not scanned: protected by a password (encrypted)" "$out"
head -c 200 "$office/report.docx" > "$office/broken.docx"
out=$("$MNV" scan "$office/broken.docx" 2>&1); rc=$?
t_eq "truncated .docx: exit 3 (not scanned)" 3 "$rc"
t_contains "truncated .docx: damaged" "broken.docx: not scanned: damaged" "$out"

# ---- PDF, made here with cairo and pango ------------------------------------------------------
printf '社員台帳\n個人番号：１２３４－５６７８－９０１８（山田）\nID 621498320257\f2ページ目\n6141 0652 6000 マイナンバー\ndecoy 1234567890180 12345678901\n' \
    | "$MNV_TOOLS/scan-mkpdf" "$office/ledger.pdf" || t_bail "scan-mkpdf failed"
out=$("$MNV" scan --show-last4 "$office/ledger.pdf" 2>/dev/null); rc=$?
t_eq "PDF: exit 1" 1 "$rc"
t_eq "PDF: page, line and column of each number, Japanese text" "ledger.pdf[page 1]:2:6: **** **** 9018 [keyword nearby: 個人番号]
ledger.pdf[page 1]:3:4: **** **** 0257 [keyword nearby: 個人番号]
ledger.pdf[page 2]:2:1: **** **** 6000 [keyword nearby: マイナンバー]" "$(printf '%s\n' "$out" | sed "s|$office/||")"
printf '%%PDF-1.7\n%%broken\n' > "$office/broken.pdf"
t_status "damaged PDF: exit 3 (not scanned)" 3 "$MNV" scan "$office/broken.pdf"

# Numbers printed one digit per cell, as every official form prints the 個人番号: poppler's
# text has the digits apart, so the scanner also reads where the glyphs stand.
cells() { "$MNV_TOOLS/pdftool" cells "$office/$1" "${@:2}" || t_bail "pdftool cells failed"; }
cells cells13.pdf 13 123456789018
t_eq "PDF digit cells: 12 digits in 13 cells found, under [digit cells]" \
    "cells13.pdf[page 1][digit cells]:1:1: **** **** 9018 [no keyword nearby]" \
    "$("$MNV" scan --show-last4 "$office/cells13.pdf" 2>/dev/null | sed "s|$office/||")"
cells cells444.pdf 12 123456789018 4
t_status "PDF digit cells: grouped 4-4-4 cells found" 1 "$MNV" scan -q "$office/cells444.pdf"
cells cellsbad.pdf 13 123456789012
t_status "PDF digit cells: a wrong check digit is no number" 0 "$MNV" scan -q "$office/cellsbad.pdf"
cells cells16.pdf 16 4111123456789018
t_status "PDF digit cells: 12 valid digits inside a row of 16 cells are no number" 0 \
    "$MNV" scan -q "$office/cells16.pdf"
cells cellscorp.pdf 13 4201000000008
t_status "PDF digit cells: a corporate number in 13 cells (--corporate)" 1 \
    "$MNV" scan --corporate -q "$office/cellscorp.pdf"
t_status "PDF digit cells: … and no individual number" 0 "$MNV" scan -q "$office/cellscorp.pdf"
"$MNV_TOOLS/pdftool" sample "$office/gensen-sample.pdf" || t_bail "pdftool sample failed"
t_status "PDF digit cells: the sample 源泉徴収票 (number in 13 cells) is not clean" 1 \
    "$MNV" scan -q "$office/gensen-sample.pdf"

# ---- streams, special files, links ------------------------------------------------------------
out=$(printf 'ID 123456789018\n' | "$MNV" scan - 2>/dev/null); rc=$?
t_eq "stdin: read with -" "1 (standard input):1:4: **** **** **** [no keyword nearby]" "$rc $out"
printf '個人番号 123456789018' | iconv -f UTF-8 -t UTF-16 > "$T_TMP/u16.txt"
t_eq "stdin: UTF-16 detected there too" "1" "$("$MNV" scan -c - < "$T_TMP/u16.txt" 2>/dev/null | sed 's/.*://')"

w=$T_TMP/walk; mkdir -p "$w/sub"
printf '123456789018\n' > "$w/sub/a.txt"
ln -s "$w/sub" "$w/link-to-dir"
ln -s "$w" "$w/sub/loop"
ln -s "$w/sub/a.txt" "$w/link-to-file"
mkfifo "$w/pipe"
out=$("$MNV" scan "$w" 2>"$T_TMP/walk.err"); rc=$?
t_eq "folder: links to files followed, links to folders not" "$w/link-to-file:1:1: **** **** **** [no keyword nearby]
$w/sub/a.txt:1:1: **** **** **** [no keyword nearby]" "$out"
t_contains "folder: a link to a folder is reported, not followed" "$w/link-to-dir: a symbolic link to a folder; not followed" "$(cat "$T_TMP/walk.err")"
t_contains "folder: a loop is not followed" "$w/sub/loop: a symbolic link to a folder" "$(cat "$T_TMP/walk.err")"
t_contains "folder: a pipe is reported as skipped" "$w/pipe: not a regular file or folder" "$(cat "$T_TMP/walk.err")"
t_contains "folder: the summary counts them" "skipped: 3" "$(cat "$T_TMP/walk.err")"
t_eq "folder: skipped special files alone are not an error" 1 "$rc"
mkdir -p "$T_TMP/dl"
ln -s "$w/missing" "$T_TMP/dl/dangling"
t_status "folder: a dangling link is an unreadable file (exit 2)" 2 "$MNV" scan "$T_TMP/dl"

(printf 'ID 621498320257\n' > "$w/pipe") &
out=$("$MNV" scan --show-last4 "$w/pipe" 2>/dev/null)
wait
t_eq "a named pipe given by name is read" "$w/pipe:1:4: **** **** 0257 [no keyword nearby]" "$out"
(sleep 1; printf 'ID 621498320257\n' > "$w/pipe") &
out=$("$MNV" scan --show-last4 "$w/pipe" 2>/dev/null)
wait
t_eq "...also when its writer comes after the scan opened it (waited for, not read as empty)" \
    "$w/pipe:1:4: **** **** 0257 [no keyword nearby]" "$out"
t_status "a /proc file that fails to read: exit 2" 2 "$MNV" scan /proc/self/mem
t_status "a device given by name is skipped, not read" 0 "$MNV" scan /dev/null

touch "$T_TMP/$(printf 'evil\nname.txt')"
printf '123456789018' > "$T_TMP/$(printf 'evil\nname.txt')"
t_contains "control characters in names cannot fake a line" 'evil\x0Aname.txt:1:1:' \
    "$("$MNV" scan "$T_TMP/$(printf 'evil\nname.txt')" 2>/dev/null)"

# ---- options and exit statuses -----------------------------------------------------------------
t_status "exit 0: no number" 0 "$MNV" scan "$T_TMP/clean.txt"
t_status "exit 1: numbers" 1 "$MNV" scan "$fx/utf8.txt"
t_status "exit 2: missing file" 2 "$MNV" scan "$T_TMP/nope.txt"
t_status "exit 1: numbers and a missing file (numbers win)" 1 "$MNV" scan "$fx/utf8.txt" "$T_TMP/nope.txt"
t_status "exit 2: no path" 2 "$MNV" scan
t_status "exit 2: unknown option" 2 "$MNV" scan --bogus "$fx/utf8.txt"
t_status "exit 2: unknown encoding" 2 "$MNV" scan --encoding latin1 "$fx/utf8.txt"
t_status "exit 2: an empty --label" 2 bash -c "echo x | '$MNV' scan --label '' -"
out=$(printf '123456789018\n' | "$MNV" scan --label staff.csv - 2>/dev/null); rc=$?
t_eq "--label names standard input" "1 staff.csv:1:1: **** **** **** [no keyword nearby]" "$rc $out"
t_status "empty file: exit 0" 0 "$MNV" scan /dev/null
: > "$T_TMP/empty.txt"
t_eq "empty file: counted" "$T_TMP/empty.txt:0" "$("$MNV" scan -c "$T_TMP/empty.txt" 2>/dev/null)"
t_eq "--encoding utf-8 on CP932: full-width digits are not seen" \
    "$(grep '^cp932.txt:' "$meta/expected.txt" | grep -c .)" \
    "$(cd "$fx" && "$MNV" scan -c --encoding cp932 cp932.txt 2>/dev/null | sed 's/.*://')"
t_ok "--encoding utf-8 on CP932 finds fewer" test \
    "$(cd "$fx" && "$MNV" scan -c --encoding utf-8 cp932.txt 2>/dev/null | sed 's/.*://')" -lt \
    "$(grep '^cp932.txt:' "$meta/expected.txt" | grep -c .)"
t_contains "scan --help in English" "Look for My Numbers in files" "$(LANG=C.UTF-8 "$MNV" scan --help)"
t_contains "scan --help in Japanese" "送る前に" "$(LANG=ja_JP.UTF-8 "$MNV" scan --help)"
t_contains "summary in Japanese" "検査したファイル: 1" "$(LANG=ja_JP.UTF-8 "$MNV" scan "$T_TMP/clean.txt" 2>&1)"

# ---- threads: the same results in the same order -------------------------------------------
# A folder: its small text files are scanned by workers, everything else by the walk.
par=$T_TMP/par
mkdir -p "$par/a" "$par/b"
cp -r "$fx" "$par/a/fx"
for i in $(seq 1 200); do
    if [ $((i % 9)) = 0 ]; then printf '行 %d\n個人番号 6214 9832 0257\n' "$i"; else printf 'row %d 2024-04-01\n' "$i"; fi > "$par/b/f$i.txt"
done
printf '\x89PNG\r\n\x1a\n\0\0\0\x0d' > "$par/b/f5-photo.png"
ln -s "$par/a" "$par/b/f7-link"
for mode in "" "--count" "--json" "--show-last4"; do
    t_eq "--jobs 4 gives what --jobs 1 gives (${mode:-lines})" \
        "$("$MNV" scan $mode --jobs 1 "$par" 2>&1; echo "exit $?")" \
        "$("$MNV" scan $mode --jobs 4 "$par" 2>&1; echo "exit $?")"
done
t_eq "the default (threads per processor) too" "$("$MNV" scan --jobs 1 "$par" 2>&1)" "$("$MNV" scan "$par" 2>&1)"
t_eq "--quiet stops at the same first number" "$("$MNV" scan -q --jobs 1 "$par"; echo $?)" "$("$MNV" scan -q --jobs 3 "$par"; echo $?)"
t_status "--jobs 0 is a usage error" 2 "$MNV" scan --jobs 0 "$par"
# One large text (past 16 MiB) is scanned in parts: lines and columns as one pass gives them.
awk 'BEGIN { for (i = 1; i <= 300000; i++) {
        if (i % 25000 == 0) printf "社員 %d 個人番号 １２３４ ５６７８ ９０１８ と 621498320257\n", i
        else printf "row %d, 2024-04-01, 905,781円, 東京都千代田区 %d-%d, filler text\n", i, i % 7, i % 13 } }' > "$T_TMP/large.txt"
t_ok "...the text is past 16 MiB (two parts or more)" test "$(stat -c %s "$T_TMP/large.txt")" -gt $((16 << 20))
t_eq "a large text in parts: every finding where one pass puts it" \
    "$("$MNV" scan --jobs 1 "$T_TMP/large.txt" 2>&1)" "$("$MNV" scan --jobs 4 "$T_TMP/large.txt" 2>&1)"
t_eq "...24 numbers, the last on line 300000" "24 $T_TMP/large.txt:300000:" \
    "$("$MNV" scan --jobs 4 "$T_TMP/large.txt" 2>/dev/null | wc -l) $("$MNV" scan --jobs 4 "$T_TMP/large.txt" 2>/dev/null | tail -n 1 | cut -d: -f1-2):"
t_done
