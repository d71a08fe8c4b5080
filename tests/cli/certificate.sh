#!/usr/bin/env bash
# `mnvault dispose execute` and `mnvault cert`: an approved proposal is executed by a
# supervisor (not a clerk, not before approval); the numbers are gone, the certificate is
# issued, written as JSON and PDF, verified by mnvault, by openssl and by PyNaCl with the
# very recipes of doc/disposal.md, and fails all three after one changed byte; the chain of
# certificates; copies outstanding (an external backup, an exported file) until recorded as
# destroyed or returned by a contractor's certificate; the managed backups renewed; the
# audit log. Fixed clock.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/tmux.sh" # valid_numbers_in

export MNVAULT_TEST_NOW=2026-12-01T01:00:00
V=$T_TMP/vault
v_full "$V" || t_bail "vault"
SUP2_PW='nine quiet herons at dusk'
v_add_user "$V" sup2 supervisor "$SUP2_PW" || t_bail "sup2"
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0001,見本 一郎,ミホン イチロウ,1930-06-15,M,1960-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0001,,ミホン ハナコ,1932-02-02,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,1992-01-06,tax_withholding,
R0003,試験 三郎,シケン サブロウ,1931-03-03,M,1961-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
C0006,見本 六子,ミホン ロクコ,1980-06-06,F,2010-04-01,,,987654321093,self,in_person,,mynumber_card,人事 花子,2010-04-01,tax_withholding,
EOF
v_as "$V" clerk "$V_CLERK_PW" import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 ||
    t_bail "import: $(cat "$T_TMP/import.out")"
for c in R0001 R0003; do
    printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/disposaltool" retire "$V" clerk $c 1993-03-31 ||
        t_bail "retire $c"
done
clerk() { v_as "$V" clerk "$V_CLERK_PW" "$@"; }
sup() { v_as "$V" sup "$V_SUP_PW" "$@"; }
sup2() { v_as "$V" sup2 "$SUP2_PW" "$@"; }
aud() { v_as "$V" aud "$V_AUD_PW" "$@"; }

