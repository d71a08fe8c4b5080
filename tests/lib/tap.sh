# tests/lib/tap.sh: TAP output for shell test scripts. Source it, call the t_* functions,
# end with t_done. Environment from tests/run: MNV, MNV_TEST, MNV_ROOT, MNV_BUILD, MNV_TOOLS.
# Exit status of t_done: 0 when every test passed, 1 otherwise (99 is kept for "the harness
# itself broke", via t_bail).
_t_n=0 _t_failed=0
T_TMP=$(mktemp -d "${MNV_BUILD:-/tmp}/tmp/t.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

t_pass() { _t_n=$((_t_n + 1)); echo "ok $_t_n - $1"; }
t_fail() {
    _t_n=$((_t_n + 1)); _t_failed=$((_t_failed + 1)); echo "not ok $_t_n - $1"
    shift; for line in "$@"; do printf '#   %s\n' "$line"; done
}
# t_ok NAME CMD...: passes when CMD exits 0.
t_ok() { local name=$1; shift; if "$@" >"$T_TMP/out" 2>&1; then t_pass "$name"; else t_fail "$name" "command failed: $*" "$(head -c 2000 "$T_TMP/out")"; fi; }
# t_status NAME EXPECTED CMD...: passes when CMD exits with EXPECTED.
t_status() {
    local name=$1 want=$2 rc; shift 2
    "$@" >"$T_TMP/out" 2>&1; rc=$?
    if [ "$rc" -eq "$want" ]; then t_pass "$name"; else t_fail "$name" "exit $rc, expected $want: $*" "$(head -c 2000 "$T_TMP/out")"; fi
}
# t_eq NAME EXPECTED ACTUAL
t_eq() { if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "expected: $2" "actual:   $3"; fi; }
# t_contains NAME NEEDLE HAYSTACK
t_contains() { case "$3" in *"$2"*) t_pass "$1";; *) t_fail "$1" "missing: $2" "in: $(printf '%s' "$3" | head -c 3000)";; esac; }
t_lacks() { case "$3" in *"$2"*) t_fail "$1" "unexpected: $2";; *) t_pass "$1";; esac; }
# t_golden NAME EXP_FILE ACTUAL_FILE: compare with a saved expected output.
# MNV_REGEN=1 rewrites the .exp file instead (review the diff before committing).
t_golden() {
    if [ "${MNV_REGEN:-0}" = 1 ]; then cp "$3" "$2"; t_pass "$1 (regenerated)"; return; fi
    if [ ! -f "$2" ]; then t_fail "$1" "missing golden file $2"; return; fi
    if diff -u "$2" "$3" >"$T_TMP/diff"; then t_pass "$1"; else t_fail "$1" "$(head -n 40 "$T_TMP/diff")"; fi
}
t_bail() { echo "Bail out! $*"; exit 99; }
t_done() { echo "1..$_t_n"; [ "$_t_failed" -eq 0 ]; }
