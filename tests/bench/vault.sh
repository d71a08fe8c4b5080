#!/usr/bin/env bash
# The vault against plain SQLite, in one run, rounds interleaved (lib.sh bench_runs):
# 100,000 employees, each with a My Number and one purpose, inserted in one transaction (the
# bulk path: prepared statements; per number a fresh data key, seals, a blind index) into
# vault.db, against two baselines built with -lsqlite3 (tests/bench/plain_insert.c):
#   same schema: vault.db's own tables and indexes, every row with the same columns and sizes
#                (the sealed blobs as random bytes of their length), unencrypted: the ratio is
#                the cost of the vault (target: at most 1.3);
#   minimal:     the old baseline, a schema with the number as plain text (for comparison).
# Then the compact list of all employees that the terminal application loads: warm (right
# after the insert, in the same process) and cold (a fresh process; see bench_cold_words),
# each against the same list from the same-schema plain database; and the unlock.
# Each insert figure is the wall clock and, beside it, the process's processor time of the
# insert (insert_cpu: steadier on a loaded machine; the goal is the wall clock's).
# BENCH_VAULT_ROWS changes the row count, BENCH_RUNS the rounds (default 5).
# BENCH_VAULT_OLD=DIR (the top of another checkout, built with `make test-bins`) adds that
# build's vaulttool bench to the same rounds, against the same baselines: before/after pairs.
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_VAULT_ROWS:-100000}
runs=${BENCH_RUNS:-5}
plain="$MNV_BUILD/tests/bench/plain_insert"
[ -x "$plain" ] || { echo "build $plain first (make bench builds it)"; exit 1; }
unset MNVAULT_TEST_FAST_KDF # the unlock time must be the production one
t=$BENCH_TMP
shape=$t/vault-shape.txt
rm -rf "$t/vault-bench" "$t/plain-same.db" "$t/plain-min.db"
"$MNV_TOOLS/vaulttool" bench "$t/vault-bench" 10 "$shape" >/dev/null || { echo "vaulttool bench failed"; exit 1; }
old=${BENCH_VAULT_OLD:-}
[ -z "$old" ] || [ -x "$old/build/tests/tools/vaulttool" ] || { echo "no $old/build/tests/tools/vaulttool"; exit 1; }
old_cmd=()
[ -z "$old" ] || old_cmd=("rm -rf '$t/vault-old'; MNVAULT_SHAREDIR='$old/data' MNVAULT_LOCALEDIR='$old/build/locale' '$old/build/tests/tools/vaulttool' bench '$t/vault-old' $rows")
bench_runs "$runs" \
    "rm -rf '$t/vault-bench'; '$MNV_TOOLS/vaulttool' bench '$t/vault-bench' $rows" \
    "'$plain' '$t/plain-same.db' $rows '$shape'" \
    "'$plain' '$t/plain-min.db' $rows" "${old_cmd[@]}" || exit 1
size=$(stat -c %s "$t/vault-bench/vault.db") psize=$(stat -c %s "$t/plain-same.db")
printf 'insert %d persons with numbers, %d rounds interleaved (vault.db %.1f MB, same-schema plain %.1f MB):\n' \
    "$rows" "$runs" "$(echo "$size / 1048576" | bc -l)" "$(echo "$psize / 1048576" | bc -l)"
# insert_ratios I WHO: command I's insert against both baselines, wall clock and processor time.
insert_ratios() {
    local same same_cpu
    bench_compare "$2 against plain SQLite, same schema (target: ratio at most 1.3)" "$1" 2 insert
    same=$BENCH_RATIO
    bench_compare "the same, processor time of the insert" "$1" 2 insert_cpu
    same_cpu=$BENCH_RATIO
    bench_compare "$2 against plain SQLite, minimal schema (the old figure)" "$1" 3 insert
    echo "  => $2: insert ratio, same schema $same (processor time $same_cpu), minimal schema $BENCH_RATIO"
}
insert_ratios 1 vault
if [ -n "$old" ]; then
    insert_ratios 4 "the build in $old"
    bench_compare "this build against the one in $old (after/before, each pair)" 1 4 insert
fi
echo "load the compact list of all $rows employees, warm (same process, right after the insert):"
bench_compare "vault against the same-schema plain database" 1 2 list
echo "load the compact list, $(bench_cold_words):"
drop=$(bench_drop_cmd)
bench_runs "$runs" "${drop}'$MNV_TOOLS/vaulttool' list '$t/vault-bench'" \
    "${drop}'$plain' --list '$t/plain-same.db'" || exit 1
bench_compare "vault (after the unlock) against the same-schema plain database" 1 2 list
printf 'unlock (Argon2id MODERATE, open, anchor check): %s s\n' "$(bench_values 1 unlock | bench_stats)"
rm -rf "$t/vault-bench" "$t/vault-old" "$t/plain-same.db" "$t/plain-min.db" "$shape" "$t"/run.*
