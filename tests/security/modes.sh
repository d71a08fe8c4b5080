#!/usr/bin/env bash
# Everything mnvault writes into the data folder is private: the folder 0700, every file
# 0600, whatever the umask; and it leaves no temporary or journal file behind.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
dir=$T_TMP/vault
umask 022
printf 'correct horse battery staple\n' | "$MNV_TEST" demo --data-dir "$dir" --employees 20 \
    --password-fd 0 >/dev/null 2>&1 || t_bail "demo vault"
printf 'correct horse battery staple\n' | "$MNV_TEST" backup --data-dir "$dir" --user supervisor \
    --password-fd 0 >/dev/null 2>&1
t_eq "data folder is 0700 under umask 022" 700 "$(stat -c %a "$dir")"
bad=$(find "$dir" -type f ! -perm 600 -printf '%p %m\n')
t_eq "every file in it is 0600" "" "$bad"
bad=$(find "$dir" -type d ! -perm 700 -printf '%p %m\n')
t_eq "every folder in it is 0700" "" "$bad"
left=$(find "$dir" -name '*-journal' -o -name '*.tmp-*' -o -name '*.part' -o -name '*.new')
t_eq "no journal or temporary file left" "" "$left"
t_ok "backups were written" bash -c "ls '$dir/backups' | grep -q ."
t_done
