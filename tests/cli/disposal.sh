#!/usr/bin/env bash
# `mnvault dispose` with four eyes, as a script would drive it: a clerk proposes the due
# numbers, a different supervisor approves (with a TOTP code again when enrolled) or
# rejects; the proposer never approves; the proposer withdraws; a proposal goes stale when
# a number's facts change under it; roles; the audit log. Fixed clock.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in

export MNVAULT_TEST_NOW=2026-12-01T01:00:00
V=$T_TMP/vault
exp=$MNV_ROOT/tests/cli/exp
v_full "$V" || t_bail "vault"
SUP2_PW='nine quiet herons at dusk'
v_add_user "$V" sup2 supervisor "$SUP2_PW" || t_bail "sup2"
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0001,見本 一郎,ミホン イチロウ,1930-06-15,M,1960-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0001,,ミホン ハナコ,1932-02-02,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,1992-01-06,tax_withholding,
R0003,試験 三郎,シケン サブロウ,1931-03-03,M,1961-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0004,架空 四郎,カクウ シロウ,1932-04-04,M,1962-04-01,,,078984708075,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0005,練習 五郎,レンシュウ ゴロウ,1933-05-05,M,1963-04-01,,,123456789018,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
C0006,見本 六子,ミホン ロクコ,1980-06-06,F,2010-04-01,,,987654321093,self,in_person,,mynumber_card,人事 花子,2010-04-01,tax_withholding,
EOF
v_as "$V" clerk "$V_CLERK_PW" import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 ||
    t_bail "import: $(cat "$T_TMP/import.out")"
for c in R0001 R0003 R0004 R0005; do
    printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/disposaltool" retire "$V" clerk $c 1993-03-31 ||
        t_bail "retire $c"
done
as() { local u=$1 pw=$2; shift 2; v_as "$V" "$u" "$pw" dispose "$@"; }
clerk() { as clerk "$V_CLERK_PW" "$@"; }
sup() { as sup "$V_SUP_PW" "$@"; }

t_contains "help: the verbs" "mnvault dispose approve ID --reason TEXT" "$("$MNV" dispose --help)"
t_status "propose without a choice: usage" 2 "$MNV_TEST" dispose propose --data-dir "$V"
t_status "approve without a reason: usage" 2 "$MNV_TEST" dispose approve 1 --data-dir "$V"
t_status "--due with a verb: usage" 2 "$MNV_TEST" dispose --due list --data-dir "$V"

# Proposing: due numbers only, each in one open proposal.
out=$(as aud "$V_AUD_PW" propose --all 2>&1); rc=$?
t_eq "the auditor may not propose" "1" "$rc"
t_contains "...the role is the reason" "your role does not allow this" "$out"
out=$(clerk propose C0006 2>&1); rc=$?
t_eq "a current employee's number is not due: refused" 1 "$rc"
t_contains "...said so, by code" "C0006: no number of this employee or their dependants is due" "$out"
out=$(clerk propose R0001 --note "年度末の削除" 2>&1); rc=$?
t_eq "propose R0001 (and the spouse): exit 0" 0 "$rc"
t_eq "...proposal 1 with both numbers" \
    "proposal 1: 2 numbers (employees 1, dependants 1), waiting for a supervisor's approval" "$out"
out=$(clerk propose R0001 2>&1)
t_contains "a number already proposed is not proposed again" "already in another proposal" "$out"
clerk show 1 > "$T_TMP/show.out" 2>&1
t_golden "show: the proposal with its persons" "$exp/dispose-show.exp" "$T_TMP/show.out"
LANG=ja_JP.UTF-8 clerk show 1 > "$T_TMP/show-ja.out" 2>&1
t_golden "show (ja)" "$exp/dispose-show-ja.exp" "$T_TMP/show-ja.out"
t_eq "show: no number printed" "" "$(valid_numbers_in "$T_TMP/show.out")"
out=$(clerk list 2>&1)
t_contains "list: waiting" "1  waiting for approval  proposed by clerk on 2026-12-01 10:00  2 numbers" "$out"

# Deciding: never the proposer, never a clerk, always a reason.
out=$(clerk approve 1 --reason "確認" 2>&1); rc=$?
t_eq "a clerk may not approve" 1 "$rc"
out=$(sup propose R0003 2>&1)
t_contains "the supervisor proposes R0003" "proposal 2:" "$out"
out=$(sup approve 2 --reason "確認済み" 2>&1); rc=$?
t_eq "the proposer may not approve: exit 1" 1 "$rc"
t_contains "...said so" "you made this proposal; a different supervisor must decide on it" "$out"
out=$(sup reject 2 --reason "no" 2>&1)
t_contains "...nor reject it" "a different supervisor must decide" "$out"
out=$(sup approve 1 --reason " " 2>&1)
t_contains "a reason is needed" "give a reason" "$out"
out=$(sup approve 1 --reason "保存期間経過を確認" 2>&1); rc=$?
t_eq "another supervisor approves: exit 0" 0 "$rc"
t_eq "...said so" "proposal 1: approved" "$out"
t_status "approved once only" 1 sup approve 1 --reason "again"

