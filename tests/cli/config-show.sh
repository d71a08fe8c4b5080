#!/usr/bin/env bash
# `mnvault config show`: every setting in effect, and whether it is the default or set —
# the same lines (adminview.h) as the settings screen of the F9 menu.
. "$MNV_ROOT/tests/lib/tap.sh"
out=$("$MNV" config show); rc=$?
t_eq "show: exit 0" 0 "$rc"
t_eq "one line per key of the sample" "$("$MNV" config sample | grep -cE '^[a-z_]+ ?=')" "$(printf '%s\n' "$out" | wc -l)"
t_contains "the mask, default" "[display] mask" "$(printf '%s\n' "$out" | grep 'mask' | grep 'default')"
printf '[display]\nmask = last4\n[session]\nidle_lock_seconds = 120\n' > "$T_TMP/c.ini"
out=$("$MNV" config show --config "$T_TMP/c.ini")
t_contains "a value set in a file" "last4" "$(printf '%s\n' "$out" | grep '\[display\] mask')"
t_contains "... said to be set" "set" "$(printf '%s\n' "$out" | grep '\[display\] mask')"
t_contains "the idle lock as set" "120" "$(printf '%s\n' "$out" | grep 'idle_lock_seconds')"
t_contains "an unchanged key still default" "default" "$(printf '%s\n' "$out" | grep 'reveal_seconds')"
out=$(LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$MNV" config show --config "$T_TMP/c.ini")
t_contains "(ja) set" "設定済み" "$out"
t_contains "(ja) default" "既定" "$out"
printf '[session]\nidle_lock_seconds = 5\n' > "$T_TMP/bad.ini"
t_status "a bad value: usage error" 2 "$MNV" config show --config "$T_TMP/bad.ini"
t_status "show takes nothing more" 2 "$MNV" config show extra
t_done
