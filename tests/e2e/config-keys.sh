#!/usr/bin/env bash
# Every key of the configuration table changes what mnvault does. The keys are read from
# the table itself (`mnvault config sample`, which prints every row), so a key added there
# without a proof here fails this test. Each proof runs the same thing with the default
# and with another value, through the real program (commands, or the terminal application
# in tmux), and looks at the difference.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 8 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
conf() { # NAME SECTION KEY VALUE: a configuration file with that one key
    printf '[%s]\n%s = %s\n' "$2" "$3" "$4" > "$T_TMP/$1.ini"
    echo "$T_TMP/$1.ini"
}
printf '; every key at its default\n' > "$T_TMP/default.ini"
as() { # USER CONFIG CMD…
    local u=$1 c=$2; shift 2
    printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0 --config "$c"
}
# A registered employee of the demo vault (the first with a number).
code=$(as clerk "$T_TMP/default.ini" employee list --status registered | awk 'NR == 2 { print $1 }')
[ -n "$code" ] || t_bail "no registered employee in the demo vault"
# tui CONFIG [COLS ROWS LANG]: the terminal application signed in as clerk, on the dashboard.
tui() {
    tmx_stop
    tmx_start "${2:-80}" "${3:-24}" "${4:-C.UTF-8}" "$MNV_TEST" --data-dir "$dir" --user clerk --config "$1"
    tmx_wait "Password" >/dev/null || return 1
    tmx_type "$PW"; tmx_keys Enter
    tmx_wait "Dashboard" >/dev/null
}
open_record() { # the record of $code from the dashboard
    tmx_keys Enter; tmx_wait "Employees (current" >/dev/null
    tmx_type "$code"; tmx_keys Enter; tmx_keys Enter
    tmx_wait "Purposes notified" >/dev/null
}

key_display_mask() {
    local d l
    d=$(as clerk "$T_TMP/default.ini" employee show "$code" | grep -m1 'My Number:')
    l=$(as clerk "$(conf mask display mask last4)" employee show "$code" | grep -m1 'My Number:')
    t_contains "[display] mask: none shows no digit (command)" "registered **** **** ****" "$d"
    t_ok "[display] mask = last4 shows the last four (command)" grep -qE 'registered \*{4} \*{4} [0-9]{4}$' <<<"$l"
    tui "$T_TMP/mask.ini" && open_record
    local scr; scr=$(tmx_screen)
    t_ok "[display] mask = last4 shows the last four (record screen)" grep -qE '\*{4} \*{4} [0-9]{4}  registered' <<<"$scr"
    t_eq "[display] mask = last4: never a whole number on the screen" "" "$(printf '%s' "$scr" | valid_numbers_in /dev/stdin)"
    tui "$T_TMP/default.ini" && open_record
    t_contains "[display] mask = none: the record screen shows no digit" "**** **** ****  registered" "$(tmx_screen)"
}

key_display_language() {
    t_contains "[display] language = auto follows LANG" "Usage: mnvault employee" "$("$MNV_TEST" employee --help --config "$T_TMP/default.ini")"
    t_contains "[display] language = ja: Japanese whatever LANG says" "使い方: mnvault employee" \
        "$(LANG=C.UTF-8 "$MNV_TEST" employee --help --config "$(conf ja display language ja)")"
    t_contains "[display] language = en: English whatever LANG says" "Usage: mnvault employee" \
        "$(LANG=ja_JP.UTF-8 "$MNV_TEST" employee --help --config "$(conf en display language en)")"
}

key_display_color() {
    local sgr='\[(3[0-7]|4[0-7]|38;|48;)'
    tui "$T_TMP/default.ini"
    t_ok "[display] color = true: the screen has colours" grep -qE "$sgr" <<<"$(tmx_screen_color)"
    tui "$(conf nocolor display color false)"
    t_ok "[display] color = false: no colour at all" bash -c '! grep -qE "$1" <<<"$2"' _ "$sgr" "$(tmx_screen_color)"
    t_contains "[display] color = false: the screen is drawn still" "Dashboard" "$(tmx_screen)"
}

