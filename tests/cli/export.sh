#!/usr/bin/env bash
# `mnvault export`: the 375 and eLTAX CSV files of a small synthetic vault, read back by an
# independent checker (tests/tools/filing-check, written from the format notes, not from
# the layout files) and compared with golden files; iconv round trips; the purpose gate
# (missing, refused, not notified; --skip-missing); a character outside JIS X 0208 refused
# with the person and the field; a year without a layout; the custody register; roles; the
# audit entries (counts and hash, never a number); file modes.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
export MNVAULT_TEST_NOW=2026-01-20T01:00:00
V=$T_TMP/v
CHECK="$MNV_ROOT/tests/tools/filing-check"
v_full "$V" || t_bail "cannot make a vault"
ex() { v_as "$V" "${USER_AS:-clerk}" "${PW_AS:-$V_CLERK_PW}" export "$@"; }

# Numbers with their check digits (doc/mynumber.md).
num() { echo "$1" | awk '{w="65432765432"; t=0; for(j=1;j<=11;j++) t+=substr($1,j,1)*substr(w,j,1); r=t%11; print $1 ((r<=1)?0:11-r)}'; }
N1=$(num 10000000011) N2=$(num 10000000022) N3=$(num 10000000033) N4=$(num 10000000044)
N5=$(num 10000000055) N6=$(num 10000000066) N7=$(num 10000000077)
H='employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes'
cat > "$T_TMP/people.csv" <<CSV
$H
T001,見本 太郎,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区千代田1-1,,,$N1,self,mynumber_card,人事,2025-01-10,tax_withholding
T001,,ミホン ハナコ,1982-05-06,F,,,見本 花子,spouse,$N2,employee_declared,,人事,2025-01-10,tax_withholding
T001,,ミホン イチロウ,2015-07-08,M,,,見本 一郎,child,$N3,employee_declared,,人事,2025-01-10,tax_withholding
T002,試験 次郎,シケン ジロウ,1975-09-30,M,2005-04-01,東京都港区芝公園2-2,,,$N4,self,mynumber_card,人事,2025-01-10,tax_withholding
T002,,シケン ハハ,1950-01-02,F,,,試験 母,parent,$N5,employee_declared,,人事,2025-01-10,tax_withholding
T003,架空 三子,カクウ ミツコ,1990-02-03,F,2015-04-01,大阪府大阪市北区梅田3-3,,,$N6,self,mynumber_card,人事,2025-01-10,social_insurance
CSV
t_ok "people and numbers imported" v_as "$V" clerk "$V_CLERK_PW" import "$T_TMP/people.csv"
# T004 declines to give a number.
t_ok "T004 added without a number" bash -c "echo '$V_CLERK_PW' | '$MNV_TOOLS/taxtool' add-employee '$V' clerk T004 '雛形 四郎' 'ヒナガタ シロウ' 1988-08-08 '大阪府大阪市北区梅田4-4'"
t_ok "T004 declined to give a number" bash -c "echo '$V_CLERK_PW' | '$MNV_TOOLS/taxtool' refuse '$V' clerk T004"
cat > "$T_TMP/figures.csv" <<'CSV'
社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,給与所得控除後の金額,所得控除の額の合計額,源泉徴収税額,社会保険料等の金額,摘要,提出先市町村コード,役員,住所
T001,,,,7200000,5400000,2300000,180000,1080000,ｿﾞｳｶﾞｸ㈱より転籍,131016,,
T001,見本 花子,1982-05-06,控除対象配偶者,,,,,,,,,
T001,見本 一郎,2015-07-08,16歳未満,,,,,,,,,
T002,,,,9800000,7850000,3000000,420000,1470000,,141003,,神奈川県横浜市中区本町1-2-3
T002,試験 母,1950-01-02,同居老親等,,,,,,,,,
T003,,,,3000000,2020000,1000000,30000,450000,,271004,,
T004,,,,1600000,950000,900000,2000,240000,,271004,はい,
CSV
t_ok "figures imported" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/figures.csv"

