#!/usr/bin/env bash
# `mnvault employee`: the clerk's paths on the command line. An employee added before the
# number comes; a refusal to give it (提供拒否) with its day and reason, shown on the record,
# in the list's status and kept out of the audit log; a dependant leaving the 扶養, which
# ends the need for their number (retention); the record with every identity check and how
# long after it a dependant's purposes were notified; who may do what; no number printed.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in

PW="correct horse battery staple"
dir=$T_TMP/vault
exp=$MNV_ROOT/tests/cli/exp
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }

# An employee with a spouse whose number came through the dependants' declaration and whose
# purposes were notified twelve days after the employee verified it (第21条第1項), and a child.
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
E0001,見本 一郎,ミホン イチロウ,1980-06-15,M,2016-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2025-04-01,tax_withholding;tax_declarations,2025-04-01
E0001,,ミホン ハナコ,1982-08-08,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2025-04-28,tax_declarations,2025-05-10
E0001,,ミホン タロウ,2004-01-20,M,,見本 太郎,子,078984708075,employee_declared,in_person,,,人事 花子,2025-04-28,tax_declarations,
EOF
as clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"

out=$("$MNV" employee --help)
t_contains "help: the verbs" "mnvault employee refused CODE [--dependent NAME] --on DATE --reason TEXT" "$out"
t_contains "help: in mnvault --help" "employee" "$("$MNV" --help)"
t_status "no verb: usage" 2 "$MNV_TEST" employee --data-dir "$dir"
t_status "refused without a reason: usage" 2 "$MNV_TEST" employee refused E0001 --on 2026-11-01 --data-dir "$dir"
t_status "left without --dependent: usage" 2 "$MNV_TEST" employee left E0001 --on 2026-11-01 --data-dir "$dir"
t_status "left with --on and --undo: usage" 2 "$MNV_TEST" employee left E0001 --dependent x --on 2026-11-01 --undo --data-dir "$dir"
t_status "add without a hire date: usage" 2 "$MNV_TEST" employee add --code N1 --name x --kana x --birth-date 2000-01-01 --sex M --data-dir "$dir"
t_status "list --status of an unknown status: usage" 2 "$MNV_TEST" employee list --status gone --data-dir "$dir"

# An employee hired before the number comes: added without one, the reading folded.
out=$(as clerk employee add --code N0001 --name "新人 一郎" --kana "ｼﾝｼﾞﾝ いちろう" \
    --birth-date 2003-05-05 --sex M --hire-date 令和8年11月16日 2>&1)
t_contains "add: no number yet" "Added N0001 新人 一郎. No My Number yet" "$out"
out=$(as clerk employee show N0001 2>&1)
t_contains "add: the reading in katakana" "N0001  新人 一郎 (シンジン イチロウ)" "$out"
t_contains "add: the era date read" "hired 2026-11-16" "$out"
t_contains "add: the number is missing" "My Number: missing" "$out"
out=$(as clerk employee add --code N0001 --name x --kana カ --birth-date 2003-05-05 --sex M --hire-date 2026-11-16 2>&1)
t_contains "add: a code in use is refused" "this employee code is already in use" "$out"
out=$(as clerk employee add --code N0002 --name x --kana カ --birth-date 2003-02-30 --sex M --hire-date 2026-11-16 2>&1)
t_contains "add: a day that does not exist, named with its option" "--birth-date: there is no such day" "$out"
out=$(as clerk employee add --code N0002 --name x --kana "カ" --birth-date 2003-01-01 --sex M --hire-date 2026-11-16 --postal-code 12 2>&1)
t_contains "add: a wrong field, named with its option" "--postal-code: a postal code has 7 digits" "$out"
t_status "add: the administrator may not" 1 as admin employee add --code N0003 --name x --kana カ --birth-date 2003-01-01 --sex M --hire-date 2026-11-16
out=$(as clerk employee list --status missing 2>&1)
t_contains "list --status missing: the new employee" "N0001       missing     -     新人 一郎" "$out"
t_lacks "list --status missing: not the one with a number" "E0001" "$out"

