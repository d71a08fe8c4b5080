#!/usr/bin/env bash
# The Export screen (F6) and the custody register as a clerk uses them: the 375 CSV checked
# (the purpose gate lists T003, whose number was notified for social insurance only), written
# after confirming to leave that number out, read back by the independent checker; the
# register (F4), a copy marked submitted; in Japanese the employee's printed copy packed in
# an AES-256 zip whose passphrase is shown once and opens it; fill mode on a payroll file
# with the number columns empty; a value that does not fit refuses the file; an auditor gets
# the register without marks. English and Japanese, 80x24; goldens tests/e2e/screens/export-*.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault out=$T_TMP/files
mkdir -p "$out"
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-01-20T01:00:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
num() { echo "$1" | awk '{w="65432765432"; t=0; for(j=1;j<=11;j++) t+=substr($1,j,1)*substr(w,j,1); r=t%11; print $1 ((r<=1)?0:11-r)}'; }
N1=$(num 10000000011) N2=$(num 10000000022) N3=$(num 10000000033) N4=$(num 10000000044)
N5=$(num 10000000055) N6=$(num 10000000066)
cat > "$T_TMP/people.csv" <<CSV
employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes
T001,見本 太郎,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区千代田1-1,,,$N1,self,mynumber_card,人事,2025-01-10,tax_withholding
T001,,ミホン ハナコ,1982-05-06,F,,,見本 花子,spouse,$N2,employee_declared,,人事,2025-01-10,tax_withholding
T001,,ミホン イチロウ,2015-07-08,M,,,見本 一郎,child,$N3,employee_declared,,人事,2025-01-10,tax_withholding
T002,試験 次郎,シケン ジロウ,1975-09-30,M,2005-04-01,東京都港区芝公園2-2,,,$N4,self,mynumber_card,人事,2025-01-10,tax_withholding
T002,,シケン ハハ,1950-01-02,F,,,試験 母,parent,$N5,employee_declared,,人事,2025-01-10,tax_withholding
T003,架空 三子,カクウ ミツコ,1990-02-03,F,2015-04-01,大阪府大阪市北区梅田3-3,,,$N6,self,mynumber_card,人事,2025-01-10,social_insurance
CSV
cat > "$T_TMP/figures.csv" <<'CSV'
社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,給与所得控除後の金額,所得控除の額の合計額,源泉徴収税額,社会保険料等の金額,摘要,提出先市町村コード
T001,,,,7200000,5400000,2300000,180000,1080000,,131016
T001,見本 花子,1982-05-06,控除対象配偶者,,,,,,,
T001,見本 一郎,2015-07-08,16歳未満,,,,,,,
T002,,,,9800000,7850000,3000000,420000,1470000,,141003
T002,試験 母,1950-01-02,同居老親等,,,,,,,
T003,,,,8000000,6100000,1000000,300000,450000,,271004
CSV
as_clerk() { printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user clerk --password-fd 0; }
as_clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
# A payroll file with an employee the vault does not know: refused on screen, line named.
sed -e 's/^T003,,,,8000000/T009,,,,8000000/' "$T_TMP/figures.csv" > "$T_TMP/figures-bad.csv"

screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() {
    # the temporary folder's name, the zip's passphrase and the zip's hash (random) masked;
    # a path field keeps one space before its bracket whatever the folder's length, and a
    # focused one scrolled to its end (a long folder) reads as OUT/ too
    tmx_screen | sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/' \
        -e "s|$out/|OUT/|; s|$T_TMP/|TMP/|" -e 's/\[((OUT|TMP)\/[^ ]*) +\]/[\1 ]/' \
        -e 's/\[[^] ]*\/files\/([^/ ]+) +\]/[OUT\/\1 ]/' \
        -e 's/([a-z0-9]{4}-){5}[a-z0-9]{4}/PASSPHRASE/' -e 's/SHA-256: [0-9a-f]{64}/SHA-256: HEX/' \
        > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
}
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }
# set_file TEXT: the focused text field emptied and TEXT typed.
set_file() { tmx_keys C-u; tmx_type "$1"; }

