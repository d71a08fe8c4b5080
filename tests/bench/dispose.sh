#!/usr/bin/env bash
# `mnvault dispose execute` of an approved proposal of 10,000 persons, beside the same
# deletes in plain SQLite. The vault holds 20,000 persons with numbers (vaulttool bench);
# the first 10,000 retired in 2015 are due, proposed by a clerk and approved by a second
# supervisor (set up once, not timed; each run starts from a copy of that vault). The
# execution timed is the whole command: the login (the test build's cheap Argon2id), a new
# epoch key, ONE transaction that deletes the 10,000 numbers, their data keys, blind
# indexes and purposes, rewraps the 10,000 other data keys and issues, signs and registers
# the certificate (JSON and a PDF listing the 10,000 persons), then the old epoch key
# destroyed, VACUUM and the certificate files. The baseline is the whole command
# `plain_insert --dispose` (tests/bench/plain_insert.c, -lsqlite3, numbers in clear) on a
# copy of a plain database of the same 20,000 persons: the same 10,000 numbers and their
# purposes deleted in one transaction with secure_delete, then VACUUM.
# Pairs: each run times both, in turn (ABBA), and the figure is the median of the per-pair
# ratios mnvault/plain with their spread (lowest .. highest). Two cache states, each its own
# pairs: warm (the copies just written, in the page cache) and cold (the copies' files
# evicted from the page cache with posix_fadvise DONTNEED after sync; the programs and
# libraries stay cached). Nothing here asserts a time.
# BENCH_DISPOSE_ROWS (persons due, default 10000) and BENCH_RUNS (pairs, default 3) change them.
. "$MNV_ROOT/tests/bench/lib.sh"
due=${BENCH_DISPOSE_ROWS:-10000}
rows=$((due * 2))
runs=${BENCH_RUNS:-3}
plain="$MNV_BUILD/tests/bench/plain_insert"
[ -x "$plain" ] || { echo "build $plain first (make bench builds it)"; exit 1; }
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2028-03-01T01:00:00
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
pw2='a second supervisor signs off here'
tpl=$BENCH_TMP/dispose-template dir=$BENCH_TMP/dispose-run
rm -rf "$tpl" "$dir"
as() { # USER PASSWORD-LINES CMD...
    local u=$1 lines=$2; shift 2
    "$MNV_TEST" "$@" --data-dir "$tpl" --user "$u" --password-fd 3 3< <(printf '%b\n' "$lines")
}
"$MNV_TOOLS/vaulttool" bench "$tpl" "$rows" > /dev/null || { echo "vaulttool bench failed"; exit 1; }
for u in clerk:clerk sup2:supervisor; do
    otp=$(as admin "$pw" user add "${u%%:*}" --role "${u#*:}" | tail -n 1) || exit 1
    code=$(as "${u%%:*}" "$otp\n$([ "${u%%:*}" = clerk ] && echo "$pw" || echo "$pw2")" user passwd 2>&1 > /dev/null |
        sed -n 's/.*this code, .*: \([0-9A-Z-]*\)$/\1/p') || exit 1
    as sup "$pw" user approve "${u%%:*}" --code "$code" > /dev/null || { echo "user approve failed"; exit 1; }
done
key=$(echo "$pw" | "$MNV_TOOLS/vaulttool" rawkey "$tpl" sup)
sqlcipher "$tpl/vault.db" > /dev/null <<SQL || exit 1
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
UPDATE employees SET retire_date = '2015-03-31' WHERE id <= $due;
SQL
n=$(as clerk "$pw" dispose propose --all | sed -n 's/^proposal 1: \([0-9]*\) numbers.*/\1/p')
as sup2 "$pw2" dispose approve 1 --reason "bench" > /dev/null || { echo "approve failed"; exit 1; }
[ "$n" = "$due" ] || { echo "the proposal holds $n numbers, not $due"; exit 1; }

t_now() { date +%s.%N; }
ptpl=$BENCH_TMP/dispose-plain-template.db pdb=$BENCH_TMP/dispose-plain.db
"$plain" "$ptpl" "$rows" > /dev/null || { echo "plain_insert failed"; exit 1; }
evict() { # FILE-OR-DIR...: out of the page cache (clean pages after sync)
    sync
    find "$@" -type f -print0 | python3 -c '
import os, sys
for f in sys.stdin.buffer.read().split(b"\0"):
    if f:
        fd = os.open(f, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)'
}
run_mnv() { # CACHE
    rm -rf "$dir"; cp -a "$tpl" "$dir"; sync
    [ "$1" = cold ] && evict "$dir"
    local s e; s=$(t_now)
    "$MNV_TEST" dispose execute 1 --data-dir "$dir" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$pw") > "$BENCH_TMP/dispose.out" 2>&1 || { cat "$BENCH_TMP/dispose.out"; exit 1; }
    e=$(t_now); t_a=$(echo "$e - $s" | bc -l)
}
run_plain() { # CACHE
    rm -f "$pdb"; cp "$ptpl" "$pdb"; sync
    [ "$1" = cold ] && evict "$pdb"
    local s e out; s=$(t_now)
    out=$("$plain" --dispose "$pdb" "$due") || exit 1
    e=$(t_now); t_b=$(echo "$e - $s" | bc -l)
    t_d=$(echo "$out" | awk '$1 == "delete" {print $2}')
}
login_only() {
    local s e; s=$(t_now)
    "$MNV_TEST" dispose list --data-dir "$dir" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$pw") > /dev/null 2>&1
    e=$(t_now); echo "$e - $s" | bc -l
}
printf 'dispose %d persons of %d, with certificate; %d pairs per cache state, ABBA:\n' "$due" "$rows" "$runs"
for cache in warm cold; do
    ta=() tb=() tr=() td=()
    for i in $(seq "$runs"); do
        if [ $((i % 2)) = 1 ]; then run_mnv $cache; run_plain $cache; else run_plain $cache; run_mnv $cache; fi
        ta+=("$t_a") tb+=("$t_b") td+=("$t_d") tr+=("$(echo "$t_a / $t_b" | bc -l)")
    done
    grep -q "^numbers deleted: $due" "$BENCH_TMP/dispose.out" || { echo "not all deleted"; cat "$BENCH_TMP/dispose.out"; exit 1; }
    printf ' %s cache:\n' "$cache"
    printf '  mnvault dispose execute (whole command) %8.3f s  (%s .. %s)\n' "$(_bench_median "${ta[@]}")" "$(_bench_min "${ta[@]}")" "$(_bench_max "${ta[@]}")"
    printf '  plain SQLite deletes + VACUUM (command) %8.3f s  (%s .. %s)\n' "$(_bench_median "${tb[@]}")" "$(_bench_min "${tb[@]}")" "$(_bench_max "${tb[@]}")"
    printf '  (of which the plain deletes alone       %8.3f s)\n' "$(_bench_median "${td[@]}")"
    printf '  ratio mnvault/plain, median of pairs    %8.2f    (%.2f .. %.2f)\n' "$(_bench_median "${tr[@]}")" "$(_bench_min "${tr[@]}")" "$(_bench_max "${tr[@]}")"
done
tl=(); for i in $(seq "$runs"); do tl+=("$(login_only)"); done
pdf=$(stat -c %s "$dir"/certificates/*.pdf) json=$(stat -c %s "$dir"/certificates/*.json)
printf '  login and start alone (dispose list, warm): %.3f s; certificate: JSON %d KB, PDF %d KB\n' \
    "$(_bench_median "${tl[@]}")" $((json / 1024)) $((pdf / 1024))
rm -rf "$tpl" "$dir" "$pdb" "$ptpl"
