#!/usr/bin/env bash
# mnvault init, user, audit and verify from the command line: what they print, their exit
# statuses, and that they refuse what they must.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00   # a Tuesday, 10:00 in Tokyo

# --- help and the command list
for c in init user audit verify; do
    t_status "$c --help exits 0" 0 "$MNV" "$c" --help
    t_contains "$c --help says how to use it" "Usage: mnvault $c" "$("$MNV" "$c" --help)"
done
t_contains "mnvault --help lists init" "  init " "$("$MNV" --help)"
t_contains "mnvault --help lists verify" "  verify " "$("$MNV" --help)"
t_contains "user --help in Japanese" "使い方" "$(LANG=ja_JP.UTF-8 "$MNV" user --help)"

# --- init
t_ok "init creates a vault" v_init "$V"
t_eq "the data folder is 0700" 700 "$(stat -c %a "$V")"
t_eq "vault.keys is 0600" 600 "$(stat -c %a "$V/vault.keys")"
t_eq "vault.db is 0600" 600 "$(stat -c %a "$V/vault.db")"
t_eq "nothing else is left behind" "vault.db vault.keys" "$(ls "$V" | tr '\n' ' ' | sed 's/ $//')"
before=$(sha256sum "$V"/vault.* | sha256sum)
out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$V" --org X \
      --address '' --corporate-number "$V_CORP" --admin a2 --supervisor s2 --password-fd 0 2>&1); rc=$?
t_eq "init refuses an existing vault (exit 1)" 1 "$rc"
t_contains "...and says so" "already exists" "$out"
t_eq "...and leaves it untouched" "$before" "$(sha256sum "$V"/vault.* | sha256sum)"
mkdir -m 700 "$T_TMP/half" && cp "$V/vault.db" "$T_TMP/half/"
out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$T_TMP/half" --org X \
      --address '' --corporate-number "$V_CORP" --admin a2 --supervisor s2 --password-fd 0 2>&1); rc=$?
t_eq "init refuses half a vault too (vault.db alone)" 1 "$rc"
out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$T_TMP/v2" \
      --org X --address '' --corporate-number 7000012050003 --admin a --supervisor s \
      --password-fd 0 2>&1); rc=$?
