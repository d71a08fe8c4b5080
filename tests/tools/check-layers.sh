#!/bin/sh
# check-layers.sh: each layer includes only headers of the layers below it, the front ends
# (tui, cli) include no store header, every public header names its layer on its first
# line, only src/tui/ includes curses, and only
# src/service/pdfdoc*.c cairo and pango. Layers, bottom up:
# base < store < service < tui, cli.
# Prints each offending include and exits 1, or prints nothing and exits 0.
cd "$(dirname "$0")/../.." || exit 2
status=0
# Modules of each layer, from the .c files present; a module of several files is a folder
# (src/service/scan/ is the module scan).
mods() {
    for f in src/"$1"/*.c; do [ -f "$f" ] && basename "$f" .c; done
    for d in src/"$1"/*/; do [ -d "$d" ] && basename "$d"; done
}
base=$(mods base) store=$(mods store) service=$(mods service) tui=$(mods tui)
forbid() { # LAYER_DIR "MODULES..." REASON
    for m in $2; do
        hits=$(grep -rHn --include='*.[ch]' "#include \"mnvault/$m.h\"" src/"$1" 2>/dev/null)
        if [ -n "$hits" ]; then echo "$hits  <- $3"; status=1; fi
    done
}
forbid base "$store $service $tui" "base may include only base headers"
forbid store "$service $tui" "store may not include service or tui headers"
forbid service "$tui" "services may not include tui headers"
forbid tui "$store" "the TUI reaches the vault through services (types: base headers such as person.h)"
forbid cli "$store" "the CLI reaches the vault through services (types: base headers such as person.h)"
forbid cli "$tui" "the CLI may not include tui headers"
# Every public header says its layer on its first line, "/* NAME.h (LAYER layer): …", and it
# is the layer of the folder that implements it.
for h in include/mnvault/*.h; do
    m=$(basename "$h" .h)
    first=$(head -n 1 "$h")
    said=$(printf '%s\n' "$first" | sed -n "s|^/\* $m\.h (\([a-z]*\) layer[,;)].*|\1|p")
    if [ -z "$said" ]; then
        echo "$h:1: the first line must be /* $m.h (LAYER layer): …"; status=1; continue
    fi
    for l in base store service tui cli; do
        if [ -f "src/$l/$m.c" ] || [ -d "src/$l/$m" ] || ls src/"$l"/"$m"_*.c >/dev/null 2>&1; then
            [ "$l" = "$said" ] || { echo "$h:1: says $said layer, but src/$l implements it"; status=1; }
            break
        fi
    done
done
hits=$(grep -lE '#include *[<"](n?curses|ncursesw/|curses)' $(find src include -name '*.[ch]' ! -path 'src/tui/*') 2>/dev/null)
if [ -n "$hits" ]; then echo "$hits  <- only src/tui/ may include curses"; status=1; fi
# Printing goes through one layer (pdfdoc.h): only it talks to cairo, pango and fontconfig.
hits=$(grep -lE '#include *[<"](cairo|pango/|fontconfig/)' $(find src include -name '*.[ch]' \
       ! -path 'src/service/pdfdoc*') 2>/dev/null)
if [ -n "$hits" ]; then echo "$hits  <- only src/service/pdfdoc*.c may use cairo and pango"; status=1; fi
exit $status