key_session_idle_lock_seconds() {
    tui "$T_TMP/default.ini"
    t_contains "[session] idle_lock_seconds default: 5 minutes on the title" "Auto-lock 5:00" "$(tmx_screen)"
    tui "$(conf idle session idle_lock_seconds 45)"
    t_ok "[session] idle_lock_seconds = 45: under a minute on the title" grep -qE 'Auto-lock 0:4[0-5]' <<<"$(tmx_screen)"
}

key_session_reveal_seconds() {
    local left
    for c in default reveal; do
        [ $c = reveal ] && conf reveal session reveal_seconds 7 >/dev/null
        tui "$T_TMP/$c.ini" && open_record
        tmx_keys F5; tmx_wait "Purpose (only those notified" >/dev/null
        tmx_type "設定の確認"; tmx_keys Enter; tmx_wait " s left" >/dev/null
        left=$(tmx_screen | grep -oE '[0-9]+ s left' | grep -oE '^[0-9]+')
        if [ $c = default ]; then
            t_ok "[session] reveal_seconds default: about 30 s" test "${left:-0}" -ge 25
        else
            t_ok "[session] reveal_seconds = 7: at most 7 s" test "${left:-99}" -le 7
            tmx_wait_gone " s left" 12 >/dev/null
            t_eq "[session] reveal_seconds = 7: masked again, no number left" "" "$(tmx_history | valid_numbers_in /dev/stdin)"
        fi
    done
}

key_vault_data_dir() {
    local out
    out=$(env -u MNVAULT_DATA_DIR sh -c 'printf "%s\n" "$1" | "$2" employee list --user clerk --password-fd 0 --config "$3" 2>&1' _ "$PW" "$MNV_TEST" "$T_TMP/default.ini")
    t_contains "[vault] data_dir empty: the default folder (no vault there)" "no vault" "$out"
    out=$(env -u MNVAULT_DATA_DIR sh -c 'printf "%s\n" "$1" | "$2" employee list --user clerk --password-fd 0 --config "$3" 2>&1' _ "$PW" "$MNV_TEST" "$(conf dd vault data_dir "$dir")")
    t_contains "[vault] data_dir: the vault in that folder" "$code" "$out"
}

# The test build's cheap key derivation still spends one pass more for "sensitive".
passes_of() { "$MNV_TOOLS/vaulttool" slots "$dir" | awk -v u="$1" '$1 == u { print $2 }'; }
key_vault_kdf_strength() {
    local pw2="a second long passphrase of the reader" pw3="and a third long passphrase of the reader"
    printf '%s\n%s\n' "$PW" "$pw2" | "$MNV_TEST" user passwd --data-dir "$dir" --user auditor --password-fd 0 --config "$T_TMP/default.ini" >"$T_TMP/kdf.out" 2>&1
    local moderate; moderate=$(passes_of auditor)
    printf '%s\n%s\n' "$pw2" "$pw3" | "$MNV_TEST" user passwd --data-dir "$dir" --user auditor --password-fd 0 --config "$(conf kdf vault kdf_strength sensitive)" >>"$T_TMP/kdf.out" 2>&1
    local sensitive; sensitive=$(passes_of auditor)
    t_ok "[vault] kdf_strength = sensitive: the new password's slot costs more" test -n "$moderate" -a "${sensitive:-0}" -gt "${moderate:-0}"
}

pragma() { printf '%s\n' "$PW" | "$MNV_TOOLS/vaulttool" pragmas "$dir" clerk "$1" | sed -n "s/^$2=//p"; }
key_vault_cache_mib() {
    t_eq "[vault] cache_mib default: 8 MiB of page cache" "-8192" "$(pragma "$T_TMP/default.ini" cache_size)"
    t_eq "[vault] cache_mib = 20: 20 MiB" "-20480" "$(pragma "$(conf cache vault cache_mib 20)" cache_size)"
}

