#!/usr/bin/env bash
# The employee list with 100,000 employees (a demo vault: dependants, purposes, year-end
# figures, audit entries), driven in tmux like the e2e tests: the time to open the list
# (cold: the first time after login, so SQLCipher's cache holds none of its pages; the
# kernel's file cache is warm), of one filter step (a keystroke: filtering + drawing the
# screen), typing six characters and then six Backspaces, both counted, and of drawing a
# full screen (a page down), measured inside the program (test build, MNVAULT_TEST_TIMING),
# and the process's peak memory (VmHWM). Baseline side by side: `grep -F -c` of the same
# query over a file of the same search keys. Targets (issue 18): list ready <= 300 ms (the
# first screen <= 100 ms), keystroke median <= 2 ms and worst <= 8 ms, peak <= 30 MB.
. "$MNV_ROOT/tests/bench/lib.sh"
T_TMP=$BENCH_TMP/tui-tmp; rm -rf "$T_TMP"; mkdir -p "$T_TMP"
. "$MNV_ROOT/tests/lib/tmux.sh"
PW=${BENCH_TUI_PW:-"correct horse battery staple"}
N=${BENCH_EMPLOYEES:-100000}
dir=${BENCH_TUI_DIR:-$BENCH_TMP/tui-$N} # BENCH_TUI_DIR/_USER/_PW/_QUERY: another vault (scale.sh)
user=${BENCH_TUI_USER:-clerk}
export MNVAULT_TEST_FAST_KDF=1
if [ ! -f "$dir/vault.keys" ]; then
    rm -rf "$dir"
    s=$(date +%s.%N)
    printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees "$N" --password-fd 0 >/dev/null || exit 1
    e=$(date +%s.%N)
    printf 'demo vault with %d employees created in %.1f s\n' "$N" "$(echo "$e - $s" | bc -l)"
fi
timing=$T_TMP/timing.txt

