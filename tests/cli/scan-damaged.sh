#!/usr/bin/env bash
# `mnvault scan` on damaged PDFs (issue 17): when poppler cannot find a part of the file (cut
# short, an xref it cannot rebuild, an object or an object stream missing) it goes on as if
# the part were empty, so such a file must be reported as not scanned (damaged, exit 3),
# never as clean; what poppler can rebuild whole (a wrong xref) is scanned as usual.
# The damaged files are made by tests/tools/pdf-damage.py from a PDF whose only number is on
# its last page: a part lost there would have been a clean answer.
. "$MNV_ROOT/tests/lib/tap.sh"
d=$T_TMP/f
mkdir -p "$d"
cd "$d" || t_bail "no temp folder"
for c in qpdf jq python3; do command -v "$c" >/dev/null || t_bail "$c missing"; done
damage() { /usr/bin/python3 "$MNV_ROOT/tests/tools/pdf-damage.py" "$@" || t_bail "pdf-damage $*"; }

# PLACE=REASON of each part not scanned (PLACE: the file, or "page N"), sorted.
not_scanned() {
    "$MNV" scan --json "$1" 2>/dev/null |
        jq -r 'select(.type=="not_scanned") | "\(if .page then "page \(.page)" else "file" end)=\(.reason)"' | sort
}

printf 'first page, no number\n\fsecond page, no number\n\f個人番号 123456789018\n' |
    "$MNV_TOOLS/scan-mkpdf" whole.pdf || t_bail "scan-mkpdf"
t_status "the whole PDF: the number on its last page is found" 1 "$MNV" scan --quiet whole.pdf

# A part lost: never clean.
damage lose-contents whole.pdf lost-contents.pdf
t_eq "the last page's contents missing: that page not scanned, damaged" "page 3=damaged" \
    "$(not_scanned lost-contents.pdf)"
t_status "...exit 3, not 0" 3 "$MNV" scan --quiet lost-contents.pdf
t_contains "...said on the result line" "lost-contents.pdf[page 3]: not scanned: damaged" \
    "$("$MNV" scan lost-contents.pdf 2>&1)"
t_contains "...in Japanese" "lost-contents.pdf[3ページ]: 検査できませんでした" \
    "$(LANG=ja_JP.UTF-8 "$MNV" scan lost-contents.pdf 2>&1)"
damage lose-page whole.pdf lost-page.pdf
t_eq "the last page object missing: that page not scanned" "page 3=damaged" "$(not_scanned lost-page.pdf)"
damage xref-lost whole.pdf xref-lost.pdf
t_eq "an xref poppler rebuilds, still missing an object: not scanned" "page 3=damaged" \
    "$(not_scanned xref-lost.pdf)"
damage objstm-lost whole.pdf objstm-lost.pdf
t_eq "object stream missing (page objects in it): those pages not scanned" "page 2=damaged
page 3=damaged" "$(not_scanned objstm-lost.pdf)"
damage objstm-broken whole.pdf objstm-broken.pdf
t_eq "object stream whose data cannot be unpacked: those pages not scanned" "page 2=damaged
page 3=damaged" "$(not_scanned objstm-broken.pdf)"

# Cut short: a plain file (its xref and trailer at the end are gone), a linearized one (its
# first page's xref at the start still opens, the page tree is gone), a real LibreOffice PDF.
damage cut whole.pdf cut.pdf
t_eq "the first half of a PDF: not scanned" "file=damaged" "$(not_scanned cut.pdf)"
qpdf --linearize whole.pdf linear.pdf || t_bail "qpdf --linearize"
damage cut linear.pdf cut-linear.pdf
t_eq "the first half of a linearized PDF (opens, no page found): not scanned" "file=damaged" \
    "$(not_scanned cut-linear.pdf)"
t_status "...exit 3" 3 "$MNV" scan --quiet cut-linear.pdf
lo=$MNV_ROOT/tests/scan-corpus/files/pdf/letter-00-lo.pdf
head -c $(($(stat -c %s "$lo") * 9 / 10)) "$lo" > lo-cut.pdf
t_eq "nine tenths of LibreOffice's PDF: not scanned" "file=damaged" "$(not_scanned lo-cut.pdf)"

# What poppler rebuilds whole is read whole.
damage xref-offsets whole.pdf xref-offsets.pdf
t_status "every xref offset wrong (rebuilt): the number found" 1 "$MNV" scan --quiet xref-offsets.pdf
t_eq "...and nothing reported as not scanned" "" "$(not_scanned xref-offsets.pdf)"
damage xref-garbage whole.pdf xref-garbage.pdf
t_status "the xref table garbage (rebuilt): the number found" 1 "$MNV" scan --quiet xref-garbage.pdf
printf 'no number here\n' | "$MNV_TOOLS/scan-mkpdf" clean.pdf || t_bail "scan-mkpdf"
damage xref-garbage clean.pdf clean-rebuilt.pdf
t_status "a PDF without numbers, xref rebuilt: clean (exit 0)" 0 "$MNV" scan --quiet clean-rebuilt.pdf

# In a zip, as mail attachments are: the member is what is not scanned.
zip -q outbox.zip lost-contents.pdf clean.pdf
t_eq "inside a zip: the member's page" "page 3=damaged" "$(not_scanned outbox.zip)"
t_status "...exit 3" 3 "$MNV" scan --quiet outbox.zip

t_done
