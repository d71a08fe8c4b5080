#!/usr/bin/env bash
# Issue 11 finding 9: a locked session keeps no key. The TUI runs in tmux as a clerk who
# opened a record and revealed a number (so the number key, an epoch key and the database's
# pages were all in use); then the screen is locked (F12) and the whole readable memory of
# the process is read through /proc/PID/mem, as root or a debugger attached to the clerk's
# process would read it (this also reads libsodium's locked pages, which a core file leaves
# out). Every key of the session (tests/tools/keydump: vault key, number key, the slot's
# private key, the database key SQLCipher is given, the subkeys, the epoch keys) is looked
# for raw, in hex (either case) and by halves. A read while signed in must find them (the
# check sees what it looks for). After unlocking, the screens the clerk had open work again.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 60 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
printf '[session]\nreveal_seconds = 5\n' > "$T_TMP/mnvault.ini"
printf '%s\n' "$PW" | "$MNV_TOOLS/keydump" "$dir" clerk > "$T_TMP/keys" 2>&1 ||
    t_bail "keydump: $(cat "$T_TMP/keys")"
for k in vk nk sk db field chain blind epoch-1; do
    grep -q "^$k [0-9a-f]\{64\}$" "$T_TMP/keys" || t_bail "keydump printed no $k key"
done

# mem_holds PID: the keys found in the process's readable memory, one a line ("" for none);
# exit 3 when the memory cannot be read at all (not root, or ptrace refused).
mem_holds() {
    python3 - "$1" "$T_TMP/keys" <<'EOF'
import re, sys
pid = sys.argv[1]
chunks = []
try:
    mem = open(f"/proc/{pid}/mem", "rb", 0)
    for line in open(f"/proc/{pid}/maps"):
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
        if not m or m.group(3)[0] != "r" or "[vvar]" in line or "[vsyscall]" in line:
            continue
        lo, hi = int(m.group(1), 16), int(m.group(2), 16)
        try:
            mem.seek(lo)
            chunks.append(mem.read(hi - lo))
        except OSError:
            pass  # a guard page, or a mapping that went away
except OSError as e:
    print(f"cannot read the memory of {pid}: {e}", file=sys.stderr)
    sys.exit(3)
if sum(len(c) for c in chunks) < 1 << 20:
    print("read less than 1 MiB of memory", file=sys.stderr)
    sys.exit(3)
data = b"\0".join(chunks)
found = []
for line in open(sys.argv[2]):
    name, hexkey = line.split()
    raw = bytes.fromhex(hexkey)
    for what, b in (("raw", raw), ("hex", hexkey.encode()), ("HEX", hexkey.upper().encode()),
                    ("first half", raw[:16]), ("second half", raw[16:])):
        if b in data:
            found.append(f"{name} ({what})")
print("\n".join(found))
EOF
}
tui_pid() {
    local p
    for p in $(pgrep -x "$(basename "$MNV_TEST")"); do
        tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$dir " && echo "$p"
    done
}

tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --config "$T_TMP/mnvault.ini" --user clerk
t_wait "login screen" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "dashboard" "Dashboard"
tmx_keys Enter; t_wait "employee list" "Employees (current"
tmx_type "練習"; t_wait "filter" "Filter: 練習_"
tmx_keys Enter; tmx_keys Enter
t_wait "a record opened" "Purposes notified"
tmx_keys F5; t_wait "reveal: purposes offered" "Purpose (only those notified"
tmx_type "年末調整の確認"; tmx_keys Enter
t_wait "reveal: the number shows" " s left"
t_wait_gone "reveal: masked again" " s left" 10
pid=$(tui_pid)
[ -n "$pid" ] || t_bail "the TUI's process was not found"

# Signed in: the keys are in memory (the search finds what it looks for).
held=$(mem_holds "$pid"); rc=$?
[ "$rc" = 3 ] && { echo "# SKIP: the process's memory cannot be read (not root?)"; t_done; exit 0; }
for k in vk nk db epoch-1; do
    t_contains "signed in: the $k key is in the process's memory" "$k (raw)" "$held"
done

tmx_keys F12
t_wait "lock screen" "Locked — clerk"
held=$(mem_holds "$pid")
for k in $(cut -d' ' -f1 "$T_TMP/keys"); do
    t_eq "locked: no trace of the $k key in memory" "" "$(printf '%s\n' "$held" | grep "^$k (")"
done

# A wrong password is refused (the vault stays closed), the right one reopens it, and the
# screen the clerk left works: the record, the list behind it, a second reveal.
tmx_type "not the password"; tmx_keys Enter
t_wait "wrong password: refused" "The password is wrong"
t_eq "…and still no key in memory" "" "$(mem_holds "$pid")"
tmx_type "$PW"; tmx_keys Enter
t_wait "unlocked: the record is back" "Purposes notified"
tmx_keys F5; t_wait "reveal after unlock: purposes offered" "Purpose (only those notified"
tmx_type "確認"; tmx_keys Enter; t_wait "reveal after unlock: the number shows" " s left"
tmx_keys Escape; t_wait_gone "masked" " s left" 10
tmx_keys Escape; t_wait "back on the list, reloaded" "Employees (current"
tmx_keys Escape; tmx_keys Escape; t_wait "dashboard" "Dashboard"
# The lock and the failed unlock are on record.
tmx_keys F10
t_wait "quit" "__EXIT=0"
out=$(printf '%s\n' "$PW" | "$MNV_TEST" audit list --data-dir "$dir" --user auditor \
    --password-fd 0 --by clerk 2>&1)
t_contains "audit: the lock" "screen locked" "$out"
t_contains "audit: the failed unlock, queued while the vault was closed" "wrong unlock password  clerk  failed" "$out"
t_contains "audit: the unlock" "screen unlocked" "$out"
t_done
