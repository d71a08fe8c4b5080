#!/usr/bin/env bash
# `mnvault dispose execute` of an approved proposal of 10,000 persons, beside the same
# deletes in plain SQLite. The vault holds 20,000 persons with numbers (vaulttool bench);
# the first 10,000 retired in 2015 are due, proposed by a clerk and approved by a second
# supervisor (set up once, not timed; each run starts from a copy of that vault). The
# execution timed is the whole command: the login (the test build's cheap Argon2id), a new
# epoch key, ONE transaction that deletes the 10,000 numbers, their data keys, blind
# indexes and purposes, rewraps the 10,000 other data keys and issues, signs and registers
# the certificate (JSON and a PDF listing the 10,000 persons), then the old epoch key
# destroyed, VACUUM and the certificate files. The baseline (tests/bench/plain_insert.c,
# -lsqlite3, numbers in clear) deletes the same 10,000 numbers and purposes in one
# transaction with secure_delete, then VACUUM. Runs alternate (ABBA); median and spread.
# BENCH_DISPOSE_ROWS (persons due, default 10000) and BENCH_RUNS (default 3) change them.
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
    as "${u%%:*}" "$otp\n$([ "${u%%:*}" = clerk ] && echo "$pw" || echo "$pw2")" user passwd > /dev/null || exit 1
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
run_mnv() {
    rm -rf "$dir"; cp -a "$tpl" "$dir"; sync
    local s e; s=$(t_now)
    "$MNV_TEST" dispose execute 1 --data-dir "$dir" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$pw") > "$BENCH_TMP/dispose.out" 2>&1 || { cat "$BENCH_TMP/dispose.out"; exit 1; }
    e=$(t_now); ta+=("$(echo "$e - $s" | bc -l)")
    s=$(t_now)
    "$MNV_TEST" dispose list --data-dir "$dir" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$pw") > /dev/null 2>&1
    e=$(t_now); tl+=("$(echo "$e - $s" | bc -l)")
}
run_plain() {
    local out; out=$("$plain" "$BENCH_TMP/dispose-plain.db" "$rows" "$due") || exit 1
    td+=("$(echo "$out" | awk '$1 == "delete" {print $2}')")
    tv+=("$(echo "$out" | awk '$1 == "vacuum" {print $2}')")
}
ta=() tl=() td=() tv=()
for i in $(seq "$runs"); do
    if [ $((i % 2)) = 1 ]; then run_mnv; run_plain; else run_plain; run_mnv; fi
done
tb=()
for i in $(seq 0 $((runs - 1))); do tb+=("$(echo "${td[$i]} + ${tv[$i]}" | bc -l)"); done
m_a=$(_bench_median "${ta[@]}") m_b=$(_bench_median "${tb[@]}") m_l=$(_bench_median "${tl[@]}")
m_d=$(_bench_median "${td[@]}")
grep -q "^numbers deleted: $due" "$BENCH_TMP/dispose.out" || { echo "not all deleted"; cat "$BENCH_TMP/dispose.out"; exit 1; }
pdf=$(stat -c %s "$dir"/certificates/*.pdf) json=$(stat -c %s "$dir"/certificates/*.json)
printf 'dispose %d persons of %d, with certificate (median of %d runs, warm cache):\n' "$due" "$rows" "$runs"
printf '  mnvault dispose execute:              %8.3f s  (%s .. %s)\n' "$m_a" "$(_bench_min "${ta[@]}")" "$(_bench_max "${ta[@]}")"
printf '  (of which login and start, dispose list: %.3f s)\n' "$m_l"
printf '  plain SQLite deletes + VACUUM:        %8.3f s  (%s .. %s)\n' "$m_b" "$(_bench_min "${tb[@]}")" "$(_bench_max "${tb[@]}")"
printf '  (of which the deletes alone:          %8.3f s)\n' "$m_d"
printf '  certificate: JSON %d KB, PDF %d KB\n' $((json / 1024)) $((pdf / 1024))
echo "  ratio mnvault/plain: $(bench_ratio "$m_a" "$m_b")"
rm -rf "$tpl" "$dir" "$BENCH_TMP/dispose-plain.db"
