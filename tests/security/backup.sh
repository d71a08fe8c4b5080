#!/usr/bin/env bash
# Backups at the byte level: no stored My Number appears in a backup file in any common
# form; one changed byte anywhere is refused by restore and by backup --verify (never a
# crash, never a silent success); kill -9 during backups never leaves a partial file under
# a backup's name. BACKUP_FLIPS sets how many offsets are tried (default 200).
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
VT=$MNV_TOOLS/vaulttool
[ -x "$VT" ] || t_bail "vaulttool is missing ($VT)"
V=$T_TMP/vault
v_full "$V" || t_bail "cannot create a vault"
flips=${BACKUP_FLIPS:-200}
seed=${BACKUP_SEED:-$RANDOM}
echo "# random seed $seed (BACKUP_SEED=$seed repeats this run)"
RANDOM=$seed

# 300 numbers with valid check digits, stored through the vault's services. The number
# checks run as the supervisor (an auditor's slot holds no key that opens a number); the
# auditor checks backup files by the hash the register recorded.
awk -v n=300 -v s="$seed" 'BEGIN { srand(s); w = "65432765432";
    for (i = 0; i < n; i++) { d = ""; t = 0;
        for (j = 1; j <= 11; j++) { x = int(rand() * 10); d = d x; t += x * substr(w, j, 1) }
        r = t % 11; printf "%s%d\n", d, (r <= 1) ? 0 : 11 - r } }' | sort -u >"$T_TMP/numbers"
{ bl_pw sup; awk '{ printf "E%05d %s\n", NR, $1 }' "$T_TMP/numbers"; } |
    "$VT" seed "$V" sup >/dev/null || t_bail "cannot store the numbers"
n=$(wc -l <"$T_TMP/numbers")
bl_as sup "$V" verify >"$T_TMP/v" 2>&1
t_contains "the vault holds the $n numbers" "$n checked" "$(cat "$T_TMP/v")"

bl_as sup "$V" backup "$T_TMP/b.mnvbak" >/dev/null 2>&1 || t_bail "cannot make a backup"
B=$T_TMP/b.mnvbak
size=$(stat -c %s "$B")

# The forms a number could take: 12 ASCII digits, 4-4-4 with spaces or hyphens, full-width
# digits in UTF-8, and ASCII digits in UTF-16LE (a NUL after each).
fullwidth() { LC_ALL=C.UTF-8 sed 'y/0123456789/０１２３４５６７８９/'; }
utf16() { LC_ALL=C sed 's/[0-9]/&\x00/g'; }
{
    cat "$T_TMP/numbers"
    sed -E 's/^(....)(....)(....)$/\1 \2 \3/' "$T_TMP/numbers"
    sed -E 's/^(....)(....)(....)$/\1-\2-\3/' "$T_TMP/numbers"
    fullwidth <"$T_TMP/numbers"
    utf16 <"$T_TMP/numbers"
} >"$T_TMP/patterns"
count_hits() { LC_ALL=C grep -a -c -F -f "$T_TMP/patterns" "$1"; }
# The scan itself must work: a file with the numbers in it, in each form, is found.
{
    awk 'NR % 50 == 1 { print "x" $1 "y" }' "$T_TMP/numbers"
    sed -n '2p' "$T_TMP/numbers" | fullwidth | sed 's/^/番号/'
    sed -n '3p' "$T_TMP/numbers" | utf16
    sed -n '4p' "$T_TMP/numbers" | sed -E 's/^(....)(....)(....)$/(\1-\2-\3)/'
} >"$T_TMP/control"
t_eq "control: the scan finds numbers where they are" "$(wc -l <"$T_TMP/control")" "$(count_hits "$T_TMP/control")"
t_eq "no stored number in the backup (ASCII, spaced, hyphenated, full-width, UTF-16)" "0" "$(count_hits "$B")"
t_eq "none in vault.db either" "0" "$(count_hits "$V/vault.db")"

# One changed byte at many offsets: the first 256 bytes are all tried in the first 64
# offsets (in steps of 4), the rest at random over the whole file.
offsets=$(awk -v n="$flips" -v size="$size" -v s="$seed" 'BEGIN { srand(s);
    for (i = 0; i < n; i++) print (i < 64) ? i * 4 + int(rand() * 4) : int(rand() * size) }')
