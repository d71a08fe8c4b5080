#!/usr/bin/env bash
# Recovery shares, exhaustively for one 3-of-5 set: each of the C(5,3) = 10 triples sets a
# password that then opens the vault; each of the C(5,2) = 10 pairs is refused and changes
# nothing; a share with one changed character is caught and its line named, for every row;
# no share text reaches the audit log or any file but the sheets asked for.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
V=$T_TMP/vault
v_full "$V" || t_bail "cannot create a vault"
bl_as sup "$V" recovery split --shares 5 --threshold 3 >"$T_TMP/sheets" 2>/dev/null ||
    t_bail "cannot split"
bl_sheets "$T_TMP/sheets" "$T_TMP/s"

recover() { # PASSWORD SHEET-NUMBERS...
    local pw=$1; shift
    local files=()
    for i in "$@"; do files+=("$T_TMP/s/sheet$i"); done
    cat "${files[@]}" | "$MNV_TEST" recovery restore --data-dir "$V" --user admin \
        --password-fd 3 3< <(printf '%s\n' "$pw")
}
# 1: the password opens the slot (the login then asks for a change); 0: it does not.
opens() {
    "$MNV_TEST" user list --data-dir "$V" --user admin --password-fd 3 \
        3< <(printf '%s\n' "$1") >"$T_TMP/login" 2>&1
    grep -q 'must be changed' "$T_TMP/login" && echo 1 || echo 0
}

bad_triples="" n=0 last=""
for a in 1 2 3 4 5; do for b in $(seq $((a + 1)) 5); do for c in $(seq $((b + 1)) 5); do
    n=$((n + 1))
    pw="recovered passphrase number $a$b$c"
    if ! recover "$pw" "$c" "$a" "$b" >/dev/null 2>&1; then
        bad_triples="$bad_triples $a$b$c:refused"
    elif [ "$(opens "$pw")" != 1 ]; then
        bad_triples="$bad_triples $a$b$c:password-does-not-open"
    fi
    last=$pw
done; done; done
t_eq "all $n triples of 5 shares set a working password" "10 " "$n $bad_triples"

bad_pairs="" n=0
for a in 1 2 3 4 5; do for b in $(seq $((a + 1)) 5); do
    n=$((n + 1))
    recover "pair passphrase $a$b that must not work" "$a" "$b" >"$T_TMP/out" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q '2 given, 3 needed' "$T_TMP/out" || bad_pairs="$bad_pairs $a$b:$rc"
    # Unchanged: the password of the last triple still opens (a success also keeps the
    # failure counter from locking admin out).
    [ "$(opens "$last")" = 1 ] || bad_pairs="$bad_pairs $a$b:changed"
done; done
t_eq "all $n pairs are refused as too few and change nothing" "10 " "$n $bad_pairs"
t_eq "a pair's password was never set" "0" "$(opens "pair passphrase 12 that must not work")"

# One changed character in each row of each sheet, typed after a correct sheet: the line
# reported is the line of the whole input.
bad_typos="" n=0
for s in 1 2 3 4 5; do
    other=$(( s % 5 + 1 ))
    before=$(wc -l <"$T_TMP/s/sheet$other")
    for row in 1 2 3 4; do
        n=$((n + 1))
        line=$(grep -n "^$row: " "$T_TMP/s/sheet$s" | cut -d: -f1)
        col=$(( 4 + (RANDOM % 29) ))
        ch=$(sed -n "${line}p" "$T_TMP/s/sheet$s" | cut -c"$col")
        if [ "$ch" = " " ]; then col=$((col + 1)); fi
        awk -v r="$line" -v c="$col" 'NR == r { x = substr($0, c, 1); y = (x == "Q") ? "R" : "Q"
            $0 = substr($0, 1, c - 1) y substr($0, c + 1) } { print }' \
            "$T_TMP/s/sheet$s" >"$T_TMP/typo"
        cat "$T_TMP/s/sheet$other" "$T_TMP/typo" | "$MNV_TEST" recovery restore \
            --data-dir "$V" --user admin --password-fd 3 3< <(echo "never set by a typo share") \
            >"$T_TMP/out" 2>&1
        rc=$?
        grep -q "share 2: a group of the recovery share was mistyped at line $((before + line))," \
            "$T_TMP/out" && [ $rc -eq 1 ] || bad_typos="$bad_typos s$s/r$row/c$col:$(tail -c 90 "$T_TMP/out")"
    done
done
t_eq "each of $n one-character typos is caught at its line" "" "$bad_typos"
t_eq "no typo changed the password" "1" "$(opens "$last")"

bl_as sup "$V" audit export --format csv >"$T_TMP/audit.csv" 2>/dev/null
leak=""
for s in 1 2 3 4 5; do
    for g in $(grep -E '^[0-9]: ' "$T_TMP/s/sheet$s" | cut -c4- | tr ' ' '\n'); do
        grep -qF "$g" "$T_TMP/audit.csv" "$V/vault.keys" && leak="$leak $g"
    done
done
t_eq "no group of any sheet is in the audit log or the key file" "" "$leak"
t_eq "the vault folder holds only the vault's two files" "vault.db vault.keys" "$(ls -A "$V" | tr '\n' ' ' | sed 's/ $//')"
t_done