# Copies made before the deletion: a managed backup, one of the user's choosing, and an
# exported file handed to a contractor that held R0001's numbers.
sup backup > /dev/null 2>&1 || t_bail "managed backup"
sup backup "$T_TMP/mine.mnvbak" > /dev/null 2>&1 || t_bail "external backup"
old_managed=$(ls "$V"/backups/*.mnvbak)
custody=$(printf '%s\n' "$V_CLERK_PW" |
    "$MNV_TOOLS/disposaltool" custody "$V" clerk R0001 "$T_TMP/to-zeirishi.csv") ||
    t_bail "custody entry"

clerk dispose propose R0001 > /dev/null 2>&1 || t_bail "propose 1"
clerk dispose propose R0003 > /dev/null 2>&1 || t_bail "propose 2"
out=$(sup dispose execute 1 2>&1); rc=$?
t_eq "not approved yet: refused" 1 "$rc"
t_contains "...said so" "this proposal is not in a state that allows this" "$out"
sup2 dispose approve 1 --reason "保存期間経過を確認" > /dev/null 2>&1 || t_bail "approve 1"
out=$(clerk dispose execute 1 2>&1); rc=$?
t_eq "a clerk may not execute" "1" "$rc"
t_contains "...the role is the reason" "your role does not allow this" "$out"
t_status "execute: an id is needed" 2 "$MNV_TEST" dispose execute --data-dir "$V"

out=$(sup dispose execute 1 2>&1); rc=$?
t_eq "a supervisor executes: exit 0" 0 "$rc"
t_contains "...two numbers deleted" "numbers deleted: 2" "$out"
id=$(printf '%s\n' "$out" | sed -n 's/^certificate: //p')
sha=$(printf '%s\n' "$out" | sed -n 's/^certificate SHA-256: //p')
t_contains "...the certificate's id: the vault's and serial 1" "_000001" "$id"
t_contains "...old epoch keys destroyed" "epoch keys destroyed: " "$out"
t_contains "...database rewritten" "database rewritten (VACUUM)" "$out"
t_contains "...files written" "certificate files written: 2" "$out"
t_contains "...managed backups renewed" "managed backups made before the deletion, deleted: 1" "$out"
t_contains "...outstanding copies said" "backups 1, exported files 1" "$out"
json=$V/certificates/$id.json
pdf=$V/certificates/$id.pdf
t_eq "JSON and PDF written, mode 0600" "600 600" "$(stat -c %a "$json") $(stat -c %a "$pdf")"
t_eq "...the SHA-256 said is the file's" "$sha" "$(sha256sum "$json" | cut -d' ' -f1)"
t_eq "the managed backup made before is gone" "" "$(ls "$old_managed" 2>/dev/null)"
t_eq "...a new one took its place" 1 "$(ls "$V"/backups/*.mnvbak | wc -l)"
t_contains "show: executed, with its certificate" "Certificate: $id" "$(clerk dispose show 1 2>&1)"
out=$(sup dispose execute 1 2>&1); rc=$?
t_eq "executed once only" 1 "$rc"

# The certificate: no number, no hash of a number; names, kinds, parties.
t_eq "JSON: no number" "" "$(valid_numbers_in "$json")"
for n in 094482246340 382642468278; do
    h=$(printf '%s' "$n" | sha256sum | cut -d' ' -f1)
    t_lacks "JSON: no SHA-256 of a deleted number" "$h" "$(cat "$json")"
done
c=$(cat "$json")
t_contains "JSON: the employee by code and name" '"employee_code":"R0001","employee_name":"見本 一郎"' "$c"
t_contains "JSON: the dependant" '"name":"見本 花子","person":"dependant","relation":"spouse"' "$c"
t_contains "JSON: proposer, approver, executor" '"approval":{"at":"2026-12-01T01:00:00Z","by":"sup2","reason":"保存期間経過を確認"},"execution":{"at":"2026-12-01T01:00:00Z","by":"sup"}' "$c"
t_contains "JSON: the outstanding backup by path" "\"path\":\"$T_TMP/mine.mnvbak\"" "$c"
t_contains "JSON: the outstanding export" "\"path\":\"$T_TMP/to-zeirishi.csv\"" "$c"
t_contains "JSON: the first of the chain" '"previous":""' "$c"
ptext=$(pdftotext "$pdf" -)
printf '%s\n' "$ptext" > "$T_TMP/pdf.txt"
t_eq "PDF: no number" "" "$(valid_numbers_in "$T_TMP/pdf.txt")"
t_contains "PDF: the title" "個人番号削除証明書" "$ptext"
t_contains "PDF: 和暦" "令和8年12月1日" "$ptext"
t_contains "PDF: the dependant with the relation in words" "見本 花子（配偶者）" "$ptext"
t_contains "PDF: the retention date in 和暦 (the 2025 filing of the export counts)" "令和8年1月31日" "$ptext"

# Verifying: mnvault, openssl, PyNaCl (the recipes of doc/disposal.md, run as written).
recipe() { # MARKER FILE: the shell block between the markers, with CERT set to FILE
    sed -n "/<!-- $1:begin -->/,/<!-- $1:end -->/p" "$MNV_ROOT/doc/disposal.md" |
        sed -e '/^<!--/d' -e '/^```/d' -e "s|^CERT=.*|CERT=\"$2\"|"
}
recipe cert-check X > "$T_TMP/openssl.sh"
{ echo "CERT=\"\$1\""; recipe cert-check-nacl X; } > "$T_TMP/nacl.sh"
t_contains "the openssl recipe is in the doc" "openssl pkeyutl -verify" "$(cat "$T_TMP/openssl.sh")"
openssl_check() { (cd "$T_TMP" && sed "s|^CERT=.*|CERT=\"$1\"|" openssl.sh | bash) 2>&1; }
nacl_check() { (cd "$T_TMP" && PATH=/usr/bin:$PATH bash nacl.sh "$1") 2>&1; }
out=$("$MNV_TEST" cert verify "$json" 2>&1); rc=$?
t_eq "cert verify: exit 0" 0 "$rc"
t_contains "...signature good" "signature: good" "$out"
t_contains "...names the first of the chain" "previous certificate: none (the first)" "$out"
out=$(aud cert verify "$json" --register 2>&1); rc=$?
t_eq "cert verify --register (auditor): exit 0" 0 "$rc"
t_contains "...this vault's key" "signed with this vault's key: yes" "$out"
t_contains "...registered" "in this vault's register: yes, certificate 1 of the chain" "$out"
out=$(openssl_check "$json"); rc=$?
t_eq "openssl: exit 0" 0 "$rc"
t_contains "...Signature Verified Successfully" "Signature Verified Successfully" "$out"
t_eq "openssl's key is the vault's" "$(sup cert key 2>/dev/null)" \
    "$(sed -n 's/.*"public_key":"\([0-9a-f]*\)".*/\1/p' "$json")"
sup cert key --pem > "$T_TMP/vault.pem" 2>&1
t_eq "cert key --pem is the key openssl was given" "$(cat "$T_TMP/cert.pem")" "$(cat "$T_TMP/vault.pem")"
out=$(nacl_check "$json"); rc=$?
t_eq "PyNaCl: signature good" "0:signature good" "$rc:$out"

# One changed byte: a count (still canonical JSON), then bytes anywhere.
sed 's/"employees":1,/"employees":2,/' "$json" > "$T_TMP/count.json"
t_eq "changed count: still canonical JSON" 1 "$(grep -c '"employees":2,' "$T_TMP/count.json")"
t_status "changed count: cert verify fails" 1 "$MNV_TEST" cert verify "$T_TMP/count.json"
out=$(openssl_check "$T_TMP/count.json"); rc=$?
t_eq "changed count: openssl fails" 1 "$rc"
t_contains "...Signature Verification Failure" "Signature Verification Failure" "$out"
out=$(nacl_check "$T_TMP/count.json"); rc=$?
t_eq "changed count: PyNaCl fails" 1 "$rc"
t_contains "...BadSignatureError" "BadSignatureError" "$out"
size=$(stat -c %s "$json")
bad=0 opensslbad=0
for i in $(seq 0 40); do
    pos=$(( (i * 7919 + 13) % size ))
    python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[int(sys.argv[3])] ^= 0x01
open(sys.argv[2], 'wb').write(b)" "$json" "$T_TMP/flip.json" "$pos"
    "$MNV_TEST" cert verify "$T_TMP/flip.json" > /dev/null 2>&1 && bad=$((bad + 1))
    openssl_check "$T_TMP/flip.json" > /dev/null 2>&1 && opensslbad=$((opensslbad + 1))
done
t_eq "41 flipped bytes: cert verify fails every time" 0 "$bad"
t_eq "41 flipped bytes: the openssl recipe fails every time" 0 "$opensslbad"
t_status "a changed certificate fails with --register too" 1 \
    v_as "$V" aud "$V_AUD_PW" cert verify "$T_TMP/count.json" --register

# The numbers are gone: the record says disposed, explain says nothing is kept.
out=$(clerk retention explain R0001 2>&1)
t_lacks "explain: no longer due" "due" "$(printf '%s\n' "$out" | grep -i 'state')"
out=$(clerk dispose --due 2>&1)
t_contains "--due: R0003 alone is due now" "due for disposal: 1 (employees 1, dependants 0)" "$out"
t_ok "the vault verifies after the deletion" v_as "$V" aud "$V_AUD_PW" verify
# The handling register lists each certificate of deletion (names, never a number).
aud register "$T_TMP/reg.csv" > /dev/null 2>&1
t_contains "register: the certificate is a file of the register" '"certificate","Certificate of deletion' "$(cat "$T_TMP/reg.csv")"
t_contains "register: what it holds" 'names the persons whose numbers it deleted, holds no number' "$(cat "$T_TMP/reg.csv")"
t_eq "register: no number" "" "$(valid_numbers_in "$T_TMP/reg.csv")"

# Outstanding copies until recorded.
out=$(sup dispose outstanding 2>&1); rc=$?
t_eq "outstanding: exit 1" 1 "$rc"
t_contains "...the external backup" "$T_TMP/mine.mnvbak" "$out"
t_contains "...the exported file" "$T_TMP/to-zeirishi.csv" "$out"
bid=$(printf '%s\n' "$out" | sed -n 's/^backup \([0-9]*\) .*/\1/p')
t_status "a clerk may not record a backup destroyed" 1 clerk dispose destroyed backup "$bid"
out=$(sup dispose destroyed backup "$bid" --note "USBメモリを物理破壊" 2>&1)
t_eq "the supervisor records the backup destroyed" "backup $bid: recorded as destroyed" "$out"
t_status "...once" 1 sup dispose destroyed backup "$bid"
out=$(clerk cert return "$custody" --contractor "山田税理士事務所" --reference "返却証明書 第12号" \
    --outcome returned --on 2026-12-02 2>&1); rc=$?
t_eq "a contractor's certificate dated tomorrow: refused" 1 "$rc"
printf 'scan of their certificate\n' > "$T_TMP/scan.pdf"
out=$(clerk cert return "$custody" --contractor "山田税理士事務所" --reference "返却証明書 第12号" \
    --outcome returned --on 2026-11-30 --file "$T_TMP/scan.pdf" 2>&1); rc=$?
t_eq "the contractor's certificate recorded" \
    "0:export $custody: returned, by the contractor's certificate of 2026-11-30" "$rc:$out"
t_status "...once" 1 clerk cert return "$custody" --contractor "x" --reference "y" \
    --outcome destroyed --on 2026-11-30
out=$(clerk cert returns 2>&1)
t_contains "cert returns lists it" "export $custody  returned on 2026-11-30  山田税理士事務所  返却証明書 第12号  (recorded by clerk)" "$out"
out=$(sup dispose outstanding 2>&1); rc=$?
t_eq "outstanding: none left" "0:no copies outstanding" "$rc:$out"

# A second execution: the chain.
sup2 dispose approve 2 --reason "確認" > /dev/null 2>&1 || t_fail "approve 2"
out=$(sup dispose execute 2 2>&1); rc=$?
t_eq "the second execution" 0 "$rc"
id2=$(printf '%s\n' "$out" | sed -n 's/^certificate: //p')
t_contains "...serial 2" "_000002" "$id2"
out=$("$MNV_TEST" cert verify "$V/certificates/$id2.json" 2>&1)
t_contains "...names the first's SHA-256" "previous certificate: $sha" "$out"
t_ok "...verified by openssl" openssl_check "$V/certificates/$id2.json"
out=$(aud cert verify "$V/certificates/$id2.json" --register 2>&1)
t_contains "...linked in the register" "linked to the certificate before it: yes" "$out"
t_eq "cert list: two" 2 "$(aud cert list 2>/dev/null | wc -l)"
mkdir "$T_TMP/usb"
out=$(aud cert export --out "$T_TMP/usb" 2>&1)
t_contains "cert export: four files" "4 files written to $T_TMP/usb" "$out"
t_eq "...byte for byte the register's" "$(cat "$json" | sha256sum)" "$(cat "$T_TMP/usb/$id.json" | sha256sum)"
out=$(aud cert export --out "$T_TMP/usb" 2>&1)
t_contains "...again: nothing to rewrite" "0 files written" "$out"

# The audit log.
aud audit export --format csv > "$T_TMP/audit.csv" 2>&1
a=$(cat "$T_TMP/audit.csv")
t_contains "audit: the execution with the certificate" "\"sup\",\"supervisor\",\"disposal.execute\",\"proposal:1\",\"ok\",\"certificate=$id sha256=$sha numbers=2 epoch=" "$a"
t_contains "audit: the clerk's execution refused (the approver's right)" '"clerk","clerk","disposal.approve","proposal:1","denied"' "$a"
t_contains "audit: managed backups deleted for the disposal" '"backup.delete","","ok","why=disposal deleted=1"' "$a"
t_contains "audit: the external backup destroyed" "\"backup.destroyed\",\"backup:$bid\",\"ok\",\"why=destroyed managed=0" "$a"
t_contains "audit: the contractor's return" "\"cert.return\",\"custody:$custody\",\"ok\",\"from=written to=returned on=2026-11-30 contractor=山田税理士事務所 reference=返却証明書 第12号\"" "$a"
t_eq "audit: no number" "" "$(valid_numbers_in "$T_TMP/audit.csv")"
t_ok "audit: the chain holds" v_as "$V" aud "$V_AUD_PW" audit verify
t_done
