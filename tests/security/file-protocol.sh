#!/usr/bin/env bash
# Writing the key file follows the protocol (strace): a temporary file in the same folder
# created with O_EXCL|O_NOFOLLOW and mode 0600, written, fsync'd, renamed over vault.keys,
# then the folder fsync'd. The vault's files are 0600 in a 0700 folder.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
strace -f -qq -e trace=openat,fsync,fdatasync,rename,renameat,renameat2 -o "$T_TMP/trace" \
    "$MNV_TEST" audit verify --data-dir "$V" --user sup --password-fd 3 3< <(echo "$V_SUP_PW") \
    >/dev/null 2>&1
tr="$(cat "$T_TMP/trace")"
t_contains "temporary file: O_EXCL" "vault.keys.tmp-" "$(grep 'O_EXCL' "$T_TMP/trace")"
t_contains "temporary file: O_NOFOLLOW, mode 0600" "O_NOFOLLOW|O_CLOEXEC, 0600" \
    "$(grep 'vault.keys.tmp-' "$T_TMP/trace" | grep O_CREAT)"
order=$(awk '/vault.keys.tmp-.*O_CREAT/ {s = 1} s && /fsync\(/ && !f {print "fsync"; f = 1}
             s && /rename/ && /vault.keys"/ && !r {print "rename"; r = 1}
             r && /O_DIRECTORY/ && !d {print "opendir"; d = 1}
             d && /fsync\(/ && !g {print "fsyncdir"; g = 1}' "$T_TMP/trace" | tr '\n' ' ')
t_eq "write, fsync, rename, fsync the folder, in that order" "fsync rename opendir fsyncdir " "$order"
t_eq "the folder is 0700" 700 "$(stat -c %a "$V")"
t_eq "vault.keys is 0600" 600 "$(stat -c %a "$V/vault.keys")"
t_eq "vault.db is 0600" 600 "$(stat -c %a "$V/vault.db")"
t_eq "vault.db does not start as plain SQLite" 0 "$(head -c 16 "$V/vault.db" | grep -c 'SQLite format')"
t_done
