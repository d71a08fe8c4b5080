#!/usr/bin/env bash
# Demo vaults can never pass for real ones (#15 item 6): `mnvault demo` marks the vault for
# good (recorded in its first audit entry); every PDF made from it carries 見本 DEMO (the
# handling register here; filings and certificates go through the same drawing layer); a
# demo vault's backup is restored only into a folder for a demo (`restore --demo`), a real
# vault's backup never so, and a refused restore leaves nothing behind.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"
command -v pdftotext >/dev/null || t_bail "pdftotext (poppler-utils) is missing: run make deps"
PW="correct horse battery staple"
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00
D=$T_TMP/demo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$D" --employees 2 --password-fd 0 > /dev/null 2>&1 ||
    t_bail "demo vault"
as() { local dir=$1 u=$2; shift 2; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
t_contains "the first entry says demo" "demo=yes" "$(as "$D" auditor audit show 1 2>&1 | sed -E 's/demo +yes/demo=yes/')"

# every PDF says so
as "$D" supervisor register "$T_TMP/demo-register.pdf" > /dev/null 2>&1 || t_bail "register (demo)"
# the mark is stamped diagonally on every page: one 見 per page beyond the organisation's name
marks() { echo $(( $(pdf_text "$1" | grep -o '見' | wc -l) - $(pdf_text "$1" | grep -o '見本商事' | wc -l) )); }
pages=$(pdfinfo "$T_TMP/demo-register.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
t_eq "the demo vault's register is marked on every page" "$pages" "$(marks "$T_TMP/demo-register.pdf")"

# a real vault
R=$T_TMP/real
printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$R" --org 'テスト株式会社' \
    --address '東京都千代田区1-1' --corporate-number "$V_CORP" --admin admin --supervisor sup \
    --password-fd 0 > /dev/null 2>&1 || t_bail "init"
v_as "$R" sup "$V_SUP_PW" register "$T_TMP/real-register.pdf" > /dev/null 2>&1 || t_bail "register (real)"
t_eq "a real vault's register is not" 0 "$(marks "$T_TMP/real-register.pdf")"

# backups and restores
as "$D" supervisor backup "$T_TMP/demo.mnvbak" > /dev/null 2>&1 || t_bail "demo backup"
v_as "$R" sup "$V_SUP_PW" backup "$T_TMP/real.mnvbak" > /dev/null 2>&1 || t_bail "real backup"
out=$(printf '%s\n' "$PW" | "$MNV_TEST" restore "$T_TMP/demo.mnvbak" --data-dir "$T_TMP/r1" \
    --user supervisor --password-fd 0 2>&1); rc=$?
t_eq "a demo backup into a real folder: refused" 1 "$rc"
t_contains "... saying it is a demo vault's backup" "backup of a demo vault" "$out"
t_eq "... nothing left in the folder" "" "$(ls -A "$T_TMP/r1" 2>/dev/null)"
out=$(printf '%s\n' "$PW" | "$MNV_TEST" restore "$T_TMP/demo.mnvbak" --data-dir "$T_TMP/r2" \
    --user supervisor --password-fd 0 --demo 2>&1); rc=$?
t_eq "a demo backup with --demo: restored" 0 "$rc"
t_contains "... still a demo vault" "demo=yes" "$(as "$T_TMP/r2" auditor audit show 1 2>&1 | sed -E 's/demo +yes/demo=yes/')"
out=$(printf '%s\n' "$V_SUP_PW" | "$MNV_TEST" restore "$T_TMP/real.mnvbak" --data-dir "$T_TMP/r3" \
    --user sup --password-fd 0 --demo 2>&1); rc=$?
t_eq "a real backup into a demo folder: refused" 1 "$rc"
t_contains "... saying it is a real vault's" "backup of a real vault" "$out"
t_eq "... nothing left in the folder" "" "$(ls -A "$T_TMP/r3" 2>/dev/null)"
out=$(printf '%s\n' "$V_SUP_PW" | "$MNV_TEST" restore "$T_TMP/real.mnvbak" --data-dir "$T_TMP/r4" \
    --user sup --password-fd 0 2>&1); rc=$?
t_eq "a real backup into a real folder: restored" 0 "$rc"
out=$(LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= bash -c "printf '%s\n' '$PW' | '$MNV_TEST' restore '$T_TMP/demo.mnvbak' --data-dir '$T_TMP/r5' --user supervisor --password-fd 0" 2>&1)
t_contains "(ja) the refusal" "デモ" "$out"
t_done
