#!/usr/bin/env bash
# Issue 11 finding 12: decompression bombs cost `mnvault scan` neither time nor memory. Each
# file below is about 4 MB and unpacks to 4000 MiB of zeros (tests/tools/bomb.py writes them
# without deflating the zeros): a zip, a zip whose headers claim 1 KiB unpacked, a zip inside
# a zip, a gzip and a .tar.gz. Each must be reported as not scanned (exit 3), never as clean;
# the honest ones with the words "too large after decompression", the lying zip as too large
# or as damaged (its stream is not what its headers claim). The scan's peak memory
# (/usr/bin/time %M, maximum resident set) must stay below RSS_LIMIT_KIB = 64 MiB: measured
# 18-23 MiB for each bomb here and 27 MiB for the folder of all five (2026-12-06), 11 MiB
# for a scan of a small text file; the bombs unpack to 62 times that limit. Before the fix a 4 MB zip of zeros cost 1 GiB and 14 s.
# No time is asserted; `timeout` only keeps a hang from holding the suite (300 s, where a
# scan of these takes well under a second). The command-line wording and the --max-size
# total are tests/cli/scan-formats.sh's.
. "$MNV_ROOT/tests/lib/tap.sh"

RSS_LIMIT_KIB=65536
cd "$T_TMP" || t_bail "tmp"
for k in zip zip-lying zip-nested gz tar.gz; do
    python3 "$MNV_ROOT/tests/tools/bomb.py" "$k" "bomb.$k" || t_bail "bomb.py $k"
done
mv bomb.zip-lying lying.zip
mv bomb.zip-nested nested.zip
t_ok "the zip is a real bomb (its header says 4000 MiB)" \
    bash -c '[ "$(python3 -c "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).infolist()[0].file_size)" bomb.zip)" = 4194304000 ]'
size=$(stat -c %s bomb.zip)
t_ok "the zip is about 4 MB ($size bytes)" test "$size" -gt 3000000 -a "$size" -lt 6000000
printf 'no number in here\n' > small.txt

# scan_rss NAME FILE: runs `mnvault scan FILE` (and --json) under /usr/bin/time; sets out, json,
# st (exit status) and rss (KiB).
scan_rss() {
    timeout 300 /usr/bin/time -o "$T_TMP/$1.rss" -f '%M' "$MNV" scan "$2" > "$T_TMP/$1.out" 2>&1
    st=$?
    out=$(cat "$T_TMP/$1.out")
    rss=$(tail -n 1 "$T_TMP/$1.rss")
    case "$rss" in '' | *[!0-9]*) rss=999999999 ;; esac
    json=$(timeout 300 "$MNV" scan --json "$2" 2>/dev/null | jq -r 'select(.type=="not_scanned") | .reason')
}

scan_rss small small.txt
small_rss=$rss
t_eq "a small text: clean (exit 0)" 0 "$st"
echo "# a scan of a small text file: peak RSS $small_rss KiB"
for f in bomb.zip nested.zip bomb.gz bomb.tar.gz lying.zip; do
    scan_rss "$f" "$f"
    echo "# $f: exit $st, peak RSS $rss KiB"
    t_eq "$f: exit 3 (not scanned), not clean, no hang" 3 "$st"
    if [ "$f" = lying.zip ]; then
        case "$json" in
            too_large | damaged) t_pass "$f: reported too large or damaged ($json)" ;;
            *) t_fail "$f: reported too large or damaged" "reason: $json" "$out" ;;
        esac
    else
        t_contains "$f: said in words" ": not scanned: too large after decompression" "$out"
        t_eq "$f: --json reason too_large" too_large "$json"
    fi
    t_ok "$f: peak memory $rss KiB below $RSS_LIMIT_KIB KiB" test "$rss" -lt "$RSS_LIMIT_KIB"
done
t_contains "nested: the inner member named" "nested.zip[inner.zip][zeros.bin]: not scanned: too large" \
    "$(cat "$T_TMP/nested.zip.out")"
t_contains "in Japanese too" "bomb.zip[zeros.bin]: 検査できませんでした" \
    "$(LANG=ja_JP.UTF-8 timeout 300 "$MNV" scan bomb.zip 2>&1)"
# A folder holding every bomb beside a file with a number: the number is still found, each
# bomb reported, the memory bounded the same.
mkdir dir && cp bomb.zip nested.zip bomb.gz bomb.tar.gz lying.zip dir/
printf '個人番号 123456789018\n' > dir/staff.txt
scan_rss dir dir
t_eq "a folder of bombs and a number: exit 1 (a number found)" 1 "$st"
t_contains "the number beside the bombs is found" "dir/staff.txt:1:6:" "$out"
t_eq "every bomb reported" 5 "$(grep -c ': not scanned: ' "$T_TMP/dir.out")"
t_ok "a folder of bombs: peak memory $rss KiB below $RSS_LIMIT_KIB KiB" test "$rss" -lt "$RSS_LIMIT_KIB"
t_done
