#!/usr/bin/env bash
# `mnvault verify` and `mnvault audit verify` of a vault of 100,000 persons with numbers
# (vaulttool bench) and 100,000 more audit entries (vaulttool auditfill), beside SQLCipher's
# own shell doing the database's part of the work with the raw key (vaulttool rawkey):
#   verify       against the shell's cipher_integrity_check, integrity_check and
#                foreign_key_check (with a cache that holds the file): the floor under
#                verify, which also checks the chain and opens every number;
#   audit verify against the shell reading every column of every entry (the floor under the
#                chain walk, which also hashes each entry);
# and the login alone (`backup --list`), which both commands include (test build's cheap
# Argon2id). Rounds are interleaved (lib.sh bench_runs); ratios are medians of per-round
# ratios. BENCH_VERIFY_OLD=PATH adds an older mnvault-test's verify and audit verify to the
# rounds (before/after on the same vault), by wall and by CPU time. BENCH_VERIFY_ROWS,
# BENCH_VERIFY_AUDIT change the sizes, BENCH_RUNS the rounds (default 5). Nothing here
# asserts a time.
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_VERIFY_ROWS:-100000}
audit=${BENCH_VERIFY_AUDIT:-100000}
runs=${BENCH_RUNS:-5}
old=${BENCH_VERIFY_OLD:-}
export MNVAULT_TEST_FAST_KDF=1
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
dir=$BENCH_TMP/verify-bench
rm -rf "$dir"
"$MNV_TOOLS/vaulttool" bench "$dir" "$rows" >/dev/null || { echo "vaulttool bench failed"; exit 1; }
"$MNV_TOOLS/vaulttool" auditfill "$dir" "$audit" >/dev/null || { echo "vaulttool auditfill failed"; exit 1; }
key=$(printf '%s\n' "$pw" | "$MNV_TOOLS/vaulttool" rawkey "$dir" sup) || { echo "vaulttool rawkey failed"; exit 1; }
# The shell reads its commands (and the key) from files, never from its command line.
printf 'PRAGMA key = "%s";\nPRAGMA cache_size = -1048576;\nPRAGMA cipher_integrity_check;\nPRAGMA integrity_check;\nPRAGMA foreign_key_check;\n' \
    "$key" > "$dir/checks.sql"
printf 'PRAGMA key = "%s";\nSELECT count(*), sum(length(user) + length(role) + length(action) + length(subject) + length(result) + length(detail) + length(prev) + length(hash)) FROM audit;\n' \
    "$key" > "$dir/read.sql"
chmod 600 "$dir"/*.sql
as_sup="--data-dir '$dir' --user sup --password-fd 3 3< <(printf '%s\n' '$pw')"
# Each run also says its CPU time (user + system, all threads), "cpu <seconds>": on a shared
# machine the wall time follows the load, the CPU time much less.
cpu="times > '$dir/times'; awk 'function t(x) { sub(/s\$/, \"\", x); split(x, p, \"m\"); return p[1] * 60 + p[2] }
    NR == 2 { print \"cpu\", t(\$1) + t(\$2) }' '$dir/times'"
cmds=("'$MNV_TEST' verify $as_sup" "sqlcipher '$dir/vault.db' < '$dir/checks.sql'"
    "'$MNV_TEST' audit verify $as_sup" "sqlcipher '$dir/vault.db' < '$dir/read.sql'"
    "'$MNV_TEST' backup --list $as_sup")
[ -n "$old" ] && cmds+=("'$old' verify $as_sup" "'$old' audit verify $as_sup")
for i in "${!cmds[@]}"; do cmds[i]="${cmds[i]} && $cpu"; done
bench_runs "$runs" "${cmds[@]}" || exit 1
printf 'verify of %d persons and %d audit entries (vault.db %.1f MB), %d rounds interleaved, %s; load %s\n' \
    "$rows" "$(awk '/audit log:/ { print $4 }' "$BENCH_TMP/run.1.1")" \
    "$(echo "$(stat -c %s "$dir/vault.db") / 1048576" | bc -l)" "$runs" \
    "warm file cache, fresh process" "$(cut -d' ' -f1-3 /proc/loadavg)"
bench_compare "mnvault verify against SQLCipher's own checks in its shell" 1 2 wall
bench_compare "mnvault audit verify against reading every entry in SQLCipher's shell" 3 4 wall
printf '  login alone (backup --list): %s s\n' "$(bench_values 5 wall | bench_stats)"
printf '  CPU seconds (user + system): verify %s; audit verify %s; login alone %s\n' \
    "$(bench_values 1 cpu | bench_stats)" "$(bench_values 3 cpu | bench_stats)" "$(bench_values 5 cpu | bench_stats)"
if [ -n "$old" ]; then
    bench_compare "mnvault verify against $old" 1 6 wall
    bench_compare "mnvault audit verify against $old" 3 7 wall
    bench_compare "mnvault verify against $old, CPU time" 1 6 cpu
    bench_compare "mnvault audit verify against $old, CPU time" 3 7 cpu
fi
rm -rf "$dir" "$BENCH_TMP"/run.*
