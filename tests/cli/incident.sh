#!/usr/bin/env bash
# `mnvault incident`: a lost backup and a misdirected export copy of a demo vault the test
# knows (3 employees): what each held, whether it must be reported, the report shown and
# written as CSV and PDF (golden text in English and Japanese), who may record and read,
# the audit entries, and the usage errors.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in
. "$MNV_ROOT/tests/lib/pdf.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
exp=$MNV_ROOT/tests/cli/exp
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 3 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
as supervisor backup "$T_TMP/usb.mnvbak" > "$T_TMP/b.out" 2>&1 \
    || t_bail "backup: $(cat "$T_TMP/b.out")"
as clerk export gensen --year 2025 --copy tax --out "$T_TMP/tax.pdf" --skip-missing > "$T_TMP/x.out" 2>&1 \
    || t_bail "export: $(cat "$T_TMP/x.out")"
# The paths differ per run: the golden files hold FILE.
golden() { sed -e "s|$T_TMP|FILE|g" "$2" > "$2.g"; t_golden "$1" "$exp/$3" "$2.g"; }

out=$("$MNV" incident --help)
t_contains "help" "mnvault incident new (--export ID | --backup ID | --device) --event EVENT" "$out"
t_status "no subcommand: usage" 2 "$MNV_TEST" incident --data-dir "$dir"
t_status "new without a file: usage" 2 "$MNV_TEST" incident new --event lost --data-dir "$dir"
t_status "new without an event: usage" 2 "$MNV_TEST" incident new --backup 1 --data-dir "$dir"
t_status "two files: usage" 2 "$MNV_TEST" incident new --backup 1 --device --event lost --data-dir "$dir"
t_status "an unknown event: usage" 2 "$MNV_TEST" incident new --backup 1 --event misplaced --data-dir "$dir"
t_status "two registers: usage" 2 "$MNV_TEST" incident new --backup 1 --export 2 --event lost --data-dir "$dir"
t_status "malicious and not: usage" 2 "$MNV_TEST" incident new --device --event lost --malicious --not-malicious --data-dir "$dir"
t_status "an entry number that is not one: usage" 2 "$MNV_TEST" incident held --backup 1x --data-dir "$dir"
t_status "list with an event: usage" 2 "$MNV_TEST" incident list --event lost --data-dir "$dir"
t_status "an unknown option: usage" 2 "$MNV_TEST" incident list --bogus --data-dir "$dir"

as clerk incident held --backup 1 > "$T_TMP/held.out" 2>&1
golden "held: what the backup held" "$T_TMP/held.out" incident-held.exp
t_eq "held records nothing" "no incident recorded" "$(as auditor incident list)"
t_status "a backup not in the register" 1 as clerk incident held --backup 9
t_status "an auditor may not record" 1 as auditor incident new --device --event lost
t_status "an administrator may not record" 1 as admin incident new --device --event lost
t_status "a day in the future" 1 as clerk incident new --backup 1 --event lost --known 2026-12-24
t_status "a note holding a number: refused" 1 as clerk incident new --backup 1 --event lost --note "number 1234 5678 9018"
t_eq "nothing recorded by the refusals" "no incident recorded" "$(as auditor incident list)"

as clerk incident new --backup 1 --event lost --known 2026-11-30 --note "USB stick lost on the train" \
    > "$T_TMP/new1.out" 2>&1
t_eq "lost backup: exit 0" 0 "$?"
golden "lost backup: what it held, not to be reported (encrypted)" "$T_TMP/new1.out" incident-new-backup.exp
as clerk incident new --export 1 --event missent --key-exposed > "$T_TMP/new2.out" 2>&1
t_contains "misdirected plain copy of 1 person: no report" "Not required (none of the cases" "$(cat "$T_TMP/new2.out")"
as supervisor incident new --device --event stolen --known 2026-12-01 > "$T_TMP/new3.out" 2>&1
t_contains "stolen device: excluded by encryption" "Not required: strongly encrypted and its key not exposed" "$(cat "$T_TMP/new3.out")"
as supervisor incident new --export 1 --event public > "$T_TMP/new4.out" 2>&1
t_contains "public plain copy: must be reported" "MUST BE REPORTED" "$(cat "$T_TMP/new4.out")"
t_contains "public: the deadlines" "by 2026-12-06; final report (確報) within 30 days of 2026-12-01: by 2026-12-31" "$(cat "$T_TMP/new4.out")"

as auditor incident list > "$T_TMP/list.out" 2>&1
golden "list" "$T_TMP/list.out" incident-list.exp
LANG=ja_JP.UTF-8 as auditor incident show 4 > "$T_TMP/show-ja.out" 2>&1
golden "show (ja)" "$T_TMP/show-ja.out" incident-show-ja.exp
t_status "show: not a number" 2 as auditor incident show x
t_status "show: none such" 1 as auditor incident show 99

out=$(as auditor incident report 4 "$T_TMP/r.csv" 2>&1)
t_contains "csv: written" "incident report written to $T_TMP/r.csv" "$out"
t_eq "csv: mode 0600" 600 "$(stat -c %a "$T_TMP/r.csv")"
t_contains "csv: the verdict row" '"verdict","Must it be reported?","MUST BE REPORTED' "$(cat "$T_TMP/r.csv")"
t_contains "csv: the persons row" '"persons","3. Number of persons (本人の数)","1 persons whose My Number it held' "$(cat "$T_TMP/r.csv")"
LANG=ja_JP.UTF-8 as clerk incident report 4 "$T_TMP/r.pdf" > /dev/null 2>&1
t_eq "pdf: mode 0600" 600 "$(stat -c %a "$T_TMP/r.pdf")"
text=$(pdf_text "$T_TMP/r.pdf")
t_contains "pdf: the title" "個人情報保護委員会" "$text"
t_contains "pdf: the verdict" "報告が必要" "$text"
t_contains "pdf: the demo mark" "見本" "$text"
out=$(as auditor audit list --action incident.)
# 4 recorded + the auditor's and the administrator's refusals; 2 reports written
t_eq "audit: records, refusals, reports" "6 2" "$(printf '%s\n' "$out" | grep -c ' incident recorded ') $(printf '%s\n' "$out" | grep -c ' incident report written ')"
t_contains "audit: the subject in words" "incident recorded  incident 4  ok" "$out"
t_done
