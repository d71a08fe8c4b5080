#!/usr/bin/env bash
# `mnvault export fill`: a payroll system's 375 or eLTAX file with the number columns empty
# gets the numbers: the result is byte for byte what the export writes; one shifted row
# (a spreadsheet sorted by one column) refuses the whole file and writes nothing; unknown
# people, numbers already present, a wrong year, characters outside JIS X 0208 and the
# purpose gate are each refused with the line; header rows are skipped.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
export MNVAULT_TEST_NOW=2026-01-20T01:00:00
V=$T_TMP/v
CHECK="$MNV_ROOT/tests/tools/filing-check"
v_full "$V" || t_bail "cannot make a vault"
ex() { v_as "$V" clerk "$V_CLERK_PW" export "$@"; }
num() { echo "$1" | awk '{w="65432765432"; t=0; for(j=1;j<=11;j++) t+=substr($1,j,1)*substr(w,j,1); r=t%11; print $1 ((r<=1)?0:11-r)}'; }
N1=$(num 20000000011) N2=$(num 20000000022) N3=$(num 20000000033) N4=$(num 20000000044)
N5=$(num 20000000055) N6=$(num 20000000066)
cat > "$T_TMP/people.csv" <<CSV
employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes
F001,見本 太郎,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区千代田1-1,,,$N1,self,mynumber_card,人事,2025-01-10,tax_withholding
F001,,ミホン ハナコ,1982-05-06,F,,,見本 花子,spouse,$N2,employee_declared,,人事,2025-01-10,tax_withholding
F001,,ミホン イチロウ,2015-07-08,M,,,見本 一郎,child,$N3,employee_declared,,人事,2025-01-10,tax_withholding
F002,試験 次郎,シケン ジロウ,1975-09-30,M,2005-04-01,東京都港区芝公園2-2,,,$N4,self,mynumber_card,人事,2025-01-10,tax_withholding
F002,,シケン ハハ,1950-01-02,F,,,試験 母,parent,$N5,employee_declared,,人事,2025-01-10,tax_withholding
F003,架空 三子,カクウ ミツコ,1990-02-03,F,2015-04-01,大阪府大阪市北区梅田3-3,,,$N6,self,mynumber_card,人事,2025-01-10,tax_withholding
CSV
t_ok "people and numbers imported" v_as "$V" clerk "$V_CLERK_PW" import "$T_TMP/people.csv"
cat > "$T_TMP/figures.csv" <<'CSV'
社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,源泉徴収税額,提出先市町村コード
F001,,,,7200000,180000,131016
F001,見本 花子,1982-05-06,控除対象配偶者,,,
F001,見本 一郎,2015-07-08,16歳未満,,,
F002,,,,9800000,420000,141003
F002,試験 母,1950-01-02,同居老親等,,,
F003,,,,6000000,150000,271004
CSV
t_ok "figures imported" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/figures.csv"

# What the vault would export, and the same file as payroll software would write it: the
# number columns empty (the employer's corporate number stays: it is public).
t_ok "375 exported" ex nta375 --year 2025 --out "$T_TMP/375.csv"
t_ok "eLTAX exported" ex eltax --year 2025 --out "$T_TMP/el.csv"
blank() { # FILE COLUMNS... → FILE with those columns emptied
    local f=$1; shift
    awk -v cols="$*" 'BEGIN { FS = OFS = ","; n = split(cols, c, " ") }
        { sub(/\r$/, ""); for (i = 1; i <= n; i++) $(c[i]) = ""; printf "%s\r\n", $0 }' "$f"
}
blank "$T_TMP/375.csv" 95 99 103 107 111 115 > "$T_TMP/in375.csv"
blank "$T_TMP/el.csv" 95 99 103 107 111 115 119 123 127 131 > "$T_TMP/inel.csv"
t_eq "the payroll file holds no number" "" "$(grep -c -e "$N1" -e "$N4" "$T_TMP/in375.csv" | grep -v '^0$')"

out=$(ex fill nta375 "$T_TMP/in375.csv" --out "$T_TMP/f375.csv" 2>&1); rc=$?
t_eq "fill 375: exit 0" 0 "$rc"
t_contains "fill 375: counts" "My Numbers written: 5" "$out"
t_ok "fill 375: byte for byte the export" cmp "$T_TMP/f375.csv" "$T_TMP/375.csv"
t_ok "fill 375: the checker passes it" "$CHECK" nta375 "$T_TMP/f375.csv"
t_eq "fill 375: mode 0600" 600 "$(stat -c %a "$T_TMP/f375.csv")"
out=$(ex fill eltax "$T_TMP/inel.csv" --out "$T_TMP/fel.csv" 2>&1); rc=$?
t_eq "fill eLTAX: exit 0" 0 "$rc"
t_ok "fill eLTAX: byte for byte the export (the child's number too)" cmp "$T_TMP/fel.csv" "$T_TMP/el.csv"

