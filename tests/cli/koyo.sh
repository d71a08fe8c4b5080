#!/usr/bin/env bash
# `mnvault export koyo_shutoku|koyo_soshitsu`: Hello Work's 雇用保険 資格取得届 and 資格喪失届
# as printed forms (PDF) from the demo vault with the sample insurance facts: read back with
# pdftotext and pdffonts (the items in the official order, the number in its cells, dates in
# the era, codes with their words); the note 本人事由によりマイナンバー届出不可 for an employee
# who declined, whose file then holds no number; the purpose gate (employment_insurance);
# a missing 被保険者番号 refused; the custody register.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
m() { printf '%s\n' "$PW" | "$MNV_TEST" "$1" --data-dir "$dir" --user "${USER_AS:-clerk}" --password-fd 0 "${@:2}"; }
m insurance import "$MNV_ROOT/data/insurance-sample.csv" > /dev/null || t_bail "sample facts"
m export employer insurance_prefecture=東京 insurance_symbol=01-アイウ insurance_number=12345 \
    koyo_number=1301-123456-7 insurance_postal=100-0001 insurance_address=千代田区千代田1-1 \
    insurance_name=見本商事株式会社 "insurance_owner=見本 太郎" insurance_phone=03-1234-5678 \
    > /dev/null || t_bail "office settings"

m export koyo_shutoku --year 2025 --out "$T_TMP/a.pdf" > "$T_TMP/a.out" 2>&1; rc=$?
t_eq "資格取得届: written" 0 "$rc"
t_contains "資格取得届: two hires of 2025" "records: 2 (events from 2025-01-01 to 2025-12-31)" "$(cat "$T_TMP/a.out")"
t_contains "資格取得届: the purpose employment_insurance, to Hello Work" "purpose of use: employment_insurance; destination: hello_work" "$(cat "$T_TMP/a.out")"
t_ok "資格取得届: the fonts are embedded" pdf_fonts_ok "$T_TMP/a.pdf"
t_eq "資格取得届: mode 0600" 600 "$(stat -c %a "$T_TMP/a.pdf")"
txt=$(pdf_text "$T_TMP/a.pdf")
t_contains "資格取得届: the title" "雇用保険被保険者資格取得届" "$txt"
t_contains "資格取得届: the employee" "試験" "$txt"
t_contains "資格取得届: 資格取得年月日 in the era" "令和7年6月4日" "$txt"
t_contains "資格取得届: 職種 as its code" "03" "$txt"
t_contains "資格取得届: 就職経路 with its word" "自己就職" "$txt"
t_contains "資格取得届: 賃金 in thousands" "320" "$txt"
t_contains "資格取得届: the office's number" "1301-123456-7" "$txt"
# pdf_number_count adds up the readings: mnvault scan of the PDF (digit cells) and of the
# text with the cells joined up find each number once.
t_eq "資格取得届: two My Numbers, one a page, in their cells (twice: two readings)" 4 "$(pdf_number_count "$T_TMP/a.pdf")"
t_eq "資格取得届: two pages" 2 "$(pdfinfo "$T_TMP/a.pdf" | awk '/^Pages:/{print $2}')"

# An employee who declined: refused without --skip-missing, then the note instead.
t_ok "T900 added without a number" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' add-employee '$dir' clerk T900 '雛形 四郎' 'ヒナガタ シロウ' 1988-08-08 '大阪府大阪市北区梅田4-4'"
t_ok "T900 declined" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' refuse '$dir' clerk T900"
t_ok "T900's facts" m insurance set T900 koyo.acquired_on=2025-05-01 koyo.acquire_kind=new koyo.cause=new_hire \
    koyo.wage_mode=monthly koyo.wage=250000 koyo.employment_type=other koyo.occupation=clerical koyo.route=self \
    koyo.weekly_hours=40:00 koyo.fixed_term=no
out=$(m export koyo_shutoku --year 2025 --employee T900 --out "$T_TMP/r.pdf" 2>&1); rc=$?
t_eq "declined: refused without --skip-missing" 1 "$rc"
t_contains "...saying why" "the person declined to give the My Number" "$out"
m export koyo_shutoku --year 2025 --employee T900 --skip-missing --out "$T_TMP/r.pdf" > /dev/null 2>&1; rc=$?
t_eq "declined, --skip-missing: written" 0 "$rc"
t_contains "declined: the note in 備考" "本人事由によりマイナンバー届出不可" "$(pdf_text "$T_TMP/r.pdf")"
t_eq "declined: no number in the file" 0 "$(pdf_number_count "$T_TMP/r.pdf")"

# A fixed-term contract needs its period (the layout's rule).
t_ok "T900 on a fixed term" m insurance set T900 koyo.fixed_term=yes
out=$(m export koyo_shutoku --year 2025 --employee T900 --skip-missing --dry-run 2>&1); rc=$?
t_eq "fixed term without its period: refused" 1 "$rc"
t_contains "...naming the rule" "contract_period" "$out"
t_ok "the period given" m insurance set T900 koyo.contract_from=2025-05-01 koyo.contract_to=2026-04-30
t_ok "...then it can be written" m export koyo_shutoku --year 2025 --employee T900 --skip-missing --dry-run

# 資格喪失届: E000005 leaves on 2025-11-30.
t_ok "E000005 leaves" m insurance set E000005 koyo.left_on=2025-11-30 koyo.loss_cause=leaving koyo.separation_slip=yes koyo.replacement=no
m export koyo_soshitsu --year 2025 --out "$T_TMP/b.pdf" > "$T_TMP/b.out" 2>&1; rc=$?
t_eq "資格喪失届: written" 0 "$rc"
txt=$(pdf_text "$T_TMP/b.pdf")
t_contains "資格喪失届: the title" "雇用保険被保険者資格喪失届" "$txt"
t_contains "資格喪失届: 離職等年月日 in the era" "令和7年11月30日" "$txt"
t_contains "資格喪失届: 喪失原因 with its word" "3以外の離職" "$txt"
t_contains "資格喪失届: 離職票交付希望" "有" "$txt"
t_ok "資格喪失届: the fonts are embedded" pdf_fonts_ok "$T_TMP/b.pdf"
t_eq "資格喪失届: the number in its cells (two readings)" 2 "$(pdf_number_count "$T_TMP/b.pdf")"
t_ok "T900 leaves too" m insurance set T900 koyo.left_on=2025-08-31 koyo.loss_cause=leaving koyo.separation_slip=no
out=$(m export koyo_soshitsu --year 2025 --employee T900 --skip-missing --dry-run 2>&1); rc=$?
t_eq "資格喪失届 without 被保険者番号: refused" 1 "$rc"
t_contains "...naming the field" "2 被保険者番号: this field of the filing must not be empty" "$out"

out=$(printf '%s\n' "$PW" | "$MNV_TEST" export list --data-dir "$dir" --user clerk --password-fd 0)
t_contains "custody: the 資格喪失届" "koyo_soshitsu" "$out"
t_contains "custody: to Hello Work" "hello_work" "$out"
t_done
