#!/usr/bin/env bash
# Static gates on how the vault uses SQLCipher: only SQLCipher is linked (a second SQLite
# in the process would silently ignore the key), the key is only ever given through
# sqlite3_key_v2 (or rekeyed through sqlite3_rekey_v2 for a rotation of the vault key; never
# pasted into SQL text), and the program checks cipher_version.
. "$MNV_ROOT/tests/lib/tap.sh"
cd "$MNV_ROOT"
# The whole program (mnvault-full) holds the vault; the front (mnvault) runs only the scan
# and links no SQLite of either kind (doc/architecture.md, "Two programs").
libs=$(ldd "$MNV_BUILD/mnvault-full" 2>/dev/null)
t_contains "mnvault links libsqlcipher" "libsqlcipher" "$libs"
t_lacks "mnvault does not link plain libsqlite3" "libsqlite3" "$libs"
front=$(ldd "$MNV" 2>/dev/null)
t_lacks "the front (mnvault scan) links no libsqlcipher" "libsqlcipher" "$front"
t_lacks "...nor libsqlite3" "libsqlite3" "$front"
t_lacks "the test build neither" "libsqlite3" "$(ldd "$MNV_TEST" 2>/dev/null)"
t_eq "no 'PRAGMA key' or 'PRAGMA rekey' in the sources" "" \
    "$(grep -rniE 'pragma +(re)?key' src include | grep -v '^src/store/vault_conn.c:.*cipher_')"
t_eq "the key goes through sqlite3_key_v2 / sqlite3_rekey_v2 only" "src/store/vault_conn.c" \
    "$(grep -rlE 'sqlite3_(re)?key(_v2)?\(' src | sort -u | tr '\n' ' ' | sed 's/ $//')"
t_contains "SQLCipher's version is checked at open" "PRAGMA cipher_version" "$(cat src/store/vault_conn.c)"
t_eq "no ATTACH (it can create plaintext databases)" "" "$(grep -rn 'ATTACH' src)"
t_eq "no memcmp/strcmp on key or MAC material in the key file code" "" \
    "$(grep -nE '(^|[^_])(memcmp|strcmp)\((mac|key|mk|sum|secret|check)' src/store/keyring*.c src/store/auditlog.c src/service/session*.c)"
t_done
