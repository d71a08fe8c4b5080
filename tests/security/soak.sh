#!/usr/bin/env bash
# The short form of `make soak` (tests/soak/run): 7 writes of the vault killed with SIGKILL
# at random moments (import, added employee, payroll import, backup, restore, password
# change, epoch rekey); after each the vault verifies intact and acknowledged work is there.
# The seed is printed, so a failure can be run again with --seed.
exec "$MNV_ROOT/tests/soak/run" --kills 7 --build "$MNV_BUILD" --tap
