#!/usr/bin/env bash
# `mnvault retention` and `mnvault dispose --due` with a fixed clock: the explanation of a
# household (English and Japanese, golden), the daily check (counts only, exit 1 when
# something is due, audited), holds by a supervisor only, the list, and a rules file that
# leaves a purpose without a rule.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in

PW="correct horse battery staple"
dir=$T_TMP/vault
exp=$MNV_ROOT/tests/cli/exp
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }

cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0001,見本 一郎,ミホン イチロウ,1930-06-15,M,1960-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0002,試験 二美,シケン フタミ,1960-01-20,F,2001-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2016-01-04,tax_declarations;social_insurance;employment_insurance,
R0002,,シケン タロウ,1958-08-08,M,,試験 太郎,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2016-01-04,tax_declarations,
C0003,架空 三郎,カクウ サブロウ,1978-11-03,M,2019-10-01,,,078984708075,self,in_person,,mynumber_card,人事 花子,2019-10-01,tax_withholding,
EOF
as clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
retire() { printf '%s\n' "$PW" | "$MNV_TOOLS/disposaltool" retire "$dir" clerk "$1" "$2"; }
retire R0001 1993-03-31 || t_bail "retire R0001"
retire R0002 2025-03-31 || t_bail "retire R0002"

out=$("$MNV" retention --help)
t_contains "help: explain" "retention explain EMPLOYEE_CODE" "$out"
t_status "no subcommand: usage" 2 "$MNV_TEST" retention --data-dir "$dir"
t_status "explain without a code: usage" 2 "$MNV_TEST" retention explain --data-dir "$dir"
t_status "hold without a review date: usage" 2 "$MNV_TEST" retention hold R0001 --reason x --data-dir "$dir"
t_status "list --state of an unknown state: usage" 2 "$MNV_TEST" retention list --state gone --data-dir "$dir"

# The explanation, every clock with its reason and basis.
as clerk retention explain R0002 > "$T_TMP/explain.out" 2>&1
t_golden "explain: a 2025 retiree and spouse" "$exp/retention-explain.exp" "$T_TMP/explain.out"
LANG=ja_JP.UTF-8 as clerk retention explain R0002 > "$T_TMP/explain-ja.out" 2>&1
t_golden "explain (ja)" "$exp/retention-explain-ja.exp" "$T_TMP/explain-ja.out"
out=$(as clerk retention explain R0001 2>&1)
t_contains "explain: a 1993 retiree is due" "DUE for disposal since 1994-02-01 (kept until 1994-01-31)." "$out"
out=$(as clerk retention explain C0003 2>&1)
t_contains "explain: a current employee is needed" "Needed: kept while the need lasts." "$out"
t_status "explain: unknown code" 1 as clerk retention explain NOPE
t_status "explain: the administrator may not see persons" 1 as admin retention explain R0001
t_eq "explain: no number printed" "" "$(valid_numbers_in "$T_TMP/explain.out"; valid_numbers_in "$T_TMP/explain-ja.out")"

# The daily check: counts only, exit 1 while something is due.
as auditor dispose --due > "$T_TMP/due.out" 2>"$T_TMP/due.err"; rc=$?
t_eq "dispose --due: exit 1 when something is due" 1 "$rc"
t_golden "dispose --due: the counts" "$exp/dispose-due.exp" "$T_TMP/due.out"
t_lacks "dispose --due: no employee code" "R0001" "$(cat "$T_TMP/due.out" "$T_TMP/due.err")"
t_lacks "dispose --due: no name" "見本" "$(cat "$T_TMP/due.out" "$T_TMP/due.err")"
t_status "dispose without --due: usage" 2 "$MNV_TEST" dispose --data-dir "$dir"

# The shipped samples run as written (binary, account and password file substituted).
printf '%s\n' "$PW" > "$T_TMP/kansa.pw"
sample() { # FILE PATTERN: the sample's command line, as the shell will run it
    sed -n "$2" "$MNV_ROOT/data/$1" | sed -e "s|/usr/local/bin/mnvault|$MNV_TEST|g" \
        -e "s|/etc/mnvault/kansa.pw|$T_TMP/kansa.pw|g" -e 's|--user kansa|--user auditor|g'
}
cron_cmd=$(sample mnvault-due.cron '/^30 7 /p' | cut -d' ' -f7- | sed 's/\\%/%/g')
unit_cmd=$(sample mnvault-due.service 's/^ExecStart=//p')
t_eq "samples: the cron line found" 1 "$(printf '%s\n' "$cron_cmd" | grep -c 'dispose --due')"
out=$(MNVAULT_DATA_DIR=$dir sh -c "$cron_cmd"); rc=$?
t_eq "cron sample: exit 0 (cron mails what it prints)" 0 "$rc"
t_contains "cron sample: prints the counts while numbers are due" "due for disposal: 1" "$out"
MNVAULT_DATA_DIR=$dir sh -c "$unit_cmd" > "$T_TMP/unit.out" 2>&1; rc=$?
t_eq "systemd sample: the unit fails while numbers are due" 1 "$rc"
if command -v systemd-analyze >/dev/null 2>&1; then
    cp "$MNV_ROOT/data/mnvault-due.service" "$MNV_ROOT/data/mnvault-due.timer" "$T_TMP/"
    out=$(cd "$T_TMP" && systemd-analyze verify --man=no mnvault-due.timer mnvault-due.service 2>&1 | grep -v 'hr-check\|/usr/local/bin/mnvault\|Failed to\|not executable')
    t_eq "systemd samples: systemd-analyze finds nothing else wrong" "" "$out"
