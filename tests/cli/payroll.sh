#!/usr/bin/env bash
# `mnvault payroll import|show|list`: the sample file on the demo vault, a bad file (every
# error named with its line and column; nothing stored), all or nothing with one bad row
# among good ones, Shift_JIS, --dry-run, roles, the audit entries (counts, never a figure).
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
pay() { printf '%s\n' "$PW" | "$MNV_TEST" payroll --data-dir "$dir" --user "${USER_AS:-clerk}" --password-fd 0 "$@"; }
sample=$MNV_ROOT/data/payroll-sample.csv

out=$("$MNV" payroll --help)
t_contains "help: names the columns" "after_deduction" "$out"
t_contains "help: Japanese header names too" "源泉徴収税額" "$out"
t_status "no year: usage error" 2 pay import "$sample"
t_status "a year out of range: usage error" 2 pay import --year 1999 "$sample"
t_status "no verb: usage error" 2 pay
t_status "missing file: input/output error" 2 pay import --year 2025 "$T_TMP/none.csv"

# The demo vault already holds figures of 2025 (mnvault demo imports them).
out=$(pay list --year 2025); rc=$?
t_eq "list: exit 0" 0 "$rc"
t_contains "list: the demo's figures" "E000002" "$out"
t_contains "list: counted" "have figures for 2025" "$out"

# The sample file (Japanese headers, quoted amounts with commas) replaces them for 5 people.
out=$(pay import --year 2025 "$sample" 2>&1); rc=$?
t_eq "sample: exit 0" 0 "$rc"
t_contains "sample: 5 employees" "employees:   5 (of them replacing figures stored before: 5)" "$out"
t_contains "sample: 5 dependants" "dependants:  5" "$out"
out=$(pay show E000004 --year 2025)
t_contains "show: the amount, grouped" "6,987,000" "$out"
t_contains "show: housing loan balance" "12,000,000" "$out"
t_contains "show: the spouse's category" "Spouse (deduction)" "$out"
t_contains "show: a non-resident dependant" "non-resident" "$(pay show E000003 --year 2025)"
out=$(LANG=ja_JP.UTF-8 pay show E000004)
t_contains "show (ja): Japanese labels" "支払金額" "$out"
t_contains "show (ja): the newest year by default" "2025" "$out"
t_status "show: unknown code" 1 pay show NOBODY
t_status "show: a year without figures" 1 pay show E000004 --year 2020

# A file with every kind of error: each named with its line and column; nothing stored.
cat > "$T_TMP/bad.csv" <<'CSV'
社員番号,氏名,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,源泉徴収税額,乙欄,退職日,提出先市町村コード
E000001,仮名 芽依,,,,2500000,xx,,,141003
E000002,別人,,,,5000000,1000,maybe,2024-03-31,01100
E000003,,試験 蓮,1994-02-05,控除対象配偶者,,,,,
E000003,,試験 誰か,1994-02-04,控除対象配偶者,,,,,
E000003,,試験 由美,2024-09-20,控除対象配偶者,,,,,
E000003,,試験 太郎,2018-03-05,特定扶養親族,,,,,
E999999,,,,,100,,,,
E000004,,雛形 由美,1967-09-12,,100,,,,
E000001,,,,,1,,,,
CSV
pay import --year 2026 "$T_TMP/bad.csv" > "$T_TMP/bad.out" 2> "$T_TMP/bad.err"; rc=$?
t_eq "bad file: exit 1" 1 "$rc"
t_golden "bad file: every problem with line and column" "$MNV_ROOT/tests/cli/exp/payroll-bad.exp" "$T_TMP/bad.err"
t_status "bad file: nothing of 2026 was stored" 1 pay list --year 2026
LANG=ja_JP.UTF-8 pay import --year 2026 "$T_TMP/bad.csv" 2> "$T_TMP/bad-ja.err" >/dev/null
t_golden "bad file (ja): the same in Japanese" "$MNV_ROOT/tests/cli/exp/payroll-bad-ja.exp" "$T_TMP/bad-ja.err"

# One bad row among good ones: the good ones are not stored either.
{ sed 's/^E000001,仮名 芽依,,,,,,給料・賞与,2400000,/E000001,仮名 芽依,,,,,,給料・賞与,2400001,/' "$sample"
  printf 'E000003,,試験 次郎,2022-07-22,特定扶養親族,,,,,,,,,,,,,,,,,,,,,,,,,\r\n'; } > "$T_TMP/one-bad.csv"
pay import --year 2025 "$T_TMP/one-bad.csv" > /dev/null 2> "$T_TMP/one-bad.err"; rc=$?
t_eq "one bad row: exit 1" 1 "$rc"
t_eq "one bad row: only it is listed" 1 "$(grep -c '^line ' "$T_TMP/one-bad.err")"
t_contains "one bad row: its line and column" "line 12, column 5 (控除区分)" "$(cat "$T_TMP/one-bad.err")"
t_contains "one bad row: why (the age)" "(age 3)" "$(cat "$T_TMP/one-bad.err")"
t_contains "one bad row: the good rows were not stored" "2,400,000" "$(pay show E000001)"

# --dry-run checks and stores nothing; Shift_JIS is read.
iconv -f UTF-8 -t CP932 "$T_TMP/one-bad.csv" | head -n 11 > "$T_TMP/sjis.csv"
out=$(pay import --year 2025 --dry-run "$T_TMP/sjis.csv" 2>&1); rc=$?
t_eq "dry run (Shift_JIS): exit 0" 0 "$rc"
t_contains "dry run: the encoding named" "Shift_JIS (CP932)" "$out"
t_contains "dry run: nothing stored" "2,400,000" "$(pay show E000001)"
out=$(pay import --year 2025 "$T_TMP/sjis.csv" 2>&1)
t_contains "Shift_JIS: imported" "employees:   5 (of them replacing figures stored before: 5)" "$out"
t_contains "Shift_JIS: the new amount" "2,400,001" "$(pay show E000001)"

# Roles.
USER_AS=auditor pay import --year 2025 "$sample" > /dev/null 2> "$T_TMP/aud.err"; rc=$?
t_eq "auditor: import refused" 1 "$rc"
t_contains "auditor: the role is the reason" "your role does not allow this" "$(cat "$T_TMP/aud.err")"
USER_AS=auditor pay show E000004 > /dev/null 2>&1; rc=$?
t_eq "auditor: may not see the figures" 1 "$rc"
USER_AS=admin pay list --year 2025 > /dev/null 2>&1; rc=$?
t_eq "admin: may not see the figures" 1 "$rc"

# The audit log: one entry per import with counts; refusals too; never a figure.
printf '%s\n' "$PW" | "$MNV_TEST" audit export --format csv --data-dir "$dir" --user auditor --password-fd 0 > "$T_TMP/audit.csv" 2>&1
t_eq "audit: imports recorded (demo, sample, Shift_JIS)" 3 "$(grep -c '"payroll.import","","ok"' "$T_TMP/audit.csv")"
t_eq "audit: refusals recorded (two bad files, one bad row)" 3 "$(grep -c '"payroll.import","","refused"' "$T_TMP/audit.csv")"
t_lacks "audit: no amount" "6987000" "$(cat "$T_TMP/audit.csv")"
t_done
