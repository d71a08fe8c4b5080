#!/usr/bin/env bash
# `make bench-scale`: one vault of 1,000,000 people (BENCH_SCALE_ROWS), built by the bulk
# insert path (vaulttool bench, the path `mnvault import` and `demo` take), with 1,000,000
# audit entries (BENCH_SCALE_AUDIT) as years of use leave them. Figures against the targets
# of issue 18: import <= 60 s, a filter keystroke <= 10 ms, `verify` <= 10 s, `audit verify`
# <= 2 s. Each command's own time is given beside the time of the login alone (production
# Argon2id), which it includes, and with its CPU time (user + system, all threads). Not run
# by `make bench` (it takes many minutes and about 1 GB of disk); nothing here asserts a
# time.
. "$MNV_ROOT/tests/bench/lib.sh"
rows=${BENCH_SCALE_ROWS:-1000000}
audit=${BENCH_SCALE_AUDIT:-1000000}
dir=$BENCH_TMP/scale-$rows
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
unset MNVAULT_TEST_FAST_KDF
if [ ! -f "$dir/vault.keys" ]; then
    rm -rf "$dir"
    out=$("$MNV_TOOLS/vaulttool" bench "$dir" "$rows") || { echo "vaulttool bench failed"; exit 1; }
    printf 'insert of %d people with numbers (bulk path, one transaction): %.1f s (target 60 s)\n' \
        "$rows" "$(echo "$out" | awk '$1 == "insert" { print $2 }')"
    out=$("$MNV_TOOLS/vaulttool" auditfill "$dir" "$audit") || { echo "vaulttool auditfill failed"; exit 1; }
    printf '%d audit entries appended in %.1f s\n' "$audit" "$(echo "$out" | awk '$1 == "auditfill" { print $2 }')"
else
    echo "(reusing the vault in $dir)"
fi
printf 'vault.db: %.0f MB\n' "$(echo "$(stat -c %s "$dir/vault.db") / 1048576" | bc -l)"
mnv() { printf '%s\n' "$pw" | "$MNV_TEST" "$@" --data-dir "$dir" --user sup --password-fd 0 >/dev/null 2>&1; }
# timed CMD...: "WALL CPU" in seconds, CPU being user + system of CMD and all its threads
# (on a shared machine the wall time follows the load, the CPU time much less).
timed() {
    local TIMEFORMAT='%R %U %S'
    { time "$@"; } 2>&1 | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}
printf 'load average before the commands: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
read -r login login_cpu <<<"$(timed mnv backup --list)"
printf 'login alone (backup --list): %.2f s, CPU %.2f s\n' "$login" "$login_cpu"
read -r t cpu <<<"$(timed mnv verify)"
printf 'verify: %.2f s, %.2f s without the login (target 10 s); CPU %.2f s\n' "$t" \
    "$(echo "$t - $login" | bc -l)" "$cpu"
read -r t cpu <<<"$(timed mnv audit verify)"
printf 'audit verify: %.2f s, %.2f s without the login (target 2 s); CPU %.2f s\n' "$t" \
    "$(echo "$t - $login" | bc -l)" "$cpu"
# The list and a filter keystroke in the terminal application (tui.sh on this vault).
BENCH_TUI_DIR=$dir BENCH_TUI_USER=sup BENCH_TUI_PW=$pw BENCH_TUI_QUERY=E00012 BENCH_TUI_WAIT=600 \
    bash "$MNV_ROOT/tests/bench/tui.sh"
