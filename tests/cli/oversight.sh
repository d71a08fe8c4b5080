#!/usr/bin/env bash
# `mnvault audit list|show|export` through a filter, and `mnvault review report|sign|status`,
# with a fixed clock: who may read and sign, the filters alone and together (person with a
# dependant and the export that held them), one entry's details, the filtered CSV and its
# own entry, the report of December (English and Japanese, golden), the signature over the
# digest the report printed, and the status exit code a cron reminder uses. No number ever.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in

PW="correct horse battery staple"
dir=$T_TMP/vault
exp=$MNV_ROOT/tests/cli/exp
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }

cat > "$T_TMP/people.csv" <<'CSV'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
A0001,見本 一郎,ミホン イチロウ,1970-06-15,M,1990-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,2016-01-06,tax_withholding;social_insurance,
A0001,,ミホン ハナコ,1972-08-08,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2016-01-06,tax_withholding,
A0002,試験 二美,シケン フタミ,1980-01-20,F,2001-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2016-01-04,tax_withholding,
CSV
as clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
reveal() { printf '%s\n' "$PW" | "$MNV_TOOLS/vaulttool" reveal "$dir" "$1" "$2" "$3" "$4" >/dev/null; }
reveal clerk employee:1 tax_withholding "年末調整の確認" || t_bail "reveal 1"
reveal clerk dependent:1 tax_withholding "扶養控除の確認" || t_bail "reveal dependant"
reveal supervisor employee:2 tax_withholding "check" || t_bail "reveal 2"
as clerk audit list > /dev/null 2>&1 # refused: the clerk may not read the log

out=$("$MNV" audit --help)
t_contains "help: list" "mnvault audit list [FILTER…]" "$out"
t_contains "help: --person" "--person CODE" "$out"
t_status "list with a SEQ: usage" 2 "$MNV_TEST" audit list 3 --data-dir "$dir"
t_status "a limit of 0: usage" 2 "$MNV_TEST" audit list --limit 0 --data-dir "$dir"
t_status "a limit that is not a number: usage" 2 "$MNV_TEST" audit list --limit 5x --data-dir "$dir"
t_status "a negative before: usage" 2 "$MNV_TEST" audit list --before -3 --data-dir "$dir"
t_status "verify with a filter: usage" 2 "$MNV_TEST" audit verify --by clerk --data-dir "$dir"
t_status "show without SEQ: usage" 2 "$MNV_TEST" audit show --data-dir "$dir"
t_status "export without --format: usage" 2 "$MNV_TEST" audit export --data-dir "$dir"
t_status "--limit 0: usage" 2 "$MNV_TEST" audit list --limit 0 --data-dir "$dir"
t_status "list as a clerk: refused" 1 as clerk audit list
out=$(as auditor audit list --from 2026-13-01 2>&1); rc=$?
t_eq "a date that is no date: usage" 2 "$rc"
t_contains "a date that is no date: the option named" "--from: write a date of the period as 2026-11-01" "$out"
out=$(as auditor audit list --person Z9999 2>&1); rc=$?
t_eq "an unknown employee: usage" 2 "$rc"
t_contains "an unknown employee: named" "--person: no such employee or dependent" "$out"

as auditor audit list --action reveal > "$T_TMP/reveals.out" 2>&1
t_golden "list --action reveal" "$exp/audit-list-reveal.exp" "$T_TMP/reveals.out"
LANG=ja_JP.UTF-8 as auditor audit list --action reveal > "$T_TMP/reveals-ja.out" 2>&1
t_golden "list --action reveal (ja)" "$exp/audit-list-reveal-ja.exp" "$T_TMP/reveals-ja.out"
out=$(as auditor audit list --person A0001 --action reveal)
t_eq "person: the employee and the dependant" 2 "$(printf '%s\n' "$out" | wc -l)"
t_contains "person: the dependant as code and place" "A0001 dependent 1" "$out"
t_lacks "person: no internal id" "employee:" "$out"
out=$(as auditor audit list --by supervisor --action reveal)
t_eq "by and action together" 1 "$(printf '%s\n' "$out" | wc -l)"
t_contains "by and action: the supervisor's reveal" "A0002" "$out"
out=$(as auditor audit list --result denied)
t_contains "result denied: the clerk's refused read" "clerk  audit.read" "$out"
out=$(as auditor audit list --action user. --limit 2)
t_eq "an action prefix, --limit" 2 "$(printf '%s\n' "$out" | wc -l)"
out=$(as auditor audit list --to 2026-11-30)
t_eq "a period before the vault: nothing" "no entry matches" "$out"
first=$(as auditor audit list --limit 1 | awk '{print $1}')
older=$(as auditor audit list --before "$first" --limit 1 | awk '{print $1}')
t_eq "--before: the next page" "$((first - 1))" "$older"

