#!/usr/bin/env bash
# The committed real-format corpus (tests/scan-corpus, made by tests/tools/scan-corpus.py
# with LibreOffice, openpyxl, odfpy, reportlab, qpdf, zip, tar, gzip and a MIME mail):
# every planted number found, nothing else reported, every locked file and picture
# reported as not scanned. The comparison is with the builder's list, not with an earlier
# run of the scanner.
. "$MNV_ROOT/tests/lib/tap.sh"
corpus=$MNV_ROOT/tests/scan-corpus
"$MNV_ROOT/tests/tools/scan-corpus-compare.sh" "$MNV" "$corpus" --list > "$T_TMP/table.txt" 2>&1
rc=$?
total=$(grep '^TOTAL' "$T_TMP/table.txt")
planted=$(awk '$1 == "TOTAL" {print $2}' "$T_TMP/table.txt")
t_ok "the corpus plants at least 80 numbers in at least 25 formats ($planted)" \
    test "${planted:-0}" -ge 80 -a "$(grep -cE '^[a-z]' "$T_TMP/table.txt")" -ge 25
t_eq "every planted number found, no false alarm, every locked file reported" 0 "$rc"
[ "$rc" = 0 ] || sed 's/^/# /' "$T_TMP/table.txt"
for f in $(grep -v '^#' "$corpus/expected.tsv" | cut -f1 | sort -u); do
    row=$(awk -v f="$f" '$1 == f' "$T_TMP/table.txt")
    t_ok "$f: $(awk '{printf "%d of %d found, %d false alarms, not scanned %s", $3, $2, $5, $6}' <<<"$row")" \
        awk '{exit !($4 == 0 && $5 == 0)}' <<<"$row"
done
# The numbers themselves never reach the output.
"$MNV" scan --show-last4 "$corpus/files" > "$T_TMP/out.txt" 2>&1
t_ok "no planted number in the output" bash -c "! grep -qFf <(grep -v '^#' '$corpus/expected.tsv' | cut -f6 | grep .) '$T_TMP/out.txt'"
t_status "exit 1: numbers found (and files not scanned)" 1 "$MNV" scan "$corpus/files"
t_status "exit 3: the locked files alone" 3 "$MNV" scan "$corpus/files/locked"
t_done
