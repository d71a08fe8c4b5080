#!/usr/bin/env bash
# Share sheets end to end through tests/tools/share-sheet: split, print, type back in other
# ways, combine; typos named by line and column; the example in doc/recovery-shares.md.
. "$MNV_ROOT/tests/lib/tap.sh"
tool=$MNV_TOOLS/share-sheet
[ -x "$tool" ] || t_bail "share-sheet was not built"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
d=$T_TMP/sheets
mkdir -p "$d"
t_ok "split 3 of 5" "$tool" split 5 3 "株式会社 ACME" "$secret" "$d"
t_eq "five sheets" 5 "$(ls "$d" | wc -l)"
t_contains "sheet header" "Share: 4 of 5, 3 needed" "$(cat "$d/share-4.txt")"
t_contains "label kept" "Label: 株式会社 ACME" "$(cat "$d/share-4.txt")"
t_eq "sheets are ASCII apart from the label" "" \
    "$(grep -v '^Label:' "$d"/share-*.txt | LC_ALL=C grep -P '[^\x20-\x7e]')"
t_eq "combine shares 1 3 5" "$secret" "$("$tool" combine "$d/share-1.txt" "$d/share-3.txt" "$d/share-5.txt")"
t_eq "combine shares 5 4 2" "$secret" "$("$tool" combine "$d/share-5.txt" "$d/share-4.txt" "$d/share-2.txt")"
out=$("$tool" combine "$d/share-1.txt" "$d/share-2.txt"); rc=$?
t_eq "two shares are too few (exit 1)" 1 "$rc"
t_eq "two shares are too few" "SHARES_FEW" "$out"

# Typed back by hand: lower case, rows only, no spaces, CRLF line ends.
sed -n '/^[1-4]:/p' "$d/share-2.txt" | sed 's/^[1-4]://' | tr -d ' ' | tr 'A-Z' 'a-z' \
    | sed 's/$/\r/' > "$T_TMP/typed-2.txt"
t_eq "retyped sheet parses" "share 2 of 5, 3 needed" "$("$tool" parse < "$T_TMP/typed-2.txt")"
t_eq "retyped sheet combines" "$secret" \
    "$("$tool" combine "$T_TMP/typed-2.txt" "$d/share-1.txt" "$d/share-4.txt")"

# One mistyped character: named by its line (row 3 of the sheet is line 8) and group.
line=$(sed -n '8p' "$d/share-3.txt")
c=${line:16:1}; new=A; [ "$c" = A ] && new=B
sed "8s/^\(.\{16\}\)./\1$new/" "$d/share-3.txt" > "$T_TMP/typo.txt"
out=$("$tool" parse < "$T_TMP/typo.txt"); rc=$?
t_eq "typo: exit 1" 1 "$rc"
t_eq "typo: line 8, column of its group" "SHARES_TYPO line 8 column 16" "$out"

# Sheets of another split never combine with these.
mkdir -p "$T_TMP/other"
"$tool" split 5 3 "" "$secret" "$T_TMP/other"
t_eq "two splits of the same secret do not mix" "SHARES_MIXED" \
    "$("$tool" combine "$d/share-1.txt" "$d/share-2.txt" "$T_TMP/other/share-3.txt")"
t_eq "not a sheet" "SHARES_FORMAT" "$(printf 'hello world\n' | "$tool" parse)"

# The example in the documentation is a real sheet.
sed -n '/^MNVAULT RECOVERY SHARE/,/^Check:/p' "$MNV_ROOT/doc/recovery-shares.md" > "$T_TMP/doc.txt"
t_eq "doc example parses" "share 2 of 5, 3 needed" "$("$tool" parse < "$T_TMP/doc.txt")"
t_done
