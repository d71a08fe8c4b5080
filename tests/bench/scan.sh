#!/usr/bin/env bash
# `mnvault scan` beside ripgrep (and `cat` as the ceiling) in the same run, each figure from
# paired, interleaved runs (ABBA), median and spread. The page cache is warm: every input is
# read once before it is timed (said in each heading). Nothing here asserts a time.
#   sparse text  a generated file of mixed Japanese and ASCII prose, logs and CSV rows
#   dense text   an HR CSV where every line holds digits (codes, dates, amounts, phones)
#   small files  100,000 files of about 1 KiB in one folder tree
#   start-up     `scan` of an empty file; the shared libraries loaded for a text file and a PDF
#   recall       the real-format corpus of tests/tools/scan-corpus.py (large), per format:
#                numbers found and false alarms, mnvault beside `rg -z` with the same digits
# ripgrep's pattern finds 12 ASCII digits with no digit around them: no check digit, no
# full-width or grouped forms, no other encodings, nothing inside zip or office files.
# SCAN_BENCH_BASELINE=/path/to/an/older/mnvault adds its figures ("before").
. "$MNV_ROOT/tests/bench/lib.sh"
runs=${SCAN_BENCH_RUNS:-7}
mb=${SCAN_BENCH_MB:-256}
base=${SCAN_BENCH_BASELINE:-}
pattern='(^|[^0-9])[0-9]{12}([^0-9]|$)'
B=$BENCH_TMP
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

# ---- inputs (made once, kept in build/bench) ---------------------------------------------------
sparse=$B/scan-corpus.txt
if [ ! -f "$sparse" ] || [ "$(stat -c %s "$sparse")" -lt $((mb * 1000000)) ]; then
    echo "generating $mb MB of sparse text (once) ..."
    "$MNV_TOOLS/scan-gen" corpus "$sparse" "$mb" > "$sparse.info" || { echo "scan-gen failed"; exit 1; }
fi
dense=$B/scan-dense.csv
if [ ! -f "$dense" ] || [ "$(stat -c %s "$dense")" -lt $((mb * 500000)) ]; then
    echo "generating $((mb / 2)) MB of dense HR CSV (once) ..."
    awk -v rows=$((mb * 500000 / 80)) 'BEGIN { srand(7)
        for (i = 0; i < rows; i++)
            printf "E%06d,山田 太郎%d,%04d-%02d-%02d,2024-04-01,%d,03-%04d-%04d,%d%011d\n", i, i % 97,
                1950 + i % 50, 1 + i % 12, 1 + i % 28, 200000 + i % 99999, i % 10000,
                (i * 7) % 10000, 1 + i % 9, (i * 7919) % 100000000000 }' > "$dense"
fi
many=$B/scan-many
if [ ! -d "$many" ]; then
    echo "making 100,000 small files (once) ..."
    mkdir -p "$many"
    head -c $((100000 * 1000)) "$sparse" | (cd "$many" && split -a 5 -d -C 1000 - f)
    (cd "$many" && for d in $(seq -w 0 99); do mkdir -p "d$d"; mv f$d??? "d$d/" 2>/dev/null; done)
fi
cat "$sparse" "$dense" > /dev/null
find "$many" -type f -exec cat {} + > /dev/null

run_pairs() { # LABEL FILE MNV_ARGS RG_ARGS
    local label=$1 f=$2 margs=$3 rargs=$4 size
    size=$(du -sb "$f" | cut -f1)
    echo "$label ($((size / 1048576)) MiB, warm cache):"
    bench_pair "$runs" "mnvault scan $margs" "\"$MNV\" scan $margs '$f' | cat" \
        "rg $rargs" "rg $rargs '$pattern' '$f' | cat"
    local m=$BENCH_MEDIAN_A r=$BENCH_MEDIAN_B
    echo "  mnvault $(bench_mbps "$size" "$m") MB/s, rg $(bench_mbps "$size" "$r") MB/s: mnvault is $(ratio "$r" "$m")x ripgrep"
    if [ -n "$base" ]; then
        bench_pair "$runs" "before: mnvault scan $margs" "\"$base\" scan $margs '$f' | cat" \
            "rg $rargs" "rg $rargs '$pattern' '$f' | cat"
        echo "  before: $(ratio "$BENCH_MEDIAN_B" "$BENCH_MEDIAN_A")x ripgrep"
    fi
}

echo "== speed (paired runs ABBA, $runs each; medians, spread fastest..slowest)"
run_pairs "sparse text, --count" "$sparse" "--count" "-c"
bench_pair "$runs" "mnvault scan --count" "\"$MNV\" scan --count '$sparse' | cat" "cat" "cat '$sparse' > /dev/null"
echo "  mnvault reaches $(ratio "$BENCH_MEDIAN_B" "$BENCH_MEDIAN_A") of cat's throughput"
run_pairs "sparse text, every finding with line and hint" "$sparse" "" "-n"
run_pairs "dense text (HR CSV), --count" "$dense" "--count" "-c"
run_pairs "dense text (HR CSV), every finding" "$dense" "" "-n"
run_pairs "100,000 small files, --count" "$many" "--count" "-c"
echo "  findings: mnvault $("$MNV" scan --count "$sparse" 2>/dev/null | sed 's/.*://') in the sparse text" \
    "($(sed 's/.*planted=\([0-9]*\).*/\1/' "$sparse.info") planted), rg $(rg -c "$pattern" "$sparse") lines"