t_eq "init: a wrong corporate check digit is refused (exit 1)" 1 "$rc"
t_contains "...naming the field" "corporate_number" "$out"
t_eq "...and creates nothing" "" "$(ls "$T_TMP/v2" 2>/dev/null)"
out=$(printf '%s\n%s\n' "short" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$T_TMP/v3" --org X \
      --address '' --corporate-number "$V_CORP" --admin a --supervisor s --password-fd 0 2>&1); rc=$?
t_eq "init: a short password is refused" 1 "$rc"
t_contains "...saying why" "too short" "$out"
t_status "init without a terminal and without flags is a usage error" 2 \
    bash -c "\"$MNV_TEST\" init --data-dir '$T_TMP/v4' --password-fd 0 </dev/null"

# --- the production binary keeps the production Argon2id cost whatever the environment says
printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | MNVAULT_TEST_FAST_KDF=1 "$MNV" init \
    --data-dir "$T_TMP/prod" --org X --address '' --corporate-number "$V_CORP" --admin admin \
    --supervisor sup --password-fd 0 >/dev/null
slots=$("$MNV_TOOLS/vaulttool" slots "$T_TMP/prod")
t_eq "production slots: 2" 2 "$(echo "$slots" | wc -l)"
t_eq "production slots: >= 3 passes and >= 256 MiB (MODERATE)" "" \
    "$(echo "$slots" | awk '$2 < 3 || $3 < 268435456')"
t_eq "test build with MNVAULT_TEST_FAST_KDF: the minimum cost" "" \
    "$("$MNV_TOOLS/vaulttool" slots "$V" | awk '$3 > 8192')"

# --- users
otp=$(v_as "$V" admin "$V_ADMIN_PW" user add clerk --role clerk --display-name '山田 太郎' \
      --days mon-fri --hours 00:00-24:00 | grep -E '^[a-z0-9]{4}-')
t_eq "user add prints a one-time password" 1 "$(echo "$otp" | grep -cE '^[a-z2-9]{4}(-[a-z2-9]{4}){5}$')"
out=$(v_as "$V" clerk "$otp" user list 2>&1); rc=$?
t_eq "the one-time password must be changed first (exit 1)" 1 "$rc"
t_contains "...and says how" "mnvault user passwd" "$out"
out=$(v_as "$V" clerk "$otp\nshort" user passwd 2>&1); rc=$?
t_eq "passwd: a short password is refused" 1 "$rc"
out=$(v_as "$V" clerk "$otp\n$V_CLERK_PW" user passwd 2>&1); rc=$?
t_eq "passwd: the clerk chooses a password" 0 "$rc"
code=$(printf '%s\n' "$out" | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}')
t_contains "...and is shown the code to tell the approving supervisor" "tell the supervisor who approves you this code" "$out"
t_status "approve without the code is a usage error" 2 v_as "$V" sup "$V_SUP_PW" user approve clerk
t_status "approve with another code is refused" 1 v_as "$V" sup "$V_SUP_PW" user approve clerk --code 0000-0000-0000-0000
t_ok "a supervisor approves the new clerk with the code" v_as "$V" sup "$V_SUP_PW" user approve clerk --code "$(echo "$code" | tr 'A-Z' 'a-z')"
t_status "the one-time password no longer works" 1 v_as "$V" clerk "$otp" user list
out=$(v_as "$V" clerk "$V_CLERK_PW" user list 2>&1); rc=$?
t_eq "a clerk may not list users (exit 1)" 1 "$rc"
t_contains "...told in words" "your role does not allow this" "$out"
out=$(v_as "$V" clerk "$V_CLERK_PW" user add x --role admin 2>&1); rc=$?
t_eq "a clerk may not add users" 1 "$rc"
t_ok "admin adds an auditor" v_add_user "$V" aud auditor "$V_AUD_PW"
list=$(v_as "$V" admin "$V_ADMIN_PW" user list)
t_contains "user list: the clerk's window" "mon-fri any-time" "$(echo "$list" | grep '^clerk ')"
t_contains "user list: display names" "山田 太郎" "$list"
t_contains "user list: the auditor" "auditor" "$(echo "$list" | grep '^aud ')"
t_ok "user window" v_as "$V" admin "$V_ADMIN_PW" user window clerk --hours 09:00-18:00 --valid-until 2030-03-31
t_contains "user list shows the new window" "mon-fri 09:00-18:00 until 2030-03-31" \
    "$(v_as "$V" admin "$V_ADMIN_PW" user list | grep '^clerk ')"
t_status "user window: a bad day is a usage error" 2 v_as "$V" admin "$V_ADMIN_PW" user window clerk --days funday
t_ok "user disable" v_as "$V" admin "$V_ADMIN_PW" user disable clerk
out=$(v_as "$V" clerk "$V_CLERK_PW" verify 2>&1); rc=$?
t_eq "a disabled user cannot log in" 1 "$rc"
t_contains "...the key slot is gone: the password opens nothing" "wrong user name or password" "$out"
t_status "an admin cannot disable themself" 1 v_as "$V" admin "$V_ADMIN_PW" user disable admin
v_as "$V" admin "$V_ADMIN_PW" user enable clerk >"$T_TMP/enable.out"; rc=$?
t_eq "user enable" 0 "$rc"
otp=$(grep -E '^[a-z0-9]{4}-' "$T_TMP/enable.out")
t_contains "...gives a new one-time password" "One-time password for clerk" "$(cat "$T_TMP/enable.out")"
t_contains "...and says that a supervisor must approve the clerk" "user approve clerk --code" \
    "$(cat "$T_TMP/enable.out")"
t_status "a supervisor cannot approve before the clerk chose a password" 1 \
    v_as "$V" sup "$V_SUP_PW" user approve clerk --code 0000-0000-0000-0000
t_ok "...which the clerk changes" v_as "$V" clerk "$otp\n$V_CLERK_PW" user passwd
t_contains "user list: the clerk waits for approval" "waits for approval" \
    "$(v_as "$V" admin "$V_ADMIN_PW" user list | grep '^clerk ')"
code=$(v_code "$V" clerk "$V_CLERK_PW")
t_status "an administrator may not approve" 1 v_as "$V" admin "$V_ADMIN_PW" user approve clerk --code "$code"
t_ok "a supervisor approves" v_as "$V" sup "$V_SUP_PW" user approve clerk --code "$code"
t_lacks "user list: approved" "approval" "$(v_as "$V" admin "$V_ADMIN_PW" user list | grep '^clerk ')"
out=$(MNVAULT_TEST_NOW=2026-11-29T01:00:00 v_as "$V" clerk "$V_CLERK_PW" verify 2>&1)
t_contains "outside the window (a Sunday)" "may not sign in at this time" "$out"
out=$(MNVAULT_TEST_NOW=2026-12-01T13:00:00 v_as "$V" clerk "$V_CLERK_PW" verify 2>&1)
t_contains "outside the window (22:00 in Tokyo)" "may not sign in at this time" "$out"
otp=$(v_as "$V" admin "$V_ADMIN_PW" user reset clerk | grep -E '^[a-z0-9]{4}-')
t_status "after user reset the old password fails" 1 v_as "$V" clerk "$V_CLERK_PW" user passwd
t_ok "...and the new one-time password must be changed" \
    v_as "$V" clerk "$otp\nan entirely fresh secret phrase" user passwd
t_status "user: unknown command" 2 "$MNV_TEST" user fly --data-dir "$V"
t_status "user add without a name" 2 "$MNV_TEST" user add --data-dir "$V"

# --- TOTP through a pipe: the secret comes out, the code goes in
mkfifo "$T_TMP/in"
"$MNV_TEST" user totp --data-dir "$V" --user aud --password-fd 3 3<"$T_TMP/in" >"$T_TMP/totp.out" 2>&1 &
pid=$!
exec 4>"$T_TMP/in"
printf '%s\n' "$V_AUD_PW" >&4
for _ in $(seq 100); do grep -q '^Secret (base32): ' "$T_TMP/totp.out" && break; sleep 0.05; done
secret=$(sed -n 's/^Secret (base32): //p' "$T_TMP/totp.out")
t_eq "totp: a 160-bit secret in base32" 32 "${#secret}"
code=$(oathtool --totp -b "$secret" --now "2026-12-01 01:00:00 UTC")
printf '%s\n' "$code" >&4
exec 4>&-
wait "$pid"; rc=$?
t_eq "totp: enrolled with the app's code" 0 "$rc"
out=$(v_as "$V" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "a TOTP user without a code cannot log in" 1 "$rc"
out=$(v_as "$V" aud "$V_AUD_PW\n$code" audit verify 2>&1); rc=$?
t_eq "the enrolment code cannot be used again" 1 "$rc"
t_contains "...it is a replay" "already used" "$out"
code2=$(oathtool --totp -b "$secret" --now "2026-12-01 01:00:30 UTC")
out=$(MNVAULT_TEST_NOW=2026-12-01T01:00:30 v_as "$V" aud "$V_AUD_PW\n$code2" audit verify 2>&1); rc=$?
t_eq "password and the next code: logged in" 0 "$rc"

# --- audit
out=$(v_as "$V" sup "$V_SUP_PW" audit verify); rc=$?
t_eq "audit verify: exit 0 on an intact log" 0 "$rc"
t_contains "audit verify: says it reaches the anchor" "reaches the head recorded in the key file" "$out"
t_status "audit verify: a clerk may not" 1 v_as "$V" clerk "an entirely fresh secret phrase" audit verify
v_as "$V" sup "$V_SUP_PW" audit export --format csv > "$T_TMP/audit.csv"; rc=$?
t_eq "audit export: exit 0" 0 "$rc"
t_eq "audit export: the header" "seq,time,user,role,action,subject,result,detail" \
    "$(head -n 1 "$T_TMP/audit.csv" | tr -d '\r')"
t_contains "audit export: logins are there" '"login","sup","ok"' "$(cat "$T_TMP/audit.csv")"
t_contains "audit export: failed logins are there" '"login.failed"' "$(cat "$T_TMP/audit.csv")"
t_contains "audit export: denials are there" '"clerk","clerk","user.manage","x","denied"' "$(tr -d '\r' < "$T_TMP/audit.csv")"
t_eq "audit export: seq is 1, 2, 3 …" "" \
    "$(tail -n +2 "$T_TMP/audit.csv" | cut -d, -f1 | tr -d '"' | awk '$1 != NR')"
v_as "$V" sup "$V_SUP_PW" audit export --format csv --output "$T_TMP/out.csv"
t_eq "audit export --output: mode 0600" 600 "$(stat -c %a "$T_TMP/out.csv")"
t_status "audit export: only csv" 2 "$MNV_TEST" audit export --format json --data-dir "$V"
t_status "audit: no subcommand" 2 "$MNV_TEST" audit --data-dir "$V"
t_status "audit export: an auditor-less role (admin) may not" 1 \
    v_as "$V" admin "$V_ADMIN_PW" audit export --format csv

# --- verify
out=$(v_as "$V" sup "$V_SUP_PW" verify); rc=$?
t_eq "verify: exit 0 on an intact vault" 0 "$rc"
t_contains "verify: the key file" "ok       key file" "$out"
t_contains "verify: the pages" "ok       database pages and structure" "$out"
t_contains "verify: the conclusion" "The vault is intact." "$out"
t_status "verify: a clerk may not" 1 v_as "$V" clerk "an entirely fresh secret phrase" verify
t_status "verify: an argument is a usage error" 2 "$MNV_TEST" verify extra --data-dir "$V"
t_status "verify: no vault here" 1 v_as "$T_TMP/none" sup "$V_SUP_PW" verify
t_contains "verify: no vault here, in words" "there is no vault in this folder" \
    "$(v_as "$T_TMP/none" sup "$V_SUP_PW" verify 2>&1)"
out=$(LANG=ja_JP.UTF-8 v_as "$V" sup "wrong password here" verify 2>&1)
t_contains "a wrong password in Japanese" "ユーザー名またはパスワード" "$out"
t_done
