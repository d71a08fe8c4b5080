#!/bin/sh
# module-graph.sh: the graph between mnvault's modules, and its cycles.
#   tests/tools/module-graph.sh [--build DIR] [--edges] [--check]
# A module is a public header include/mnvault/M.h with the files that implement it
# (src/LAYER/M.c, src/LAYER/M_*.c, or the folder src/LAYER/M/), or a front-end file of its
# own (src/tui/*.c, src/cli/*.c).
# Two graphs:
#   include  M -> N when a file of M includes "mnvault/N.h" (from the sources);
#   call     M -> N when an object of M uses a symbol an object of N defines (from nm over
#            DIR/obj, default build/; skipped when there are no objects).
# Prints each graph's strongly connected parts of more than one module ("cycle: a b c"),
# then a summary line "modules N, include edges N, call edges N, cycles N". With --edges
# every edge is printed too ("include a -> b"). With --check the exit status is 1 when there
# is a cycle, else 0.
cd "$(dirname "$0")/../.." || exit 2
build=build edges=0 check=0
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --edges) edges=1; shift ;;
    --check) check=1; shift ;;
    *) echo "module-graph.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# module_of FILE: the module a source file belongs to.
module_of() {
    b=$(basename "$1"); b=${b%.c}; b=${b%.h}
    case "$1" in src/*/*/*) d=${1#src/*/}; echo "${d%%/*}"; return ;; esac
    case "$1" in src/base/* | src/store/* | src/service/*) ;; *) echo "$b"; return ;; esac
    m=$b
    while [ ! -f "include/mnvault/$m.h" ] && [ "${m%_*}" != "$m" ]; do m=${m%_*}; done
    if [ -f "include/mnvault/$m.h" ]; then echo "$m"; else echo "$b"; fi
}

# Every source file with its module.
for f in $(find src -name '*.[ch]' | sort); do
    echo "$f $(module_of "$f")"
done >"$tmp/files"
for h in include/mnvault/*.h; do
    b=$(basename "$h" .h)
    grep -q " $b\$" "$tmp/files" || echo "$h $b" >>"$tmp/files"
done

# Include graph.
while read -r f m; do
    sed -n 's/^#include "mnvault\/\([a-z0-9_]*\)\.h".*/\1/p' "$f" | while read -r n; do
        [ "$n" != "$m" ] && echo "include $m $n"
    done
done <"$tmp/files" | sort -u >"$tmp/edges"

# Call graph from the objects: which module defines each symbol, which uses it.
if [ -d "$build/obj/src" ]; then
    while read -r f m; do
        case "$f" in *.c) ;; *) continue ;; esac
        o="$build/obj/${f%.c}.o"
        [ -f "$o" ] || continue
        nm "$o" 2>/dev/null | awk -v m="$m" '$1 == "U" { print "U", $2, m; next }
            NF == 3 && $2 ~ /^[TDBR]$/ { print "D", $3, m }'
    done <"$tmp/files" >"$tmp/syms"
    awk '$1 == "D" { def[$2] = $3; next }
         $1 == "U" && ($2 in def) && def[$2] != $3 { print "call", $3, def[$2] }' \
        "$tmp/syms" "$tmp/syms" | sort -u >>"$tmp/edges"
fi

[ "$edges" = 1 ] && awk '{ print $1, $2, "->", $3 }' "$tmp/edges"

# Strongly connected parts (Tarjan) per graph; a part of more than one module is a cycle.
awk -v modules="$(cut -d' ' -f2 "$tmp/files" | sort -u | wc -l)" '
function visit(g, v,    i, w) {
    idx[v] = low[v] = ++counter; stack[++sp] = v; on[v] = 1
    for (i = 1; i <= nout[g, v]; i++) {
        w = out[g, v, i]
        if (!(w in idx)) { visit(g, w); if (low[w] < low[v]) low[v] = low[w] }
        else if (on[w] && idx[w] < low[v]) low[v] = idx[w]
    }
    if (low[v] == idx[v]) {
        part = ""; n = 0
        do { w = stack[sp--]; on[w] = 0; part = w " " part; n++ } while (w != v)
        if (n > 1) { print g " cycle: " part; cycles++ }
    }
}
{ out[$1, $2, ++nout[$1, $2]] = $3; node[$1, $2] = 1; node[$1, $3] = 1; count[$1]++ }
END {
    split("include call", graphs, " ")
    for (k = 1; k <= 2; k++) {
        g = graphs[k]
        split("", idx); split("", low); split("", on); counter = 0; sp = 0
        for (key in node) {
            split(key, p, SUBSEP)
            if (p[1] == g && !(p[2] in idx)) visit(g, p[2])
        }
    }
    printf "modules %d, include edges %d, call edges %d, cycles %d\n", modules,
        count["include"], count["call"], cycles
    exit cycles > 0
}' "$tmp/edges"
rc=$?
[ "$check" = 1 ] && exit $rc
exit 0
