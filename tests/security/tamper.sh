#!/usr/bin/env bash
# One flipped byte at each of many random offsets of vault.db and of vault.keys is reported
# as damage by `mnvault verify` (exit 1), and by any command that touches the damaged part;
# never a crash, never a silent success.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
P=$T_TMP/pristine
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$P" || t_bail "cannot make a vault"
awk 'BEGIN { srand(5); w = "65432765432";
    for (i = 0; i < 40; i++) { s = ""; t = 0;
        for (j = 1; j <= 11; j++) { d = int(rand() * 10); s = s d; t += d * substr(w, j, 1) }
        r = t % 11; printf "T%03d %s%d\n", i, s, (r <= 1) ? 0 : 11 - r } }' > "$T_TMP/seed"
{ echo "$V_CLERK_PW"; cat "$T_TMP/seed"; } | "$MNV_TOOLS/vaulttool" seed "$P" clerk >/dev/null
t_ok "the pristine vault verifies" v_as "$P" sup "$V_SUP_PW" verify

# flip FILE OFFSET: xor one byte with 0x5a (never a no-op).
flip() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(( b ^ 0x5a )))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

RANDOM=4242
bad=0 silent=0 crash=0 n=0
for file in vault.db vault.keys; do
    size=$(stat -c %s "$P/$file")
    flips=${TAMPER_FLIPS:-30}
    for i in $(seq "$flips"); do
        off=$(( (RANDOM * 32768 + RANDOM) % size ))
        D=$T_TMP/d
        rm -rf "$D" && cp -a "$P" "$D"
        flip "$D/$file" "$off"
        out=$(v_as "$D" sup "$V_SUP_PW" verify 2>&1); rc=$?
        n=$((n + 1))
        if [ "$rc" -eq 0 ]; then silent=$((silent + 1)); echo "# silent: $file offset $off"
        elif [ "$rc" -ge 128 ]; then crash=$((crash + 1)); echo "# crash ($rc): $file offset $off"
        elif [ "$rc" -ne 1 ]; then bad=$((bad + 1)); echo "# exit $rc: $file offset $off: $out"
        fi
        if [ "$file" = vault.keys ]; then
            # Any command reads the key file first: it must say damaged, not crash or pass.
            out=$(v_as "$D" admin "$V_ADMIN_PW" user list 2>&1); rc=$?
            case "$out" in *damaged*|*altered*) ;; *) bad=$((bad + 1)); echo "# user list: $out";; esac
            [ "$rc" -eq 1 ] || { bad=$((bad + 1)); echo "# user list exit $rc at $off"; }
            cmp -s "$D/vault.db" "$P/vault.db" || { bad=$((bad + 1)); echo "# vault.db changed"; }
        fi
    done
done
t_eq "flipped bytes: none passed verify silently" 0 "$silent"
t_eq "flipped bytes: no crash" 0 "$crash"
t_eq "flipped bytes: every one reported as damage (exit 1) by verify and by user list" 0 "$bad"
t_eq "flipped bytes: tried" $((2 * ${TAMPER_FLIPS:-30})) "$n"

# The damaged key file is never overwritten: a wrong password attempt (which writes the
# failure counter) leaves it byte for byte as it was.
D=$T_TMP/k
rm -rf "$D" && cp -a "$P" "$D"
flip "$D/vault.keys" 30
before=$(sha256sum < "$D/vault.keys")
v_as "$D" sup "wrong password" verify >/dev/null 2>&1
t_eq "a damaged key file is not rewritten by a login attempt" "$before" "$(sha256sum < "$D/vault.keys")"
truncate -s 100 "$D/vault.keys"
out=$(v_as "$D" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "a truncated key file: exit 1" 1 "$rc"
t_contains "...called damaged or truncated" "damaged or truncated" "$out"
: > "$D/vault.keys"
t_status "an empty key file: exit 1" 1 v_as "$D" sup "$V_SUP_PW" verify
t_done