cp "$B" "$T_TMP/f.mnvbak"
bad_restore="" bad_verify="" crash=""
flip() { "$MNV_TOOLS/flipbyte" "$T_TMP/f.mnvbak" "$1" "$2" || t_bail "flipbyte failed"; }
i=0
for off in $offsets; do
    i=$((i + 1))
    x=$(( (RANDOM % 255) + 1 ))
    flip "$off" "$x"
    target=$T_TMP/r$i
    "$MNV_TEST" restore "$T_TMP/f.mnvbak" --data-dir "$target" --user sup --password-fd 3 \
        3< <(bl_pw sup) >"$T_TMP/rout" 2>&1
    rc=$?
    [ $rc -eq 1 ] || bad_restore="$bad_restore $off:$rc"
    [ $rc -lt 128 ] || crash="$crash restore@$off"
    [ ! -e "$target" ] || bad_restore="$bad_restore $off:left-files"
    grep -qE 'damaged|incomplete|not an mnvault backup|newer version' "$T_TMP/rout" ||
        bad_restore="$bad_restore $off:$(tail -c 80 "$T_TMP/rout")"
    if [ $((i % 2)) = 0 ]; then
        bl_as aud "$V" backup --verify "$T_TMP/f.mnvbak" >"$T_TMP/vout" 2>&1
        rc=$?
        [ $rc -eq 1 ] || bad_verify="$bad_verify $off:$rc"
        grep -qE 'damaged|incomplete|not an mnvault backup|newer version|another vault' \
            "$T_TMP/vout" || bad_verify="$bad_verify $off:$(head -c 80 "$T_TMP/vout")"
        [ $rc -lt 128 ] || crash="$crash verify@$off"
    fi
    flip "$off" "$x"
done
t_status "control: backup --verify accepts the file as it was written" 0 bl_as aud "$V" backup --verify "$T_TMP/f.mnvbak"
t_eq "$flips single-byte changes: restore refuses every one (exit 1, nothing left)" "" "$bad_restore"
t_eq "... backup --verify refuses every one it was given ($((flips / 2)))" "" "$bad_verify"
t_eq "... never a crash" "" "$crash"
t_ok "the unchanged file still restores" bash -c "\"$MNV_TEST\" restore '$T_TMP/f.mnvbak' --data-dir '$T_TMP/ok' --user sup --password-fd 3 3< <(printf '%s\n' '$V_SUP_PW')"
t_eq "... and holds every number" "$n checked" "$(bl_as sup "$T_TMP/ok" verify 2>&1 | grep 'stored numbers' | grep -o '[0-9]* checked')"

# A byte changed on its way to the file, with no error said (faultfs flip: a disk or driver
# that corrupts silently), in the backup file's first write (the clear part), its second (the
# manifest), one in the middle and its last: the backup is refused as not reading back (exit
# 1), nothing is left under its name or as a temporary file, and the register gains no row.
SHIM=$MNV_BUILD/tests/fault/faultfs.so
[ -f "$SHIM" ] || t_bail "build $SHIM first (make test-bins)"
flip_backup() { # OUT [N]: a backup to OUT, its temporary file's write N flipped
    env MNV_FAULT_OP=write MNV_FAULT_MODE=flip MNV_FAULT_AT="${2:-0}" MNV_FAULT_PATH=/.mnvbak- \
        MNV_FAULT_COUNT="$T_TMP/count" LD_PRELOAD="$SHIM" "$MNV_TEST" backup "$1" --data-dir "$V" \
        --user sup --password-fd 3 3< <(bl_pw sup)
}
rm -f "$T_TMP/count"
flip_backup "$T_TMP/counted.mnvbak" >/dev/null 2>&1 || t_bail "cannot count a backup's writes"
nw=$(cat "$T_TMP/count")
pick=$(printf '%s\n' 1 2 $(((nw + 1) / 2)) "$nw" | sort -un)
rows=$(bl_as sup "$V" backup --list 2>/dev/null | wc -l)
bad=""
for at in $pick; do
    flip_backup "$T_TMP/flip$at.mnvbak" "$at" >"$T_TMP/fout" 2>&1
    rc=$?
    [ $rc -eq 1 ] || bad="$bad $at:exit-$rc"
    grep -q 'did not read back correctly' "$T_TMP/fout" || bad="$bad $at:$(head -c 80 "$T_TMP/fout")"
    [ ! -e "$T_TMP/flip$at.mnvbak" ] || bad="$bad $at:file-left"
    ls -A "$T_TMP" | grep -q '^\.mnvbak-' && bad="$bad $at:part-left"
done
t_eq "a byte changed on its way to the file (writes $(echo $pick) of $nw): every backup refused, nothing left" "" "$bad"
t_eq "... and the register gained no row" "$rows" "$(bl_as sup "$V" backup --list 2>/dev/null | wc -l)"

