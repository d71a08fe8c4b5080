#!/usr/bin/env bash
# `mnvault scan` beside ripgrep (and `cat` as the ceiling) in the same run, each figure from
# interleaved rounds (A B C, C B A, ...): each command's median and range, and the median and
# range of the per-round ratios, with the machine's load average said before and after. The
# page cache is warm: every input is read once before it is timed (said in each heading).
# Nothing here asserts a time.
#   sparse text  a generated file of mixed Japanese and ASCII prose, logs and CSV rows
#   dense text   an HR CSV where every line holds digits (codes, dates, amounts, phones)
#   small files  100,000 files of about 1 KiB in one folder tree
#   start-up     `scan` of an empty file; the shared libraries loaded for a text file and a PDF
#   recall       the real-format corpus of tests/tools/scan-corpus.py (large), per format:
#                numbers found and false alarms, mnvault beside `rg -z` with the same digits
# ripgrep's pattern finds 12 ASCII digits with no digit around them: no check digit, no
# full-width or grouped forms, no other encodings, nothing inside zip or office files.
# SCAN_BENCH_BASELINE=/path/to/an/older/mnvault adds its figures ("before"). Alone:
# make bench BENCH=scan (or tests/bench/run scan); SCAN_BENCH_ONLY, SCAN_BENCH_RUNS and
# SCAN_BENCH_MB below; a table of every figure ends the run.
. "$MNV_ROOT/tests/bench/lib.sh"
runs=${SCAN_BENCH_RUNS:-7}
mb=${SCAN_BENCH_MB:-256}
base=${SCAN_BENCH_BASELINE:-}
pattern='(^|[^0-9])[0-9]{12}([^0-9]|$)'
B=$BENCH_TMP
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
# SCAN_BENCH_ONLY=sparse,dense,many,startup,encodings,recall runs only those parts
# (tests/bench/run scan, or make bench BENCH=scan, runs this script alone).
only=${SCAN_BENCH_ONLY:-sparse,dense,many,startup,encodings,recall}
want() { [[ ",$only," == *",$1,"* ]]; }
summary=$B/scan-summary.txt
: > "$summary"
# summarize WORK MNVAULT BASELINE-NAME BASELINE RATIO: one row of the table printed at the end.
summarize() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$summary"; }

# ---- inputs (made once, kept in build/bench) ---------------------------------------------------
sparse=$B/scan-corpus.txt
if { want sparse || want many || want encodings; } && { [ ! -f "$sparse" ] || [ "$(stat -L -c %s "$sparse")" -lt $((mb * 1000000)) ]; }; then
    echo "generating $mb MB of sparse text (once) ..."
    "$MNV_TOOLS/scan-gen" corpus "$sparse" "$mb" > "$sparse.info" || { echo "scan-gen failed"; exit 1; }
fi
dense=$B/scan-dense.csv
if want dense && { [ ! -f "$dense" ] || [ "$(stat -L -c %s "$dense")" -lt $((mb * 500000)) ]; }; then
    echo "generating $((mb / 2)) MB of dense HR CSV (once) ..."
    awk -v rows=$((mb * 500000 / 80)) 'BEGIN { srand(7)
        for (i = 0; i < rows; i++)
            printf "E%06d,山田 太郎%d,%04d-%02d-%02d,2024-04-01,%d,03-%04d-%04d,%d%011d\n", i, i % 97,
                1950 + i % 50, 1 + i % 12, 1 + i % 28, 200000 + i % 99999, i % 10000,
                (i * 7) % 10000, 1 + i % 9, (i * 7919) % 100000000000 }' > "$dense"
fi
many=$B/scan-many
if want many && [ ! -d "$many" ]; then
    echo "making 100,000 small files (once) ..."
    mkdir -p "$many"
    head -c $((100000 * 1000)) "$sparse" | (cd "$many" && split -a 5 -d -C 1000 - f)
    (cd "$many" && for d in $(seq -w 0 99); do mkdir -p "d$d"; mv f$d??? "d$d/" 2>/dev/null; done)
fi
want sparse && cat "$sparse" > /dev/null
want dense && cat "$dense" > /dev/null
want many && find "$many" -type f -exec cat {} + > /dev/null

load() { printf 'load average %s' "$(cut -d' ' -f1-3 /proc/loadavg)"; }