run_size() { # COLS ROWS
    : > "$timing"
    MNVAULT_TEST_TIMING=$timing tmx_start "$1" "$2" C.UTF-8 "$MNV_TEST" --data-dir "$dir" --user "$user" ${BENCH_TUI_CONFIG:+--config "$BENCH_TUI_CONFIG"}
    tmx_wait "Password" 20 || return 1
    tmx_type "$PW"; tmx_keys Enter; tmx_wait "Dashboard" "${BENCH_TUI_WAIT:-20}" || return 1
    local pid0; pid0=$(pgrep -f "^$MNV_TEST --data-dir $dir" | head -n 1)
    local hwm0 rss0; hwm0=$(awk '/VmHWM/ { print $2 }' "/proc/$pid0/status" 2>/dev/null)
    rss0=$(awk '/VmRSS/ { print $2 }' "/proc/$pid0/status" 2>/dev/null)
    : > "$timing"
    tmx_keys Enter; tmx_wait "Employees (current" "${BENCH_TUI_WAIT:-60}" || return 1
    local load; load=$(awk '$1 == "key" { print $2 }' "$timing" | head -n 1)
    local lf lq lm; lf=$(awk '$1 == "list.first" { print $2 }' "$timing" | head -n 1)
    lq=$(awk '$1 == "list.query" { print $2 }' "$timing" | head -n 1)
    lm=$(awk '$1 == "list.model" { print $2 }' "$timing" | head -n 1)
    : > "$timing"
    local q=${BENCH_TUI_QUERY:-ｼｹﾝﾊﾅｺ} i
    for i in $(seq 1 ${#q}); do tmx_type "${q:i-1:1}"; tmx_wait "Filter: ${q:0:i}_" 10 >/dev/null || return 1; done
    for i in 1 2 3 4 5 6; do tmx_keys BSpace; sleep 0.05; done
    tmx_wait_gone "Filter: ｼ" 10 >/dev/null
    tmx_keys Escape; tmx_wait_gone "Filter:" 10 >/dev/null
    local steps=$T_TMP/steps.txt
    paste -d' ' <(awk '$1 == "key" { print $2 }' "$timing") <(awk '$1 == "draw" { print $2 }' "$timing") \
        | awk '{ print $1 + $2 }' | head -n 12 > "$steps"
    head -n 6 "$steps" > "$T_TMP/typed.txt"; tail -n +7 "$steps" > "$T_TMP/back.txt"
    : > "$timing"
    for i in $(seq 1 20); do tmx_keys NPage; done
    sleep 0.5
    local draws=$T_TMP/draws.txt
    awk '$1 == "draw" { print $2 }' "$timing" > "$draws"
    local pid; pid=$(pgrep -f "^$MNV_TEST --data-dir $dir" | head -n 1)
    local hwm rss; hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    tmx_keys F10; tmx_wait "__EXIT=" 10 >/dev/null; tmx_stop
    med() { sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
    mx() { sort -n "$1" | tail -n 1; }
    ms() { echo "$1 / 1000" | bc -l; }
    printf '%sx%s:\n  list (cold): first screen drawn after %.1f ms; whole list ready after %.1f ms (its query %.0f ms, model %.0f ms)\n' \
        "$1" "$2" "$(ms "${lf:-0}")" "$(ms "${load:-0}")" "$(ms "${lq:-0}")" "$(ms "${lm:-0}")"
    printf '  keystroke (filter + draw) over %d steps incl. Backspace: median %.2f ms, worst %.2f ms (typing: median %.2f, worst %.2f; Backspace: median %.2f, worst %.2f)\n' \
        "$(wc -l < "$steps")" "$(ms "$(med "$steps")")" "$(ms "$(mx "$steps")")" \
        "$(ms "$(med "$T_TMP/typed.txt")")" "$(ms "$(mx "$T_TMP/typed.txt")")" \
        "$(ms "$(med "$T_TMP/back.txt")")" "$(ms "$(mx "$T_TMP/back.txt")")"
    printf '  full-screen draw median %.2f ms, worst %.2f ms\n' "$(ms "$(med "$draws")")" "$(ms "$(mx "$draws")")"
    printf '  memory: peak (VmHWM) %.1f MB, of which %.1f MB was reached before the list was opened (login and the dashboard); resident (VmRSS) on the dashboard %.1f MB, with the list %.1f MB\n' \
        "$(echo "${hwm:-0} / 1024" | bc -l)" "$(echo "${hwm0:-0} / 1024" | bc -l)" \
        "$(echo "${rss0:-0} / 1024" | bc -l)" "$(echo "${rss:-0} / 1024" | bc -l)"
    echo "$(med "$steps")" > "$T_TMP/median-step"
}
run_size 80 24 || echo "tui bench failed at 80x24"
step80=$(cat "$T_TMP/median-step" 2>/dev/null)
[ -n "${BENCH_TUI_DIR:-}" ] || run_size 200 60 || echo "tui bench failed at 200x60"

# Baseline: grep over the same keys, one process per keystroke as the query grows.
keys=$T_TMP/keys.txt
awk 'BEGIN { srand(1) } { }' /dev/null
"$MNV_TOOLS/tui-keys" "$dir" "$PW" > "$keys" 2>/dev/null || true
if [ -z "${BENCH_TUI_DIR:-}" ] && [ -s "$keys" ]; then
    t=$(bench_time bash -c "for q in シ シケ シケン シケンハ シケンハナ シケンハナコ; do LC_ALL=C grep -F -c \"\$q\" '$keys' >/dev/null; done")
    per=$(echo "$t / 6 * 1000" | bc -l)
    printf 'baseline grep -F -c per keystroke over the same %d keys: %.2f ms\n' "$(wc -l < "$keys")" "$per"
    [ -n "$step80" ] && printf 'ratio mnvault keystroke / grep keystroke: %.2f\n' "$(echo "$step80 / 1000 / $per" | bc -l)"
fi
