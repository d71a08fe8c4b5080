set -e
root=/work/wt/security
export MNV_ROOT=$root MNV_BUILD=$root/build MNV_TEST=$root/build/mnvault-test MNV_TOOLS=$root/build/tests/tools
export MNVAULT_LOCALEDIR=$root/build/locale MNVAULT_SHAREDIR=$root/data MNVAULT_SYSTEM_CONFIG=/nonexistent
export XDG_CONFIG_HOME=/tmp/fx-xdg LANG=C.UTF-8 TZ=Asia/Tokyo MNVAULT_TEST_FAST_KDF=1
export MNVAULT_TEST_NOW=2026-11-20T01:00:00
. $root/tests/lib/tap.sh >/dev/null
. $root/tests/lib/vault.sh
F=/tmp/fx; rm -rf $F; mkdir -p $F
V=$F/vault
v_full $V
v_add_user $V sup2 supervisor 'amber lamps along the canal'
v_add_user $V clerk2 clerk 'paper cranes fold at midnight'
v_add_user $V aud2 auditor 'violet bicycles down the hill'
v_as $V admin "$V_ADMIN_PW" user disable clerk2 >/dev/null
# numbers: two employees by the seed tool
printf '%s\n%s\n%s\n' "$V_CLERK_PW" "E001 123456789018" "E002 234567890121" | $MNV_TOOLS/vaulttool seed $V clerk
# TOTP for aud2
mkfifo $F/in
$MNV_TEST user totp --data-dir $V --user aud2 --password-fd 3 3<$F/in >$F/totp.out 2>&1 &
pid=$!
exec 4>$F/in
printf '%s\n' 'violet bicycles down the hill' >&4
for _ in $(seq 100); do grep -q '^Secret (base32): ' $F/totp.out && break; sleep 0.05; done
secret=$(sed -n 's/^Secret (base32): //p' $F/totp.out)
code=$(oathtool --totp -b "$secret" --now "2026-11-20 01:00:00 UTC")
printf '%s\n' "$code" >&4; exec 4>&-; wait $pid
echo "$secret" > $F/aud2.totp
# recovery split
printf '%s\n' "$V_SUP_PW" | $MNV_TEST recovery split --shares 3 --threshold 2 --data-dir $V --user sup --password-fd 0 > $F/sheets.txt 2>/dev/null
# a backup
ls -la $V $F
printf '%s\n' "$V_CLERK_PW" | $MNV_TEST import --data-dir $V --user clerk --password-fd 0 $root/data/import-sample.csv
printf '%s\n' "$V_SUP_PW" | $MNV_TEST backup $F/backup-v1.mnvbak --data-dir $V --user sup --password-fd 0 >/dev/null
