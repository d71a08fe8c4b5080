#!/usr/bin/env bash
# `mnvault register FILE.pdf|FILE.csv`: the handling register of a vault the test knows —
# the vault, a backup kept and one deleted as an old generation, an export copy with
# numbers still in the office and one submitted — read back from the CSV and from the
# PDF's text (pdftotext), the checklist's evidence, who may make it, its audit entry, file
# modes, and no number in either file.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in
. "$MNV_ROOT/tests/lib/pdf.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 3 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }

mkdir -p "$T_TMP/files"
printf '[backup]\ngenerations = 1\n' > "$T_TMP/one.ini"
as supervisor backup --config "$T_TMP/one.ini" > "$T_TMP/b1.out" 2>&1 || t_bail "backup 1: $(cat "$T_TMP/b1.out")"
MNVAULT_TEST_NOW=2026-12-01T02:00:00 as supervisor backup --config "$T_TMP/one.ini" > "$T_TMP/b2.out" 2>&1 \
    || t_bail "backup 2: $(cat "$T_TMP/b2.out")"
as clerk export gensen --year 2025 --copy tax --out "$T_TMP/files/tax.pdf" --skip-missing > "$T_TMP/x1.out" 2>&1 \
    || t_bail "export tax copy: $(cat "$T_TMP/x1.out")"
as clerk export gensen --year 2025 --copy employee --out "$T_TMP/files/emp.pdf" --skip-missing > "$T_TMP/x2.out" 2>&1 \
    || t_bail "export employee copy: $(cat "$T_TMP/x2.out")"

out=$("$MNV" register --help)
t_contains "help" "mnvault register FILE.pdf | FILE.csv" "$out"
t_status "no file: usage" 2 "$MNV_TEST" register --data-dir "$dir"
t_status "a clerk may not" 1 as clerk register "$T_TMP/r.pdf"
t_status "an administrator may not" 1 as admin register "$T_TMP/r.pdf"

out=$(as auditor register "$T_TMP/r.csv" 2>&1); rc=$?
t_eq "csv: exit 0" 0 "$rc"
t_contains "csv: said so" "handling register written to $T_TMP/r.csv" "$out"
t_eq "csv: mode 0600" 600 "$(stat -c %a "$T_TMP/r.csv")"
csv=$(cat "$T_TMP/r.csv")
t_contains "csv: the vault" '"1","vault","My Number vault (vault.db, vault.keys)","'"$dir"'"' "$csv"
t_contains "csv: the handlers are clerks and supervisors" 'clerk (clerk), supervisor (supervisor)' "$csv"
t_eq "csv: two backups" 2 "$(grep -c '"backup","Backup of the vault' "$T_TMP/r.csv")"
t_contains "csv: the older backup deleted as an old generation" '(old generation)' "$csv"
t_contains "csv: the tax copy still in the office" 'to be submitted, returned or destroyed, and marked so' "$csv"
t_contains "csv: the employee's copy" 'copy employee' "$csv"
t_contains "csv: the checklist" 'block,measure,state,evidence,answer' "$csv"
t_contains "csv: authentication evidence" 'locked after 5 failures' "$csv"
t_contains "csv: a measure for the supervisor" '"to be answered by the supervisor"' "$csv"
t_eq "csv: no number" "" "$(valid_numbers_in "$T_TMP/r.csv")"

out=$(LANG=ja_JP.UTF-8 as supervisor register "$T_TMP/r.pdf" 2>&1); rc=$?
t_eq "pdf: exit 0" 0 "$rc"
t_eq "pdf: mode 0600" 600 "$(stat -c %a "$T_TMP/r.pdf")"
text=$(pdf_text "$T_TMP/r.pdf")
t_contains "pdf: the title" "特定個人情報ファイル管理簿" "$text"
t_contains "pdf: the checklist" "安全管理措置" "$text"
t_contains "pdf: answer boxes" "□ はい" "$text"
t_eq "pdf: no number in the text" "" "$(printf '%s\n' "$text" > "$T_TMP/r.txt"; valid_numbers_in "$T_TMP/r.txt")"
t_eq "pdf: no number in the squeezed text" 0 "$(pdf_number_count "$T_TMP/r.pdf")"
out=$(as auditor audit list --action register.make)
t_eq "audited each time" 2 "$(printf '%s\n' "$out" | wc -l)"
t_done