# ---------- the clerk writes the 375 CSV (English) ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login clerk
t_wait "dashboard" "Dashboard"
# Hiring on screen: F2 on the employee list opens an empty record.
tmx_keys F3; t_wait "the list" "Employees (current 3"
tmx_keys F2; t_wait "F2: a new employee" "New employee"
for v in T004 "雛形 四郎" "ヒナガタ シロウ" 1988-08-08; do tmx_type "$v"; tmx_keys Tab; done
tmx_keys Tab; tmx_type 1000001; tmx_keys Tab; tmx_type "東京都千代田区千代田1-1"; tmx_keys Tab
tmx_type 2026-01-05
tmx_keys F2
t_wait "hired" "Employee T004 added. Open the record (Enter)"
t_contains "T004 in the list, no number yet" "T004      雛形 四郎" "$(tmx_screen)"
tmx_keys Escape; t_wait "back to the dashboard" "Dashboard"
tmx_keys F6
t_wait "F6: the Export screen" "Export filings"
# The year-end figures first (F3), from the payroll system's file.
tmx_keys F3
t_wait "F3: the figures import" "Import year-end figures"
tmx_type "$T_TMP/figures-bad.csv"; tmx_keys Enter
t_wait "a bad row: its line named" "line 7"
t_contains "nothing imported" "nothing was imported" "$(tmx_screen)"
golden "figures: a bad file (en)" export-figures-bad-en.txt
tmx_keys F2
t_lacks "F2 on a bad file asks nothing" "(y/n)" "$(tmx_screen)"
tmx_keys C-u; tmx_type "$T_TMP/figures.csv"; tmx_keys Enter
t_wait "the good file checks" "every row is good. Nothing was stored yet."
tmx_keys F2; t_wait "F2 asks" "Store the figures of 2025 from 6 rows?"
tmx_keys y
t_wait "stored" "The figures of 2025 are stored."
t_contains "the counts" "employees: 3 (replacing figures stored before: 0); dependants: 3" "$(tmx_screen)"
tmx_keys Escape
t_wait "back to the Export screen" "Export filings"
t_contains "the first form is chosen, its first copy" "For the municipalities (municipal)" "$(tmx_screen)"
tmx_keys Right
t_wait "→: the printed 源泉徴収票" "< gensen "
tmx_keys Right
t_wait "→: Hello Work's 資格取得届 (printed)" "< koyo_shutoku "
tmx_keys Right
t_wait "→: Hello Work's 資格喪失届 (printed)" "< koyo_soshitsu "
tmx_keys Right
t_wait "→: the 375 CSV" "< nta375 "
t_contains "its tax office copy with numbers" "(tax) with My Numbers" "$(tmx_screen)"
golden "export screen (en)" export-form-en.txt
tmx_keys Down; tmx_keys Down; tmx_keys Down; tmx_keys Down
set_file "$out/375.csv"
tmx_keys Enter
t_wait "Enter checks: the purpose gate" "slip 3 (T003), employee: this purpose of use was not notified"
t_contains "the check counts the numbers" "My Numbers to write: 4; cannot be used: 1" "$(tmx_screen)"
golden "check with a gap (en)" export-check-en.txt
t_eq "the check wrote nothing" "" "$(ls "$out")"
tmx_keys F2
t_wait "F2 asks first" "Write the file leaving out 1 My Number?"
tmx_keys n
t_wait_gone "n: nothing" "Write the file leaving out"
t_eq "no: nothing written" "" "$(ls "$out")"
tmx_keys F2; t_wait "F2 again" "(y/n)"
tmx_keys y
t_wait "written" "Written; the custody register holds entry 1."
t_contains "the result names the entry" "custody register: entry 1 (F4)" "$(tmx_screen)"
golden "written (en)" export-written-en.txt
t_eq "the file is 0600" 600 "$(stat -c %a "$out/375.csv")"
t_ok "the independent checker passes it" "$MNV_ROOT/tests/tools/filing-check" nta375 "$out/375.csv" --rows=3
iconv -f SHIFT_JIS -t UTF-8 "$out/375.csv" > "$T_TMP/375.utf8"
t_contains "T001's number is in the file" "$N1" "$(cat "$T_TMP/375.utf8")"
t_lacks "T003's number is not" "$N6" "$(cat "$T_TMP/375.utf8")"
t_lacks "no number on the screen" "$N1" "$(tmx_history)"
tmx_keys F4
t_wait "F4: the register" "Custody register of exported files"
t_contains "the entry" "written, in the office" "$(tmx_screen)"
tmx_keys m
t_wait "m: the mark dialog" "What happened to"
tmx_type "麹町税務署へ e-Tax で提出"; tmx_keys Enter
t_wait "marked" "Entry 1 marked submitted."
golden "the register (en)" export-register-en.txt
tmx_keys Escape; t_wait "back to the export screen" "Export filings"
tmx_keys q; tmx_stop

