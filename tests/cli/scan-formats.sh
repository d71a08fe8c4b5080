#!/usr/bin/env bash
# `mnvault scan` on the containers people send: gzip, tar (ustar, GNU long names, pax),
# .tar.gz, mail (MIME with base64, quoted-printable, ISO-2022-JP, encoded-word headers and
# attachments); what it cannot look into (password zips, pictures, formats not read here,
# archive bombs past the limits) reported as not scanned with exit 3, never as clean; the
# exit statuses and their order; standard input read in bounded memory.
. "$MNV_ROOT/tests/lib/tap.sh"
d=$T_TMP/f
mkdir -p "$d"
cd "$d" || t_bail "no temp folder"

# NAME[members]:LAST4 for every number, sorted (from --json --show-last4).
found() {
    "$MNV" scan --json --show-last4 "$@" 2>/dev/null |
        jq -r 'select(.type=="match") | "\(.path)\(.members | map("[" + . + "]") | join(""))=\(.masked[-4:])"' | sort
}
not_scanned() {
    "$MNV" scan --json "$@" 2>/dev/null |
        jq -r 'select(.type=="not_scanned") | "\(.path)\(.members | map("[" + . + "]") | join(""))=\(.reason)"' | sort
}

printf '社員番号 1\n個人番号 123456789018\n' > staff.txt
printf 'ID ６１４１ ０６５２ ６０００\n' > more.txt

# ---- gzip, tar, tar.gz ----------------------------------------------------------------------
gzip -c staff.txt > staff.txt.gz
t_eq "gzip: the content is scanned" "staff.txt.gz=9018" "$(found staff.txt.gz)"
cat staff.txt.gz staff.txt.gz > twice.gz
t_eq "gzip: every member of a multi-member stream" "twice.gz=9018
twice.gz=9018" "$(found twice.gz)"
mkdir -p "deep/$(printf 'd%.0s' {1..60})/$(printf 'e%.0s' {1..60})"
long="deep/$(printf 'd%.0s' {1..60})/$(printf 'e%.0s' {1..60})/長い名前の名簿.txt"
cp staff.txt "$long"
tar --format=ustar -cf ustar.tar staff.txt more.txt
tar --format=gnu -cf gnu.tar "$long"
tar --format=pax -cf pax.tar "$long"
t_eq "tar (ustar): members by name" "ustar.tar[more.txt]=6000
ustar.tar[staff.txt]=9018" "$(found ustar.tar)"
t_eq "tar (GNU): a long name" "gnu.tar[$long]=9018" "$(found gnu.tar)"
t_eq "tar (pax): a long name" "pax.tar[$long]=9018" "$(found pax.tar)"
tar -czf both.tar.gz staff.txt ustar.tar
t_eq ".tar.gz: the tar inside, and a tar inside that" "both.tar.gz[staff.txt]=9018
both.tar.gz[ustar.tar][more.txt]=6000
both.tar.gz[ustar.tar][staff.txt]=9018" "$(found both.tar.gz)"
t_eq ".tar.gz: format gzip" "gzip" "$("$MNV" scan --json both.tar.gz | jq -r 'select(.type=="file") | .format')"
head -c 300 staff.txt.gz > cut.gz
head -c 3000 /dev/urandom | base64 > big.txt
tar --format=ustar -cf cut-src.tar staff.txt big.txt
head -c 2500 cut-src.tar > cut.tar
out=$("$MNV" scan cut.tar 2>&1); rc=$?
t_eq "a cut tar: what is there is scanned, the rest reported" "1" "$rc"
t_contains "a cut tar: damaged" "not scanned: damaged" "$out"

# ---- mail -----------------------------------------------------------------------------------
b64() { base64 -w 76; }
{
    printf 'From: =?ISO-2022-JP?B?%s?= <hr@example.jp>\r\n' "$(printf '人事' | iconv -t ISO-2022-JP | base64 -w0)"
    printf 'To: tax@example.jp\r\nSubject: =?UTF-8?B?%s?=\r\n' "$(printf 'マイナンバー 6141 0652 6000 の件' | base64 -w0)"
    printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
    printf 'This is a multi-part message.\r\n--b1\r\n'
    printf 'Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'
    printf '本文\n個人番号：１２３４　５６７８　９０１８\n' | iconv -t ISO-2022-JP
    printf '\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    printf '<p>=E7=95=AA=E5=8F=B7 6214983=\r\n20257</p>\r\n'
    printf -- '--b1\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n'
    printf "Content-Disposition: attachment; filename*=UTF-8''%%E5%%90%%8D%%E7%%B0%%BF.tar.gz\r\n\r\n"
    b64 < both.tar.gz
    printf -- '--b1\r\nContent-Type: message/rfc822\r\n\r\n'
    printf 'From: a@example.jp\r\nSubject: fwd\r\nContent-Type: text/plain; charset=Shift_JIS\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    printf '転送 987654321093\n' | iconv -t SHIFT_JIS | b64
    printf -- '--b1--\r\n'
} > mail.eml
t_eq "mail: headers, text, html, attachments and an attached message" "mail.eml=6000
mail.eml[part 1]=9018
mail.eml[part 2]=0257
mail.eml[part 4]=1093
mail.eml[名簿.tar.gz][staff.txt]=9018
mail.eml[名簿.tar.gz][ustar.tar][more.txt]=6000
mail.eml[名簿.tar.gz][ustar.tar][staff.txt]=9018" "$(found mail.eml)"
t_eq "mail: format" "mail" "$("$MNV" scan --json mail.eml | jq -r 'select(.type=="file") | .format')"
t_contains "mail: a keyword in the decoded subject" "mail.eml:3:" "$("$MNV" scan mail.eml 2>/dev/null | grep 'マイナンバー')"

