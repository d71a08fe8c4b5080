# How vault.db and vault.keys here were made: with the code of main at b35bbe2 (key file
# format 1, schema 4 with the payroll table), before issue 11's key file format 2 landed.
#   git worktree add --detach /tmp/mainp b35bbe2 && make -C /tmp/mainp -j2 all test-bins
set -e
root=/tmp/mainp
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
export MNVAULT_LOCALEDIR=$root/build/locale MNVAULT_SHAREDIR=$root/data
export MNVAULT_SYSTEM_CONFIG=/nonexistent XDG_CONFIG_HOME=/tmp/fx-xdg LANG=C.UTF-8 TZ=Asia/Tokyo
printf '%s\n' "correct horse battery staple" |
    $root/build/mnvault-test demo --data-dir /tmp/fxp/vault --employees 12 --password-fd 0
# numbers.txt: vaulttool reveal DIR clerk employee:1..3 tax_withholding check, on a copy
