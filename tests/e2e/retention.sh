#!/usr/bin/env bash
# Retention in the terminal application, as a supervisor and a clerk would use it: the
# dashboard counts the due numbers, the detail screen says how long the chosen person's
# number is kept, r explains why (every kind of document, its period and basis), a
# supervisor holds a due number with a reason and a review date and releases it; a clerk
# cannot. English and Japanese, 80x24 and 120x40. Goldens in tests/e2e/screens/retention-*.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0001,見本 一郎,ミホン イチロウ,1930-06-15,M,1960-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
R0002,試験 二美,シケン フタミ,1960-01-20,F,2001-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2016-01-04,tax_declarations;social_insurance;employment_insurance,
R0002,,シケン タロウ,1958-08-08,M,,試験 太郎,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2016-01-04,tax_declarations,
EOF
printf '%s\n' "$PW" | "$MNV_TEST" import --data-dir "$dir" --user clerk --password-fd 0 \
    "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
for r in "R0001 1993-03-31" "R0002 2025-03-31"; do
    printf '%s\n' "$PW" | "$MNV_TOOLS/disposaltool" retire "$dir" clerk $r || t_bail "retire $r"
done
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() { t_clock_golden "$1" "$screens/$2"; } # the settled screen, the clock masked
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }
back_to_dashboard() { # Esc until the dashboard shows (the list's first Esc clears its filter)
    for _ in 1 2 3 4 5; do
        tmx capture-pane -p -t t | grep -qF "Dashboard" && return
        tmx_keys Escape; sleep 0.2
    done
}
open_employee() { # CODE LIST_TITLE: from the dashboard, through the list (retired shown)
    tmx_keys Enter; tmx_wait "$2" || true
    tmx_keys C-r; tmx_type "$1"; tmx_keys Enter; tmx_keys Enter
}

# ---------- a supervisor, English, 80x24 ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login screen" "User name"
login supervisor
t_wait "dashboard" "Dashboard"
t_contains "dashboard: the due number counted" "due now 1   on hold 0" "$(tmx_screen)"
golden "dashboard with a due number (en)" retention-dashboard-en.txt
open_employee R0001 "Employees ("
t_wait "detail: the retention line" "DUE for disposal since 1994-02-01"
golden "detail of a due number (en)" retention-detail-en.txt
tmx_keys r
t_wait "retention screen" "Retention: 見本 一郎 (R0001)"
t_contains "retention: the binding kind of document" "* Salary withholding slips" "$(tmx_screen)"
golden "retention screen (en)" retention-explain-en.txt
tmx_keys h
t_wait "hold dialog" "Review on"
golden "hold dialog (en)" retention-hold-en.txt
tmx_keys Enter
t_wait "hold: a reason is needed" "give a reason"
tmx_type "係争中のため保管"; tmx_keys Tab; tmx_type "2028-01-01"; tmx_keys Enter
t_wait "hold: too far ahead refused" "at most one year ahead"
tmx_keys C-u; tmx_type "R9.3.1"; tmx_keys Enter
t_wait "hold: placed, and said so" "Held until 2027-03-01 and recorded."
t_wait "retention: on hold" "On hold until 2027-03-01 (due since 1994-02-01)."
t_contains "retention: the hold's reason shown" "Hold by supervisor until 2027-03-01: 係争中のため保管" "$(tmx_screen)"
tmx_keys u
t_wait "release: asks first" "Release the hold?"
tmx_keys n
t_wait "release: n keeps it" "On hold until 2027-03-01"
back_to_dashboard
t_wait "back on the dashboard" "Dashboard"
t_wait "dashboard: the hold counted" "due now 0   on hold 1"
tmx_keys q; tmx_stop

# ---------- a clerk, Japanese, 80x24: sees why, cannot hold ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login clerk
t_wait "dashboard (ja)" "ダッシュボード"
golden "dashboard with a hold (ja)" retention-dashboard-ja.txt
open_employee R0002 "従業員 ("
t_wait "detail (ja): the retention line" "2033-01-10 (令和15年1月10日) まで保存"
golden "detail of a retiree (ja)" retention-detail-ja.txt
tmx_keys Down
t_wait "detail (ja): the spouse's line" "> 試験 太郎"
tmx_keys r
t_wait "retention screen (ja): the spouse" "保存期限: 試験 太郎 (R0002)"
golden "retention screen (ja)" retention-explain-ja.txt
t_lacks "a clerk is not offered h" "h: 削除対象の番号を保留" "$(tmx_screen)"
# h does nothing for a clerk: Esc goes straight back to the detail, not out of a dialog.
tmx_keys h; tmx_keys Escape
t_wait "a clerk's h opened nothing" "通知済みの利用目的"
tmx_keys q; tmx_stop

# ---------- a supervisor, English, 120x40: the whole explanation at once ----------
tmx_start 120 40 C.UTF-8 "${app[@]}"
t_wait "login (120x40)" "User name"
login supervisor
t_wait "dashboard (120x40)" "Dashboard"
open_employee R0002 "Employees ("
t_wait "detail (120x40)" "kept until 2033-01-10"
tmx_keys r
t_wait "retention (120x40)" "Retention: 試験 二美 (R0002)"
golden "retention screen (en, 120x40)" retention-explain-en-120.txt
tmx_keys q; tmx_stop
t_done