# ---- not scanned, never clean ------------------------------------------------------------------
zip -q -P secret locked.zip staff.txt
printf '\211PNG\r\n\032\n0000000000000000' > photo.png
printf '\377\330\377\340JFIF' > photo.jpg
printf '\3757zXZ\000' > x.xz
printf '7z\274\257\047\034' > x.7z
printf 'Rar!\032\007\000' > x.rar
printf 'BZh91AY&SY' > x.bz2
t_eq "not scanned: each with its reason" "locked.zip[staff.txt]=encrypted
photo.jpg=picture
photo.png=picture
x.7z=unsupported
x.bz2=unsupported
x.rar=unsupported
x.xz=unsupported" "$(not_scanned locked.zip photo.png photo.jpg x.xz x.7z x.rar x.bz2)"
out=$("$MNV" scan photo.png 2>&1); rc=$?
t_eq "not scanned: exit 3" 3 "$rc"
t_contains "not scanned: said on the result line" "photo.png: not scanned: a picture (text in pictures is not read)" "$out"
t_contains "not scanned: counted in the summary" "not scanned: 1," "$out"
t_contains "not scanned: in Japanese" "photo.png: 検査できませんでした: 画像です" "$(LANG=ja_JP.UTF-8 "$MNV" scan photo.png 2>&1)"
t_eq "--json summary counts them" "7" "$("$MNV" scan --json locked.zip photo.png photo.jpg x.xz x.7z x.rar x.bz2 | jq -r 'select(.type=="summary") | .not_scanned')"
# PDFs whose text could not be read are not clean either: a page of pictures only (a scanned
# paper), glyphs in a font with no character map, text poppler dropped for a missing CMap
# (as without poppler-data). The readable PDF beside them says clean.
"$MNV_TOOLS/scan-mkpdf" --picture scanned.pdf || t_bail "scan-mkpdf --picture"
"$MNV_TOOLS/scan-mkpdf" --unmapped glyphs.pdf 123456789018 || t_bail "scan-mkpdf --unmapped"
"$MNV_TOOLS/scan-mkpdf" --no-cmap nocmap.pdf 123456789018 || t_bail "scan-mkpdf --no-cmap"
printf 'no number here\n' | "$MNV_TOOLS/scan-mkpdf" readable.pdf || t_bail "scan-mkpdf"
t_eq "PDFs not read: each with its reason" "glyphs.pdf=unreadable_text
nocmap.pdf=unreadable_text
scanned.pdf=picture" "$(not_scanned scanned.pdf glyphs.pdf nocmap.pdf readable.pdf)"
t_status "a readable PDF without numbers: clean (exit 0)" 0 "$MNV" scan --quiet readable.pdf
out=$("$MNV" scan nocmap.pdf 2>&1)
t_contains "missing CMap: said in words" "nocmap.pdf: not scanned: text in a font without a character map" "$out"
t_lacks "...and poppler's own complaints stay out of the output" "Syntax" "$out"
t_status "--quiet: exit 3 too" 3 "$MNV" scan --quiet photo.png
t_eq "--quiet: prints nothing" "" "$("$MNV" scan --quiet photo.png 2>&1)"

# ---- bombs -----------------------------------------------------------------------------------
head -c $((40 << 20)) /dev/zero > zeros.bin
gzip -c zeros.bin > zeros.gz
zip -q zeros.zip zeros.bin
tar -cf - zeros.bin | gzip -c > zeros.tar.gz
rm zeros.bin
t_eq "a gzip of zeros: stops early on the ratio" "zeros.gz=too_large" "$(not_scanned zeros.gz)"
t_eq "a zip of zeros: refused before unpacking" "zeros.zip[zeros.bin]=too_large" "$(not_scanned zeros.zip)"
t_eq "a .tar.gz of zeros" "zeros.tar.gz=too_large" "$(not_scanned zeros.tar.gz)"
t_contains "a bomb: the finding says so" "zeros.zip[zeros.bin]: not scanned: too large after decompression" "$("$MNV" scan zeros.zip 2>&1)"
t_status "a bomb: exit 3" 3 "$MNV" scan zeros.gz
# The total: text that packs 3:1 passes the ratio, not --max-size.
for i in $(seq 1 40000); do printf 'line %d of the list, 東京都千代田区 %d\n' "$i" "$((i * 7919))"; done > list.txt
gzip -c list.txt > list.gz
t_eq "under --max-size: scanned" "" "$(not_scanned --max-size 8 list.gz)"
t_eq "over --max-size: not scanned" "list.gz=too_large" "$(not_scanned --max-size 1 list.gz)"
t_status "--max-size 0 is a usage error" 2 "$MNV" scan --max-size 0 list.gz
t_status "--max-time x is a usage error" 2 "$MNV" scan --max-time x list.gz