fi

# Holds: a supervisor only, with a reason and a review date.
out=$(as clerk retention hold R0001 --reason "訴訟対応のため" --review 2027-03-01 2>&1); rc=$?
t_eq "hold as a clerk: refused" 1 "$rc"
t_contains "hold as a clerk: the role is the reason" "your role does not allow this" "$out"
out=$(as supervisor retention hold C0003 --reason "訴訟対応のため" --review 2027-03-01 2>&1)
t_contains "hold on a number not due: refused" "not past its retention period" "$out"
out=$(as supervisor retention hold R0001 --reason "番号 0944-8224-6340" --review 2027-03-01 2>&1)
t_contains "hold: a reason holding a number is refused" "must not contain a My Number" "$out"
out=$(as supervisor retention hold R0001 --reason "訴訟対応のため" --review 2028-03-01 2>&1)
t_contains "hold: review more than a year ahead refused" "at most one year ahead" "$out"
out=$(as supervisor retention hold R0001 --reason "訴訟対応のため" --review 2027-03-01 2>&1); rc=$?
t_eq "hold as a supervisor: exit 0" 0 "$rc"
t_contains "hold: said so" "held until 2027-03-01" "$out"
out=$(as supervisor retention hold R0002 --dependent "試験太郎" --reason "x" --review 2027-03-01 2>&1)
t_contains "hold a dependant by name (spaces ignored): not due" "not past its retention period" "$out"
out=$(as supervisor retention hold R0002 --dependent "誰か" --reason "x" --review 2027-03-01 2>&1)
t_contains "hold: an unknown dependant" "no such employee or dependent" "$out"
as auditor dispose --due > "$T_TMP/due2.out" 2>&1; rc=$?
t_eq "dispose --due: exit 0 when the only due number is held" 0 "$rc"
t_contains "dispose --due: the hold counted" "on hold: 1" "$(cat "$T_TMP/due2.out")"
out=$(MNVAULT_DATA_DIR=$dir sh -c "$cron_cmd"); rc=$?
t_eq "cron sample: silent when nothing is due" "0:" "$rc:$out"
out=$(as clerk retention holds 2>&1)
t_contains "holds: listed with reason and review date" "R0001 employee: review on 2027-03-01, placed by supervisor" "$out"
out=$(as clerk retention list --state held 2>&1)
t_eq "list --state held" "held     1994-01-31 R0001      employee" "$out"
out=$(as clerk retention list 2>&1)
t_eq "list: every number" 4 "$(printf '%s\n' "$out" | wc -l)"
MNVAULT_TEST_NOW=2027-03-02T01:00:00 as auditor dispose --due > /dev/null 2>&1; rc=$?
t_eq "dispose --due: due again after the review date" 1 "$rc"
t_ok "release as a supervisor" as supervisor retention release R0001
t_status "release again: nothing to release" 1 as supervisor retention release R0001
as auditor dispose --due > /dev/null 2>&1; rc=$?
t_eq "dispose --due: due again after the release" 1 "$rc"

# The audit log: the checks and the holds, no name and no number.
as auditor audit export --format csv > "$T_TMP/audit.csv" 2>&1
t_contains "audit: the daily check with its counts" '"disposal.due","","ok","due=1 held=0 no_rule=0 oldest=1994-02-01"' "$(cat "$T_TMP/audit.csv")"
t_contains "audit: the hold with its reason" '"retention.hold","R0001","ok","review=2027-03-01 reason=訴訟対応のため"' "$(cat "$T_TMP/audit.csv")"
t_contains "audit: the release" '"retention.release","R0001","ok"' "$(cat "$T_TMP/audit.csv")"
t_contains "audit: the clerk's refused hold" '"clerk","clerk","retention.hold"' "$(cat "$T_TMP/audit.csv")"
t_eq "audit: no number in the log" "" "$(valid_numbers_in "$T_TMP/audit.csv")"

# A rules file without a rule for one purpose is refused, naming the purpose.
mkdir -p "$T_TMP/share"
cp -r "$MNV_ROOT/data/." "$T_TMP/share/"
sed -i '/^\[koyo_hihokensha\]/,$d' "$T_TMP/share/retention.ini"
out=$(MNVAULT_SHAREDIR=$T_TMP/share as auditor dispose --due 2>&1); rc=$?
t_eq "rules without employment insurance: exit 1" 1 "$rc"
t_contains "rules without employment insurance: named" "employment_insurance: the retention rules (retention.ini) are wrong" "$out"
t_done
