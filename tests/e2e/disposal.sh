#!/usr/bin/env bash
# The Disposal screen (F7) as a supervisor and a clerk would use it: the numbers due, chosen
# and proposed with a note; the proposals; a supervisor cannot approve their own proposal;
# another proposal approved with a reason and a new TOTP code, then executed: the
# certificate of deletion shown, written into a folder and verified, and opened again later
# by the clerk. English and Japanese, 80x24 and 120x40; goldens in
# tests/e2e/screens/disposal-*.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0001,見本 一郎,ミホン イチロウ,1930-06-15,M,1960-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0001,,ミホン ハナコ,1932-02-02,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,1992-01-06,tax_withholding,
R0003,試験 三郎,シケン サブロウ,1931-03-03,M,1961-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
EOF
printf '%s\n' "$PW" | "$MNV_TEST" import --data-dir "$dir" --user clerk --password-fd 0 \
    "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
for c in R0001 R0003; do
    printf '%s\n' "$PW" | "$MNV_TOOLS/disposaltool" retire "$dir" clerk $c 1993-03-31 || t_bail "retire"
done
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() { t_clock_golden "$1" "$screens/$2"; } # the settled screen, the clock masked
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }

# ---------- the supervisor proposes R0003, and may not approve it (English) ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login supervisor
t_wait "dashboard" "Dashboard"
t_contains "dashboard: three numbers due" "due now 3" "$(tmx_screen)"
t_contains "dashboard: the proposals line" "waiting for approval 0" "$(tmx_screen)"
tmx_keys F7
t_wait "F7: the Disposal screen" "Due for deletion (3)"
golden "disposal: the numbers due (en)" disposal-due-en.txt
tmx_keys Down; tmx_keys Space
t_wait "Space chose R0003" "[x]  R0003"
t_wait "the hint counts it" "p: propose 1"
tmx_keys p
t_wait "propose dialog" "Propose deleting 1 number past its retention"
golden "propose dialog (en)" disposal-propose-en.txt
tmx_type "年度末の削除"; tmx_keys Enter
t_wait "proposed" "Proposal 1 made for 1 number;"
t_wait "R0003 now marked as in proposal 1" "#1   R0003"
tmx_keys Tab
t_wait "the proposals" "Proposals (1)"
tmx_keys Enter
t_wait "proposal 1 opened" "Disposal proposal 1"
tmx_keys a
t_wait "the proposer may not approve" "you made this proposal; a different supervisor must decide"
tmx_keys q; tmx_stop

# ---------- the clerk proposes the rest (Japanese) ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login clerk
t_wait "dashboard (ja)" "ダッシュボード"
tmx_keys F7
t_wait "F7 (ja)" "削除対象 (3)"
tmx_keys a
t_wait "a: all not yet proposed" "p: 2 件を提案"
golden "disposal: chosen (ja)" disposal-chosen-ja.txt
tmx_keys p; t_wait "propose dialog (ja)" "番号2件の削除を提案"
tmx_keys Enter
t_wait "proposed (ja)" "提案 2"
tmx_keys Tab
t_wait "proposals (ja)" "削除の提案 (2)"
golden "disposal: the proposals (ja)" disposal-proposals-ja.txt
tmx_keys Enter
t_wait "proposal 2 (ja)" "削除の提案 2"
t_lacks "a clerk is offered no approval" "a: 承認" "$(tmx_screen)"
golden "proposal (ja, clerk)" disposal-proposal-ja.txt
tmx_keys q; tmx_stop

# ---------- the supervisor, now with TOTP, approves the clerk's proposal ----------
mkfifo "$T_TMP/in"
"$MNV_TEST" user totp --data-dir "$dir" --user supervisor --password-fd 3 3<"$T_TMP/in" \
    > "$T_TMP/totp.out" 2>&1 &
pid=$!
exec 4>"$T_TMP/in"
printf '%s\n' "$PW" >&4
for _ in $(seq 100); do grep -q '^Secret (base32): ' "$T_TMP/totp.out" && break; sleep 0.05; done
secret=$(sed -n 's/^Secret (base32): //p' "$T_TMP/totp.out")
printf '%s\n' "$(oathtool --totp -b "$secret" --now "2026-12-01 00:59:30 UTC")" >&4
exec 4>&-
wait "$pid" || t_bail "totp: $(cat "$T_TMP/totp.out")"
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login (TOTP)" "User name"
login supervisor
t_wait "login asks for the code" "Enter the code shown by your authenticator app."
tmx_type "$(oathtool --totp -b "$secret" --now "2026-12-01 01:00:00 UTC")"; tmx_keys Enter
t_wait "dashboard (TOTP)" "Dashboard"
t_contains "dashboard: one proposal waiting" "waiting for approval 2" "$(tmx_screen)"
tmx_keys F7; t_wait "disposal" "Proposals (2)"
tmx_keys Tab; tmx_keys Enter
t_wait "the clerk's proposal (newest first)" "Disposal proposal 2"
tmx_keys a
t_wait "approve dialog with a code field" "a new code from the authenticator app"
golden "approve dialog with TOTP (en)" disposal-approve-en.txt
tmx_type "保存期間経過を確認"; tmx_keys Enter
t_wait "no code: asked for it, the code field focused" "enter the confirmation code"
tmx_type "$(oathtool --totp -b "$secret" --now "2026-12-01 01:00:30 UTC")"; tmx_keys Enter
t_wait "approved" "Proposal 2 approved and recorded."
t_wait "the proposal shows the approval" "Approved by supervisor on 2026-12-01 10:00: 保存期間経過を確認"
golden "proposal approved (en)" disposal-approved-en.txt
# ---------- the supervisor executes it: the certificate is shown and written out ----------
# A backup to a file of the admin's choosing, made before: it will hold the deleted numbers.
printf '%s\n' "$PW" | "$MNV_TEST" backup "$T_TMP/mine.mnvbak" --data-dir "$dir" --user admin \
    --password-fd 0 > "$T_TMP/backup.out" 2>&1 || t_bail "backup: $(cat "$T_TMP/backup.out")"
