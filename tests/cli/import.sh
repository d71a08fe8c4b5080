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
t_contains "one bad row: its line and column named" "line 4, column 9 (my_number, **** **** ****): the check digit is wrong" "$err"
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
t_contains "10,000 rows with one bad: line 9990 named" "line 9990, column 8 (documents)" "$(cat "$T_TMP/10k-bad.err")"
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
t_contains "a date that does not exist says so" "line 2, column 4 (birth_date): there is no such day" "$(cat "$T_TMP/dates.err")"
t_contains "text that is no date says how to write one" "line 3, column 4 (birth_date): not a date" "$(cat "$T_TMP/dates.err")"
t_lacks "full-width digits, ／ and spaces are dates" "line 4, column 4" "$(cat "$T_TMP/dates.err")"
t_lacks "...and so is 令和６年　４月１日" "line 4, column 15" "$(cat "$T_TMP/dates.err")"
# Every fault of a row in one run, each with its column as the file names it (Japanese
# headers here), and the purposes' short names (源泉 for 源泉徴収票) accepted.
cat > "$T_TMP/ja.csv" <<'CSV'
社員番号,氏名,フリガナ,生年月日,性別,入社日,扶養親族氏名,続柄,個人番号,収集方法,受付方法,身元確認書類省略,確認書類,確認者,確認日,利用目的,通知・明示日
J0001,見本 全誤,ミホン ゼンゴ,1985-02-30,X,2024-04-01,,,1234 5678 9019,self,by_pigeon,,mynumber_card,人事,2024-04-01,年末調整,
J0002,見本 短名,ミホン タンメイ,1985-06-15,M,2024-04-01,,,7351 9264 8017,self,in_person,,mynumber_card,人事,2024-04-01,源泉;Deduction declarations,
CSV
imp --dry-run "$T_TMP/ja.csv" > /dev/null 2> "$T_TMP/ja.err"; rc=$?
t_eq "every fault of a row: exit 1" 1 "$rc"
jaerr=$(cat "$T_TMP/ja.err")
t_contains "every fault: the day that does not exist (column as the file names it)" "line 2, column 4 (生年月日): there is no such day" "$jaerr"
t_contains "every fault: the sex" "line 2, column 5 (性別)" "$jaerr"
t_contains "every fault: the number" "line 2, column 9 (個人番号, **** **** ****): the check digit is wrong" "$jaerr"
t_contains "every fault: the channel" "line 2, column 11 (受付方法)" "$jaerr"
t_contains "every fault: the purpose" "line 2, column 16 (利用目的)" "$jaerr"
t_eq "every fault: five of them, in the order of the columns" "4 5 9 11 16" \
    "$(grep -o '^line 2, column [0-9]*' "$T_TMP/ja.err" | awk '{print $4}' | xargs)"
t_lacks "short names of purposes: 源泉 and the English short name are purposes" "line 3" "$jaerr"
t_contains "the summary counts the faults and the rows" "5 problems in 2 rows" "$jaerr"
# A number stored without a record of the identity check (data from before the records were
# kept): importing the same number with its check adds the check (本人確認), once.
printf '%s\nV0001 735192648025\n' "$PW" | "$MNV_TOOLS/vaulttool" seed "$dir" clerk > /dev/null 2>&1 \
    || t_bail "seed"
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  printf 'V0001,,,,,,,,7351 9264 8025,self,in_person,,mynumber_card,人事 花子,2026-04-02,tax_withholding,2026-04-02\r\n'
} > "$T_TMP/verify.csv"
out=$(imp "$T_TMP/verify.csv" 2>&1); rc=$?
t_eq "identity check added to a stored number: exit 0" 0 "$rc"
t_contains "...said so" "identity checks added to numbers stored without one: 1" "$out"
t_contains "...not counted as a number stored" "numbers stored:    0" "$out"
shown=$(printf '%s\n' "$PW" | "$MNV_TEST" employee show V0001 --data-dir "$dir" --user clerk --password-fd 0 2>&1)
t_contains "...the record shows the check" "2026-04-02" "$shown"
imp "$T_TMP/verify.csv" > /dev/null 2> "$T_TMP/verify.err"; rc=$?
t_eq "...a second time: refused (it has its check now)" 1 "$rc"
t_contains "...as the same number" "already has exactly this number" "$(cat "$T_TMP/verify.err")"
t_done
