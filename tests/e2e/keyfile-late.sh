#!/usr/bin/env bash
# The key file left behind, as a clerk meets it: a change is saved (the database committed)
# but the key file cannot be put in its place after it (here the file is made immutable with
# chattr +i, so the rename that replaces it fails, as on a failing disk; root only). The TUI
# says so on the screen at 80x24 in English and Japanese, the change stands (shown, and
# there after the next sign-in), and the next sign-in brings the key file up to date from the
# vault's journal (audited "key file rolled forward") with no warning left. The command
# line's side and every fault point are tests/fault/run's.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 20 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
keys=$dir/vault.keys
chattr +i "$keys" 2>/dev/null || { echo "1..0 # SKIP chattr +i does not work here (needs root and ext4/xfs/btrfs)"; exit 0; }
chattr -i "$keys"
trap 'chattr -i "$keys" 2>/dev/null; tmx_stop; rm -rf "$T_TMP"' EXIT
app=("$MNV_TEST" --data-dir "$dir")

# login LANG DASHBOARD: a fresh TUI, the clerk signed in, on the dashboard.
login() {
    tmx_start 80 24 "$1" "${app[@]}"
    case "$1" in ja*) tmx_wait "ユーザー名" ;; *) tmx_wait "User name" ;; esac >/dev/null
    tmx_type clerk; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter
    t_wait "$1: signed in" "$2"
}
# edit_address LANG ADDRESS: open the first employee, F4, the address field, F2.
open_first() { # LANG: the employee list, then the first employee's record
    tmx_keys Enter
    case "$1" in ja*) tmx_wait "従業員 (在籍" ;; *) tmx_wait "Employees (current" ;; esac >/dev/null
    tmx_keys Enter
    case "$1" in ja*) t_wait "$1: a record" "通知済みの利用目的" ;; *) t_wait "$1: a record" "Purposes notified" ;; esac
}
edit_address() {
    tmx_keys F4; t_wait "$1: edit form" "F2"
    for _ in 1 2 3 4 5 6; do tmx_keys Tab; done
    tmx_keys C-u; tmx_type "$2"; tmx_keys F2
}
rolled_forward() { # how many "key file rolled forward" entries the audit log holds
    "$MNV_TEST" audit list --data-dir "$dir" --user auditor --password-fd 3 3< <(printf '%s\n' "$PW") 2>/dev/null |
        grep -c 'key file rolled forward'
}

run() { # LANG DASHBOARD WARNING ADDRESS
    local lang=$1 dash=$2 warn=$3 addr=$4 before after n0
    n0=$(rolled_forward)
    login "$lang" "$dash"
    open_first "$lang"
    chattr +i "$keys"
    before=$(sha256sum < "$keys")
    edit_address "$lang" "$addr"
    t_wait "$lang: the warning is on the screen" "$warn"
    tmx_screen > "$T_TMP/late-$lang.txt"
    sed 's/^/# | /' "$T_TMP/late-$lang.txt"
    t_contains "$lang: the change is shown" "$addr" "$(cat "$T_TMP/late-$lang.txt")"
    t_eq "$lang: the key file was not replaced" "$before" "$(sha256sum < "$keys")"
    t_eq "$lang: no temporary key file left beside it" "vault.db vault.keys" \
        "$(cd "$dir" && ls -1 vault.* | grep -v -e '-wal$' -e '-shm$' | tr '\n' ' ' | sed 's/ $//')"
    tmx_keys F10; t_wait "$lang: quit" "__EXIT=0"
    tmx_stop
    chattr -i "$keys"
    t_eq "$lang: still the old key file after quitting" "$before" "$(sha256sum < "$keys")"
    # The next sign-in: the key file brought up to date from the vault's journal, no warning.
    login "$lang" "$dash"
    open_first "$lang"
    t_wait "$lang: the change stands after the next sign-in" "$addr"
    t_lacks "$lang: no warning at the next sign-in" "$warn" "$(tmx_screen)"
    tmx_keys F10; t_wait "$lang: quit again" "__EXIT=0"
    tmx_stop
    after=$(sha256sum < "$keys")
    t_ok "$lang: the key file was rewritten at the sign-in" test "$before" != "$after"
    t_eq "$lang: audited once: key file rolled forward" "$((n0 + 1))" "$(rolled_forward)"
}
run C.UTF-8 "Dashboard" "tell the administrator" "東京都千代田区丸の内9-9-9"
run ja_JP.UTF-8 "ダッシュボード" "管理者に連絡してください" "大阪府大阪市北区梅田1-1-1"
t_done
