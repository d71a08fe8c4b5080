#!/usr/bin/env bash
# The sealed audit log (issue 11, finding 2): an insider with a password and their own code
# (tests/tools/attack-audit, linking libmnvault.a) rewrites an entry and re-hashes the
# chain, cuts the newest entries, or throws the sealing away and seals the log again under
# a key of their own; the chain and anchor then still verify, but the auditor's seal key
# (shown once by init) shows every one. A checkpoint kept by the auditor catches a cut log.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
A=$MNV_TOOLS/attack-audit
[ -x "$A" ] || t_bail "attack-audit is missing ($A)"
P=$T_TMP/pristine
out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$P" \
    --org 'テスト株式会社' --address '東京都千代田区1-1' --corporate-number "$V_CORP" \
    --admin admin --supervisor sup --password-fd 0) || t_bail "cannot make a vault"
KEY_RE='S[0-9]+(-[0-9a-f]{4}){17}'
key=$(printf '%s\n' "$out" | grep -oE "$KEY_RE" | tail -n 1)
t_eq "init shows the seal key, sealing from entry 1" 1 "$(printf '%s\n' "$out" | grep -cE 'S1(-[0-9a-f]{4}){17}')"
v_add_user "$P" clerk clerk "$V_CLERK_PW" && v_add_user "$P" aud auditor "$V_AUD_PW" ||
    t_bail "cannot add users"
fresh() { rm -rf "$T_TMP/d" && cp -a "$P" "$T_TMP/d"; }
aud_verify() { v_as "$T_TMP/d" aud "$V_AUD_PW\n$key" audit verify --seal-key "$@" 2>&1; }

fresh
out=$(aud_verify); rc=$?
t_eq "control: the untouched log verifies with the seal key" 0 "$rc"
t_contains "... every seal holds" "every seal holds" "$out"

# The key kept in vault.db is not the one shown: it moved on with every entry.
raw=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$T_TMP/d" sup)
kept=$(sqlcipher "$T_TMP/d/vault.db" <<SQL 2>/dev/null | tail -n 1
PRAGMA key = "$raw";
PRAGMA cipher_page_size = 4096;
SELECT lower(hex(key)) FROM audit_seal_state;
SQL
)
shown=$(printf '%s' "$key" | sed -E 's/^S[0-9]+-//; s/-[0-9a-f]{4}$//; s/-//g')
t_eq "the kept key is 32 bytes" 64 "${#kept}"
t_eq "... and not the seal key shown at init" 0 "$([ "$kept" = "$shown" ] && echo 1 || echo 0)"

# attack NAME ARG: play it as the administrator; it must fail, and the CLI must say so.
attack() {
    fresh
    out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$key" | "$A" "$1" "$T_TMP/d" admin "$2" 2>&1); rc=$?
    t_eq "$1: the attack fails (exit 1)" 1 "$rc"
    t_contains "... though the chain alone holds" "chain: OK" "$out"
    out=$(aud_verify); rc=$?
    t_eq "... audit verify --seal-key exits 1" 1 "$rc"
}
attack rewrite 3
t_contains "... naming entry 3" "entry 3: the entry was changed after it was sealed" "$out"
attack truncate 2
t_contains "... the seals do not fit" "seals: " "$out"
attack reseal 3
t_contains "... the auditor's key shows the new sealing" "entry 1: the entry was changed after it was sealed" "$out"

# A wrong seal key is a usage error, not a verdict.
fresh
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW\nS1-0000-1111" audit verify --seal-key 2>&1); rc=$?
t_eq "a mistyped seal key is refused" 1 "$rc"
t_contains "... as not a seal key" "not a seal key" "$out"

# Checkpoints: kept by the auditor; a log cut or rewritten after it is caught.
fresh
t_ok "an auditor writes a checkpoint" v_as "$T_TMP/d" aud "$V_AUD_PW" audit checkpoint --output "$T_TMP/cp"
t_eq "... a file of 8 lines" 8 "$(wc -l <"$T_TMP/cp")"
t_contains "... naming the vault, the entry and its seal" "seal " "$(cat "$T_TMP/cp")"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify --against "$T_TMP/cp" 2>&1); rc=$?
t_eq "verify --against the checkpoint: exit 0" 0 "$rc"
t_contains "... the log still holds it" "still holds it unchanged" "$out"
printf '%s\n%s\n' "$V_ADMIN_PW" "$key" | "$A" truncate "$T_TMP/d" admin 10 >/dev/null 2>&1
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify --against "$T_TMP/cp" 2>&1); rc=$?
t_eq "the log cut behind the checkpoint: exit 1" 1 "$rc"
t_contains "... the checkpoint says so" "checkpoint of entry" "$out"
sed 's/^seq \([0-9]*\)/seq 1\1/' "$T_TMP/cp" >"$T_TMP/cp2"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify --against "$T_TMP/cp2" 2>&1); rc=$?
t_eq "an edited checkpoint file is refused" 1 "$rc"
t_contains "... as edited" "was edited" "$out"
out=$(v_as "$T_TMP/d" clerk "$V_CLERK_PW" audit checkpoint 2>&1); rc=$?
t_eq "a clerk may not write a checkpoint" 1 "$rc"

# seal-start: only for a vault made before sealing; refused once sealed.
fresh
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit seal-start 2>&1); rc=$?
t_eq "seal-start on a sealed vault: refused" 1 "$rc"
t_contains "... it is sealed already" "sealed already" "$out"
U=$T_TMP/v1 && cp -a "$MNV_ROOT/tests/data/vault-v1" "$U"
export MNVAULT_TEST_NOW=2026-11-21T01:00:00
v_as "$U" sup "$V_SUP_PW" verify >/dev/null 2>&1 # the supervisor's sign-in upgrades it
out=$(v_as "$U" aud "$V_AUD_PW" audit verify 2>&1)
t_contains "an upgraded older vault: not sealed yet" "sealing: not started" "$out"
out=$(v_as "$U" aud "$V_AUD_PW" audit seal-start 2>&1); rc=$?
t_eq "... an auditor starts it" 0 "$rc"
key2=$(printf '%s\n' "$out" | grep -oE "$KEY_RE" | tail -n 1)
t_eq "... and is shown the key once" 1 "$(printf '%s\n' "$out" | grep -cE "$KEY_RE")"
v_as "$U" clerk "$V_CLERK_PW" audit verify >/dev/null 2>&1
out=$(v_as "$U" aud "$V_AUD_PW\n$key2" audit verify --seal-key 2>&1); rc=$?
t_eq "... later entries verify with it" 0 "$rc"
t_done