# compare LABEL SIZE-PATH MNV_CMD RG_CMD [CAT_CMD]: interleaved rounds (forward, then backward)
# of mnvault, ripgrep (and cat), with the older mnvault when SCAN_BENCH_BASELINE is set; each
# one's median and range, and the median and range of the per-round ratios.
compare() {
    local label=$1 path=$2 mcmd=$3 rcmd=$4 ccmd=${5:-} size cmds names i
    size=$(du -sbL "$path" | cut -f1)
    cmds=("$mcmd" "$rcmd")
    names=("mnvault" "ripgrep")
    [ -n "$ccmd" ] && { cmds+=("$ccmd"); names+=("cat"); }
    [ -n "$base" ] && { cmds+=("${mcmd//$MNV/$base}"); names+=("before"); }
    echo "$label ($((size / 1048576)) MiB, warm cache; $(load) before):"
    bench_runs "$runs" "${cmds[@]}" || return 1
    for i in "${!cmds[@]}"; do
        printf '    %-8s %s s\n' "${names[$i]}:" "$(bench_values $((i + 1)) wall | bench_stats)"
    done
    local m
    m=$(bench_values 1 wall | bench_stats | awk '{ print $2 }')
    echo "    mnvault $(bench_mbps "$size" "$m") MB/s (median)"
    ratio_line "ripgrep's time / mnvault's (above 1: mnvault is faster)" 2
    summarize "$label" "$m" ripgrep "$(bench_values 2 wall | bench_stats | awk '{ print $2 }')" "$RATIO"
    for i in "${!names[@]}"; do
        case ${names[$i]} in
        cat) ratio_line "cat's time / mnvault's (mnvault's share of cat's throughput)" $((i + 1))
            summarize "$label" "$m" cat "$(bench_values $((i + 1)) wall | bench_stats | awk '{ print $2 }')" "$RATIO" ;;
        before) ratio_line "the older build's time / this one's (above 1: faster now)" $((i + 1))
            summarize "$label" "$m" before "$(bench_values $((i + 1)) wall | bench_stats | awk '{ print $2 }')" "$RATIO" ;;
        esac
    done
    echo "    ($(load) after)"
}

# ratio_line TEXT J: the median and range of command J's time / mnvault's, round by round.
# Sets RATIO to "M (MIN .. MAX)".
ratio_line() {
    RATIO=$(paste -d' ' <(bench_values "$2" wall) <(bench_values 1 wall) |
        awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | bench_stats |
        awk '{ gsub(/[(),]/, ""); printf "%.2f (%.2f .. %.2f)", $2, $3, $5 }')
    printf '    %s: %s\n' "$1" "$RATIO"
}

# Same findings as the older build (with SCAN_BENCH_BASELINE): every line of the output.
same_findings() { # FILE ARGS
    [ -n "$base" ] || return 0
    if cmp -s <("$MNV" scan $2 "$1" 2>/dev/null) <("$base" scan $2 "$1" 2>/dev/null); then
        echo "    findings: the same as the older build's, line for line"
    else
        echo "    findings: DIFFERENT from the older build's"
    fi
}

# Same findings, line for line, with one thread and with one per processor.
same_jobs() { # PATH ARGS
    if cmp -s <("$MNV" scan $2 --jobs 1 "$1" 2>/dev/null) <("$MNV" scan $2 "$1" 2>/dev/null); then
        echo "    findings: the same with --jobs 1 and with one thread per processor, line for line"
    else
        echo "    findings: DIFFERENT with --jobs 1 and with threads"
    fi
}

echo "== speed (interleaved rounds, $runs each; medians, ranges, per-round ratios)"
echo "   machine: $(nproc) processors, $(load) at the start; other work on the machine shows in the ranges"
if want sparse; then
    compare "sparse text, --count" "$sparse" "\"$MNV\" scan --count '$sparse' | cat" \
        "rg -c '$pattern' '$sparse' | cat" "cat '$sparse' > /dev/null"
    same_findings "$sparse" --count
    compare "sparse text, every finding" "$sparse" "\"$MNV\" scan '$sparse' | cat" \
        "rg -n '$pattern' '$sparse' | cat" "cat '$sparse' > /dev/null"
    same_findings "$sparse" ""
    same_jobs "$sparse" ""
    echo "  findings: mnvault $("$MNV" scan --count "$sparse" 2>/dev/null | sed 's/.*://') in the sparse text" \
        "($(sed 's/.*planted=\([0-9]*\).*/\1/' "$sparse.info") planted), rg $(rg -c "$pattern" "$sparse") lines"
fi
if want dense; then
    compare "dense HR CSV, --count" "$dense" "\"$MNV\" scan --count '$dense' | cat" \
        "rg -c '$pattern' '$dense' | cat"
    compare "dense HR CSV, every finding" "$dense" "\"$MNV\" scan '$dense' | cat" \
        "rg -n '$pattern' '$dense' | cat"
    same_findings "$dense" ""
    same_jobs "$dense" ""
