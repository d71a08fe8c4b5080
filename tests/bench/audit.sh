#!/usr/bin/env bash
# The audit log at 1,000,000 entries (BENCH_AUDIT_ENTRIES): opening the F8 screen, a filter
# applied in it, paging and jumping to the oldest entry, measured inside the program (test
# build, MNVAULT_TEST_TIMING: the key's handling, which runs the queries, and the draw);
# and `mnvault audit list --limit 20` with each kind of filter as a whole process (start,
# login with the test KDF, query, print) in interleaved pairs beside the baseline
# `grep -c` of the same filter over a CSV export of the same log (a process that only
# searches a file already on disk; warm cache for both after the first run).
. "$MNV_ROOT/tests/bench/lib.sh"
T_TMP=$BENCH_TMP/audit-tmp; rm -rf "$T_TMP"; mkdir -p "$T_TMP"
. "$MNV_ROOT/tests/lib/tmux.sh"
PW="correct horse battery staple"
N=${BENCH_AUDIT_ENTRIES:-1000000}
dir=$BENCH_TMP/audit-$N
export MNVAULT_TEST_FAST_KDF=1
if [ ! -f "$dir/vault.keys" ] || [ ! -f "$dir/export.csv" ]; then
    rm -rf "$dir"
    s=$(date +%s.%N)
    printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 500 --password-fd 0 >/dev/null || exit 1
    start=$(( $(date +%s) + 60 ))
    printf '%s\n' "$PW" | "$MNV_TOOLS/audittool" fill "$dir" supervisor "$N" "$start" 3 || exit 1
    printf '%s\n' "$PW" | "$MNV_TEST" audit export --format csv --data-dir "$dir" --user auditor \
        --password-fd 0 --output "$dir/export.csv" 2>/dev/null || exit 1
    e=$(date +%s.%N)
    printf 'vault with %d audit entries and its CSV export made in %.0f s (vault.db %d MB, export %d MB)\n' \
        "$N" "$(echo "$e - $s" | bc -l)" "$(( $(stat -c %s "$dir/vault.db") / 1048576 ))" \
        "$(( $(stat -c %s "$dir/export.csv") / 1048576 ))"
fi
day=$(awk -F'"' 'NR == int('"$N"' / 2) { print substr($4, 1, 10) }' "$dir/export.csv")
list() { echo "printf '%s\n' '$PW' | '$MNV_TEST' audit list --limit 20 --data-dir '$dir' --user auditor --password-fd 0 $*"; }
pair() { # NAME FILTER GREP-PATTERN
    echo "$1"
    bench_pair 7 "mnvault audit list $2" "$(list "$2")" "grep -c over the export" "LC_ALL=C grep -c -- '$3' '$dir/export.csv'"
    printf '  ratio mnvault / grep: %.2f\n' "$(echo "$BENCH_MEDIAN_A / $BENCH_MEDIAN_B" | bc -l)"
}
pair "no filter (the newest page)" "" '"ok"'
pair "one user" "--by clerk2" '"clerk2"'
pair "one action" "--action reveal" '"reveal"'
pair "a rare result" "--result denied" '"denied"'
pair "one employee (and dependants, exports)" "--person E000001" '"E000001"'
pair "one day" "--from $day --to $day" "\"$day"
pair "an action prefix with no entry" "--action disposal." '"disposal\.'

# Inside the screen.
timing=$T_TMP/timing.txt
: > "$timing"
MNVAULT_TEST_TIMING=$timing tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --user auditor
tmx_wait "Password" 20 >/dev/null || { echo "tui: no login"; exit 1; }
tmx_type "$PW"; tmx_keys Enter; tmx_wait "Dashboard" 30 >/dev/null || exit 1
key_ms() { awk '$1 == "key" { k = $2 } $1 == "draw" { d = $2 } END { printf "%.1f", (k + d) / 1000 }' "$timing"; }
: > "$timing"; tmx_keys F8; tmx_wait "Chain:" 60 >/dev/null; sleep 0.3
open=$(key_ms)
tmx_keys f; tmx_wait "Filter the audit log" 10 >/dev/null
tmx_keys Tab; tmx_type reveal; tmx_keys Tab; tmx_type E000001
: > "$timing"; tmx_keys Enter; tmx_wait "action reveal" 60 >/dev/null; sleep 0.3
filt=$(key_ms)
: > "$timing"
for i in $(seq 1 10); do tmx_keys NPage; done
sleep 1
pages=$(awk '$1 == "key" { k[++n] = $2 } $1 == "draw" { d[++m] = $2 } END { for (i = 1; i <= n; i++) print (k[i] + d[i]) / 1000 }' "$timing" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }')
: > "$timing"; tmx_keys End; sleep 1
oldest=$(key_ms)
pid=$(pgrep -f "^$MNV_TEST --data-dir $dir" | head -n 1)
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
tmx_keys F10; tmx_wait "__EXIT=" 10 >/dev/null; tmx_stop
printf 'screen at %d entries: open F8 %s ms; filter (reveal of one employee) applied %s ms; page down median %s ms; End (oldest) %s ms; peak memory %.1f MB\n' \
    "$N" "$open" "$filt" "$pages" "$oldest" "$(echo "${hwm:-0} / 1024" | bc -l)"
