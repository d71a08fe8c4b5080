#!/usr/bin/env bash
# Recovery shares on a real terminal (tmux): the sheets are never printed to it, replacing a
# set is asked first; typed back, nothing is echoed, a mistyped share is named and asked
# again, and the new password is asked twice without echo.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
command -v tmux >/dev/null || t_bail "tmux is missing (make deps)"
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
v_as "$V" sup "$V_SUP_PW" recovery split --shares 3 --threshold 2 --out "$T_TMP/sh" 2>/dev/null ||
    t_bail "cannot split"
s1=$(ls "$T_TMP"/sh/*-1-of-3.txt) s3=$(ls "$T_TMP"/sh/*-3-of-3.txt)
NEWPW='a brand new passphrase for everyone'
sock=mnv-e2e-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T_TMP"' EXIT
tm -f /dev/null new-session -d -x 100 -y 50 \
    "env LANG=C.UTF-8 MNVAULT_TEST_FAST_KDF=1 '$MNV_TEST' recovery restore --data-dir '$V' --user admin; echo EXIT=\$?; sleep 60"
wait_for() { # TEXT: poll the screen for up to 10 s
    for _ in $(seq 100); do tm capture-pane -p -J | grep -qF -- "$1" && return 0; sleep 0.1; done
    return 1
}
type_lines() { while IFS= read -r l; do tm send-keys -l "$l"; tm send-keys Enter; done; }

t_ok "the program asks for the shares" wait_for "Share 1:"
grep -E '^[0-9]: |^Check' "$s1" | type_lines
t_ok "share 1 is accepted" wait_for "Share 1 of 3 accepted."
# Share 3 with one character changed in its third row.
grep -E '^[0-9]: |^Check' "$s3" | awk 'NR == 3 { c = substr($0, 5, 1); $0 = substr($0, 1, 4) (c == "A" ? "B" : "A") substr($0, 6) } { print }' | type_lines
t_ok "the typo is named with its line" wait_for "mistyped at line 3"
t_ok "... and the share is asked again" wait_for "Type this share again."
grep -E '^[0-9]: |^Check' "$s3" | type_lines
t_ok "share 3 is accepted" wait_for "Share 3 of 3 accepted."
t_ok "then the new password is asked" wait_for "New password for admin:"
tm send-keys -l "$NEWPW"; tm send-keys Enter
t_ok "... twice" wait_for "The same password again:"
tm send-keys -l "$NEWPW"; tm send-keys Enter
t_ok "the recovery succeeds" wait_for "EXIT=0"
screen=$(tm capture-pane -p -S -200)
leak=""
for g in $(grep -E '^[0-9]: ' "$s1" "$s3" | cut -d: -f3- | tr ' ' '\n'); do
    case "$screen" in *"$g"*) leak="$leak $g";; esac
done
t_eq "no group typed appears on the screen or in the scrollback" "" "$leak"
t_lacks "the password typed does not appear either" "$NEWPW" "$screen"
out=$("$MNV_TEST" user list --data-dir "$V" --user admin --password-fd 3 3< <(printf '%s\n' "$NEWPW") 2>&1)
t_contains "the new password opens the vault (a change is required)" "must be changed" "$out"

# Splitting on a terminal: never the sheets on the screen; replacing the set is asked.
printf '%s\n' "$V_SUP_PW" > "$T_TMP/sup.pw"
n_tty=0
split_on_tty() { # ARGS…: a split on the terminal (a fresh server), the password from a file
    tm kill-server 2>/dev/null
    n_tty=$((n_tty + 1)); sock=mnv-e2e-$$-$n_tty
    tm -f /dev/null new-session -d -x 100 -y 50 \
        "env LANG=C.UTF-8 MNVAULT_TEST_FAST_KDF=1 '$MNV_TEST' recovery split --data-dir '$V' --user sup --password-fd 3 --shares 3 --threshold 2 $* 3<'$T_TMP/sup.pw'; echo EXIT=\$?; sleep 60"
}
split_on_tty
t_ok "split to the terminal: refused" wait_for "EXIT=2"
t_ok "... saying where the sheets may go" wait_for "write them to files with --out DIR"
t_lacks "... and no sheet on the screen" "RECOVERY SHARE" "$(tm capture-pane -p -S -200)"
split_on_tty --out "'$T_TMP/new'"
t_ok "a set exists: the split asks first" wait_for "Replace them? [y/N]"
tm send-keys -l n; tm send-keys Enter
t_ok "... no: nothing changed (exit 1)" wait_for "EXIT=1"
t_eq "... no sheet was written" "" "$(ls -A "$T_TMP/new" 2>/dev/null)"
split_on_tty --out "'$T_TMP/new'"
t_ok "asked again" wait_for "Replace them? [y/N]"
tm send-keys -l y; tm send-keys Enter
t_ok "... yes: the new set is written" wait_for "EXIT=0"
t_eq "... three sheets in the folder" "3" "$(ls "$T_TMP/new" | wc -l)"
t_lacks "... none of them on the screen" "RECOVERY SHARE" "$(tm capture-pane -p -S -200)"
t_done
