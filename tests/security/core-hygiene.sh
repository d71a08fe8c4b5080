#!/usr/bin/env bash
# Memory hygiene: a core of the running TUI (gcore, as root or a debugger attached to the
# clerk's process would take it) after a reveal has masked itself again, and after the
# screen is locked, holds no My Number (in any way a program keeps text: ASCII, grouped,
# UTF-16, UTF-32, screen cells), no vault key, no number key and no database key
# (raw bytes or hex). The keys are read beforehand with tests/tools/vaulttool keys.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
command -v gcore >/dev/null || t_bail "gcore (gdb) is not installed"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 60 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
printf '[session]\nreveal_seconds = 5\n' > "$T_TMP/mnvault.ini"
printf '%s\n' "$PW" | "$MNV_TOOLS/vaulttool" keys "$dir" clerk > "$T_TMP/keys" ||
    t_bail "vaulttool keys failed"
t_eq "the keys were read (vault key, number key, database key)" 3 "$(grep -cE '^[a-z]+ [0-9a-f]{64}$' "$T_TMP/keys")"

# core_holds CORE NUMBER: the secrets found in CORE, one a line ("" when none).
core_holds() {
    python3 - "$1" "$2" "$T_TMP/keys" <<'EOF'
import sys
core = open(sys.argv[1], "rb").read()
n = sys.argv[2]
forms = {"number": n, "number grouped": f"{n[:4]} {n[4:8]} {n[8:]}",
         "number hyphenated": f"{n[:4]}-{n[4:8]}-{n[8:]}", "number spaced": " ".join(n),
         "number full-width": "".join(chr(0xFF10 + int(d)) for d in n)}
found = []
for name, text in forms.items():
    for enc in ("utf-8", "utf-16-le", "utf-32-le"):
        if text.encode(enc) in core:
            found.append(f"{name} ({enc})")
# A screen buffer keeps one cell a record (ncurses' cchar_t: attributes, wide characters,
# colour): the characters of the text at a fixed distance from each other.
import re
for name in ("number", "number grouped"):
    text = forms[name].encode()
    for stride in range(2, 65):
        gap = b".{%d}" % (stride - 1)
        if re.search(gap.join(re.escape(bytes([c])) for c in text), core, re.DOTALL):
            found.append(f"{name} (cells {stride} bytes apart)")
            break
for line in open(sys.argv[3]):
    name, hexkey = line.split()
    raw = bytes.fromhex(hexkey)
    for what, b in (("raw", raw), ("hex", hexkey.encode()), ("HEX", hexkey.upper().encode()),
                    ("first half", raw[:16]), ("second half", raw[16:])):
        if b in core:
            found.append(f"{name} key ({what})")
print("\n".join(found))
EOF
}
# take_core NAME: gcore of the TUI's process into $T_TMP/NAME.core.
take_core() {
    local pid="" p
    for p in $(pgrep -x mnvault-test); do
        tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$dir " && pid=$p
    done
    [ -n "$pid" ] || return 1
    gcore -o "$T_TMP/$1" "$pid" >/dev/null 2>&1 && mv "$T_TMP/$1.$pid" "$T_TMP/$1.core"
}

# check_core WHEN CORE [open]: the number, the vault key, the number key and the database
# key, each a test. While the vault is open (open) SQLCipher must hold the database key in
# its own heap, so it is looked for only in a locked TUI's core: a locked session closes the
# database and wipes every key (session_lock, vault_suspend).
check_core() {
    local held
    held=$(core_holds "$2" "$num")
    t_eq "$1: no My Number in the core" "" "$(printf '%s\n' "$held" | grep '^number')"
    t_eq "$1: no vault key in the core" "" "$(printf '%s\n' "$held" | grep '^vk ')"
    t_eq "$1: no number key in the core" "" "$(printf '%s\n' "$held" | grep '^nk ')"
    [ "${3:-}" = open ] ||
        t_eq "$1: no database key in the core" "" "$(printf '%s\n' "$held" | grep '^db ')"
    rm -f "$2"
}

tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --config "$T_TMP/mnvault.ini" --user clerk
t_wait "login screen" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "dashboard" "Dashboard"
tmx_keys Enter; t_wait "employee list" "Employees (current"
tmx_type "練習"; t_wait "filter" "Filter: 練習_"
tmx_keys Enter; tmx_keys Enter
t_wait "detail opened" "Purposes notified"
tmx_keys F5; t_wait "reveal: purposes offered" "Purpose (only those notified"
tmx_type "年末調整の確認"; tmx_keys Enter
t_wait "reveal: the number shows" " s left"
tmx_screen > "$T_TMP/rev.txt"
num=$(valid_numbers_in "$T_TMP/rev.txt" | head -n 1)
t_eq "reveal: one number on the screen" 12 "${#num}"
t_wait_gone "reveal: masked again" " s left" 10

t_ok "a core of the TUI after reveal and re-mask (gcore)" take_core masked
check_core "after reveal and re-mask" "$T_TMP/masked.core" open

tmx_keys F12
t_wait "lock screen" "Locked — clerk"
t_ok "a core of the TUI after lock (gcore)" take_core locked
check_core "after lock" "$T_TMP/locked.core"

# The check can fail: a core taken while the number shows holds it.
tmx_type "$PW"; tmx_keys Enter
t_wait "unlocked" "Purposes notified"
tmx_keys F5; t_wait "reveal again" "Purpose (only those notified"
tmx_type "確認"; tmx_keys Enter; t_wait "revealed again" " s left"
t_ok "a core while the number shows" take_core shown
t_contains "… holds the number (the check sees what it looks for)" "number" \
    "$(core_holds "$T_TMP/shown.core" "$num")"
rm -f "$T_TMP/shown.core"
tmx_keys F10
t_done
