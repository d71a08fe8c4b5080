#!/usr/bin/env bash
# Fault battery, short form (`make faults` runs every point of eight writes): an import (the
# database) and a password change (the key file), each with a full disk, an I/O error on a
# write, an fsync or a rename, no room for a new file, a kill, a failed SQLite statement (I/O
# error, full disk), no memory for a secret buffer and no memory inside SQLite, once each at
# the middle of its calls of that kind (tests/fault/run).
exec "$MNV_ROOT/tests/fault/run" --build "$MNV_BUILD" --points 1 --tap import passwd