tmx_keys e
t_wait "execute asks first" "Delete the 2 numbers of proposal 2 now?"
tmx_keys n
t_wait_gone "n: nothing happens" "Delete the 2 numbers"
t_contains "...still approved" "e: delete now and issue the certificate" "$(tmx_screen)"
tmx_keys e; t_wait "asked again" "Delete the 2 numbers of proposal 2 now?"
tmx_keys y
t_wait "executed: the certificate of deletion" "Certificate of deletion" 60
t_wait "...its signature holds" "Signature holds"
t_contains "...chained and registered" "Chained to the previous   Registered" "$(tmx_screen)"
t_contains "...what the execution did" "Old epoch keys destroyed: 1" "$(tmx_screen)"
t_contains "...the admin's backup is outstanding" "holding deleted numbers: backups 1" "$(tmx_screen)"
cert_golden() { # NAME FILE: the screen with the random vault id, the hash and the folder masked
    tmx_screen | sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/' -e 's/[0-9a-f]{64}/<sha256>/g' \
        -e 's/[0-9a-f]{8}_([0-9]{6})/<vault>_\1/g' -e "s|$T_TMP|<tmp>|g" > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
}
cert_golden "the certificate after the execution (en)" disposal-certificate-en.txt
tmx_keys w; t_wait "w: a folder to write to" "Enter: write the JSON and PDF files there"
mkdir "$T_TMP/handed"
tmx_keys C-u; tmx_type "$T_TMP/handed"; tmx_keys Enter
t_wait "written" "Written to $T_TMP/handed"
json=$(ls "$T_TMP"/handed/*.json 2>/dev/null)
t_ok "...a JSON and a PDF" test -f "$json" -a -f "${json%.json}.pdf"
t_ok "...the JSON verifies without the vault" "$MNV_TEST" cert verify "$json"
t_eq "...the same bytes as in the vault's folder" "" "$(cmp "$json" "$dir/certificates/$(basename "$json")")"
tmx_keys Escape
t_wait "back on the proposal, executed" "c: the certificate of deletion"
tmx_keys q; tmx_stop
out=$(printf '%s\n' "$PW" | "$MNV_TEST" dispose show 2 --data-dir "$dir" --user auditor --password-fd 0 2>&1)
t_contains "the CLI agrees: executed" "executed" "$out"
out=$(printf '%s\n' "$PW" | "$MNV_TEST" retention explain R0001 --data-dir "$dir" --user clerk --password-fd 0 2>&1)
t_lacks "R0001's numbers are gone" "Kept until" "$out"

# ---------- the clerk opens the certificate later (Japanese) ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja, certificate)" "ユーザー名"
login clerk
t_wait "dashboard (ja, certificate)" "ダッシュボード"
t_contains "the dashboard names the copy outstanding (ja)" "未回収" "$(tmx_screen)"
tmx_keys F7; t_wait "disposal (ja)" "削除の提案 (2)"
tmx_keys Tab; tmx_keys Enter
t_wait "proposal 2, executed (ja)" "c: 削除証明書"
tmx_keys c
t_wait "the certificate (ja)" "署名: 正しい"
cert_golden "the certificate, opened later (ja)" disposal-certificate-ja.txt
tmx_keys q; tmx_stop

# ---------- 120x40 ----------
tmx_start 120 40 C.UTF-8 "${app[@]}"
t_wait "login (120x40)" "User name"
login auditor
t_wait "dashboard (120x40)" "Dashboard"
tmx_keys F7; t_wait "disposal (120x40)" "Due for deletion (1)"
t_lacks "the auditor is offered no choosing" "Space: choose" "$(tmx_screen)"
tmx_keys Tab; t_wait "proposals (120x40)" "executed"
golden "the proposals, as the auditor sees them (120x40)" disposal-proposals-en-120.txt
tmx_keys q; tmx_stop
t_done
