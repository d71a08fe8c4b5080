#!/usr/bin/env bash
# mnvault recovery split / restore: who may split, the sheets, a new password from k shares,
# and the refusals: too few, mixed sets, an old set, a typo (with its line), no slot.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
V=$T_TMP/vault
v_full "$V" || t_bail "cannot create a vault"
NEWPW='purple elephant dances quietly'

recover() { # USER < sheets; the new password on fd 3
    "$MNV_TEST" recovery restore --data-dir "$V" --user "$1" --password-fd 3 3< <(printf '%s\n' "$NEWPW")
}

t_status "restore before any split: refused" 1 recover admin </dev/null
echo x | recover admin >"$T_TMP/out" 2>&1
t_contains "restore with no slot says how to make one" "recovery split" "$(cat "$T_TMP/out")"
: | "$MNV_TEST" recovery restore --data-dir "$V" --user admin >"$T_TMP/out" 2>&1
t_contains "empty input: no share given" "no recovery share" "$(cat "$T_TMP/out")"

bl_as admin "$V" recovery split --shares 5 --threshold 3 >"$T_TMP/admin.txt" 2>"$T_TMP/admin.err"
t_eq "an administrator may not split (exit 1)" "1" "$?"
t_eq "... and gets no sheet" "0" "$(wc -c <"$T_TMP/admin.txt")"
t_status "threshold above shares is a usage error" 2 bl_as sup "$V" recovery split --shares 2 --threshold 3
t_status "threshold 1 is a usage error" 2 bl_as sup "$V" recovery split --shares 3 --threshold 1
t_status "17 shares is a usage error" 2 bl_as sup "$V" recovery split --shares 17 --threshold 3
t_status "split without counts is a usage error" 2 bl_as sup "$V" recovery split

bl_as sup "$V" recovery split --shares 5 --threshold 3 >"$T_TMP/set1.txt" 2>"$T_TMP/set1.err"
t_eq "a supervisor splits 3 of 5" "0" "$?"
t_eq "five sheets on standard output" "5" "$(grep -o 'MNVAULT RECOVERY SHARE' "$T_TMP/set1.txt" | wc -l)"
t_eq "separated by form feeds" "4" "$(tr -cd '\f' <"$T_TMP/set1.txt" | wc -c)"
t_contains "each sheet names the organisation" "Label: テスト株式会社" "$(cat "$T_TMP/set1.txt")"
t_contains "stderr names the set and says old sets stop working" "no longer open" "$(cat "$T_TMP/set1.err")"
set1=$(sed -n 's/^Set: *//p' "$T_TMP/set1.txt" | head -1 | tr -d ' ' | tr 'A-F' 'a-f')
bl_sheets "$T_TMP/set1.txt" "$T_TMP/s1"

bl_as sup "$V" audit export --format csv >"$T_TMP/audit.csv"
t_contains "the split is audited with n, k and the set id" "recovery.split\",\"\",\"ok\",\"n=5 k=3 set=$set1" "$(cat "$T_TMP/audit.csv")"
t_contains "the administrator's refusal is audited" "\"admin\",\"admin\",\"recovery.split\",\"\",\"denied\"" "$(cat "$T_TMP/audit.csv")"
sheet_rows=$(grep -E '^[0-9]: ' "$T_TMP/s1/sheet1" | head -1 | cut -c4-)
t_lacks "no share text in the audit log" "$sheet_rows" "$(cat "$T_TMP/audit.csv")"

# Too few, wrong user, then the real thing.
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet4" | recover admin >"$T_TMP/out" 2>&1
t_eq "two of three shares: refused (exit 1)" "1" "$?"
t_contains "... saying how many are needed" "2 given, 3 needed" "$(cat "$T_TMP/out")"
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet4" | recover admin >"$T_TMP/out" 2>&1
t_contains "the same share twice counts once" "2 given, 3 needed" "$(cat "$T_TMP/out")"
recover nobody </dev/null >"$T_TMP/out" 2>&1
t_contains "an unknown user is named before any share is read" "no such user" "$(cat "$T_TMP/out")"
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet2" "$T_TMP/s1/sheet3" |
    "$MNV_TEST" recovery restore --data-dir "$V" --user admin --password-fd 3 3< <(echo admin-admin-admin-admin) >"$T_TMP/out" 2>&1
t_contains "a new password is checked by the policy" "must not contain the user name" "$(cat "$T_TMP/out")"

# Lock admin out first: the recovery must clear it.
for i in 1 2 3 4 5; do "$MNV_TEST" user list --data-dir "$V" --user admin --password-fd 3 3< <(echo wrong) >/dev/null 2>&1; done
bl_as admin "$V" user list >"$T_TMP/out" 2>&1
t_contains "admin is locked out" "locked" "$(cat "$T_TMP/out")"
cat "$T_TMP/s1/sheet5" "$T_TMP/s1/sheet2" "$T_TMP/s1/sheet3" | recover admin >"$T_TMP/out" 2>&1
t_eq "three shares in any order set admin's password" "0" "$?"
t_contains "... and say it must be changed at the next login" "must choose another password" "$(cat "$T_TMP/out")"
"$MNV_TEST" user list --data-dir "$V" --user admin --password-fd 3 3< <(printf '%s\n' "$NEWPW") >"$T_TMP/out" 2>&1
t_contains "the new password opens the vault; the lockout is gone; a change is required" "must be changed" "$(cat "$T_TMP/out")"
printf '%s\n%s\n' "$NEWPW" "$V_ADMIN_PW" | "$MNV_TEST" user passwd --data-dir "$V" --user admin --password-fd 0 >/dev/null 2>&1
t_status "admin chooses a password and works again" 0 bl_as admin "$V" user list
bl_as sup "$V" audit export --format csv >"$T_TMP/audit.csv"
t_contains "the recovery is audited as actor recovery with the set id" "\"recovery\",\"\",\"password.recover\",\"admin\",\"ok\",\"set=$set1\"" "$(cat "$T_TMP/audit.csv")"

