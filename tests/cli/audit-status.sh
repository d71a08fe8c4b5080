#!/usr/bin/env bash
# `mnvault audit status`: the three lines the audit screen (F8) shows, read from the vault
# as it is — a fresh vault (never verified, sealed from entry 1, no checkpoint), after a
# checkpoint and a check with the seal key (all hold), and after an insider rewrote an
# entry with their own code (tests/tools/attack-audit): the seal check fails and status
# says so with exit 1. Who may ask: not a clerk.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
export MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo
D=$T_TMP/d
out=$(printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$D" \
    --org 'テスト株式会社' --address '東京都千代田区1-1' --corporate-number "$V_CORP" \
    --admin admin --supervisor sup --password-fd 0) || t_bail "cannot make a vault"
key=$(printf '%s\n' "$out" | grep -oE 'S[0-9]+(-[0-9a-f]{4}){17}' | tail -n 1)
v_add_user "$D" clerk clerk "$V_CLERK_PW" && v_add_user "$D" aud auditor "$V_AUD_PW" ||
    t_bail "cannot add users"
status() { v_as "$D" aud "$V_AUD_PW" audit status 2>&1; }

out=$(status); rc=$?
t_eq "fresh: exit 0" 0 "$rc"
t_contains "fresh: never verified" "Chain: never verified" "$out"
t_contains "fresh: sealed from entry 1, not checked with the key" "Seals: entries 1–" "$out"
t_contains "... never checked with the seal key" "never checked with the seal key" "$out"
t_contains "fresh: no checkpoint" "Checkpoint: none taken yet" "$out"
t_eq "three lines" 3 "$(printf '%s\n' "$out" | wc -l)"

v_as "$D" aud "$V_AUD_PW" audit checkpoint --output "$T_TMP/cp" >/dev/null || t_bail "checkpoint"
cpseq=$(sed -n 's/^seq //p' "$T_TMP/cp")
v_as "$D" aud "$V_AUD_PW\n$key" audit verify --seal-key >/dev/null 2>&1 || t_bail "verify"
out=$(status); rc=$?
t_eq "after verify: exit 0" 0 "$rc"
t_contains "the chain verified, intact" "Chain: verified 2026-12-01 10:00, intact" "$out"
t_contains "the seal key check, all hold" "seal key check 2026-12-01 10:00: all hold" "$out"
t_contains "the checkpoint's entry, time and user" "Checkpoint: entry $cpseq, taken 2026-12-01 10:00 by aud" "$out"
out=$(LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= status)
t_contains "(ja) the checkpoint" "チェックポイント" "$out"
t_contains "(ja) the seals" "封印" "$out"

printf '%s\n%s\n' "$V_ADMIN_PW" "$key" | "$MNV_TOOLS/attack-audit" rewrite "$D" admin 3 >/dev/null 2>&1
v_as "$D" aud "$V_AUD_PW\n$key" audit verify --seal-key >/dev/null 2>&1
out=$(status); rc=$?
t_eq "after a rewritten entry: exit 1" 1 "$rc"
t_contains "... a seal failed" "a seal FAILED" "$out"

out=$(v_as "$D" clerk "$V_CLERK_PW" audit status 2>&1); rc=$?
t_eq "a clerk may not ask" 1 "$rc"
t_status "status takes no argument" 2 "$MNV_TEST" audit status 3 --data-dir "$D"
t_done