# sup2 has TOTP: approving needs a new code after the login's.
mkfifo "$T_TMP/in"
"$MNV_TEST" user totp --data-dir "$V" --user sup2 --password-fd 3 3<"$T_TMP/in" >"$T_TMP/totp.out" 2>&1 &
pid=$!
exec 4>"$T_TMP/in"
printf '%s\n' "$SUP2_PW" >&4
for _ in $(seq 100); do grep -q '^Secret (base32): ' "$T_TMP/totp.out" && break; sleep 0.05; done
secret=$(sed -n 's/^Secret (base32): //p' "$T_TMP/totp.out")
printf '%s\n' "$(oathtool --totp -b "$secret" --now "2026-12-01 00:59:30 UTC")" >&4
exec 4>&-
wait "$pid" || t_bail "totp enrolment: $(cat "$T_TMP/totp.out")"
# Each run signs in with a code of its own minute, so no code is used twice by accident.
code_at() { oathtool --totp -b "$secret" --now "2026-12-01 $1 UTC"; }
sup2() { # MINUTE APPROVAL_CODE ARGS...: as sup2 at 01:MM, the login's code, then the approval's
    local t="01:$1:00" extra=$2; shift 2
    MNVAULT_TEST_NOW="2026-12-01T$t" as sup2 "$SUP2_PW\n$(code_at "$t")$extra" "$@"
}
out=$(sup2 01 "" approve 2 --reason "確認" 2>&1); rc=$?
t_eq "TOTP user: no code for the approval, refused" 1 "$rc"
out=$(sup2 02 "\n$(code_at 01:02:00)" approve 2 --reason "確認" 2>&1)
t_contains "TOTP user: the login's code cannot approve" "already used" "$out"
wrong=$(printf '%06d' $(( (10#$(code_at 01:03:30) + 1) % 1000000 )))
out=$(sup2 03 "\n$wrong" approve 2 --reason "確認" 2>&1)
t_contains "TOTP user: a wrong code counts" "the confirmation code is wrong (4 attempts left" "$out"
out=$(clerk show 2 2>&1)
t_contains "...and nothing was approved" "waiting for approval" "$out"
out=$(sup2 04 "\n$(code_at 01:04:30)" approve 2 --reason "確認済み" 2>&1); rc=$?
t_eq "TOTP user with a new code: approved" "0:proposal 2: approved" "$rc:$out"

# A proposal goes stale when a number's facts change: here a hold placed after it.
out=$(clerk propose R0004 2>&1)
t_contains "proposal 3" "proposal 3:" "$out"
v_as "$V" sup "$V_SUP_PW" retention hold R0004 --reason "税務調査" --review 2027-03-01 >/dev/null ||
    t_fail "hold R0004"
out=$(clerk show 3 2>&1)
t_contains "show: stale before anyone tries" "STALE:" "$out"
out=$(sup approve 3 --reason "確認" 2>&1); rc=$?
t_eq "a stale proposal cannot be approved" 1 "$rc"
t_contains "...said so" "the facts of a number in this proposal changed" "$out"
t_contains "...and it is marked stale" "Proposal 3: stale" "$(clerk show 3 2>&1)"

# Withdrawal: the proposer only.
clerk propose R0005 > /dev/null 2>&1
t_status "a supervisor may not withdraw the clerk's proposal" 1 sup withdraw 4
t_eq "the proposer withdraws" "proposal 4: withdrawn" "$(clerk withdraw 4 2>&1)"
out=$(clerk propose R0005 2>&1)
t_contains "withdrawn: the number may be proposed again" "proposal 5:" "$out"
out=$(sup reject 5 --reason "対象者の確認中" 2>&1)
t_eq "reject with a reason" "proposal 5: rejected" "$out"
out=$(clerk list --all 2>&1)
t_eq "list --all: five proposals" 5 "$(printf '%s\n' "$out" | wc -l)"
t_contains "list --all: the rejection and who" "5  rejected  proposed by clerk" "$out"

# The audit log: every step, no number, no name.
v_as "$V" aud "$V_AUD_PW" audit export --format csv > "$T_TMP/audit.csv" 2>&1
a=$(cat "$T_TMP/audit.csv")
t_contains "audit: proposal" '"clerk","clerk","disposal.propose","proposal:1","ok","numbers=2 employees=1 dependants=1"' "$a"
t_contains "audit: approval with its reason" '"sup","supervisor","disposal.approve","proposal:1","ok","numbers=2 reason=保存期間経過を確認"' "$a"
t_contains "audit: the proposer's own approval refused" '"sup","supervisor","disposal.approve","proposal:2","refused","own_proposal"' "$a"
t_contains "audit: the wrong TOTP code" '"sup2","supervisor","disposal.approve","proposal:2","refused","totp"' "$a"
t_contains "audit: stale" '"disposal.stale","proposal:3","ok","number_record=' "$a"
t_contains "audit: withdrawn" '"disposal.withdraw","proposal:4","ok"' "$a"
t_contains "audit: rejected" '"disposal.reject","proposal:5","ok","reason=対象者の確認中"' "$a"
t_eq "audit: no number" "" "$(valid_numbers_in "$T_TMP/audit.csv")"
t_lacks "audit: no name" "見本" "$a"
t_done