seq=$(as auditor audit list --action reveal --by clerk --limit 1 | awk '{print $1}')
as auditor audit show "$seq" > "$T_TMP/show.out" 2>&1
sed -i "s/^entry .*/entry    N/" "$T_TMP/show.out"
t_golden "show: a reveal's purpose and reason" "$exp/audit-show.exp" "$T_TMP/show.out"
LANG=ja_JP.UTF-8 as auditor audit show "$seq" > "$T_TMP/show-ja.out" 2>&1
sed -i "1s/[0-9][0-9]*/N/" "$T_TMP/show-ja.out"
t_golden "show (ja)" "$exp/audit-show-ja.exp" "$T_TMP/show-ja.out"
t_status "show: no such entry" 1 as auditor audit show 99999

as auditor audit export --format csv --person A0001 --action reveal --output "$T_TMP/a.csv" 2>"$T_TMP/export.err"
t_eq "export: the file is private" 600 "$(stat -c %a "$T_TMP/a.csv")"
t_contains "export: said how many" "2 entries written" "$(cat "$T_TMP/export.err")"
t_eq "export: header and two rows" 3 "$(wc -l < "$T_TMP/a.csv")"
t_contains "export: the reason" '"reveal","A0001","ok","purpose=tax_withholding reason=年末調整の確認"' "$(cat "$T_TMP/a.csv")"
out=$(as auditor audit list --action audit.export --limit 1)
t_contains "export: audited with its filter" "action=reveal person=A0001" "$out"
t_status "export as the administrator: refused" 1 as admin audit export --format csv
as supervisor audit export --format csv > "$T_TMP/all.csv" 2>&1
t_contains "export to standard output: the whole log" '"vault.init"' "$(cat "$T_TMP/all.csv")"
t_eq "no number anywhere" "" "$(valid_numbers_in "$T_TMP/all.csv"; valid_numbers_in "$T_TMP/reveals.out"; valid_numbers_in "$T_TMP/show.out")"

# The monthly review: December read and signed in January.
export MNVAULT_TEST_NOW=2027-01-05T01:00:00
out=$("$MNV" review --help)
t_contains "review help" "mnvault review sign --month YYYY-MM --digest HEX" "$out"
t_status "review sign without --digest: usage" 2 "$MNV_TEST" review sign --month 2026-12 --data-dir "$dir"
t_status "review report --from without --to: usage" 2 "$MNV_TEST" review report --from 2026-12-01 --data-dir "$dir"
t_status "review report as a clerk: refused" 1 as clerk review report
as auditor review report > "$T_TMP/report.out" 2>&1
t_golden "review report: last month by default" "$exp/review-report.exp" "$T_TMP/report.out"
LANG=ja_JP.UTF-8 as auditor review report --month 2026-12 > "$T_TMP/report-ja.out" 2>&1
t_golden "review report (ja)" "$exp/review-report-ja.exp" "$T_TMP/report-ja.out"
t_eq "review report: no number" "" "$(valid_numbers_in "$T_TMP/report.out")"
as auditor review status > "$T_TMP/status.out" 2>&1; rc=$?
t_eq "status: exit 1 while December is not signed" 1 "$rc"
t_eq "status: December not signed" "2026-12  not signed" "$(cat "$T_TMP/status.out")"
digest=$(sed -n 's/^Digest: //p' "$T_TMP/report.out")
t_eq "the digest is 64 hex digits" 64 "${#digest}"
t_status "sign as an auditor: refused" 1 as auditor review sign --month 2026-12 --digest "$digest"
t_status "sign January before it is over: refused" 1 as supervisor review sign --month 2027-01 --digest "$digest"
out=$(as supervisor review sign --month 2026-12 --digest "$(printf "%064d" 0)" 2>&1)
t_contains "sign another digest: refused" "read the report again" "$out"
out=$(as supervisor review sign --month 2026-12 --digest "$digest" --note "年末の表示は源泉徴収票の準備" 2>&1); rc=$?
t_eq "sign: exit 0" 0 "$rc"
t_contains "sign: said so" "the review of 2026-12 is signed by supervisor" "$out"
out=$(as supervisor review sign --month 2026-12 --digest "$digest" 2>&1)
t_contains "sign twice: refused" "signed already" "$out"
as auditor review status > "$T_TMP/status.out" 2>&1; rc=$?
t_eq "status: exit 0 once signed" 0 "$rc"
t_contains "status: who signed" "2026-12  signed by supervisor on 2027-01-05 10:00" "$(cat "$T_TMP/status.out")"
out=$(as auditor review report --month 2026-12)
t_contains "report: the signature and the note" "Note: 年末の表示は源泉徴収票の準備" "$out"
out=$(as auditor audit list --action review.sign)
t_contains "the signature is in the log" "monthly review signed" "$out"
t_done
