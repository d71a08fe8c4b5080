#!/usr/bin/env bash
# Fault battery, short form (`make faults` runs every point of eight writes): an import (the
# database) and a password change (the key file), each with a full disk, an I/O error on a
# write, an fsync or a rename, no room for a new file, and a kill, once each at the middle of
# its file operations (tests/fault/run).
exec "$MNV_ROOT/tests/fault/run" --build "$MNV_BUILD" --points 1 --tap import passwd
