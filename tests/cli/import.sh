#!/usr/bin/env bash
# `mnvault import`: the sample file, a file with one bad row that imports nothing (each bad
# line listed, no digit of a number printed), Shift_JIS, re-collection, roles, help, and a
# 10,000-row import (its time is printed, never asserted).
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
imp() { printf '%s\n' "$PW" | "$MNV_TEST" import --data-dir "$dir" --user "${USER_AS:-clerk}" --password-fd 0 "$@"; }
. "$MNV_ROOT/tests/lib/tmux.sh" # for valid_numbers_in
numbers_in() { valid_numbers_in "$1"; }
last4s() { grep -oE '[0-9]{4} [0-9]{4} [0-9]{4}|[0-9]{12}' "$1" | tr -d ' ' | cut -c9-12 | sort -u; }

out=$("$MNV" import --help)
t_contains "help: names the columns" "verified_by" "$out"
t_contains "help: Japanese header names too" "確認書類" "$out"
t_status "no file: usage error" 2 "$MNV_TEST" import --data-dir "$dir"

# A file with one malformed row among good ones imports nothing.
bad=$T_TMP/bad.csv
{ head -n 3 "$MNV_ROOT/data/import-sample.csv"
  printf 'B0001,見本 誤記,ミホン ゴキ,1985-06-15,M,2024-04-01,,,1234 5678 9019,self,in_person,,mynumber_card,人事,2024-04-01,tax_withholding,\r\n'
  sed -n '4,$p' "$MNV_ROOT/data/import-sample.csv"; } > "$bad"
imp "$bad" > "$T_TMP/bad.out" 2> "$T_TMP/bad.err"; rc=$?
t_eq "one bad row: exit 1" 1 "$rc"
err=$(cat "$T_TMP/bad.err")
t_contains "one bad row: its line and column named" "line 4, my_number (**** **** ****): the check digit is wrong" "$err"
t_contains "one bad row: nothing imported, said so" "nothing was imported" "$err"
t_eq "one bad row: only that line is listed" 1 "$(grep -c '^line ' "$T_TMP/bad.err")"
t_eq "one bad row: no number on the output" "" "$(numbers_in "$T_TMP/bad.err"; numbers_in "$T_TMP/bad.out")"
leak=""
for l in $(last4s "$bad"); do grep -q "$l" "$T_TMP/bad.err" "$T_TMP/bad.out" && leak="$leak $l"; done
t_eq "one bad row: not even four digits of a number" "" "$leak"
t_ok "one bad row: the vault is still empty (a dry run of the good file passes)" \
    bash -c "printf '%s\n' '$PW' | '$MNV_TEST' import --data-dir '$dir' --user clerk --password-fd 0 --dry-run '$MNV_ROOT/data/import-sample.csv'"

# Japanese messages.
LANG=ja_JP.UTF-8 imp "$bad" > /dev/null 2> "$T_TMP/bad-ja.err"
t_contains "one bad row (ja): the reason in Japanese" "4 行目" "$(cat "$T_TMP/bad-ja.err")"

