#!/usr/bin/env bash
# `mnvault restore FILE --data-dir NEW --user sup` of a backup of a vault of 100,000 persons
# with numbers (vaulttool bench), beside the physical baseline: `cp` of the vault's two files
# into a new folder followed by a sync of the copy, and `cp` alone. The restore does more:
# it opens the backup's key slot, authenticates and decrypts every byte
# (XChaCha20-Poly1305), writes vault.db and vault.keys under temporary names, syncs and
# renames them, then opens the restored vault as a sign-in does (key file against its
# journal, audit anchor) and writes `vault.restore` to its audit log. The test build's cheap
# Argon2id keeps the figure the restore's own. Rounds interleaved (lib.sh bench_runs), the
# ratio is the median of the per-round ratios with its range; the kernel's file cache is warm.
#
# BENCH_BEFORE=BUILD_DIR (a build of an older commit, with its build/tests/tools/vaulttool)
# adds that build to the same interleaved rounds: its own vault and backup of the same
# persons, its restore and backup, and a sign-in of each build at the production Argon2id
# cost (`mnvault backup --list`, production binary, slots made at the default MODERATE
# cost), then the ratio this build / that build for each. BENCH_RESTORE_ROWS changes the
# size, BENCH_RUNS the rounds (default 5).
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_RESTORE_ROWS:-100000}
runs=${BENCH_RUNS:-5}
before=${BENCH_BEFORE:-}
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
w=$BENCH_TMP/restore-bench
rm -rf "$w"
mkdir -p "$w/copy"

# make_vault NAME VAULTTOOL ROWS FAST: a bench vault in $w/NAME (FAST=1: the test KDF).
make_vault() {
    if [ "$4" = 1 ]; then
        MNVAULT_TEST_FAST_KDF=1 "$2" bench "$w/$1" "$3" >/dev/null
    else
        env -u MNVAULT_TEST_FAST_KDF "$2" bench "$w/$1" "$3" >/dev/null
    fi || { echo "vaulttool bench $1 failed"; exit 1; }
}
as_sup() { echo "--user sup --password-fd 3 3< <(printf '%s\n' '$pw')"; }
export MNVAULT_TEST_FAST_KDF=1
make_vault now "$MNV_TOOLS/vaulttool" "$rows" 1
eval "'$MNV_TEST' backup '$w/now.mnvbak' --data-dir '$w/now' $(as_sup)" >/dev/null 2>&1 ||
    { echo "backup failed"; exit 1; }
cmds=("rm -rf '$w/r-now'; '$MNV_TEST' restore '$w/now.mnvbak' --data-dir '$w/r-now' $(as_sup)"
    "rm -rf '$w/copy'/*; cp '$w/now/vault.db' '$w/now/vault.keys' '$w/copy'/ && sync -f '$w/copy/vault.db'"
    "rm -rf '$w/copy'/*; cp '$w/now/vault.db' '$w/now/vault.keys' '$w/copy'/")
if [ -n "$before" ]; then
    [ -x "$before/mnvault-test" ] && [ -x "$before/tests/tools/vaulttool" ] ||
        { echo "BENCH_BEFORE=$before: no mnvault-test or tests/tools/vaulttool there"; exit 1; }
    make_vault old "$before/tests/tools/vaulttool" "$rows" 1
    eval "'$before/mnvault-test' backup '$w/old.mnvbak' --data-dir '$w/old' $(as_sup)" >/dev/null 2>&1 ||
        { echo "backup of the older build failed"; exit 1; }
    make_vault sign-now "$MNV_TOOLS/vaulttool" 2000 0
    make_vault sign-old "$before/tests/tools/vaulttool" 2000 0
    cmds+=("rm -rf '$w/r-old'; '$before/mnvault-test' restore '$w/old.mnvbak' --data-dir '$w/r-old' $(as_sup)"
        "rm -f '$w/b-now.mnvbak'; '$MNV_TEST' backup '$w/b-now.mnvbak' --data-dir '$w/now' $(as_sup)"
        "rm -f '$w/b-old.mnvbak'; '$before/mnvault-test' backup '$w/b-old.mnvbak' --data-dir '$w/old' $(as_sup)"
        "'$MNV' backup --list --data-dir '$w/sign-now' $(as_sup)"
        "'$before/mnvault' backup --list --data-dir '$w/sign-old' $(as_sup)")
fi
bench_runs "$runs" "${cmds[@]}" || exit 1
[ -f "$w/r-now/vault.db" ] || { echo "the restore wrote no vault"; exit 1; }
printf 'restore of a vault of %d persons (vault.db %.1f MB, backup %.1f MB), %d rounds interleaved, file cache warm:\n' \
    "$rows" "$(echo "$(stat -c %s "$w/now/vault.db") / 1048576" | bc -l)" \
    "$(echo "$(stat -c %s "$w/now.mnvbak") / 1048576" | bc -l)" "$runs"
bench_compare "mnvault restore against cp + sync of the two files" 1 2 wall
sync_ratio=$BENCH_RATIO
bench_compare "mnvault restore against cp alone" 1 3 wall
echo "  => restore ratio: cp + sync $sync_ratio, cp alone $BENCH_RATIO"
if [ -n "$before" ]; then
    echo "this build against $before ($(git -C "$before/.." log -1 --format=%h 2>/dev/null || echo '?')), same rounds:"
    bench_compare "restore: this build against the older one" 1 4 wall
    bench_compare "backup FILE: this build against the older one" 5 6 wall
    bench_compare "sign-in at the production Argon2id cost (backup --list, 2,000 persons)" 7 8 wall
fi
rm -rf "$w" "$BENCH_TMP"/run.*