# The purpose gate: T003's number was notified for social insurance only, T004 declined.
ex nta375 --year 2025 --out "$T_TMP/a.csv" > "$T_TMP/gap.out" 2> "$T_TMP/gap.err"; rc=$?
t_eq "gaps: refused, exit 1" 1 "$rc"
t_golden "gaps: each person listed (slip, code, what is missing)" "$MNV_ROOT/tests/cli/exp/export-gaps.exp" "$T_TMP/gap.err"
t_eq "gaps: nothing written" "" "$(ls "$T_TMP"/a.csv 2>/dev/null)"

# --skip-missing leaves those numbers out and writes the rest.
ex nta375 --year 2025 --out "$T_TMP/375.csv" --skip-missing > "$T_TMP/375.out" 2>&1; rc=$?
t_eq "375: written, exit 0" 0 "$rc"
t_contains "375: slips over the thresholds (T001, T002, T004 as an officer)" "slips: 3 (of 4 employees" "$(cat "$T_TMP/375.out")"
t_contains "375: the summary counts the numbers" "My Numbers written: 4; left out: 1" "$(cat "$T_TMP/375.out")"
t_ok "375: the independent checker passes it" "$CHECK" nta375 "$T_TMP/375.csv" --rows=3
t_golden "375: the bytes (Shift_JIS, CRLF)" "$MNV_ROOT/tests/cli/exp/export-375.csv" "$T_TMP/375.csv"
t_eq "375: mode 0600" 600 "$(stat -c %a "$T_TMP/375.csv")"
iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/375.csv" > "$T_TMP/375.utf8" && iconv -f UTF-8 -t SHIFT_JIS "$T_TMP/375.utf8" > "$T_TMP/375.back"
t_ok "375: iconv round trip gives the same bytes" cmp "$T_TMP/375.csv" "$T_TMP/375.back"
t_contains "375: ㈱ became （株）, half-width kana full-width" "ゾウガク（株）より転籍" "$(cat "$T_TMP/375.utf8")"
t_contains "375: the employee's number is there" "$N1" "$(cat "$T_TMP/375.utf8")"
t_lacks "375: the under-16 child's number is not (no such column)" "$N3" "$(cat "$T_TMP/375.utf8")"

ex eltax --year 2025 --out "$T_TMP/el.csv" > /dev/null 2> "$T_TMP/el-gap.err"; rc=$?
t_eq "eLTAX gaps: refused" 1 "$rc"
t_golden "eLTAX gaps: T003's purpose, T004's refusal" "$MNV_ROOT/tests/cli/exp/export-gaps-eltax.exp" "$T_TMP/el-gap.err"
ex eltax --year 2025 --out "$T_TMP/el.csv" --skip-missing > "$T_TMP/el.out" 2>&1; rc=$?
t_eq "eLTAX: written" 0 "$rc"
t_ok "eLTAX: the independent checker passes it" "$CHECK" eltax "$T_TMP/el.csv" --rows=4
t_golden "eLTAX: the bytes" "$MNV_ROOT/tests/cli/exp/export-eltax.csv" "$T_TMP/el.csv"
iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/el.csv" > "$T_TMP/el.utf8"
t_contains "eLTAX: the under-16 child's number is there" "$N3" "$(cat "$T_TMP/el.utf8")"
t_contains "eLTAX: half-width kana reading" "ﾐﾎﾝ ﾀﾛｳ" "$(cat "$T_TMP/el.utf8")"

