# tests/lib/tmux.sh: drive the real TUI in a private tmux server, as a clerk would.
# Source after tests/lib/tap.sh. One server per test file (socket in $T_TMP), killed on exit.
#   tmx_start COLS ROWS LANG CMD...   start CMD in a fresh session of that size and locale
#   tmx_keys KEY...                   tmux key names: Enter Escape F1 Down C-l …
#   tmx_type TEXT                     literal text (UTF-8 fine)
#   tmx_wait TEXT [SECONDS]           poll the screen every 50 ms until TEXT shows
#   tmx_wait_gone TEXT [SECONDS]      …until TEXT is gone
#   tmx_screen / tmx_screen_color     the visible screen (trailing blanks stripped) / with SGR
#   tmx_history                       the whole pane including scrollback
#   tmx_resize COLS ROWS              resize the window (the app gets SIGWINCH)
#   tmx_exit_code                     the program's exit status once it has ended ("" before)
#   tmx_settled OUT GOLDEN [FILTER...]  the screen once it equals GOLDEN (at most 5 s)
#   tmx_stop
# Waits never sleep blindly: every step waits for the screen to show its effect.
_tmx_sock="" _tmx_n=0
tmx() { tmux -S "$_tmx_sock" "$@"; }
tmx_start() {
    local cols=$1 rows=$2 lang=$3; shift 3
    _tmx_n=$((_tmx_n + 1))
    _tmx_sock=$T_TMP/tmux-$_tmx_n.sock
    local cmd="" a
    for a in "$@"; do cmd="$cmd $(printf '%q' "$a")"; done
    # The pane keeps running after the program ends, so its exit status can be read.
    tmx -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
        "env LC_ALL= LANGUAGE= LANG=$lang TERM=tmux-256color $cmd; echo __EXIT=\$?; sleep 600"
    tmx set-option -g window-size manual >/dev/null 2>&1
    tmx set-option -g history-limit 5000 >/dev/null 2>&1
    trap 'tmx_stop; rm -rf "$T_TMP"' EXIT
}
tmx_stop() { [ -n "$_tmx_sock" ] && tmx kill-server >/dev/null 2>&1; _tmx_sock=""; }
tmx_keys() { tmx send-keys -t t "$@"; }
tmx_type() { tmx send-keys -t t -l "$1"; }
tmx_screen() { tmx capture-pane -p -t t | sed -e 's/[[:space:]]*$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
tmx_screen_color() { tmx capture-pane -p -e -t t; }
tmx_history() { tmx capture-pane -p -S - -E - -t t; }
tmx_resize() { tmx resize-window -t t -x "$1" -y "$2"; }
tmx_exit_code() { tmx_screen | sed -n 's/^__EXIT=\([0-9]*\)$/\1/p' | tail -n 1; }
tmx_wait() {
    local text=$1 limit=${2:-10} end
    end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
    while [ "$(( $(date +%s%N) / 1000000 ))" -lt "$end" ]; do
        if tmx capture-pane -p -t t 2>/dev/null | grep -qF -- "$text"; then return 0; fi
        sleep 0.05
    done
    echo "# timed out after ${limit}s waiting for: $text"
    tmx_screen | sed 's/^/#   | /'
    return 1
}
tmx_wait_gone() {
    local text=$1 limit=${2:-10} end
    end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
    while [ "$(( $(date +%s%N) / 1000000 ))" -lt "$end" ]; do
        if ! tmx capture-pane -p -t t 2>/dev/null | grep -qF -- "$text"; then return 0; fi
        sleep 0.05
    done
    echo "# timed out after ${limit}s waiting for this to go: $text"
    tmx_screen | sed 's/^/#   | /'
    return 1
}
# t_wait NAME TEXT [SECONDS]: a TAP test that passes when TEXT shows.
t_wait() { if tmx_wait "$2" "${3:-10}"; then t_pass "$1"; else t_fail "$1" "screen never showed: $2"; fi; }
t_wait_gone() { if tmx_wait_gone "$2" "${3:-10}"; then t_pass "$1"; else t_fail "$1" "screen still shows: $2"; fi; }
# tmx_settled OUT GOLDEN [FILTER...]: the screen (through FILTER, e.g. sed to mask the
# clock) into OUT once it equals GOLDEN, or after 5 s: a key's effect may still be drawing
# on a slow machine. With MNV_REGEN=1 it waits half a second and takes what is there.
tmx_settled() {
    local out=$1 golden=$2 i; shift 2
    [ $# -gt 0 ] || set -- cat
    for i in $(seq 100); do
        tmx_screen | "$@" > "$out"
        if [ "${MNV_REGEN:-0}" = 1 ]; then [ "$i" -ge 10 ] && return; else cmp -s "$out" "$golden" && return; fi
        sleep 0.05
    done
}
# t_screen_golden NAME FILE: compare the settled screen with a saved one (the clock line is
# made stable by the caller fixing MNVAULT_TEST_NOW).
t_screen_golden() { tmx_settled "$T_TMP/screen.txt" "$2"; t_golden "$1" "$2" "$T_TMP/screen.txt"; }
# tmx_mask_clock: the title line's clock (and what follows it) as HH:MM, for goldens.
tmx_mask_clock() { sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/'; }
# t_clock_golden NAME FILE: t_screen_golden with the clock masked.
t_clock_golden() { tmx_settled "$T_TMP/screen.txt" "$2" tmx_mask_clock; t_golden "$1" "$2" "$T_TMP/screen.txt"; }
# valid_numbers_in FILE: print every 12-digit run with a valid check digit (ASCII or
# full-width, plain or 4-4-4 grouped), so a test can require that none is on the screen.
# Runs of 32 or more hex digits (SHA-256 values, keys' fingerprints) are left out first:
# their digits are no number, though now and then 12 of them in a row pass the check digit
# by chance.
valid_numbers_in() {
    sed -E 's/[0-9A-Fa-f]{32,}/<hex>/g' "$1" | sed -e 's/０/0/g;s/１/1/g;s/２/2/g;s/３/3/g;s/４/4/g;s/５/5/g;s/６/6/g;s/７/7/g;s/８/8/g;s/９/9/g' |
        sed -E 's/([0-9]{4})[ -]([0-9]{4})[ -]([0-9]{4})/\1\2\3/g' |
        grep -oE '[0-9]+' | awk 'length($0) == 12 {
            w = "65432765432"; s = 0
            for (i = 1; i <= 11; i++) s += substr($0, i, 1) * substr(w, i, 1)
            r = s % 11; c = (r <= 1) ? 0 : 11 - r
            if (c == substr($0, 12, 1)) print }'
}
