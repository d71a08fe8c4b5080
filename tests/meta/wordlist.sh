#!/usr/bin/env bash
# data/common-passwords.txt is exactly what its generator writes, and big enough.
. "$MNV_ROOT/tests/lib/tap.sh"
cd "$MNV_ROOT"
sh src/build/gen-common-passwords.sh > "$T_TMP/list.txt"
t_golden "data/common-passwords.txt is generated (sh src/build/gen-common-passwords.sh)" \
    data/common-passwords.txt "$T_TMP/list.txt"
n=$(grep -vc '^#' data/common-passwords.txt)
t_ok "the list has at least 3,000 entries ($n)" test "$n" -ge 3000
t_eq "entries are lower case, unique, without spaces" "" \
    "$(grep -v '^#' data/common-passwords.txt | LC_ALL=C grep -E '[A-Z ]|^$' | head -n 3)$(grep -v '^#' data/common-passwords.txt | sort | uniq -d | head -n 3)"
t_contains "the file says what it is" "not a breach list" "$(head -n 2 data/common-passwords.txt)"
t_done
