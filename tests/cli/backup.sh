#!/usr/bin/env bash
# mnvault backup / restore: managed backups and generations, the register, --verify, who
# may do what, and restore's refusals (non-empty folder, wrong password or role, damaged,
# cut, foreign, newer, not a backup). tests/security/backup.sh does the byte-level checks.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
V=$T_TMP/vault
v_full "$V" || t_bail "cannot create a vault"
cat >"$T_TMP/cfg.ini" <<EOF
[backup]
dir = $T_TMP/managed
generations = 2
EOF
bk() { bl_as "$@" --config "$T_TMP/cfg.ini"; }

bk sup "$V" backup >"$T_TMP/made" 2>&1
t_eq "a supervisor makes a managed backup" "0" "$?"
first=$(ls "$T_TMP/managed"/*.mnvbak 2>/dev/null | head -1)
t_ok "it lands in [backup] dir under a generated name" test -f "$first"
t_ok "the name says when, which vault and which backup" bash -c "basename '$first' | grep -Eq '^mnvault-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}-[0-9a-f]{8}\\.mnvbak\$'"
t_eq "the backup is private (0600)" "600" "$(stat -c %a "$first")"
t_eq "the managed folder is private (0700)" "700" "$(stat -c %a "$T_TMP/managed")"
hash=$(b2sum -l 256 "$first" | cut -d' ' -f1)
t_contains "the output names the file's BLAKE2b-256" "$hash" "$(cat "$T_TMP/made")"
t_status "an administrator may make one" 0 bk admin "$V" backup
t_status "a clerk may not (exit 1)" 1 bk clerk "$V" backup
t_status "an auditor may not (exit 1)" 1 bk aud "$V" backup
bk sup "$V" backup >/dev/null 2>&1
bk sup "$V" backup >"$T_TMP/out" 2>&1
t_contains "beyond 2 generations the oldest are deleted" "Older backups deleted (beyond 2 generations): 1" "$(cat "$T_TMP/out")"
t_eq "two managed backups remain" "2" "$(ls "$T_TMP/managed"/*.mnvbak | wc -l)"
t_ok "the first one is gone" test ! -e "$first"
t_eq "no temporary file is left" "" "$(ls -A "$T_TMP/managed" | grep -v '\.mnvbak$')"

bk aud "$V" backup --list >"$T_TMP/list" 2>&1
t_eq "an auditor may read the register" "0" "$?"
t_eq "the register lists every backup written" "4" "$(grep -c '^#' "$T_TMP/list")"
t_eq "... and marks the two deleted generations" "2" "$(grep -c 'deleted .*old generation' "$T_TMP/list")"
t_contains "... with each file's hash" "BLAKE2b-256 $hash" "$(cat "$T_TMP/list")"
t_status "a clerk may not read the register" 1 bk clerk "$V" backup --list

bk sup "$V" backup "$T_TMP/one.mnvbak" >/dev/null 2>&1
t_eq "backup FILE writes exactly there" "600" "$(stat -c %a "$T_TMP/one.mnvbak" 2>&1)"
bk sup "$V" backup "$T_TMP/one.mnvbak" >"$T_TMP/out" 2>&1
t_eq "backup never overwrites a file (exit 1)" "1" "$?"
t_contains "... and says so" "never overwrites" "$(cat "$T_TMP/out")"
t_status "a backup into a missing folder is an I/O error" 2 bk sup "$V" backup "$T_TMP/nowhere/x.mnvbak"
t_eq "explicit files do not count as generations" "2" "$(ls "$T_TMP/managed"/*.mnvbak | wc -l)"
bk sup "$V" backup --list >"$T_TMP/list" 2>&1
t_contains "the register knows the explicit file" "$T_TMP/one.mnvbak" "$(cat "$T_TMP/list")"

bk aud "$V" backup --verify "$T_TMP/one.mnvbak" >"$T_TMP/out" 2>&1
t_eq "an auditor verifies a backup" "0" "$?"
t_contains "verify names it intact and registered" "The register knows it as backup #5" "$(cat "$T_TMP/out")"
t_status "verify of a missing file: exit 2" 2 bk sup "$V" backup --verify "$T_TMP/none.mnvbak"
t_status "verify of something else: exit 1" 1 bk sup "$V" backup --verify "$V/vault.keys"

# Another vault's backup.
W=$T_TMP/other
v_init "$W" || t_bail "cannot create a second vault"
bl_as sup "$W" backup "$T_TMP/other.mnvbak" >/dev/null 2>&1
bk sup "$V" backup --verify "$T_TMP/other.mnvbak" >"$T_TMP/out" 2>&1
t_eq "another vault's backup: exit 1" "1" "$?"
t_contains "... named as such" "belongs to another vault" "$(cat "$T_TMP/out")"

# Restore.
R=$T_TMP/restored
restore() { "$MNV_TEST" restore "$1" --data-dir "$2" --user "$3" --password-fd 3 3< <(printf '%s\n' "$4"); }
restore "$T_TMP/one.mnvbak" "$V" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_eq "restore over a vault: refused (exit 1)" "1" "$?"
t_contains "... the folder is not empty" "not empty" "$(cat "$T_TMP/out")"
mkdir "$T_TMP/nonempty" && touch "$T_TMP/nonempty/x"
t_status "restore into a non-empty folder: refused" 1 restore "$T_TMP/one.mnvbak" "$T_TMP/nonempty" sup "$V_SUP_PW"
restore "$T_TMP/one.mnvbak" "$R" sup "wrong password here" >"$T_TMP/out" 2>&1
t_eq "a wrong password: refused (exit 1)" "1" "$?"
t_contains "... named as such" "does not open this backup" "$(cat "$T_TMP/out")"
t_ok "... and nothing is left behind" test ! -e "$R"
restore "$T_TMP/one.mnvbak" "$R" clerk "$V_CLERK_PW" >"$T_TMP/out" 2>&1
t_contains "a clerk may not restore, and hears what a wrong password hears" \
    "does not open this backup" "$(cat "$T_TMP/out")"
t_ok "... and nothing is left behind" test ! -e "$R"
restore "$T_TMP/one.mnvbak" "$R" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_eq "a supervisor restores into a new folder" "0" "$?"
t_eq "the restored files are vault.db and vault.keys" "vault.db vault.keys" "$(ls "$R" | tr '\n' ' ' | sed 's/ $//')"
t_eq "both private (0600)" "600" "$(stat -c %a "$R"/* | sort -u)"
t_status "the restored vault verifies" 0 bl_as aud "$R" verify
bl_as aud "$R" audit export --format csv >"$T_TMP/audit.csv" 2>&1
t_contains "the restore is in the restored vault's audit log" "\"sup\",\"supervisor\",\"vault.restore\"" "$(cat "$T_TMP/audit.csv")"
t_status "the restored vault's audit chain holds" 0 bl_as aud "$R" audit verify

# Damaged files.
size=$(stat -c %s "$T_TMP/one.mnvbak")
head -c $((size - 100)) "$T_TMP/one.mnvbak" >"$T_TMP/cut.mnvbak"
restore "$T_TMP/cut.mnvbak" "$T_TMP/r2" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_contains "a cut file: incomplete" "incomplete" "$(cat "$T_TMP/out")"
t_ok "... nothing restored" test ! -e "$T_TMP/r2"
cp "$T_TMP/one.mnvbak" "$T_TMP/flip.mnvbak"
"$MNV_TOOLS/flipbyte" "$T_TMP/flip.mnvbak" $((size / 2)) 16
restore "$T_TMP/flip.mnvbak" "$T_TMP/r2" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_contains "one flipped bit: failed its integrity check" "failed its integrity check" "$(cat "$T_TMP/out")"
t_ok "... nothing restored" test ! -e "$T_TMP/r2"
# Version 2 with a matching prefix checksum (BLAKE2b-256 of bytes 0-95 at 96): a file from a
# newer program, not a damaged one.
cp "$T_TMP/one.mnvbak" "$T_TMP/newer.mnvbak"
printf '\003' | dd of="$T_TMP/newer.mnvbak" bs=1 seek=10 conv=notrunc status=none
head -c 96 "$T_TMP/newer.mnvbak" | b2sum -l 256 | cut -d' ' -f1 | xxd -r -p |
    dd of="$T_TMP/newer.mnvbak" bs=1 seek=96 conv=notrunc status=none
restore "$T_TMP/newer.mnvbak" "$T_TMP/r2" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_contains "a newer format version is named" "newer version of mnvault" "$(cat "$T_TMP/out")"
restore "$V/vault.db" "$T_TMP/r2" sup "$V_SUP_PW" >"$T_TMP/out" 2>&1
t_contains "a file that is no backup is named" "not an mnvault backup" "$(cat "$T_TMP/out")"
t_status "restore makes the folder, not its missing parents" 2 restore "$T_TMP/one.mnvbak" "$T_TMP/no/such/dir" sup "$V_SUP_PW"
t_ok "... and leaves none" test ! -e "$T_TMP/no"
t_status "a missing file: exit 2" 2 restore "$T_TMP/none.mnvbak" "$T_TMP/r2" sup "$V_SUP_PW"
t_status "restore needs --user or --recovery" 2 "$MNV_TEST" restore "$T_TMP/one.mnvbak" --data-dir "$T_TMP/r2"

# With recovery shares: the set valid when the backup was made opens it.
bl_as sup "$V" recovery split --shares 3 --threshold 2 --out "$T_TMP/sheets" --replace >/dev/null 2>&1
bl_as sup "$V" backup "$T_TMP/two.mnvbak" >/dev/null 2>&1
cat "$T_TMP/sheets"/share-*-1-of-3.txt "$T_TMP/sheets"/share-*-3-of-3.txt |
    "$MNV_TEST" restore "$T_TMP/two.mnvbak" --data-dir "$T_TMP/r3" --recovery >"$T_TMP/out" 2>&1
t_eq "recovery shares restore a backup" "0" "$?"
bl_as aud "$T_TMP/r3" audit export --format csv >"$T_TMP/audit.csv" 2>&1
t_contains "... audited with actor recovery" "\"recovery\",\"\",\"vault.restore\"" "$(cat "$T_TMP/audit.csv")"
cat "$T_TMP/sheets"/share-*-1-of-3.txt |
    "$MNV_TEST" restore "$T_TMP/two.mnvbak" --data-dir "$T_TMP/r4" --recovery >"$T_TMP/out" 2>&1
t_contains "one share of two: refused" "1 given, 2 needed" "$(cat "$T_TMP/out")"
cat "$T_TMP/sheets"/share-*-1-of-3.txt "$T_TMP/sheets"/share-*-2-of-3.txt |
    "$MNV_TEST" restore "$T_TMP/one.mnvbak" --data-dir "$T_TMP/r4" --recovery >"$T_TMP/out" 2>&1
t_contains "a backup made before any split has no recovery slot" "no recovery shares" "$(cat "$T_TMP/out")"
t_ok "... nothing restored" test ! -e "$T_TMP/r4"
t_done
