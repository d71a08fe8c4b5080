#!/usr/bin/env bash
# The vault against plain SQLite, side by side in one run: 100,000 employees, each with a
# My Number and one purpose, inserted in one transaction (the bulk path: prepared
# statements; per number a fresh data key, two XChaCha20-Poly1305 seals, a blind index)
# into vault.db, and the same rows into plain SQLite (tests/bench/plain_insert.c, linked
# with -lsqlite3, numbers in plain text). Then the compact list of all employees that the
# terminal application loads, and the time to unlock (production Argon2id, MODERATE).
# BENCH_VAULT_ROWS changes the row count; BENCH_RUNS how many runs (the best is kept).
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_VAULT_ROWS:-100000}
runs=${BENCH_RUNS:-3}
plain="$MNV_BUILD/tests/bench/plain_insert"
[ -x "$plain" ] || { echo "build $plain first (make bench builds it)"; exit 1; }
unset MNVAULT_TEST_FAST_KDF   # the unlock time must be the production one
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
v_ins="" v_list="" v_unlock="" p_ins="" p_list=""
for _ in $(seq "$runs"); do
    dir=$BENCH_TMP/vault-bench
    rm -rf "$dir" "$BENCH_TMP/plain.db"
    out=$("$MNV_TOOLS/vaulttool" bench "$dir" "$rows") || { echo "vaulttool bench failed"; exit 1; }
    v_ins=$(best "$v_ins" "$(echo "$out" | awk '$1 == "insert" {print $2}')")
    v_list=$(best "$v_list" "$(echo "$out" | awk '$1 == "list" {print $2}')")
    v_unlock=$(best "$v_unlock" "$(echo "$out" | awk '$1 == "unlock" {print $2}')")
    size=$(stat -c %s "$dir/vault.db")
    out=$("$plain" "$BENCH_TMP/plain.db" "$rows") || { echo "plain_insert failed"; exit 1; }
    p_ins=$(best "$p_ins" "$(echo "$out" | awk '$1 == "insert" {print $2}')")
    p_list=$(best "$p_list" "$(echo "$out" | awk '$1 == "list" {print $2}')")
    psize=$(stat -c %s "$BENCH_TMP/plain.db")
done
rm -rf "$BENCH_TMP/vault-bench" "$BENCH_TMP/plain.db"
printf 'insert %d persons with numbers (best of %d):\n' "$rows" "$runs"
printf '  vault (SQLCipher, sealed numbers): %8.3f s   %5.1f MB\n' "$v_ins" "$(echo "$size / 1048576" | bc -l)"
printf '  plain SQLite:                      %8.3f s   %5.1f MB\n' "$p_ins" "$(echo "$psize / 1048576" | bc -l)"
echo "  ratio vault/plain: $(bench_ratio "$v_ins" "$p_ins")   (target: at most 1.5)"
printf 'load the compact list of all %d employees:\n' "$rows"
printf '  vault: %.3f s   plain: %.3f s   ratio: %s\n' "$v_list" "$p_list" "$(bench_ratio "$v_list" "$p_list")"
printf 'unlock (Argon2id MODERATE, open, anchor check): %.3f s\n' "$v_unlock"
