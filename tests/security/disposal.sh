#!/usr/bin/env bash
# Deletion that holds against someone with the database key and old copies:
#  1. kill -9 at random moments of `mnvault dispose execute`: afterwards every deletion has
#     its certificate and every certificate its deletion (checked in the database itself
#     with the sqlcipher shell), the vault and the audit chain verify, and `dispose finish`
#     completes what the kill left;
#  2. a replayed page of the database from before the deletion opens nothing: the wrapped
#     data keys it holds need an epoch key the key file no longer has;
#  3. the decrypted pages of vault.db (free pages included), the folder, the journal and
#     every managed backup — each restored and looked at — hold no byte of a deleted
#     number's ciphertext, data key or blind index, and `mnvault scan` finds no number.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"

export MNVAULT_TEST_NOW=2026-12-01T01:00:00
V=$T_TMP/vault
v_full "$V" || t_bail "vault"
SUP2_PW='nine quiet herons at dusk'
v_add_user "$V" sup2 supervisor "$SUP2_PW" || t_bail "sup2"
clerk() { v_as "$V" clerk "$V_CLERK_PW" "$@"; }
sup() { v_as "$V" sup "$V_SUP_PW" "$@"; }
sup2() { v_as "$V" sup2 "$SUP2_PW" "$@"; }

# 600 employees who retired in 1993 (due) and 50 current ones, with valid numbers.
HH=${DISPOSAL_HOUSEHOLDS:-600}
python3 - "$HH" > "$T_TMP/people.csv" <<'EOF'
import sys
n = int(sys.argv[1])
def number(i):
    body = "%011d" % (30000000000 + i * 7919)
    s = sum(int(d) * w for d, w in zip(body, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]))
    r = s % 11
    return body + str(0 if r <= 1 else 11 - r)
print("employee_code,name,kana,birth_date,sex,hire_date,my_number,route,channel,documents,"
      "verified_by,verified_on,purposes")
for i in range(n + 50):
    code = ("R%05d" if i < n else "C%05d") % i
    print("%s,見本 %d,ミホン,1930-01-01,M,1960-04-01,%s,self,in_person,mynumber_card,"
          "人事 花子,1992-01-06,tax_withholding" % (code, i, number(i)))
EOF
clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(tail -3 "$T_TMP/import.out")"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$V" sup)
sql() { # SQL [DB]: one query through the sqlcipher shell with the database key
    sqlcipher "${2:-$V/vault.db}" 2>&1 <<SQL | grep -v '^ok$'
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
$1
SQL
}
t_eq "retire the R households in 1993" "$HH" \
    "$(echo "$V_CLERK_PW" | "$MNV_TOOLS/disposaltool" retire-all "$V" clerk R 1993-03-31)"
t_eq "the intruder's shell opens the vault (the key is right)" "$HH" \
    "$(sql "SELECT count(*) FROM employees WHERE retire_date <> '';")"

# The facts of the numbers to be deleted, and the database as it is before any deletion.
sql "SELECT n.id || ' ' || e.id || ' ' || key_epoch || ' ' || hex(wrapped_key) FROM numbers n JOIN employees e
     ON e.id = n.employee_id WHERE e.code LIKE 'R%' ORDER BY n.id LIMIT 5;" > "$T_TMP/wrapped"
sql "SELECT hex(ciphertext), hex(wrapped_key), hex(blind_index) FROM numbers n JOIN employees e
     ON e.id = n.employee_id WHERE e.code LIKE 'R%';" | tr '|' '\n' > "$T_TMP/secrets"
t_eq "the secrets of the due numbers, before" $((HH * 3)) "$(grep -c . "$T_TMP/secrets")"
cp "$V/vault.db" "$T_TMP/old.db"
read -r nid neid nepoch nhex < "$T_TMP/wrapped"
out=$(echo "$V_SUP_PW" | "$MNV_TOOLS/disposaltool" unwrap "$V" sup "$nid" "$neid" "$nepoch" "$nhex")
t_eq "control: before the deletion the wrapped key of a due number opens" "OK" "$out"
sup backup > /dev/null 2>&1 || t_bail "managed backup"

# Proposals of 50 households each, all approved.
per=50 props=$((HH / 50))
for p in $(seq 0 $((props - 1))); do
    codes=$(seq $((p * per)) $((p * per + per - 1)) | awk '{ printf "R%05d ", $1 }')
    # shellcheck disable=SC2086
    clerk dispose propose $codes > /dev/null 2>&1 || t_bail "propose $p"
    sup2 dispose approve $((p + 1)) --reason "保存期間経過" > /dev/null 2>&1 || t_bail "approve $p"
done