# ---- exit statuses ---------------------------------------------------------------------------
printf 'nothing here\n' > clean.txt
t_status "exit 0: looked everywhere, no number" 0 "$MNV" scan clean.txt
t_status "exit 1: numbers" 1 "$MNV" scan staff.txt
t_status "exit 2: a file could not be read" 2 "$MNV" scan clean.txt missing.txt
t_status "exit 3: no number, something not scanned" 3 "$MNV" scan clean.txt photo.png
t_status "numbers win over errors and parts not scanned" 1 "$MNV" scan staff.txt missing.txt photo.png
t_status "errors win over parts not scanned" 2 "$MNV" scan missing.txt photo.png

# ---- standard input in bounded memory ---------------------------------------------------------
head -c $((200 << 20)) /dev/zero | /usr/bin/time -o rss.txt -f '%M' "$MNV" scan --max-size 4 - >/dev/null 2>&1
rss=$(tail -n 1 rss.txt)
t_ok "stdin: 200 MiB of zeros read in bounded memory (max RSS ${rss} KiB < 64 MiB)" test "${rss:-999999}" -lt 65536
{ for i in $(seq 1 200000); do printf 'row %d 2024-04-01 905,781円\n' "$i"; done
  printf '個人番号 123456789018\n'; } > long.txt
out=$("$MNV" scan --max-size 1 - < long.txt 2>/dev/null)
t_eq "stdin past --max-size: scanned as a stream, line and hint right" \
    "(standard input):200001:6: **** **** **** [keyword nearby: 個人番号]" "$out"
t_eq "stdin as a stream finds what the file finds" "$("$MNV" scan long.txt 2>/dev/null | sed 's/^long.txt//')" \
    "$(sed 's/^(standard input)//' <<<"$out")"
gzip -c long.txt > long.gz
t_eq "stdin past --max-size: an archive is not scanned" "-=too_large" \
    "$("$MNV" scan --json --max-size 1 - < long.gz | jq -r 'select(.type=="not_scanned") | "\(.path)=\(.reason)"')"
# ---- PDF: read in a child process, poppler loaded only there -----------------------------------
printf 'nothing\n' > plain.txt
t_eq "a text file: poppler is never loaded" 0 \
    "$(LD_DEBUG=libs "$MNV" scan plain.txt 2>&1 >/dev/null | grep -c 'libpoppler')"
pdf=$MNV_ROOT/tests/scan-corpus/files/pdf/letter-00-lo.pdf
t_ok "a PDF: poppler is loaded (in the child) when one is met" \
    bash -c "LD_DEBUG=libs '$MNV' scan '$pdf' 2>&1 >/dev/null | grep -q 'libpoppler-glib'"
# A PDF of many pages: past --max-time the child is stopped and the rest not scanned.
mkpdf() { # OUT PAGES: a PDF whose pages all show the same text (written piece by piece)
    LC_ALL=C awk -v n="$2" '
    function put(t) { printf "%s", t; pos += length(t) }
    function obj(k, body) { off[k] = pos; put(k " 0 obj\n" body "\nendobj\n") }
    BEGIN {
        pos = 0; put("%PDF-1.4\n")
        obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
        off[2] = pos; put("2 0 obj\n<< /Type /Pages /Kids [")
        for (i = 0; i < n; i++) put((5 + i) " 0 R ")
        put("] /Count " n " >>\nendobj\n")
        s = "BT /F1 12 Tf 72 712 Td (ID 123456789018) Tj ET"
        obj(3, "<< /Length " length(s) " >>\nstream\n" s "\nendstream")
        obj(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        for (i = 0; i < n; i++)
            obj(5 + i, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>")
        x = pos
        printf "xref\n0 %d\n0000000000 65535 f \n", 5 + n
        for (k = 1; k <= 4 + n; k++) printf "%010d 00000 n \n", off[k]
        printf "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", 5 + n, x }' > "$1"
}
mkpdf pages.pdf 3
t_eq "a hand-made PDF: one number per page" "3" "$("$MNV" scan --count pages.pdf 2>/dev/null | sed 's/.*://')"
mkpdf many.pdf 60000
start=$(date +%s)
out=$("$MNV" scan --max-time 1 many.pdf 2>&1); rc=$?
t_contains "a PDF past --max-time: not scanned, too long" "not scanned: reading it took too long" "$out"
t_eq "a PDF past --max-time: exit 1 (the pages read before had numbers)" 1 "$rc"
t_ok "a PDF past --max-time: stopped within a few seconds" test $(( $(date +%s) - start )) -lt 20

t_done