# A header row of the standard form is skipped; UTF-8 is read too.
{ printf '法定資料の種類,整理番号1\r\n'; iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/in375.csv"; } > "$T_TMP/hdr.csv"
out=$(ex fill nta375 "$T_TMP/hdr.csv" --out "$T_TMP/fh.csv" 2>&1); rc=$?
t_eq "header row and UTF-8: exit 0" 0 "$rc"
t_ok "header row and UTF-8: the same file" cmp "$T_TMP/fh.csv" "$T_TMP/375.csv"

# One shifted row: the 氏名 column sorted on its own moves names to other rows.
python3 - "$T_TMP/in375.csv" "$T_TMP/shift.csv" <<'PY'
import sys
rows = open(sys.argv[1], 'rb').read().split(b'\r\n')[:-1]
cells = [r.split(b',') for r in rows]
names = [c[13] for c in cells]
names = names[1:] + names[:1]          # shifted by one
for c, n in zip(cells, names):
    c[13] = n
open(sys.argv[2], 'wb').write(b''.join(b','.join(c) + b'\r\n' for c in cells))
PY
ex fill nta375 "$T_TMP/shift.csv" --out "$T_TMP/fs.csv" > /dev/null 2> "$T_TMP/shift.err"; rc=$?
t_eq "shifted rows: refused, exit 1" 1 "$rc"
t_golden "shifted rows: every line named" "$MNV_ROOT/tests/cli/exp/fill-shifted.exp" "$T_TMP/shift.err"
t_eq "shifted rows: nothing written" "" "$(ls "$T_TMP"/fs.csv 2>/dev/null)"
# The same in the eLTAX file, where the code matches but the name does not.
python3 - "$T_TMP/inel.csv" "$T_TMP/shiftel.csv" <<'PY'
import sys
rows = open(sys.argv[1], 'rb').read().split(b'\r\n')[:-1]
cells = [r.split(b',') for r in rows]
cells[0][13], cells[1][13] = cells[1][13], cells[0][13]
open(sys.argv[2], 'wb').write(b''.join(b','.join(c) + b'\r\n' for c in cells))
PY
ex fill eltax "$T_TMP/shiftel.csv" --out "$T_TMP/fse.csv" > /dev/null 2> "$T_TMP/shiftel.err"; rc=$?
t_eq "eLTAX: code and name disagree: refused" 1 "$rc"
t_contains "...line 1 named" "line 1 (F001), column 14 支払を受ける者／氏名: the name or birth date differs from the employee with this 受給者番号" "$(cat "$T_TMP/shiftel.err")"
t_eq "...nothing written" "" "$(ls "$T_TMP"/fse.csv 2>/dev/null)"

# A number already in the payroll file, a dependant not on record, a wrong year, ①.
LC_ALL=C sed "1s/^\\(\\([^,]*,\\)\\{94\\}\\)/\\1$N1/" "$T_TMP/in375.csv" > "$T_TMP/given.csv"
out=$(ex fill nta375 "$T_TMP/given.csv" --out "$T_TMP/fg.csv" 2>&1); rc=$?
t_eq "a number already there: refused" 1 "$rc"
t_contains "...named" "line 1, column 95 支払を受ける者の個人番号: this number column already holds something" "$out"
t_lacks "...without printing it" "$N1" "$out"
iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/in375.csv" | sed '1s/見本　花子/見本　華子/; 2s/,07,/,06,/; 3s/,0,07,/,0,07,/; 3s/$/X/; 3s/X$//; 3s/\(\([^,]*,\)\{85\}\)/\1①/' > "$T_TMP/misc.csv"
ex fill nta375 "$T_TMP/misc.csv" --out "$T_TMP/fm.csv" > /dev/null 2> "$T_TMP/misc.err"; rc=$?
t_eq "unknown dependant, wrong year, ① in 摘要: refused" 1 "$rc"
t_golden "...each with its line" "$MNV_ROOT/tests/cli/exp/fill-misc.exp" "$T_TMP/misc.err"
t_contains "...a fault after matching names the employee" "line 3 (F003), column 86 摘要" "$(cat "$T_TMP/misc.err")"

# The purpose gate: F003's number loses the filing's purpose → listed; --skip-missing.
printf 'employee_code,payment,tax,municipality_code\nF003,6000000,150000,271004\n' > /dev/null
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$V" sup)
sqlcipher "$V/vault.db" > /dev/null 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
UPDATE number_purposes SET purpose = 'social_insurance' WHERE number_id = (SELECT id FROM numbers WHERE employee_id = 3);
SQL
ex fill nta375 "$T_TMP/in375.csv" --out "$T_TMP/fp.csv" > /dev/null 2> "$T_TMP/gate.err"; rc=$?
t_eq "gate: refused" 1 "$rc"
t_contains "gate: the person and the reason" "line 3 (F003), employee: this purpose of use was not notified for the number" "$(cat "$T_TMP/gate.err")"
out=$(ex fill nta375 "$T_TMP/in375.csv" --out "$T_TMP/fp.csv" --skip-missing 2>&1); rc=$?
t_eq "gate with --skip-missing: written" 0 "$rc"
t_contains "...one left out" "left out: 1" "$out"
t_lacks "...without F003's number" "$N6" "$(iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/fp.csv")"

# The register and the audit log.
t_contains "register: the filled files" "nta375   2025 tax" "$(ex list)"
v_as "$V" aud "$V_AUD_PW" audit export --format csv > "$T_TMP/audit.csv"
t_contains "audit: a refused fill with counts" "fill form=nta375 year=2025" "$(cat "$T_TMP/audit.csv")"
t_eq "audit: no number" "" "$(grep -e "$N1" -e "$N2" -e "$N4" -e "$N6" "$T_TMP/audit.csv")"
t_status "fill: usage without --out" 2 ex fill nta375 "$T_TMP/in375.csv"
t_done
