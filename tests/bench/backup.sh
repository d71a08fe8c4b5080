#!/usr/bin/env bash
# `mnvault backup FILE` of a vault of 100,000 persons with numbers (made by the vault
# benchmark's generator, vaulttool bench), side by side with the physical baseline: `cp` of
# the same two files (vault.db and vault.keys), and `cp` followed by a sync of the copy.
# mnvault does more than copy: a read transaction and the folder lock, XChaCha20-Poly1305
# over every byte, fsync, then reading the whole file back to authenticate and hash it
# (BLAKE2b-256), and a register entry; the login uses the test build's cheap Argon2id so
# that the figure is the backup's own. BENCH_BACKUP_ROWS changes the size; BENCH_RUNS the
# number of runs (the best is kept).
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_BACKUP_ROWS:-100000}
export MNVAULT_TEST_FAST_KDF=1
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
dir=$BENCH_TMP/backup-bench
out=$BENCH_TMP/backup-bench.mnvbak
copy=$BENCH_TMP/backup-bench-cp
rm -rf "$dir" "$out" "$copy"
"$MNV_TOOLS/vaulttool" bench "$dir" "$rows" >/dev/null || { echo "vaulttool bench failed"; exit 1; }
mkdir -p "$copy"
db=$(stat -c %s "$dir/vault.db")

t_mnv=$(bench_time bash -c "rm -f '$out'; \"$MNV_TEST\" backup '$out' --data-dir '$dir' --user sup \
    --password-fd 3 3< <(printf '%s\n' '$pw')")
[ -f "$out" ] || { echo "the backup was not written"; exit 1; }
size=$(stat -c %s "$out")
t_cp=$(bench_time bash -c "rm -f '$copy'/*; cp '$dir/vault.db' '$dir/vault.keys' '$copy'/")
t_sync=$(bench_time bash -c "rm -f '$copy'/*; cp '$dir/vault.db' '$dir/vault.keys' '$copy'/ && sync -f '$copy/vault.db'")
t_login=$(bench_time bash -c "\"$MNV_TEST\" backup --list --data-dir '$dir' --user sup \
    --password-fd 3 3< <(printf '%s\n' '$pw')")

printf 'backup of a vault of %d persons (vault.db %.1f MB, backup %.1f MB), best of %d:\n' \
    "$rows" "$(echo "$db / 1048576" | bc -l)" "$(echo "$size / 1048576" | bc -l)" "$BENCH_RUNS"
printf '  mnvault backup FILE:   %7.3f s  (%s MB/s)\n' "$t_mnv" "$(bench_mbps "$db" "$t_mnv")"
printf '  cp of the two files:   %7.3f s  (%s MB/s)\n' "$t_cp" "$(bench_mbps "$db" "$t_cp")"
printf '  cp, then sync:         %7.3f s\n' "$t_sync"
printf '  (login and register read alone, backup --list: %.3f s)\n' "$t_login"
echo "  ratio mnvault/cp: $(bench_ratio "$t_mnv" "$t_cp")   mnvault/(cp+sync): $(bench_ratio "$t_mnv" "$t_sync")"
rm -rf "$dir" "$out" "$copy"
