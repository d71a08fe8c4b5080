#!/usr/bin/env bash
# `mnvault insurance facts|show|set|import` and the office settings: the sample file on the
# demo vault, a bad file (every problem named with its line and column; nothing stored), a
# fact out of scope or out of order, Shift_JIS, --dry-run, roles, and the audit entries
# (names of facts and counts, never a value).
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
ins() { printf '%s\n' "$PW" | "$MNV_TEST" insurance --data-dir "$dir" --user "${USER_AS:-clerk}" --password-fd 0 "$@"; }
sample=$MNV_ROOT/data/insurance-sample.csv

out=$("$MNV" insurance --help)
t_contains "help: the verbs" "import [--dry-run] FILE.csv" "$out"
out=$("$MNV" insurance facts)
t_contains "facts: the keys" "shaho.acquired_on" "$out"
t_contains "facts: the Japanese columns" "雇用保険資格取得年月日" "$out"
t_contains "facts: the words a choice takes" "retirement" "$out"
t_status "no verb: usage error" 2 ins
t_status "set without a fact: usage error" 2 ins set E000001
t_status "a value without KEY=: usage error" 2 ins set E000001 R7.4.1

# Setting and reading one employee's facts.
t_ok "set: dates in 和暦, amounts with commas, a choice in Japanese" \
    ins set E000001 shaho.acquired_on=R7.4.1 'shaho.pay_cash=２８０，０００' koyo.occupation=事務的職業
out=$(ins show E000001)
t_contains "show: the date" "2025-04-01" "$out"
t_contains "show: the amount, grouped" "280,000" "$out"
t_contains "show: the choice's label" "clerical" "$out"
out=$(LANG=ja_JP.UTF-8 ins show E000001)
t_contains "show (ja): the era beside the date" "令和7年4月1日" "$out"
out=$(ins set E000001 shaho.lost_on=2025-03-31 2>&1); rc=$?
t_eq "a loss before the acquisition: refused" 1 "$rc"
t_contains "...saying why" "lies before" "$out"
out=$(ins set E000001 fuyo.since=2025-04-01 2>&1); rc=$?
t_eq "a dependant's fact on an employee: refused" 1 "$rc"
t_status "unknown fact: refused" 1 ins set E000001 shaho.salary=1
t_status "unknown employee: refused" 1 ins set NOBODY shaho.pay_cash=1
out=$(ins set E000003 --dependent '試験 蓮' fuyo.category3=はい fuyo.living=同居)
t_contains "a dependant picked by name" "2 facts changed" "$out"
t_status "a child is not category 3" 1 ins set E000003 --dependent '試験 次郎' fuyo.category3=1
t_status "an unknown dependant: refused" 1 ins set E000003 --dependent '誰か' fuyo.living=同居

# The sample file: Japanese headers, quoted amounts, dependants by name and birth date.
out=$(ins import --dry-run "$sample"); rc=$?
t_eq "sample --dry-run: exit 0" 0 "$rc"
t_contains "...nothing stored" "Nothing was stored" "$out"
t_lacks "...really" "320,000" "$(ins show E000003)"
out=$(ins import "$sample"); rc=$?
t_eq "sample: exit 0" 0 "$rc"
t_contains "sample: 2 employees" "employees:   2" "$out"
t_contains "sample: 2 dependants" "dependants:  2" "$out"
t_contains "sample: stored" "320,000" "$(ins show E000003)"
iconv -f UTF-8 -t CP932 "$sample" > "$T_TMP/sjis.csv"
out=$(ins import "$T_TMP/sjis.csv")
t_contains "the same file in Shift_JIS" "Shift_JIS" "$out"

# A file with every kind of problem: each named with its line and column; nothing stored.
cat > "$T_TMP/bad.csv" <<'CSV'
社員番号,扶養親族氏名,扶養親族生年月日,報酬月額通貨,健保厚年喪失原因,第3号被保険者,被扶養者になった日
E000001,,,"1,234,5678",,,
E999999,,,100,,,
E000002,,,100,飽きた,,
E000003,試験 次郎,2022-07-22,,,1,
E000003,誰か,2022-07-22,,,,
E000003,試験 蓮,1994-02-04,,,,2025-13-01
E000002,,,200,,,
CSV
ins import "$T_TMP/bad.csv" > "$T_TMP/bad.out" 2> "$T_TMP/bad.err"; rc=$?
t_eq "bad file: exit 1" 1 "$rc"
t_golden "bad file: every problem with line and column" "$MNV_ROOT/tests/cli/exp/insurance-bad.exp" "$T_TMP/bad.err"
t_contains "bad file: the amount of a good row was not stored" "280,000" "$(ins show E000001)"
LANG=ja_JP.UTF-8 ins import "$T_TMP/bad.csv" > /dev/null 2> "$T_TMP/bad-ja.err"
t_golden "bad file (ja)" "$MNV_ROOT/tests/cli/exp/insurance-bad-ja.exp" "$T_TMP/bad-ja.err"
printf 'employee_code,salary\nE000001,1\n' > "$T_TMP/col.csv"
out=$(ins import "$T_TMP/col.csv" 2>&1); rc=$?
t_eq "an unknown column: refused" 1 "$rc"
t_contains "...named" "'salary'" "$out"

# Roles: the auditor reads no facts; the administrator changes none.
out=$(USER_AS=auditor ins show E000001 2>&1); rc=$?
t_eq "auditor: show refused" 1 "$rc"
t_status "admin: set refused" 1 env USER_AS=admin bash -c "printf '%s\n' '$PW' | '$MNV_TEST' insurance --data-dir '$dir' --user admin --password-fd 0 set E000001 shaho.pay_cash=1"

# The office's settings for the insurance forms.
emp() { printf '%s\n' "$PW" | "$MNV_TEST" export employer --data-dir "$dir" --user clerk --password-fd 0 "$@"; }
out=$(emp insurance_symbol=０１－アイウ insurance_prefecture=東京 koyo_number=13011234567 \
        insurance_postal=1000001 insurance_number=12345)
t_contains "office: the symbol normalised" "01-アイウ" "$out"
t_contains "office: the prefecture in full" "東京都" "$out"
t_contains "office: 雇用保険 number in 4-6-1" "1301-123456-7" "$out"
t_contains "office: postal code" "100-0001" "$out"
t_status "office: a prefecture that is none" 1 emp insurance_prefecture=東京県
t_status "office: a symbol without its district" 1 emp insurance_symbol=アイウ
t_status "office: a number with letters" 1 emp insurance_number=12A

# The audit log: names of facts and counts, never a value.
out=$(printf '%s\n' "$PW" | "$MNV_TEST" audit export --format csv --data-dir "$dir" --user supervisor --password-fd 0)
t_contains "audit: the facts changed" "keys=shaho.acquired_on,shaho.pay_cash,koyo.occupation" "$out"
t_contains "audit: the import's counts" "rows=4 employees=2 dependants=2" "$out"
t_contains "audit: the refused import" "problems=7" "$out"
t_lacks "audit: no amount" "280000" "$out"
t_lacks "audit: no choice" "clerical" "$out"
t_done