invariant() { # prints what is wrong, nothing when a deletion and its certificate go together
    sql "SELECT 'executed without a certificate: ' || count(*) FROM disposal_proposals p
           WHERE state = 'executed' AND NOT EXISTS (SELECT 1 FROM certificates WHERE proposal_id = p.id)
           HAVING count(*) > 0;
         SELECT 'a certificate of a proposal not executed: ' || count(*) FROM certificates c
           JOIN disposal_proposals p ON p.id = c.proposal_id WHERE p.state <> 'executed'
           HAVING count(*) > 0;
         SELECT 'deleted without a certificate: ' || count(*) FROM numbers n WHERE status = 'disposed'
           AND NOT EXISTS (SELECT 1 FROM disposal_items i JOIN certificates c
             ON c.proposal_id = i.proposal_id WHERE i.number_id = n.id) HAVING count(*) > 0;
         SELECT 'certified but not deleted: ' || count(*) FROM disposal_items i JOIN certificates c
           ON c.proposal_id = i.proposal_id JOIN numbers n ON n.id = i.number_id
           WHERE n.status <> 'disposed' HAVING count(*) > 0;
         SELECT 'a deleted number with a key left: ' || count(*) FROM numbers WHERE status = 'disposed'
           AND (ciphertext IS NOT NULL OR wrapped_key IS NOT NULL OR blind_index IS NOT NULL)
           HAVING count(*) > 0;
         PRAGMA integrity_check;" | grep -v '^ok$'
}

# 1. kill -9 at random moments of executions: the first runs whole, to time one.
t0=$(date +%s%N)
sup dispose execute 1 > /dev/null 2>&1 || t_bail "execute 1: $(sup dispose execute 1 2>&1)"
span=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# one execution of $per numbers (with signing in): $span ms"
RANDOM=4242
broken="" killed=0 before=0 after=0 done_runs=0 p=2
for run in $(seq "${KILL_RUNS:-30}"); do
    [ "$p" -le "$props" ] || break
    "$MNV_TEST" dispose execute "$p" --data-dir "$V" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$V_SUP_PW") > "$T_TMP/exec.out" 2>&1 &
    pid=$!
    ms=$(( RANDOM % (span + 1) ))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    k=0
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)) k=1; fi
    wait "$pid" 2>/dev/null
    bad=$(invariant)
    if [ -n "$bad" ]; then
        broken="run $run: $bad"
        break
    fi
    state=$(sql "SELECT state FROM disposal_proposals WHERE id = $p;")
    if [ "$state" = executed ]; then
        done_runs=$((done_runs + 1))
        [ $k = 1 ] && after=$((after + 1))
        p=$((p + 1))
    elif [ $k = 1 ]; then
        before=$((before + 1))
    fi
done
echo "# $killed kills: $before before the commit, $after after it; $done_runs transactions committed"
t_eq "after every kill: each deletion has its certificate and each certificate its deletion" "" "$broken"
t_ok "some executions were cut short and some went through" test "$killed" -gt 0 -a "$done_runs" -gt 0
while [ "$p" -le "$props" ]; do # the rest, without a kill
    sup dispose execute "$p" > /dev/null 2>&1 || t_fail "execute $p" "$(sup dispose execute "$p" 2>&1)"
    p=$((p + 1))
