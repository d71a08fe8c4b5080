# tests/lib/pdf.sh: checks of PDFs that mnvault writes, with poppler-utils, qpdf and
# mnvault's own number check (`mnvault scan`). Source after tests/lib/tap.sh.

# pdf_text FILE: the text of every page, as pdftotext reads it in content order.
pdf_text() { pdftotext -raw -enc UTF-8 "$1" - 2>/dev/null; }

# pdf_squeeze: digits separated by single spaces joined up ("1 2 3" -> "123"): numbers in
# digit cells come out of pdftotext one digit at a time.
pdf_squeeze() { sed -E ':a; s/([0-9]) ([0-9])/\1\2/g; ta'; }

# pdf_number_count FILE: how many valid My Numbers `mnvault scan` finds in the text of FILE
# read every way a person or a program could read it: as `scan` reads a PDF (poppler), as
# pdftotext gives it, and the same with the digits of cells joined up. Prints the total.
# (The raw bytes are not scanned this way: font width tables such as "/W [0 [1000 1000
# 1000]]" hold grouped digit runs that pass the check digit. See pdf_bytes_hold.)
pdf_number_count() {
    local f=$1 n total=0 tmp
    tmp=$(mktemp -d "${T_TMP:-/tmp}/pdfnum.XXXXXX")
    pdf_text "$f" > "$tmp/text.txt"
    pdf_squeeze < "$tmp/text.txt" > "$tmp/squeezed.txt"
    for part in "$f" "$tmp/text.txt" "$tmp/squeezed.txt"; do
        n=$("$MNV" scan --count "$part" 2>/dev/null | sed -n 's/.*:\([0-9]*\)$/\1/p' | tail -n 1)
        total=$((total + ${n:-1}))
    done
    rm -rf "$tmp"
    echo "$total"
}

# pdf_bytes_hold FILE NUMBER...: prints how many of the given 12-digit numbers appear in
# the raw bytes of FILE or in its streams decompressed by qpdf, written plainly, in groups
# of four (space or hyphen), or one digit at a time with spaces.
pdf_bytes_hold() {
    local f=$1 tmp found=0 n; shift
    tmp=$(mktemp -d "${T_TMP:-/tmp}/pdfraw.XXXXXX")
    qpdf --qdf --object-streams=disable "$f" "$tmp/qdf.pdf" 2>/dev/null || cp "$f" "$tmp/qdf.pdf"
    for n in "$@"; do
        local g="${n:0:4} ${n:4:4} ${n:8:4}" h="${n:0:4}-${n:4:4}-${n:8:4}"
        local spaced
        spaced=$(printf '%s' "$n" | sed 's/./& /g; s/ $//')
        if grep -a -q -F -e "$n" -e "$g" -e "$h" -e "$spaced" "$f" "$tmp/qdf.pdf"; then
            found=$((found + 1))
        fi
    done
    rm -rf "$tmp"
    echo "$found"
}

# pdf_fonts_ok FILE: exit 0 when pdffonts lists IPAex Gothic and every font is embedded.
pdf_fonts_ok() {
    local list
    list=$(pdffonts "$1" 2>/dev/null | tail -n +3)
    [ -n "$list" ] || return 1
    printf '%s\n' "$list" | grep -q 'IPAexGothic' || return 1
    # Column "emb" is the third from the right end of each line's flags: yes/no.
    ! printf '%s\n' "$list" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }'
}

# pdf_render_close NAME GOLDEN.pgm FILE [PAGE]: page PAGE (default 1) of FILE rendered at
# 20 dpi in grey matches GOLDEN.pgm loosely: same size and at most 0.5% of the pixels
# differing by more than a quarter of the grey scale (font rasterising and cairo versions
# move a few pixels; a missing box, label or value moves many). MNV_REGEN=1 rewrites it.
pdf_render_close() {
    local name=$1 golden=$2 f=$3 page=${4:-1} out
    pdftoppm -r 20 -gray -f "$page" -l "$page" -singlefile "$f" "$T_TMP/render" 2>/dev/null
    if [ ! -f "$T_TMP/render.pgm" ]; then t_fail "$name" "pdftoppm could not render $f"; return; fi
    if [ "${MNV_REGEN:-0}" = 1 ]; then
        cp "$T_TMP/render.pgm" "$golden"; rm -f "$T_TMP/render.pgm"
        t_pass "$name (regenerated)"; return
    fi
    if [ ! -f "$golden" ]; then t_fail "$name" "missing golden render $golden"; return; fi
    out=$("$MNV_TOOLS/pgmdiff" "$golden" "$T_TMP/render.pgm")
    rm -f "$T_TMP/render.pgm"
    set -- $out
    if [ $# -eq 3 ] && [ "$3" -le $(($1 * $2 / 200)) ]; then
        t_pass "$name"
    else
        t_fail "$name" "render differs from $golden: $out (width height differing-pixels)"
    fi
}
