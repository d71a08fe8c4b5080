#!/usr/bin/env bash
# Unlocking a locked TUI session (issue 11 finding 9: the lock closes the database and wipes
# every key, so an unlock opens the key slot AND reopens the vault) beside what an unlock was
# before (the key slot alone), interleaved in one process (tests/tools/unlockbench), warm
# cache (the database was just open). Production Argon2id cost (the slots are made without
# the test build's cheap KDF); a vault of BENCH_UNLOCK_EMPLOYEES (default 2000) demo people.
n=${BENCH_UNLOCK_EMPLOYEES:-2000}
runs=${BENCH_RUNS:-9}
dir=$BENCH_TMP/unlock-bench
pw="correct horse battery staple"
rm -rf "$dir"
printf '%s\n' "$pw" | "$MNV_TEST" demo --data-dir "$dir" --employees "$n" --seed 3 --password-fd 0 \
    >/dev/null 2>&1 || { echo "demo vault failed"; exit 1; }
printf '%s\n' "$pw" | "$MNV_TOOLS/unlockbench" "$dir" clerk "$runs" || exit 1
rm -rf "$dir"