done
out=$(sup dispose finish 2>&1); rc=$?
t_eq "dispose finish completes what the kills left" 0 "$rc"
t_eq "invariant at the end" "" "$(invariant)"
t_eq "every due number deleted" "$HH" "$(sql "SELECT count(*) FROM numbers WHERE status = 'disposed';")"
t_eq "...every certificate registered" "$props" "$(sql "SELECT count(*) FROM certificates;")"
t_eq "...and written out" "$((props * 2))" "$(ls "$V/certificates" | wc -l)"
fails=0
for f in "$V"/certificates/*.json; do
    "$MNV_TEST" cert verify "$f" > /dev/null 2>&1 || fails=$((fails + 1))
done
t_eq "every certificate file verifies" 0 "$fails"
t_ok "the vault verifies (key file, pages, audit chain, numbers)" v_as "$V" aud "$V_AUD_PW" verify
t_eq "the current employees' numbers are intact" 50 \
    "$(sql "SELECT count(*) FROM numbers WHERE status = 'registered' AND ciphertext IS NOT NULL;")"
cid=$(sql "SELECT n.employee_id FROM numbers n JOIN employees e ON e.id = n.employee_id
           WHERE e.code = 'C00610';")
[ -n "$cid" ] || cid=$(sql "SELECT employee_id FROM numbers WHERE status = 'registered' LIMIT 1;")
out=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" sup "employee:$cid" tax_withholding "確認")
t_contains "...and open under the new epoch key" "$(printf '%s' "$out" | grep -oE '^[0-9]{12}$' | head -c 12)" "$out"
t_eq "no temporary or journal file in the vault folder" "" \
    "$(ls -A "$V" | grep -v -e '^vault\.db$' -e '^vault\.keys$' -e '^backups$' -e '^certificates$')"

# 2. A replayed page: the wrapped data key from the old database, with the key file now.
out=$(echo "$V_SUP_PW" | "$MNV_TOOLS/disposaltool" unwrap "$V" sup "$nid" "$neid" "$nepoch" "$nhex")
t_eq "a wrapped key from the old database opens nothing: its epoch key is gone" "EPOCH_GONE" "$out"
gone=0
while read -r i ei e h; do
    r=$(echo "$V_SUP_PW" | "$MNV_TOOLS/disposaltool" unwrap "$V" sup "$i" "$ei" "$e" "$h")
    [ "$r" = EPOCH_GONE ] && gone=$((gone + 1))
done < "$T_TMP/wrapped"
t_eq "...five of five" 5 "$gone"
cp "$T_TMP/old.db" "$T_TMP/replay/vault.db" 2>/dev/null || { mkdir -p "$T_TMP/replay"; cp "$T_TMP/old.db" "$T_TMP/replay/vault.db"; }
cp "$V/vault.keys" "$T_TMP/replay/vault.keys"
out=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" reveal "$T_TMP/replay" sup "employee:1" tax_withholding "確認" 2>&1)
echo "# the old database with today's key file: $out"
t_eq "the whole old database with today's key file reveals no deleted number" "" \
    "$(printf '%s' "$out" | grep -E '^[0-9]{12}$')"

# 3. No byte of a deleted number's secrets anywhere: decrypted pages, backups, scan.
pages() { # DB: every page of DB decrypted (free pages too), as hex
    sqlcipher "$1" 2>/dev/null <<SQL | grep -v '^ok$'
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
SELECT hex(data) FROM sqlite_dbpage;
SQL
}
found_in() { # FILE: how many of the secrets FILE holds
    python3 - "$T_TMP/secrets" "$1" <<'EOF'
import sys
secrets = [l.strip() for l in open(sys.argv[1]) if l.strip()]
data = open(sys.argv[2]).read()
print(sum(1 for s in secrets if s in data))
EOF
}
pages "$T_TMP/old.db" > "$T_TMP/old.pages"
t_eq "control: the old database's pages hold every secret" "$((HH * 3))" "$(found_in "$T_TMP/old.pages")"
pages "$V/vault.db" > "$T_TMP/now.pages"
t_ok "the decrypted pages are read" test -s "$T_TMP/now.pages"
t_eq "vault.db now, every page decrypted: no ciphertext, data key or blind index left" 0 \
    "$(found_in "$T_TMP/now.pages")"
t_eq "no free page left (VACUUM)" 0 "$(sql "PRAGMA freelist_count;")"
nb=0 bad=0
for b in "$V"/backups/*.mnvbak; do
    nb=$((nb + 1))
    R=$T_TMP/restored$nb
    "$MNV_TEST" restore "$b" --data-dir "$R" --user sup --password-fd 3 \
        3< <(printf '%s\n' "$V_SUP_PW") > "$T_TMP/restore.out" 2>&1 || t_bail "restore $b: $(cat "$T_TMP/restore.out")"
    rkey=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$R" sup)
    sqlcipher "$R/vault.db" 2>/dev/null > "$T_TMP/r.pages" <<SQL
PRAGMA key = "$rkey";
PRAGMA cipher_page_size = 4096;
SELECT hex(data) FROM sqlite_dbpage;
SQL
    [ "$(found_in "$T_TMP/r.pages")" = 0 ] || bad=$((bad + 1))
    out=$(echo "$V_SUP_PW" | "$MNV_TOOLS/disposaltool" unwrap "$R" sup "$nid" "$neid" "$nepoch" "$nhex")
    [ "$out" = EPOCH_GONE ] || bad=$((bad + 1))
done
# A backup killed between its file and its register row stays when it was made after the
# newest deletion (it holds nothing deleted); the next deletion takes it (find_orphans).
t_ok "managed backups now: at least the one made after the deletion" test "$nb" -ge 1
t_eq "...and no half-written backup left in the folder" "" "$(ls -A "$V/backups" | grep -v '\.mnvbak$')"
t_eq "...restored and looked at: no secret of a deleted number, no epoch key to open one" 0 "$bad"
out=$("$MNV_TEST" scan "$V" "$T_TMP"/restored1 2>&1); rc=$?
t_eq "mnvault scan of the vault folder, its backups and a restored backup: no number" 0 "$rc"
t_eq "...the journal: none left" "" "$(ls "$V"/*-journal "$V"/*-wal 2>/dev/null)"
t_done