# The printed slips through the same export (the PDF forms, doc/pdf.md): the tax office's
# copy carries the numbers, the employee's copy none at all.
. "$MNV_ROOT/tests/lib/pdf.sh"
ex gensen --copy tax --year 2025 --out "$T_TMP/g-tax.pdf" --skip-missing > /dev/null 2>&1; rc=$?
t_eq "源泉徴収票 (tax office): written" 0 "$rc"
ex gensen --copy employee --year 2025 --out "$T_TMP/g-emp.pdf" > "$T_TMP/g-emp.out" 2>&1; rc=$?
t_eq "源泉徴収票 (employee): written without any gate (no number is read)" 0 "$rc"
t_contains "源泉徴収票 (employee): no number written" "My Numbers written: 0; left out: 0" "$(cat "$T_TMP/g-emp.out")"
t_ok "源泉徴収票: the fonts are embedded" pdf_fonts_ok "$T_TMP/g-emp.pdf"
t_eq "源泉徴収票 (employee): no valid My Number in its text" 0 "$(pdf_number_count "$T_TMP/g-emp.pdf")"
t_contains "源泉徴収票 (employee): the employee is on it" "見本" "$(pdf_text "$T_TMP/g-emp.pdf")"
# Four numbers, each found twice: by mnvault scan in the PDF's digit cells and in the joined-up text.
t_eq "源泉徴収票 (tax office): the numbers are on it" 8 "$(pdf_number_count "$T_TMP/g-tax.pdf")"
t_status "源泉徴収票 (tax office): mnvault scan says it holds numbers" 1 "$MNV" scan -q "$T_TMP/g-tax.pdf"
printf 'employee_code,municipality_name\nT001,千代田区\nT002,横浜市\nT003,大阪市\nT004,大阪市\n' > "$T_TMP/names.csv"
ex soukatsu --year 2025 --out "$T_TMP/s0.pdf" > /dev/null 2> "$T_TMP/s0.err"; rc=$?
t_eq "総括表 without municipality names: refused" 1 "$rc"
t_contains "...naming the municipality and the field" "slip 1 (131016), field 2 提出先市区町村: this field of the filing must not be empty" "$(cat "$T_TMP/s0.err")"

# The checker itself fails on a broken copy (it is not a rubber stamp).
sed 's/^375,/375,X,/' "$T_TMP/375.csv" > "$T_TMP/bad.csv"
t_status "checker: an extra column fails" 1 "$CHECK" nta375 "$T_TMP/bad.csv"
tr -d '\r' < "$T_TMP/375.csv" > "$T_TMP/lf.csv"
t_status "checker: LF line ends fail" 1 "$CHECK" nta375 "$T_TMP/lf.csv"
t_status "checker: numbers on a copy without them fail" 1 "$CHECK" nta375 "$T_TMP/375.csv" --no-numbers

# A character outside JIS X 0208 is refused with the person and the field, never '?'.
printf 'employee_code,summary\nT002,髙島屋で勤務\n' > "$T_TMP/k.csv"
printf 'employee_code,payment,summary\nT002,9800000,髙島屋で勤務\n' > "$T_TMP/k.csv"
t_ok "a summary with 髙 imported" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/k.csv"
ex nta375 --year 2025 --out "$T_TMP/k-out.csv" --skip-missing > /dev/null 2> "$T_TMP/k.err"; rc=$?
t_eq "髙: refused, exit 1" 1 "$rc"
t_contains "髙: the slip, the employee, the field and the character" "slip 2 (T002), field 86 摘要: this character cannot be written in the filing" "$(cat "$T_TMP/k.err")"
t_contains "髙: the code point" "U+9AD9 髙" "$(cat "$T_TMP/k.err")"
t_eq "髙: nothing written" "" "$(ls "$T_TMP"/k-out.csv 2>/dev/null)"
t_ok "figures put back" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/figures.csv"

# A year without a layout: refused, naming the file looked for.
out=$(ex nta375 --year 2019 --out "$T_TMP/x.csv" 2>&1); rc=$?
t_eq "year without a layout: exit 1" 1 "$rc"
t_contains "...naming the file" "forms/nta375-2019.ini" "$out"
# An existing file is never overwritten.
out=$(ex nta375 --year 2025 --out "$T_TMP/375.csv" --skip-missing 2>&1); rc=$?
t_eq "existing file: refused" 1 "$rc"
t_contains "...said so" "already exists" "$out"
t_ok "...and left as it was" cmp "$T_TMP/375.csv" "$T_TMP/375.back"
# --dry-run writes nothing.
out=$(ex eltax --year 2025 --out "$T_TMP/dry.csv" --dry-run --skip-missing 2>&1); rc=$?
t_eq "dry run: exit 0" 0 "$rc"
t_eq "dry run: no file" "" "$(ls "$T_TMP"/dry.csv 2>/dev/null)"

