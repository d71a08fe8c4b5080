#!/usr/bin/env bash
# No internal name reaches a person: no "employee:8" (the audit subject as stored), no
# table name and no function name in any message of the catalogue, in the audit export,
# or in what the commands print, in English and Japanese. People are named by their
# employee code.
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 30 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local user=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$user" --password-fd 0; }

# What would betray the inside: stored subjects, the tables, the public functions.
tables=$(grep -ho 'CREATE TABLE [a-z_]*' "$MNV_ROOT"/src/store/*.c | awk '{print $3}' | grep _ | sort -u)
funcs=$(grep -hoE '^[A-Za-z_ ]*[ *]([a-z]+_[a-z0-9_]+)\(' "$MNV_ROOT"/include/mnvault/*.h |
    grep -oE '[a-z]+_[a-z0-9_]+\($' | tr -d '(' | sort -u)
t_ok "the lists of names to look for are not empty" test -n "$tables" -a "$(echo "$funcs" | wc -l)" -gt 100
# inside FILE: every internal name found in FILE, one a line.
inside() {
    grep -oE '(employee|dependent):[0-9]+' "$1"
    for n in $tables $funcs; do grep -qw -- "$n" "$1" && echo "$n"; done
}

# The catalogue: every message in both languages.
msgcat --no-wrap "$MNV_ROOT/locale/ja.po" | grep -v '^#' > "$T_TMP/messages"
t_eq "no message of the catalogue names an internal thing" "" "$(inside "$T_TMP/messages" | sort -u | tr '\n' ' ')"

# Work that writes audit entries about people: a bad import (errors), a good one, a reveal
# refused for a purpose not notified.
bad=$T_TMP/bad.csv
{ head -n 2 "$MNV_ROOT/data/import-sample.csv"
  printf 'B0001,見本 誤記,ミホン ゴキ,1985-06-15,M,2024-04-01,,,1234 5678 9019,self,in_person,,mynumber_card,人事,2024-04-01,tax_withholding,\r\n'; } > "$bad"
for lang in C.UTF-8 ja_JP.UTF-8; do
    LANG=$lang as clerk import "$bad" >> "$T_TMP/out" 2>&1
    LANG=$lang as clerk import --dry-run "$MNV_ROOT/data/import-sample.csv" >> "$T_TMP/out" 2>&1
done
as clerk import "$MNV_ROOT/data/import-sample.csv" >> "$T_TMP/out" 2>&1
for lang in C.UTF-8 ja_JP.UTF-8; do
    LANG=$lang as auditor audit export --format csv >> "$T_TMP/export" 2>&1
    LANG=$lang as auditor audit verify >> "$T_TMP/out" 2>&1
    LANG=$lang "$MNV_TEST" check 123456789019 >> "$T_TMP/out" 2>&1
done
t_contains "the audit export names people by their employee code" '"number.refused","E0000' "$(cat "$T_TMP/export")"
t_eq "the audit export names no internal thing" "" "$(inside "$T_TMP/export" | sort -u | tr '\n' ' ')"
t_eq "the commands' output names no internal thing" "" "$(inside "$T_TMP/out" | sort -u | tr '\n' ' ')"
t_done
