#!/usr/bin/env bash
# The printed 源泉徴収票 through the real export from a vault in which every person — the
# employees, their spouses, their dependants, their children under 16 — has a My Number
# notified for the withholding filing. The employee's copy (受給者交付用) must hold no number
# at all: not in its text read three ways (mnvault scan on the PDF, pdftotext, the digits of
# cells joined up), not in its raw bytes, not in its streams decompressed by qpdf, not as the
# last eight digits of any of them, not in its properties. The tax office's copy holds each
# adult's number and not the under-16 child's (the NTA's slip has no place for it).
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"
command -v qpdf >/dev/null || t_bail "qpdf is missing: run make deps"
export MNVAULT_TEST_NOW=2026-01-20T01:00:00
V=$T_TMP/v
v_full "$V" || t_bail "cannot make a vault"
num() { echo "$1" | awk '{w="65432765432"; t=0; for(j=1;j<=11;j++) t+=substr($1,j,1)*substr(w,j,1); r=t%11; print $1 ((r<=1)?0:11-r)}'; }
N=()
for b in 31000000011 31000000022 31000000033 31000000044 31000000055 32000000011 32000000022 \
         32000000033 32000000044; do
    N+=("$(num "$b")")
done
H='employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes'
p=tax_withholding
cat > "$T_TMP/people.csv" <<CSV
$H
P001,見本 太郎,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区千代田1-1,,,${N[0]},self,mynumber_card,人事,2025-01-10,$p
P001,,ミホン ハナコ,1982-05-06,F,,,見本 花子,spouse,${N[1]},employee_declared,,人事,2025-01-10,$p
P001,,ミホン イチロウ,2004-07-08,M,,,見本 一郎,child,${N[2]},employee_declared,,人事,2025-01-10,$p
P001,,ミホン ジロウ,2008-03-03,M,,,見本 次郎,child,${N[3]},employee_declared,,人事,2025-01-10,$p
P001,,ミホン サチコ,2016-09-09,F,,,見本 幸子,child,${N[4]},employee_declared,,人事,2025-01-10,$p
P002,試験 次郎,シケン ジロウ,1975-09-30,M,2005-04-01,東京都港区芝公園2-2,,,${N[5]},self,mynumber_card,人事,2025-01-10,$p
P002,,シケン ミチコ,1977-01-20,F,,,試験 道子,spouse,${N[6]},employee_declared,,人事,2025-01-10,$p
P002,,シケン ハハ,1950-01-02,F,,,試験 母,parent,${N[7]},employee_declared,,人事,2025-01-10,$p
P002,,シケン マゴ,2019-05-05,F,,,試験 孫,child,${N[8]},employee_declared,,人事,2025-01-10,$p
CSV
t_ok "nine people imported, every one with a number notified for the filing" \
    v_as "$V" clerk "$V_CLERK_PW" import "$T_TMP/people.csv"
cat > "$T_TMP/figures.csv" <<'CSV'
社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,給与所得控除後の金額,所得控除の額の合計額,源泉徴収税額,社会保険料等の金額,摘要,提出先市町村コード
P001,,,,7200000,5400000,2300000,180000,1080000,前職分なし,131016
P001,見本 花子,1982-05-06,spouse,,,,,,,
P001,見本 一郎,2004-07-08,specific,,,,,,,
P001,見本 次郎,2008-03-03,general,,,,,,,
P001,見本 幸子,2016-09-09,under16,,,,,,,
P002,,,,9800000,7850000,3000000,420000,1470000,,141003
P002,試験 道子,1977-01-20,spouse,,,,,,,
P002,試験 母,1950-01-02,aged_cohabiting,,,,,,,
P002,試験 孫,2019-05-05,under16,,,,,,,
CSV
t_ok "year-end figures imported" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/figures.csv"
ex() { v_as "$V" clerk "$V_CLERK_PW" export "$@"; }

t_ok "the tax office's copies are printed" ex gensen --copy tax --year 2025 --out "$T_TMP/tax.pdf"
t_ok "the employee's copies are printed" ex gensen --copy employee --year 2025 --out "$T_TMP/emp.pdf"
tax=$T_TMP/tax.pdf emp=$T_TMP/emp.pdf

# The tax office's copy: every adult's number, not the children under 16.
text=$(pdf_text "$tax" | pdf_squeeze)
missing=""
for i in 0 1 2 3 5 6 7; do case "$text" in *"${N[$i]}"*) ;; *) missing="$missing #$i";; esac; done
t_eq "tax copy: the employees', spouses' and dependants' numbers are printed" "" "$missing"
t_lacks "tax copy: not the first under-16 child's (no such box on the NTA's slip)" "${N[4]}" "$text"
t_lacks "tax copy: nor the second's" "${N[8]}" "$text"

# The employee's copy: the same slips, not one number, however it is read.
etext=$(pdf_text "$emp" | pdf_squeeze)
t_contains "employee copy: the employee's name is on it" "見本" "$etext"
t_contains "employee copy: and the amounts" "7200000" "$etext"
t_eq "employee copy: mnvault scan, pdftotext and joined-up cells find no number" 0 \
    "$(pdf_number_count "$emp")"
t_eq "employee copy: none of the nine numbers in the raw bytes or the decompressed streams" 0 \
    "$(pdf_bytes_hold "$emp" "${N[@]}")"
tails=""
for n in "${N[@]}"; do case "$etext" in *"${n:4:8}"*) tails="$tails ${n:8}";; esac; done
t_eq "employee copy: not even the last eight digits of any of them" "" "$tails"
t_status "employee copy: mnvault scan passes it (exit 0)" 0 "$MNV" scan --quiet "$emp"
qpdf --qdf --object-streams=disable "$emp" "$T_TMP/emp-qdf.pdf" 2>/dev/null
tr -cd '0-9\n' < "$T_TMP/emp-qdf.pdf" > "$T_TMP/emp-digits"
hits=""
for n in "${N[@]}"; do grep -q "$n" "$T_TMP/emp-digits" && hits="$hits ${n:8}"; done
t_eq "employee copy: no number in its decompressed streams even with every non-digit taken out" "" "$hits"
t_lacks "employee copy: its properties hold no number" "${N[0]:4:8}" "$(pdfinfo "$emp")"
t_ok "tax copy: IPAex fonts embedded" pdf_fonts_ok "$tax"
t_ok "employee copy: IPAex fonts embedded" pdf_fonts_ok "$emp"
t_eq "both files are private (0600)" "600 600" "$(stat -c %a "$tax" "$emp" | tr '\n' ' ' | sed 's/ $//')"
t_done
