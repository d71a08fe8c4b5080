#!/usr/bin/env bash
# `mnvault check` over one million candidate lines (10 % with a wrong check digit), side by
# side with awk doing less work per line (prints a verdict on length and digits only, no
# check digit, no full-width forms) and with `cat`, the I/O ceiling.
. "$MNV_ROOT/tests/bench/lib.sh"
f=$BENCH_TMP/check-1m.txt
if [ ! -f "$f" ]; then
    awk 'BEGIN { srand(7); w="65432765432";
        for (i = 0; i < 1000000; i++) { s = ""; t = 0;
            for (j = 1; j <= 11; j++) { d = int(rand() * 10); s = s d; t += d * substr(w, j, 1) }
            r = t % 11; c = (r <= 1) ? 0 : 11 - r;
            if (i % 10 == 0) c = (c + 1) % 10;
            print substr(s, 1, 4) " " substr(s, 5, 4) " " substr(s, 9, 3) c } }' > "$f"
fi
size=$(stat -c %s "$f")
t_mnv=$(bench_time bash -c "\"$MNV\" check < '$f' > /dev/null")
t_awk=$(bench_time bash -c "LC_ALL=C awk '{ g = \$0; gsub(/[ -]/, \"\", g); print \"line \" NR \": \" ((g ~ /^[0-9]+\$/ && length(g) == 12) ? \"valid\" : \"invalid\") }' '$f' > /dev/null")
t_cat=$(bench_time bash -c "cat '$f' > /dev/null")
echo "mnvault check: $(bench_mbps "$size" "$t_mnv") MB/s (${t_mnv}s for 1,000,000 lines)"
echo "awk baseline:  $(bench_mbps "$size" "$t_awk") MB/s (${t_awk}s)"
echo "cat:           $(bench_mbps "$size" "$t_cat") MB/s (${t_cat}s)"
echo "ratio mnvault/awk time: $(bench_ratio "$t_mnv" "$t_awk")   mnvault/cat time: $(bench_ratio "$t_mnv" "$t_cat")"
