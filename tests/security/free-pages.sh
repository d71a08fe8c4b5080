#!/usr/bin/env bash
# `mnvault verify` finds a flipped byte in every page of vault.db. When every page is in
# use, integrity_check reads (and SQLCipher authenticates) every one of them and verify
# computes no second HMAC pass; a free page, a cut last page or a page too many brings
# SQLCipher's cipher_integrity_check back. Each damage is exit 1 and called damaged (by
# verify, or already at sign-in when the page is one that every sign-in reads).
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
P=$T_TMP/pristine
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_init "$P" || t_bail "cannot make a vault"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$P" sup)
sql() {
    sqlcipher "$1" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
PRAGMA cipher_log_source = NONE;
$2
SQL
}
# flip FILE OFFSET: xor one byte with 0x5a.
flip() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(( b ^ 0x5a )))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
D=$T_TMP/d
# verdict NAME: verify of $D is exit 1 and says damaged; else one line for the log.
missed=0
verdict() {
    local out rc
    out=$(v_as "$D" sup "$V_SUP_PW" verify 2>&1); rc=$?
    case "$rc:$out" in
        1:*damaged*) ;;
        *) missed=$((missed + 1)); echo "# not reported ($1): exit $rc: $out" | head -n 3 ;;
    esac
}
free=$(sql "$P/vault.db" "PRAGMA freelist_count;" | grep -E '^[0-9]+$' | tail -n 1)
t_eq "a new vault has no free page" 0 "$free"
t_ok "the pristine vault verifies" v_as "$P" sup "$V_SUP_PW" verify
pages=$(( $(stat -c %s "$P/vault.db") / 4096 ))
for pg in $(seq "$pages"); do
    rm -rf "$D" && cp -a "$P" "$D"
    flip "$D/vault.db" $(( (pg - 1) * 4096 + (pg * 977) % 4096 ))
    verdict "page $pg"
done
t_eq "a byte flipped in each of the $pages pages: every one reported as damage" 0 "$missed"

# Free pages, as deleted rows leave them: a table of 300 pages made and dropped behind the
# program's back.
sql "$P/vault.db" "CREATE TABLE scratch(x);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)
INSERT INTO scratch SELECT randomblob(3000) FROM c;
DROP TABLE scratch;" >/dev/null
free=$(sql "$P/vault.db" "PRAGMA freelist_count;" | grep -E '^[0-9]+$' | tail -n 1)
t_ok "now the vault has free pages ($free)" test "${free:-0}" -gt 100
t_ok "the vault with free pages verifies" v_as "$P" sup "$V_SUP_PW" verify
# The freelist (the shell's sqlite_dbpage): page 1 names the first trunk page, a trunk page
# its leaf pages.
trunk=$(sql "$P/vault.db" "SELECT hex(substr(data, 33, 4)) FROM sqlite_dbpage WHERE pgno = 1;" | grep -E '^[0-9A-F]{8}$')
leaves=$(sql "$P/vault.db" "SELECT hex(substr(data, 5, 4)) || ' ' || hex(substr(data, 9, 4)) || ' '
    || hex(substr(data, 13, 4)) FROM sqlite_dbpage WHERE pgno = $((16#${trunk:-0}));" | grep -E '^[0-9A-F]{8} ')
read -r count first second <<<"$leaves"
t_ok "the first trunk page lists leaf pages" test "$((16#${count:-0}))" -gt 2
missed=0
for pg in "$((16#${first:-0}))" "$((16#${second:-0}))" "$((16#${trunk:-0}))"; do
    for at in 100 2000 4090; do
        rm -rf "$D" && cp -a "$P" "$D"
        flip "$D/vault.db" $(( (pg - 1) * 4096 + at ))
        verdict "free page $pg byte $at"
    done
done
t_eq "a byte flipped in free leaf and trunk pages: every one reported as damage" 0 "$missed"
missed=0
rm -rf "$D" && cp -a "$P" "$D"
truncate -s -1000 "$D/vault.db"
verdict "the last page cut short"
rm -rf "$D" && cp -a "$P" "$D"
head -c 4096 /dev/urandom >> "$D/vault.db"
verdict "a page of noise after the last page"
rm -rf "$D" && cp -a "$P" "$D"
head -c 100 /dev/urandom >> "$D/vault.db"
verdict "100 bytes after the last page"
t_eq "a cut last page, a page of noise after it, 100 bytes after it: each reported" 0 "$missed"
t_done
