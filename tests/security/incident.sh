#!/usr/bin/env bash
# Incident reports hold no My Number: the CSV and the PDF of a report on a leaked export
# copy that held numbers are read as bytes on disk (and the PDF's text), the vault's
# incidents table is read through SQL with the database key (vaulttool) and a note holding
# a number, even with odd separators, is refused before anything is stored.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in
. "$MNV_ROOT/tests/lib/pdf.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 5 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
as clerk export nta375 --year 2025 --out "$T_TMP/filing.csv" --skip-missing > "$T_TMP/x.out" 2>&1 \
    || t_bail "export: $(cat "$T_TMP/x.out")"
t_ok "the export itself holds numbers (the test can see them)" test -n "$(valid_numbers_in "$T_TMP/filing.csv")"
numbers=$(valid_numbers_in "$T_TMP/filing.csv" | sort -u)
number=$(printf '%s\n' "$numbers" | head -n 1)

for sep in " " "-" "ー" "　"; do
    note="leaked: ${number:0:4}${sep}${number:4:4}${sep}${number:8:4}"
    t_status "a note holding a number ('$sep') is refused" 1 as clerk incident new --export 1 --event missent --note "$note"
done
t_eq "nothing recorded" "no incident recorded" "$(as auditor incident list)"

as clerk incident new --export 1 --event public --note "posted to a shared folder" > "$T_TMP/new.out" 2>&1 \
    || t_bail "record: $(cat "$T_TMP/new.out")"
t_eq "the report on screen holds no number" "" "$(valid_numbers_in "$T_TMP/new.out")"
as clerk incident report 1 "$T_TMP/r.csv" > /dev/null 2>&1
as clerk incident report 1 "$T_TMP/r.pdf" > /dev/null 2>&1
LANG=ja_JP.UTF-8 as clerk incident report 1 "$T_TMP/r-ja.pdf" > /dev/null 2>&1
t_eq "csv: no number in its bytes" "" "$(valid_numbers_in "$T_TMP/r.csv")"
t_eq "vault.db: no number of the file in its bytes (encrypted)" 0 "$(pdf_bytes_hold "$dir/vault.db" $numbers)"
for f in r.pdf r-ja.pdf; do
    # shellcheck disable=SC2086 # one argument per number
    t_eq "$f: none of the file's numbers in its bytes or streams" 0 "$(pdf_bytes_hold "$T_TMP/$f" $numbers)"
    pdf_text "$T_TMP/$f" > "$T_TMP/$f.txt"
    t_eq "$f: no number in its text" "" "$(valid_numbers_in "$T_TMP/$f.txt")"
    t_eq "$f: none in the squeezed text" 0 "$(pdf_number_count "$T_TMP/$f")"
    t_eq "$f: mode 0600" 600 "$(stat -c %a "$T_TMP/$f")"
done
t_eq "csv: mode 0600" 600 "$(stat -c %a "$T_TMP/r.csv")"
t_done