key_vault_memory_security() {
    t_eq "[vault] memory_security default: off" "0" "$(pragma "$T_TMP/default.ini" cipher_memory_security)"
    t_eq "[vault] memory_security = true: SQLCipher locks its memory" "1" "$(pragma "$(conf memsec vault memory_security true)" cipher_memory_security)"
}

key_audit_syslog() {
    MNVAULT_TEST_SYSLOG=$T_TMP/syslog.on as clerk "$T_TMP/default.ini" employee list >/dev/null 2>&1
    # Only the system file switches it off (issue 11: a user's own file may not hide the copy).
    MNVAULT_TEST_SYSLOG=$T_TMP/syslog.user as clerk "$(conf nosyslog audit syslog false)" employee list >/dev/null 2>&1
    MNVAULT_SYSTEM_CONFIG=$(conf nosyslog audit syslog false) MNVAULT_TEST_SYSLOG=$T_TMP/syslog.off \
        as clerk "$T_TMP/default.ini" employee list >/dev/null 2>&1
    t_ok "[audit] syslog = true: the audit head goes to the system log" grep -q "audit head seq=" "$T_TMP/syslog.on"
    t_ok "[audit] syslog = false in a user's file: ignored, the head still goes there" grep -q "audit head seq=" "$T_TMP/syslog.user"
    t_ok "[audit] syslog = false in the system file: nothing goes there" test ! -s "$T_TMP/syslog.off"
}

key_backup_dir() {
    as supervisor "$(conf bdir backup dir "$T_TMP/elsewhere")" backup >/dev/null 2>&1
    t_eq "[backup] dir: the managed backup is written there" "1" "$(ls "$T_TMP/elsewhere"/*.mnvbak 2>/dev/null | wc -l)"
    as supervisor "$T_TMP/default.ini" backup >/dev/null 2>&1
    t_eq "[backup] dir empty: into the vault's own backups folder" "1" "$(ls "$dir"/backups/*.mnvbak 2>/dev/null | wc -l)"
}

key_backup_generations() {
    printf '[backup]\ndir = %s\n' "$T_TMP/gen" > "$T_TMP/gen7.ini"
    printf '[backup]\ndir = %s\ngenerations = 1\n' "$T_TMP/gen" > "$T_TMP/gen1.ini"
    for i in 1 2 3; do # a backup's name carries its time: one (fixed) clock a backup
        MNVAULT_TEST_NOW=2026-11-27T0$i:00:00 as supervisor "$T_TMP/gen7.ini" backup >/dev/null 2>&1
    done
    t_eq "[backup] generations default (7): three backups kept" "3" "$(ls "$T_TMP/gen"/*.mnvbak | wc -l)"
    MNVAULT_TEST_NOW=2026-11-27T04:00:00 as supervisor "$T_TMP/gen1.ini" backup >/dev/null 2>&1
    t_eq "[backup] generations = 1: only the newest managed backup kept" \
        "mnvault-20261127T040000Z" "$(ls "$T_TMP/gen" "$dir/backups" "$T_TMP/elsewhere" 2>/dev/null | grep -o '^mnvault-[0-9TZ]*' | tr '\n' ' ' | sed 's/ $//')"
}

keys=$("$MNV" config sample | awk '/^\[/ { s = substr($0, 2, length($0) - 2) } /^[a-z_]+ = / { print s "." $1 }')
t_ok "the configuration table has keys" test "$(wc -w <<<"$keys")" -ge 10
for k in $keys; do
    fn=key_${k//./_}
    if declare -F "$fn" >/dev/null; then
        "$fn"
    else
        t_fail "[${k%%.*}] ${k#*.}: no test here proves that this key changes anything"
    fi
done
tmx_stop
t_done