fi
if want many; then
    nfiles=$(find "$many" -type f | wc -l | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
    compare "$nfiles small files, --count" "$many" "\"$MNV\" scan --count '$many' | cat" \
        "rg -c '$pattern' '$many' | cat"
    compare "$nfiles small files, --count, --jobs 1 / rg -j1" "$many" \
        "\"$MNV\" scan --count --jobs 1 '$many' | cat" "rg -j1 -c '$pattern' '$many' | cat"
    same_findings "$many" --count
    same_jobs "$many" ""
fi

# Start-up: each round runs each command 200 times on an empty file and takes the CPU time
# (user + system) of the 200 and their wall time, per run. mnvault-full is the whole program,
# which is what `mnvault scan` started before the front (doc/architecture.md, "Two programs").
if want startup; then
    startups=200
    loop() { printf '%s' "TIMEFORMAT='cpu %3U %3S'; { time (for i in \$(seq $startups); do $1 > /dev/null 2>&1; done; true) ; } 2>&1"; }
    echo "== start-up ($startups runs of each per round on an empty file, $runs rounds, warm; $(load) before)"
    bench_runs "$runs" "$(loop "\"$MNV\" scan /dev/null")" "$(loop "rg x /dev/null")" \
        "$(loop "\"$MNV_BUILD/mnvault-full\" scan /dev/null")" || exit 1
    per_run() { # I: command I's CPU ms and wall ms per run, one round a line
        local r
        for r in $(seq "$BENCH_ROUNDS"); do
            awk -v n="$startups" '$1 == "cpu" { c = ($2 + $3) * 1000 / n } $1 == "wall" { w = $2 * 1000 / n }
                END { printf "%.3f %.3f\n", c, w }' "$BENCH_TMP/run.$1.$r"
        done
    }
    for i in 1 2 3; do per_run "$i" > "$B/startup.$i"; done
    names=(mnvault ripgrep "whole program (mnvault-full)")
    for i in 1 2 3; do
        printf '    %-30s CPU ms per run %s\n' "${names[$((i - 1))]}:" "$(cut -d' ' -f1 "$B/startup.$i" | bench_stats)"
        printf '    %-30s wall ms per run %s\n' "" "$(cut -d' ' -f2 "$B/startup.$i" | bench_stats)"
    done
    cpu_m() { cut -d' ' -f1 "$B/startup.$1" | bench_stats | awk '{ print $2 }'; }
    cpu_r() { paste -d' ' <(cut -d' ' -f1 "$B/startup.$1") <(cut -d' ' -f1 "$B/startup.1") |
        awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | bench_stats |
        awk '{ gsub(/[(),]/, ""); printf "%.2f (%.2f .. %.2f)", $2, $3, $5 }'; }
    for i in 2 3; do printf "    %s CPU / mnvault's, per round: %s\n" "${names[$((i - 1))]}'s" "$(cpu_r $i)"; done
    summarize "start-up, CPU ms per run" "$(cpu_m 1)" ripgrep "$(cpu_m 2)" "$(cpu_r 2)"
    summarize "start-up, CPU ms per run" "$(cpu_m 1)" "whole program" "$(cpu_m 3)" "$(cpu_r 3)"
    echo "    ($(load) after)"
    pdf=$MNV_ROOT/tests/scan-corpus/files/pdf/letter-00-lo.pdf
    txt=$MNV_ROOT/tests/scan-corpus/files/text/hr-00.txt
    libs() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -c 'calling init:'; }
    echo "  shared libraries loaded: mnvault scan of a text file $(libs "$MNV" scan "$txt"), of a PDF $(libs "$MNV" scan "$pdf") (poppler in the scan's child); rg $(libs rg x "$txt"); the whole program's scan of a text file $(libs "$MNV_BUILD/mnvault-full" scan "$txt")"
    echo "  shared libraries linked (ldd): mnvault $(ldd "$MNV" | wc -l), the whole program $(ldd "$MNV_BUILD/mnvault-full" | wc -l)"
    [ -n "$base" ] && echo "  before: mnvault scan of a text file $(libs "$base" scan "$txt"), of a PDF $(libs "$base" scan "$pdf"); linked with $(ldd "$base" | wc -l)"
fi

if want encodings; then
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
fi

if want recall; then
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
            corpus=
        fi
    fi
    if [ -n "$corpus" ]; then
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
    fi
fi

# ---- the table of this run ------------------------------------------------------------------
echo "== scan summary ($(load) at the end; warm cache; medians of $runs interleaved rounds)"
awk -F'\t' 'BEGIN { printf "  %-50s %9s  %-14s %9s  %s\n", "work (seconds; start-up in CPU ms)", "mnvault", "baseline", "", "baseline / mnvault" }
    { printf "  %-50s %9.4f  %-14s %9.4f  %s\n", $1, $2, $3, $4, $5 }' "$summary"
echo "  (ratio: the baseline's time / mnvault's, median of the per-round ratios (range); above 1 mnvault is faster;"
echo "   beside cat it is mnvault's share of cat's throughput)"