# A refusal: the day, the reason in the person's words; the list says refused.
out=$(as clerk employee refused N0001 --on 2026-11-20 --reason "利用目的を説明したが、本人が提供を拒否" 2>&1)
t_contains "refused: recorded" "Recorded: N0001 refused to give the My Number on 2026-11-20." "$out"
t_contains "refused: the list's status" "N0001       refused" "$(as clerk employee list 2>&1)"
out=$(as clerk employee show N0001 2>&1)
t_contains "refused: the day and the reason on the record" "My Number: refused on 2026-11-20: 利用目的を説明したが、本人が提供を拒否" "$out"
out=$(as clerk employee refused N0001 --on 2026-12-02 --reason x 2>&1)
t_contains "refused: a day in the future" "--on: this date is in the future" "$out"
out=$(as clerk employee refused N0001 --on 2026-11-20 --reason "   " 2>&1)
t_contains "refused: a blank reason" "--reason: give a reason" "$out"
out=$(as clerk employee refused N0001 --on 2026-11-20 --reason "番号は 1270 2309 7206" 2>&1)
t_contains "refused: no number in the reason" "--reason: the reason must not contain a My Number" "$out"
out=$(as clerk employee refused E0001 --on 2026-11-20 --reason 拒否 2>&1); rc=$?
t_eq "refused: with a number stored: exit 1" 1 "$rc"
t_contains "refused: with a number stored: says so" "a My Number is stored for this person" "$out"
t_status "refused: the auditor may not" 1 as auditor employee refused N0001 --on 2026-11-20 --reason x
as auditor audit export --format csv > "$T_TMP/audit.csv" 2>&1
t_contains "refused: audited with the day" '"number.refused","N0001","ok","on=2026-11-20"' "$(cat "$T_TMP/audit.csv")"
t_lacks "refused: the reason is not in the audit log" "提供を拒否" "$(cat "$T_TMP/audit.csv")"

# A dependant leaves the 扶養.
out=$(as clerk employee left E0001 --dependent "見本 太郎" --on 2026-12-24 2>&1)
t_contains "left: a day in the future" "--on: this date is in the future" "$out"
out=$(as clerk employee left E0001 --dependent "見本 太郎" --on 2003-12-31 2>&1)
t_contains "left: before the birth" "--on: the day the dependant left is before their birth date" "$out"
out=$(as clerk employee left E0001 --dependent "見本 次郎" --on 2026-03-31 2>&1)
t_contains "left: no such dependant" "no such employee, or no dependant of that name" "$out"
out=$(as clerk employee left E0001 --dependent "見本太郎" --on R8.3.31 2>&1)
t_contains "left: recorded (spaces in the name ignored)" "Recorded: 見本太郎 left the 扶養 on 2026-03-31." "$out"
out=$(as clerk retention explain E0001 2>&1)
t_contains "left: the retention event ends the declaration's need" "need ended: left the employee's dependants (扶養) on 2026-03-31" "$out"
t_contains "left: kept until 7 years after the next 10 January" "kept until: 2034-01-10" "$out"
as clerk employee show E0001 > "$T_TMP/show.out" 2>&1
t_golden "show: the record (en)" "$exp/employee-show.exp" "$T_TMP/show.out"
LANG=ja_JP.UTF-8 as clerk employee show E0001 > "$T_TMP/show-ja.out" 2>&1
t_golden "show: the record (ja)" "$exp/employee-show-ja.exp" "$T_TMP/show-ja.out"
t_contains "show: how long after the check the purpose was notified" "Deduction declarations (2025-05-10, 12 days after the ID check)" "$(cat "$T_TMP/show.out")"
out=$(as clerk employee left E0001 --dependent "見本 太郎" --undo 2>&1)
t_contains "left --undo: a dependant again" "Recorded: 見本 太郎 is a dependant again." "$out"
t_lacks "left --undo: the record says nothing more" "left the 扶養" "$(as clerk employee show E0001 2>&1)"
LANG=ja_JP.UTF-8 as clerk employee list --retired > "$T_TMP/list-ja.out" 2>&1
t_golden "list (ja)" "$exp/employee-list-ja.exp" "$T_TMP/list-ja.out"
t_status "show: an unknown code" 1 as clerk employee show NOPE
t_status "show: the administrator may not see persons" 1 as admin employee show E0001
t_eq "no number printed" "" "$(cat "$T_TMP"/*.out | valid_numbers_in /dev/stdin)"
t_done
