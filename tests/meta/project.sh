#!/usr/bin/env bash
# Things that must stay in step: translations, layers, the sample config, docs, hardening.
. "$MNV_ROOT/tests/lib/tap.sh"
cd "$MNV_ROOT"

# Translations: the catalogue covers every marked string and has nothing untranslated.
xgettext --from-code=UTF-8 -k_ -kN_ -o "$T_TMP/current.pot" $(ls src/*/*.[ch] src/*/*/*.[ch] include/mnvault/*.h 2>/dev/null) 2>/dev/null
msgmerge --quiet -o "$T_TMP/merged.po" locale/ja.po "$T_TMP/current.pot" 2>/dev/null
stats=$(msgfmt --statistics -o /dev/null "$T_TMP/merged.po" 2>&1)
t_lacks "ja.po: every string translated (run make po-update and translate)" "untranslated" "$stats"
t_lacks "ja.po: no fuzzy entries" "fuzzy" "$stats"
t_ok "ja.po: format strings agree (msgfmt --check)" msgfmt --check -o /dev/null locale/ja.po

t_ok "layers: includes follow the layer order (tests/tools/check-layers.sh)" tests/tools/check-layers.sh
# Formatting by tool: every tracked C file is as clang-format leaves it (make format).
# The layout is settled with Debian 12's clang-format 14; other releases lay out some lines
# differently, so there the check is skipped (said in the test name), not failed.
cf_major=$(clang-format --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "$cf_major" = 14 ]; then
    drift=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run 2>&1 | grep -o '^[^:]*:[0-9]*' | sort -u | head -n 5)
    t_eq "every C file is clang-formatted (run make format)" "" "$drift"
else
    t_pass "clang-format drift # SKIP clang-format ${cf_major:-missing} is not the pinned 14"
fi

"$MNV" config sample > "$T_TMP/sample.ini"
t_golden "data/mnvault.ini is the generated sample (mnvault config sample)" data/mnvault.ini "$T_TMP/sample.ini"
missing=""
for key in $(grep -E '^[a-z_]+ = ' data/mnvault.ini | cut -d' ' -f1); do
    grep -q "\`$key\`" doc/config.md || missing="$missing $key"
done
t_eq "doc/config.md describes every key" "" "$missing"

missing=""
for cmd in $("$MNV" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
    grep -q "^\\.SS $cmd\\b\|^\\.B mnvault $cmd\|^\\.SS \"$cmd" doc/mnvault.1 || missing="$missing $cmd"
done
t_eq "doc/mnvault.1 describes every command" "" "$missing"
t_ok "man page renders without warnings" bash -c "groff -k -man -Tutf8 -ww -z doc/mnvault.1 2>&1 | (! grep .)"

# Hardening of the production programs (the front and the whole program): PIE, full RELRO,
# stack protector, fortify.
for bin in "$MNV" "$MNV_BUILD/mnvault-full"; do
    b=$(basename "$bin")
    hdr=$(readelf -h "$bin" 2>/dev/null); dyn=$(readelf -d "$bin" 2>/dev/null); syms=$(readelf -W --dyn-syms "$bin" 2>/dev/null)
    t_contains "$b is PIE" "DYN (Position-Independent Executable" "$hdr"
    t_contains "$b full RELRO: BIND_NOW" "BIND_NOW" "$dyn"
    t_ok "$b full RELRO: GNU_RELRO segment" bash -c "readelf -l '$bin' | grep -q GNU_RELRO"
    t_contains "$b stack protector" "__stack_chk_fail" "$syms"
    t_contains "$b _FORTIFY_SOURCE" "_chk" "$syms"
done
t_contains "production build has no test hooks" "mnvault 0.1.0" "$("$MNV" --version)"
t_lacks "production build says so" "test build" "$("$MNV" --version)"
t_done