# --zip: an AES-256 zip whose passphrase is shown once.
out=$(ex eltax --year 2025 --out "$T_TMP/el.zip" --zip --skip-missing 2>/dev/null); rc=$?
t_eq "zip: written" 0 "$rc"
pass=$(echo "$out" | tail -n 1 | tr -d ' ')
t_eq "zip: a passphrase of six groups" 1 "$(echo "$pass" | grep -cE '^([a-z0-9]{4}-){5}[a-z0-9]{4}$')"
t_ok "zip: the passphrase opens it, and it holds the same file" bash -c "'$MNV_TOOLS/taxtool' unzip '$T_TMP/el.zip' '$pass' | cmp - '$T_TMP/el.csv'"
t_status "zip: another passphrase does not" 1 "$MNV_TOOLS/taxtool" unzip "$T_TMP/el.zip" "aaaa-bbbb-cccc-dddd-eeee-ffff"
t_eq "zip: no plain number in the zip file" "" "$(grep -a -c "$N1" "$T_TMP/el.zip" | grep -v '^0$')"
t_eq "zip: mode 0600" 600 "$(stat -c %a "$T_TMP/el.zip")"

# The custody register.
out=$(ex list)
t_contains "register: the 375 file" "nta375   2025 tax       tax_office" "$out"
t_contains "register: its hash" "$(sha256sum "$T_TMP/375.csv" | cut -c1-64)" "$out"
t_contains "register: counts" "5 files in the register" "$out"
t_contains "register: the zip is marked packed" "(encrypted zip)" "$out"
id=$(ex list --form nta375 | awk '$1 ~ /^[0-9]+$/ {print $1; exit}')
out=$(ex mark "$id" submitted --note "e-Tax 受付番号あり" 2>&1); rc=$?
t_eq "mark submitted: exit 0" 0 "$rc"
t_contains "mark submitted: shown" "submitted" "$out"
out=$(ex mark "$id" destroyed 2>&1); rc=$?
t_eq "a submitted copy cannot be marked destroyed" 1 "$rc"
t_contains "...said so" "does not allow this change" "$out"
t_status "mark: a note with a My Number is refused" 1 ex mark "$id" returned --note "番号 $N1"
t_contains "register: outstanding only" "4 files in the register" "$(ex list --outstanding)"
out=$(USER_AS=aud PW_AS=$V_AUD_PW ex list 2>&1); rc=$?
t_eq "auditor: reads the register" 0 "$rc"
out=$(USER_AS=aud PW_AS=$V_AUD_PW ex nta375 --year 2025 --out "$T_TMP/aud.csv" 2>&1); rc=$?
t_eq "auditor: may not export" 1 "$rc"
t_contains "...the role is the reason" "your role does not allow this" "$out"

# The audit log: counts and the hash, never a number.
v_as "$V" aud "$V_AUD_PW" audit export --format csv > "$T_TMP/audit.csv"
t_contains "audit: the export with its hash" "sha256=$(sha256sum "$T_TMP/375.csv" | cut -c1-64)" "$(cat "$T_TMP/audit.csv")"
t_contains "audit: a refusal with counts" "refused=1" "$(cat "$T_TMP/audit.csv")"
t_contains "audit: the purpose refusal counted" "not_notified=1" "$(cat "$T_TMP/audit.csv")"
t_eq "audit: no number" "" "$(grep -e "$N1" -e "$N2" -e "$N3" -e "$N4" -e "$N5" -e "$N6" -e "$N7" "$T_TMP/audit.csv")"
t_contains "audit: the mark" "custody.mark" "$(cat "$T_TMP/audit.csv")"

# The payer's details.
out=$(ex employer phone=03-1234-5678 seiri1=0123456789 2>&1); rc=$?
t_eq "employer: set" 0 "$rc"
t_contains "employer: shown" "03-1234-5678" "$out"
t_status "employer: an unknown key" 1 ex employer colour=blue
t_status "employer: a phone number with letters" 1 ex employer phone=abc!
t_contains "forms: the layouts installed" "nta375     2025" "$(ex forms)"
t_done