# The sample, converted to Shift_JIS, imports.
iconv -f UTF-8 -t CP932 "$MNV_ROOT/data/import-sample.csv" > "$T_TMP/sjis.csv"
out=$(imp "$T_TMP/sjis.csv" 2>&1); rc=$?
t_eq "sample in Shift_JIS: exit 0" 0 "$rc"
t_contains "sample in Shift_JIS: encoding detected" "Shift_JIS (CP932)" "$out"
t_contains "sample: employees added" "employees added:   4" "$out"
t_contains "sample: dependents added" "dependents added:  2" "$out"
# The same file again: every number is already there.
imp "$MNV_ROOT/data/import-sample.csv" > /dev/null 2> "$T_TMP/again.err"; rc=$?
t_eq "sample again: refused" 1 "$rc"
t_contains "sample again: this person already has the number" "already has exactly this number" "$(cat "$T_TMP/again.err")"
# Someone else's number is refused without saying whose.
sed -n 1p "$MNV_ROOT/data/import-sample.csv" > "$T_TMP/dup.csv"
sed -n 2p "$MNV_ROOT/data/import-sample.csv" | sed 's/^S0001,見本 一郎,ミホン イチロウ/S0099,見本 九九,ミホン クク/' >> "$T_TMP/dup.csv"
imp "$T_TMP/dup.csv" > /dev/null 2> "$T_TMP/dup.err"
t_contains "duplicate: refused" "already registered to another record" "$(cat "$T_TMP/dup.err")"
t_lacks "duplicate: does not say whose" "S0001" "$(cat "$T_TMP/dup.err")"
t_lacks "duplicate: does not name the person" "一郎" "$(cat "$T_TMP/dup.err")"
# Roles: the auditor may not import.
USER_AS=auditor imp "$MNV_ROOT/data/import-sample.csv" > /dev/null 2> "$T_TMP/aud.err"; rc=$?
t_eq "auditor: refused" 1 "$rc"
t_contains "auditor: the role is the reason" "your role does not allow this" "$(cat "$T_TMP/aud.err")"
# The import is in the audit log.
printf '%s\n' "$PW" | "$MNV_TEST" audit export --format csv --data-dir "$dir" --user auditor --password-fd 0 > "$T_TMP/audit.csv" 2>&1
t_eq "audit: one import entry (the refused ones wrote nothing)" 1 "$(grep -c '","import","' "$T_TMP/audit.csv")"
t_eq "audit: no number in the log" "" "$(numbers_in "$T_TMP/audit.csv")"

# 10,000 rows in one transaction.
"$MNV_TOOLS/collecttool" gen-import 10000 7 > "$T_TMP/10k.csv"
start=$(date +%s%N)
out=$(imp "$T_TMP/10k.csv" 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "# 10,000-row import: ${ms} ms"
t_eq "10,000 rows: exit 0" 0 "$rc"
t_contains "10,000 rows: all stored" "numbers stored:    10000" "$out"
# Corrupt one row near the end: nothing of the 10,000 is written.
"$MNV_TOOLS/collecttool" gen-import 10000 11 | sed '9990s/mynumber_card/notification_card/' > "$T_TMP/10k-bad.csv"
imp "$T_TMP/10k-bad.csv" > /dev/null 2> "$T_TMP/10k-bad.err"; rc=$?
t_eq "10,000 rows with one bad: exit 1" 1 "$rc"
t_contains "10,000 rows with one bad: line 9990 named" "line 9990, documents" "$(cat "$T_TMP/10k-bad.err")"
imp "$T_TMP/10k.csv" > /dev/null 2> "$T_TMP/10k-again.err"
t_contains "10,000 rows again: every row already there, nothing written" \
    "10000 problems in 10000 rows; nothing was imported." "$(cat "$T_TMP/10k-again.err")"
# A day that does not exist is told apart from text that is not a date; full-width forms
# and spaces are dates like any other.
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  printf 'D0001,見本 日付,ミホン ヒヅケ,1985-02-30,M,2024-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事,2024-04-01,tax_withholding,\r\n'
  printf 'D0002,見本 日付,ミホン ヒヅケ,someday,M,2024-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事,2024-04-01,tax_withholding,\r\n'
  printf 'D0003,見本 日付,ミホン ヒヅケ,１９８５／６／１５,M,2024 4 1,,,0944 8224 6340,self,in_person,,mynumber_card,人事,令和６年　４月１日,tax_withholding,\r\n'
} > "$T_TMP/dates.csv"
imp --dry-run "$T_TMP/dates.csv" > /dev/null 2> "$T_TMP/dates.err"
t_contains "a date that does not exist says so" "line 2, birth_date: there is no such day" "$(cat "$T_TMP/dates.err")"
t_contains "text that is no date says how to write one" "line 3, birth_date: not a date" "$(cat "$T_TMP/dates.err")"
t_lacks "full-width digits, ／ and spaces are dates" "line 4, birth_date" "$(cat "$T_TMP/dates.err")"
t_lacks "...and so is 令和６年　４月１日" "line 4, verified_on" "$(cat "$T_TMP/dates.err")"
t_done
