#!/usr/bin/env bash
# scan-corpus-compare.sh MNVAULT CORPUS [--list]: scan CORPUS/files with MNVAULT and compare
# what it reports with CORPUS/expected.tsv (written by scan-corpus.py from what it planted).
# Prints one row per format: numbers planted, found, missed, false alarms (reported but
# not planted), and files expected "not scanned" / so reported; then the totals. --list
# also prints every miss and false alarm. Exit 0 when nothing was missed or reported
# wrongly, 1 otherwise, 2 when the tools fail.
set -u
mnv=$1 corpus=$2 list=${3:-}
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$corpus/files" || exit 2
"$mnv" scan --json --show-last4 . > "$tmp/out.json" 2> "$tmp/err.txt"
rc=$?
[ "$rc" -le 3 ] || { echo "mnvault scan failed ($rc)" >&2; cat "$tmp/err.txt" >&2; exit 2; }
# file<TAB>kind<TAB>members<TAB>value, from the scan and from the list.
jq -r 'select(.type=="match" or .type=="not_scanned")
       | [(.path | ltrimstr("./")), (if .type=="match" then "number" else "not_scanned" end),
          (.members | join("/")), (if .type=="match" then .masked[-4:] else .reason end)]
       | @tsv' "$tmp/out.json" | sort > "$tmp/got"
grep -v '^#' "$corpus/expected.tsv" | cut -f2-5 | sort > "$tmp/want"
grep -v '^#' "$corpus/expected.tsv" | awk -F'\t' '{print $2 "\t" $1}' | sort -u > "$tmp/formats"
comm -23 "$tmp/want" "$tmp/got" > "$tmp/missed"
comm -13 "$tmp/want" "$tmp/got" > "$tmp/extra"
# Format of a reported file: from the list, else by its folder.
fmt_of() { awk -F'\t' 'NR == FNR { f[$1] = $2; next } { k = $1; print ((k in f) ? f[k] : "(other)") "\t" $0 }' "$tmp/formats" -; }
fmt_of < "$tmp/want" > "$tmp/want.f"
fmt_of < "$tmp/missed" > "$tmp/missed.f"
fmt_of < "$tmp/extra" > "$tmp/extra.f"
printf '%-20s %8s %8s %8s %8s %12s\n' format planted found missed "false+" "not scanned"
cut -f1 "$tmp/want.f" "$tmp/missed.f" "$tmp/extra.f" | sort -u > "$tmp/fmts"
awk -F'\t' '
    FILENAME ~ /fmts$/ { order[++nf] = $1; next }
    FILENAME ~ /want.f$/ { if ($3 == "number") planted[$1]++; else locked[$1]++ }
    FILENAME ~ /missed.f$/ { if ($3 == "number") missed[$1]++; else lmissed[$1]++ }
    FILENAME ~ /extra.f$/ { if ($3 == "number") extra[$1]++; else lextra[$1]++ }
    END {
        for (i = 1; i <= nf; i++) {
            f = order[i]
            p = planted[f] + 0; m = missed[f] + 0; e = extra[f] + 0
            l = locked[f] + 0; lm = lmissed[f] + 0; le = lextra[f] + 0
            printf "%-20s %8d %8d %8d %8d %7d/%-4d\n", f, p, p - m, m, e + le, l - lm, l
            tp += p; tm += m; te += e + le; tl += l; tlm += lm
        }
        printf "%-20s %8d %8d %8d %8d %7d/%-4d\n", "TOTAL", tp, tp - tm, tm, te, tl - tlm, tl
        if (tp > 0) printf "recall %.1f%%, false alarms %d, not scanned reported %d of %d\n", 100 * (tp - tm) / tp, te, tl - tlm, tl
    }' "$tmp/fmts" "$tmp/want.f" "$tmp/missed.f" "$tmp/extra.f"
if [ "$list" = --list ]; then
    sed 's/^/missed: /' "$tmp/missed.f"
    sed 's/^/false alarm: /' "$tmp/extra.f"
fi
[ ! -s "$tmp/missed" ] && [ ! -s "$tmp/extra" ]