# Backups taken while another process stores numbers are consistent: each restores, and
# the restored vault verifies in full (pages, audit chain up to its anchor, every number).
awk -v s="$seed" 'BEGIN { srand(s + 1); w = "65432765432";
    for (i = 0; i < 150; i++) { d = ""; t = 0;
        for (j = 1; j <= 11; j++) { x = int(rand() * 10); d = d x; t += x * substr(w, j, 1) }
        r = t % 11; printf "W%05d %s%d\n", i, d, (r <= 1) ? 0 : 11 - r } }' >"$T_TMP/more"
# The writer stores a number every few milliseconds, as a busy clerk would; every backup
# (and its login) waits for the writer's commits instead of failing as busy.
{ bl_pw sup; while read -r l; do echo "$l"; sleep 0.01; done <"$T_TMP/more"; } |
    "$VT" seed "$V" sup >/dev/null 2>&1 &
writer=$!
during=0
for c in 1 2 3 4; do
    bl_as sup "$V" backup "$T_TMP/c$c.mnvbak" >"$T_TMP/cout" 2>&1
    [ -f "$T_TMP/c$c.mnvbak" ] || echo "# backup $c failed: $(tail -c 200 "$T_TMP/cout")"
    kill -0 "$writer" 2>/dev/null && during=$((during + 1))
done
wait "$writer"
t_eq "the writer stored its numbers meanwhile" "0" "$?"
t_ok "... and backups were made while it wrote" test "$during" -gt 0
bad=""
for c in 1 2 3 4; do
    [ -f "$T_TMP/c$c.mnvbak" ] || { bad="$bad c$c:missing"; continue; }
    "$MNV_TEST" restore "$T_TMP/c$c.mnvbak" --data-dir "$T_TMP/rc$c" --user sup --password-fd 3 \
        3< <(bl_pw sup) >/dev/null 2>&1 || { bad="$bad c$c:restore"; continue; }
    bl_as sup "$T_TMP/rc$c" verify >"$T_TMP/vc" 2>&1 || bad="$bad c$c:$(grep -v '^ok' "$T_TMP/vc" | head -c 100)"
done
t_eq "backups made during writes restore and verify" "" "$bad"

# kill -9 at random moments of managed backups.
cat >"$T_TMP/cfg.ini" <<EOF
[backup]
dir = $T_TMP/managed
generations = 1000
EOF
s0=$(date +%s%N)
bl_as sup "$V" backup --config "$T_TMP/cfg.ini" >/dev/null 2>&1
dur=$(( ($(date +%s%N) - s0) / 1000000 ))
partial=0 survivors=0 kills=${BACKUP_KILLS:-40}
for k in $(seq "$kills"); do
    declare -A old=()
    for f in "$T_TMP/managed"/.mnvbak-*.part; do [ -e "$f" ] && old[$f]=1; done
    # Not through bl_as: $! must be mnvault itself, not a subshell around it.
    "$MNV_TEST" backup --config "$T_TMP/cfg.ini" --data-dir "$V" --user sup --password-fd 3 \
        3< <(bl_pw sup) >/dev/null 2>&1 &
    pid=$!
    if [ $((k % 2)) = 0 ]; then # at a random moment of the whole run
        sleep "$(awk -v d="$dur" -v r="$RANDOM" 'BEGIN { printf "%.3f", d * (r / 32768) / 1000 }')"
    else # as soon as a new temporary file exists (a busy wait without forks)
        for ((i = 0; i < 500000; i++)); do
            new=""
            for f in "$T_TMP/managed"/.mnvbak-*.part; do
                [ -e "$f" ] && [ -z "${old[$f]:-}" ] && new=$f
            done
            [ -n "$new" ] && break
            kill -0 "$pid" 2>/dev/null || break
        done
    fi
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "" ] || survivors=$((survivors + 1))
    for f in "$T_TMP/managed"/.mnvbak-*.part; do
        [ -e "$f" ] && [ -z "${old[$f]:-}" ] && { partial=$((partial + 1)); break; }
    done
    unset old
done
echo "# a backup took ${dur} ms; $partial of $kills kills left a temporary file"
bad=""
for f in "$T_TMP/managed"/*.mnvbak; do
    bl_as sup "$V" backup --verify "$f" >"$T_TMP/vout" 2>&1 ||
        bad="$bad $(basename "$f"): $(tail -c 100 "$T_TMP/vout")"
done
t_eq "after $kills kills every file under a backup's name is complete and authentic" "" "$bad"
t_ok "... some kills landed while a backup was being written" test "$partial" -gt 0
t_eq "... and every kill ended its backup process" "0" "$survivors"
bl_as sup "$V" backup --config "$T_TMP/cfg.ini" >/dev/null 2>&1
t_eq "the next backup removes the leftovers" "" "$(ls -A "$T_TMP/managed" | grep -v '\.mnvbak$')"
t_status "the vault is intact after the kills" 0 bl_as sup "$V" verify
t_done