echo "== start-up (an empty file, warm)"
bench_pair 21 "mnvault scan /dev/null" "\"$MNV\" scan /dev/null" "rg x /dev/null" "rg x /dev/null"
pdf=$MNV_ROOT/tests/scan-corpus/files/pdf/letter-00-lo.pdf
txt=$MNV_ROOT/tests/scan-corpus/files/text/hr-00.txt
libs() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -c 'calling init:'; }
echo "  shared libraries loaded: mnvault scan of a text file $(libs "$MNV" scan "$txt"), of a PDF $(libs "$MNV" scan "$pdf"); rg $(libs rg x "$txt")"
[ -n "$base" ] && echo "  before: mnvault scan of a text file $(libs "$base" scan "$txt"), of a PDF $(libs "$base" scan "$pdf")"

# The other encodings: mnvault only (rg's byte pattern sees nothing there).
slice=$B/scan-slice.txt
if [ ! -f "$B/scan-slice.utf16le" ]; then
    head -c $((64 * 1048576)) "$sparse" | sed '$d' > "$slice"
    iconv -f UTF-8 -t CP932 "$slice" > "$B/scan-slice.cp932" || exit 1
    iconv -f UTF-8 -t UTF-16LE "$slice" > "$B/scan-slice.utf16le" || exit 1
fi
n_ref=$("$MNV" scan --count "$slice" 2>/dev/null | sed 's/.*://')
for enc in cp932 utf16le; do
    g=$B/scan-slice.$enc
    t=$(bench_time bash -c "\"$MNV\" scan --count '$g' | cat > /dev/null")
    echo "  $enc: $(bench_mbps "$(stat -c %s "$g")" "$t") MB/s, found $("$MNV" scan --count "$g" 2>/dev/null | sed 's/.*://') of the $n_ref numbers of the UTF-8 slice; rg: $(rg -c "$pattern" "$g" 2>/dev/null || echo 0) lines"
done

# ---- recall and false alarms per format ----------------------------------------------------
echo "== recall and false alarms on real-format files (tests/tools/scan-corpus.py large)"
corpus=$B/scan-real
if [ ! -f "$corpus/expected.tsv" ]; then
    if /usr/bin/python3 -c 'import openpyxl, odf, reportlab' 2>/dev/null && command -v qpdf >/dev/null; then
        echo "building the corpus (once; LibreOffice's formats only when soffice is installed) ..."
        /usr/bin/python3 "$MNV_ROOT/tests/tools/scan-corpus.py" large "$corpus" "${SCAN_BENCH_CORPUS_N:-10}" || exit 1
    else
        echo "  skipped: the builder needs python3-openpyxl python3-odf python3-reportlab qpdf" \
            "(and libreoffice-writer-nogui libreoffice-calc-nogui for LibreOffice's formats)"
        exit 0
    fi
fi
echo "mnvault:"
"$MNV_ROOT/tests/tools/scan-corpus-compare.sh" "$MNV" "$corpus" | sed 's/^/  /'
if [ -n "$base" ]; then
    echo "before:"
    "$MNV_ROOT/tests/tools/scan-corpus-compare.sh" "$base" "$corpus" | sed 's/^/  /'
fi
echo "rg -z (the same 12 digits anywhere in the file's bytes; gzip opened, nothing else):"
grep -v '^#' "$corpus/expected.tsv" | awk -F'\t' '$3 == "number" {print $2 "\t" $6 "\t" $1}' | sort -u > "$B/rg-planted"
(cd "$corpus/files" && rg -z -o --no-line-number --with-filename "$pattern" . 2>/dev/null) |
    sed 's|^\./||; s/:[^0-9]*\([0-9]\{12\}\)[^0-9]*$/\t\1/' | sort -u > "$B/rg-found"
awk -F'\t' 'NR == FNR { fmt[$1] = $3; planted[$1 "\t" $2] = $3; n[$3]++; next }
    { k = $1 "\t" $2; f = ($1 in fmt) ? fmt[$1] : "(other)"
      if (k in planted) hit[f]++; else extra[f]++; seen[f] = 1 }
    END { for (f in n) seen[f] = 1
          printf "  %-20s %8s %8s %8s\n", "format", "planted", "found", "false+"
          m = 0; for (f in seen) keys[++m] = f
          for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (keys[j] < keys[i]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
          for (i = 1; i <= m; i++) { f = keys[i]; printf "  %-20s %8d %8d %8d\n", f, n[f], hit[f], extra[f]; tp += n[f]; th += hit[f]; te += extra[f] }
          printf "  %-20s %8d %8d %8d\n  recall %.1f%%, false alarms %d\n", "TOTAL", tp, th, te, tp ? 100 * th / tp : 0, te }' \
    "$B/rg-planted" "$B/rg-found"