# A typo: change one character of the second row of sheet 2; the line is that of the
# whole input (sheet 1 comes first).
lines1=$(wc -l <"$T_TMP/s1/sheet1")
row=$(grep -n '^2: ' "$T_TMP/s1/sheet2" | cut -d: -f1)
awk -v r="$row" 'NR == r { c = substr($0, 4, 1); $0 = substr($0, 1, 3) (c == "A" ? "B" : "A") substr($0, 5) } { print }' \
    "$T_TMP/s1/sheet2" >"$T_TMP/typo2"
cat "$T_TMP/s1/sheet1" "$T_TMP/typo2" "$T_TMP/s1/sheet3" | recover admin >"$T_TMP/out" 2>&1
t_eq "a mistyped group: refused (exit 1)" "1" "$?"
t_contains "... named with its line in the input" "share 2: a group of the recovery share was mistyped at line $((lines1 + row))" "$(cat "$T_TMP/out")"

# A new split replaces the old set: never without being asked (or --replace).
bl_as sup "$V" recovery split --shares 3 --threshold 2 --out "$T_TMP/set2" >"$T_TMP/out" 2>&1
t_eq "a second split without --replace off a terminal: refused (exit 1)" "1" "$?"
t_contains "... saying what a split would do and how to say yes" "give --replace" "$(cat "$T_TMP/out")"
t_eq "... and nothing was written" "" "$(ls -A "$T_TMP/set2" 2>/dev/null)"
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet2" "$T_TMP/s1/sheet3" |
    "$MNV_TEST" recovery restore --data-dir "$V" --user clerk --password-fd 3 3< <(printf '%s\n' "$NEWPW") >/dev/null 2>&1
t_eq "... the first set still opens the vault" "0" "$?"
bl_as sup "$V" recovery split --shares 3 --threshold 2 --out "$T_TMP/set2" --replace >/dev/null 2>&1
t_eq "split into files with --out" "3" "$(ls "$T_TMP/set2" | wc -l)"
t_eq "the sheet files are private (0600)" "600" "$(stat -c %a "$T_TMP/set2"/* | sort -u)"
t_eq "no temporary file is left beside them" "" "$(ls -A "$T_TMP/set2" | grep -v '^share-')"
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet2" "$T_TMP/s1/sheet3" | recover admin >"$T_TMP/out" 2>&1
t_contains "the old set no longer opens the vault" "older set that a newer split replaced" "$(cat "$T_TMP/out")"
cat "$T_TMP/s1/sheet1" "$T_TMP/set2"/share-*-1-of-3.txt | recover admin >"$T_TMP/out" 2>&1
t_contains "shares of two sets are not mixed" "different sets" "$(cat "$T_TMP/out")"
cat "$T_TMP/set2"/share-*-3-of-3.txt "$T_TMP/set2"/share-*-1-of-3.txt |
    "$MNV_TEST" recovery restore --data-dir "$V" --user sup --password-fd 3 3< <(printf '%s\n' "$NEWPW") >/dev/null 2>&1
t_eq "two of the new 2-of-3 set recover sup" "0" "$?"

# Sheets already in the folder are never written over, whatever the set.
ls -l --time-style=+%s "$T_TMP/set2" >"$T_TMP/before"
bl_as sup "$V" recovery split --shares 3 --threshold 2 --out "$T_TMP/set2" --replace >"$T_TMP/out" 2>&1
t_eq "a folder holding sheets: refused (exit 1)" "1" "$?"
t_contains "... named, and why" "holds share sheets already" "$(cat "$T_TMP/out")"
ls -l --time-style=+%s "$T_TMP/set2" >"$T_TMP/after"
t_eq "... the sheets there are untouched" "$(cat "$T_TMP/before")" "$(cat "$T_TMP/after")"
cat "$T_TMP/set2"/share-*-2-of-3.txt "$T_TMP/set2"/share-*-1-of-3.txt |
    "$MNV_TEST" recovery restore --data-dir "$V" --user sup --password-fd 3 3< <(printf '%s\n' "$NEWPW") >/dev/null 2>&1
t_eq "... and the set they belong to still opens the vault" "0" "$?"

printf 'just some text\nCheck: AAAA AAAA\n' | recover admin >"$T_TMP/out" 2>&1
t_contains "text that is no share is named" "share 1 (from line 1): this is not a recovery share" "$(cat "$T_TMP/out")"
t_status "restore needs --user" 2 "$MNV_TEST" recovery restore --data-dir "$V"
t_status "an unknown subcommand is a usage error" 2 "$MNV_TEST" recovery mix --data-dir "$V"
t_done
