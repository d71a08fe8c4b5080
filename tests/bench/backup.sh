#!/usr/bin/env bash
# `mnvault backup FILE` of a vault of 100,000 persons with numbers (made by the vault
# benchmark's generator, vaulttool bench), beside the physical baseline: `cp` of the same
# two files (vault.db and vault.keys) followed by a sync of the copy, and `cp` alone.
# mnvault does more than copy: a read transaction and the folder lock, XChaCha20-Poly1305
# over every byte, each piece read back as it is written and compared, BLAKE2b-256 over the
# file, fsync, the manifest opened again, and a register entry; the login uses the test
# build's cheap Argon2id so that the figure is the backup's own. Rounds are interleaved
# (lib.sh bench_runs) and the ratio is the median of the per-round ratios, with its range. The kernel's file cache is
# warm (the vault was just written). Target (issue 18): at most 3 times cp + sync.
# BENCH_BACKUP_ROWS changes the size; BENCH_RUNS the rounds (default 5). BENCH_BACKUP_OLD=DIR
# (an older build directory) adds that build's backup to the same rounds, against the same
# cp + sync, for a before/after figure. `cp` alone removes its copy again before it ends: left
# in place, its 53 MB of unwritten pages went to the disk during the next command and made
# that command's syncs wait (the sign-in's, or the older build's backup's).
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_BACKUP_ROWS:-100000}
runs=${BENCH_RUNS:-5}
export MNVAULT_TEST_FAST_KDF=1
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
dir=$BENCH_TMP/backup-bench
out=$BENCH_TMP/backup-bench.mnvbak
copy=$BENCH_TMP/backup-bench-cp
rm -rf "$dir" "$out" "$copy"
"$MNV_TOOLS/vaulttool" bench "$dir" "$rows" >/dev/null || { echo "vaulttool bench failed"; exit 1; }
mkdir -p "$copy"
db=$(stat -c %s "$dir/vault.db")
as_sup="--data-dir '$dir' --user sup --password-fd 3 3< <(printf '%s\n' '$pw')"
old=${BENCH_BACKUP_OLD:-}
bench_runs "$runs" \
    "rm -f '$out'; '$MNV_TEST' backup '$out' $as_sup" \
    "rm -f '$copy'/*; cp '$dir/vault.db' '$dir/vault.keys' '$copy'/ && sync -f '$copy/vault.db'" \
    "rm -f '$copy'/*; cp '$dir/vault.db' '$dir/vault.keys' '$copy'/; rm -f '$copy'/*" \
    "'$MNV_TEST' backup --list $as_sup" \
    ${old:+"rm -f '$out'; '$old/mnvault-test' backup '$out' $as_sup"} || exit 1
[ -f "$out" ] || { echo "the backup was not written"; exit 1; }
printf 'backup of a vault of %d persons (vault.db %.1f MB, backup %.1f MB), %d rounds interleaved, file cache warm:\n' \
    "$rows" "$(echo "$db / 1048576" | bc -l)" "$(echo "$(stat -c %s "$out") / 1048576" | bc -l)" "$runs"
bench_compare "mnvault backup FILE against cp + sync of the two files (target: ratio at most 3)" 1 2 wall
sync_ratio=$BENCH_RATIO
bench_compare "mnvault backup FILE against cp alone" 1 3 wall
printf '  login and register read alone (backup --list): %s s\n' "$(bench_values 4 wall | bench_stats)"
echo "  => backup ratio: cp + sync $sync_ratio, cp alone $BENCH_RATIO"
if [ -n "$old" ]; then
    bench_compare "the older build's backup ($old) against cp + sync" 5 2 wall
    bench_compare "this backup against the older build's, round by round" 1 5 wall
fi
rm -rf "$dir" "$out" "$copy" "$BENCH_TMP"/run.*