t_eq "audit: export entries, no number" "" "$(as_clerk audit export --format csv 2>/dev/null | grep -c "$N1" | grep -v '^0$')"

# ---------- the employee's printed copy in a zip, and fill mode (Japanese) ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login clerk
t_wait "dashboard (ja)" "ダッシュボード"
tmx_keys F6
t_wait "F6 (ja)" "届出書類の出力"
tmx_keys Right
t_wait "→: 源泉徴収票 (PDF)" "< gensen "
tmx_keys Down; tmx_keys Down; tmx_keys Right
t_wait "→: the employee's copy" "(employee) 個人番号なし"
t_contains "to the person" "本人" "$(tmx_screen)"
tmx_keys Down; tmx_keys Down; tmx_keys Down; tmx_keys Space
t_wait "Space: zip" "[x] AES-256"
tmx_keys Up
set_file "$out/employee.zip"
tmx_keys F2
t_wait "F2 (ja) asks" "明細 3 件を"
tmx_keys y
t_wait "written (ja)" "持ち出し台帳の 2 番です"
t_contains "the passphrase is shown once" "zip のパスワード" "$(tmx_screen)"
golden "written, with a passphrase (ja)" export-zip-ja.txt
pass=$(tmx_screen | grep -oE '([a-z0-9]{4}-){5}[a-z0-9]{4}' | head -n 1)
"$MNV_TOOLS/taxtool" unzip "$out/employee.zip" "$pass" > "$T_TMP/employee.pdf" 2>/dev/null
t_eq "the passphrase opens the zip: a PDF" "%PDF" "$(head -c 4 "$T_TMP/employee.pdf")"
. "$MNV_ROOT/tests/lib/pdf.sh"
t_eq "the employee's copy holds no number (pdf_number_count)" 0 "$(pdf_number_count "$T_TMP/employee.pdf")"
tmx_keys F12
t_wait "locked" "ロック中"
t_lacks "the lock wiped the passphrase" "$pass" "$(tmx_history)"
tmx_type "$PW"; tmx_keys Enter
t_wait "unlocked" "届出書類の出力"
t_lacks "not shown again after the lock" "$pass" "$(tmx_screen)"
# Fill mode: the 375 file written above with its number columns emptied, as payroll software
# writes it.
cols=$(awk -F'=' '/^[0-9]+ *=/ && $2 ~ /^ *(employee|spouse|dependent[0-9])\.number / { print $1 + 0 }' \
    "$MNV_ROOT/data/forms/nta375-2025.ini" | paste -sd, -)
awk -F, -v OFS=, -v cols="$cols" 'BEGIN { n = split(cols, c, ",") } { for (i = 1; i <= n; i++) $(c[i]) = ""; print }' \
    "$T_TMP/375.utf8" | iconv -f UTF-8 -t SHIFT_JIS > "$T_TMP/payroll.csv"
tmx_keys Up; tmx_keys Up; tmx_keys Up; tmx_keys Up
t_wait "back on the form" "> 様式"
tmx_keys Right; tmx_keys Right; tmx_keys Right
t_wait "→: 375 (past Hello Work's two forms)" "< nta375 "
tmx_keys Down; tmx_keys Down; tmx_keys Down; tmx_keys Down
set_file "$out/filled.csv"
tmx_keys Down; tmx_keys Space
t_wait "Space: no zip" "[ ] AES-256"
tmx_keys Down
set_file "$T_TMP/payroll.csv"
tmx_keys Enter
t_wait "fill checked: T003 again" "行目 (T003)"
tmx_keys F2; t_wait "fill: asks" "(y/n)"
tmx_keys y
t_wait "filled (ja)" "持ち出し台帳の 3 番です"
golden "fill written (ja)" export-fill-ja.txt
t_ok "the filled file is the export, byte for byte" cmp "$out/375.csv" "$out/filled.csv"
tmx_keys F4
t_wait "the register (ja)" "持ち出し台帳 (出力したファイル)"
golden "the register (ja)" export-register-ja.txt
tmx_keys q; tmx_stop

# ---------- an auditor: F6 is the register, without marks ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login (auditor)" "User name"
login auditor
t_wait "dashboard (auditor)" "Dashboard"
tmx_keys F6
t_wait "F6: the register" "Custody register of exported files"
t_lacks "no marks for auditors" "m: mark" "$(tmx_screen)"
tmx_keys m
t_lacks "m does nothing" "What happened" "$(tmx_screen)"
tmx_keys q; tmx_stop
t_done
