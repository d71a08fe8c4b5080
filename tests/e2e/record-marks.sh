#!/usr/bin/env bash
# The employee record as a clerk marks people on it: x records that a person refused to
# give the My Number (the day, the reason in their words; refused when a number is stored
# or the reason is blank), l that a dependant left the employee's 扶養 (and undoes it), and
# the record shows the refusal, the day a dependant left, and how many days after the
# identity check a dependant's purposes were notified. English and Japanese, 80x24 and
# 200x60, golden screens; no number on the screen at any time.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
# An employee, a spouse whose number came on the dependants' declaration and whose purpose
# was notified twelve days after the check, and a child without a number.
cat > "$T_TMP/people.csv" <<'EOF'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
E0001,見本 一郎,ミホン イチロウ,1980-06-15,M,2016-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2025-04-01,tax_withholding;tax_declarations,2025-04-01
E0001,,ミホン ハナコ,1982-08-08,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2025-04-28,tax_declarations,2025-05-10
EOF
printf '%s\n' "$PW" | "$MNV_TEST" import "$T_TMP/people.csv" --data-dir "$dir" --user clerk --password-fd 0 \
    > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
printf '%s\n' "$PW" | "$MNV_TEST" employee add --code E0002 --name "試験 二郎" --kana "シケン ジロウ" \
    --birth-date 1990-02-02 --sex M --hire-date 2026-11-16 --data-dir "$dir" --user clerk --password-fd 0 \
    > "$T_TMP/add.out" 2>&1 || t_bail "add: $(cat "$T_TMP/add.out")"
screens=$MNV_ROOT/tests/e2e/screens
golden() { t_clock_golden "$1" "$screens/$2"; } # the settled screen, the clock masked
no_numbers() { # NAME
    tmx_history > "$T_TMP/hist.txt"; tmx_screen >> "$T_TMP/hist.txt"
    t_eq "$1" "" "$(valid_numbers_in "$T_TMP/hist.txt")"
}
open_record() { # CODE TEXT-OF-THE-LIST TEXT-OF-THE-RECORD
    tmx_keys Enter; tmx_wait "$2" >/dev/null
    tmx_type "$1"; tmx_keys Enter; tmx_keys Enter
    tmx_wait "$3" >/dev/null
}

# ---------- English, 80x24 ----------
tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --user clerk
t_wait "login" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "dashboard" "Dashboard"
open_record E0002 "Employees (current" "Purposes notified"
t_contains "a new employee without a number: missing" "missing" "$(tmx_screen)"
tmx_keys x; t_wait "x: the refusal dialog" "Refused to give the My Number: 試験 二郎"
golden "refusal dialog (en)" marks-refusal-en.txt
tmx_keys Enter; t_wait "a blank reason is refused, next to the field" "Reason: give a reason"
tmx_type "説明したが本人が拒否"; tmx_keys Enter
t_wait "recorded: the message" "Recorded: 試験 二郎 refused to give the My Number on 2026-11-27."
t_wait "the record: refused with its day" "refused (on 2026-11-27)"
t_contains "the record: the reason" "Reason: 説明したが本人が拒否" "$(tmx_screen)"
tmx_keys Escape; t_wait "the list" "Employees (current"
t_contains "the list: refused at once (not a stale list)" "refused" "$(tmx_screen | grep E0002)"
tmx_keys Escape; t_wait_gone "the filter cleared" "Filter:"
tmx_keys Escape; t_wait "the dashboard" "Dashboard"
open_record E0001 "Employees (current" "Purposes notified"
t_contains "how long after the check the spouse's purpose came" "(2025-05-10, 12 days after)" "$(tmx_screen | tr -s "\n " " ")"
tmx_keys x; t_wait "a refusal with a number stored is refused" "a My Number is stored for this person"
tmx_keys l; t_wait "l on the employee: choose a dependant" "only a dependant leaves the 扶養"
tmx_keys Down; tmx_keys l; t_wait "l: the dialog" "Left the employee's 扶養: 見本 花子"
tmx_keys C-u; tmx_type "2026-12-24"; tmx_keys Enter
t_wait "a day in the future is refused" "Day: this date is in the future"
tmx_keys C-u; tmx_type "R8.3.31"; tmx_keys Enter
t_wait "recorded" "Recorded: 見本 花子 left the 扶養 on 2026-03-31."
t_wait "the record: the day she left" "Left 扶養 2026-03-31"
golden "record with the marks (en)" marks-record-en.txt
tmx_keys l; t_wait "the dialog again, with the day" "2026-03-31"
tmx_keys C-u; tmx_keys Enter
t_wait "undone" "Recorded: 見本 花子 is a dependant again."
t_wait_gone "the record: no day any more" "Left 扶養"
tmx_keys F1; t_wait "help lists x" "record a refusal to give the My Number (提供拒否)"
t_contains "help lists l" "record the day a dependant left 扶養, or undo it" "$(tmx_screen)"
tmx_keys Escape
no_numbers "no number on the screen or in the history"
tmx_keys F10; t_wait "quit" "__EXIT=0"
tmx_stop

# ---------- Japanese, 80x24 and 200x60 ----------
for size in "80 24" "200 60"; do
    set -- $size
    tmx_start "$1" "$2" ja_JP.UTF-8 "$MNV_TEST" --data-dir "$dir" --user clerk
    t_wait "ja $1x$2: login" "パスワード"
    tmx_type "$PW"; tmx_keys Enter
    t_wait "ja $1x$2: dashboard" "ダッシュボード"
    open_record E0001 "従業員" "通知済みの利用目的"
    tmx_keys Down; tmx_keys l; t_wait "ja $1x$2: the dialog" "扶養から外れた: 見本 花子"
    tmx_keys C-u; tmx_type "令和8年3月31日"; tmx_keys Enter
    t_wait "ja $1x$2: recorded" "扶養終了 2026-03-31"
    golden "record with the marks (ja $1x$2)" "marks-record-ja-$1.txt"
    tmx_keys Escape; tmx_keys Escape; tmx_keys Escape; t_wait "ja $1x$2: dashboard again" "ダッシュボード"
    open_record E0002 "従業員" "通知済みの利用目的"
    tmx_keys x; t_wait "ja $1x$2: the refusal dialog, as recorded" "説明したが本人が拒否"
    golden "refusal dialog (ja $1x$2)" "marks-refusal-ja-$1.txt"
    tmx_keys Escape; tmx_keys F10; t_wait "ja $1x$2: quit" "__EXIT=0"
    tmx_stop
    printf '%s\n' "$PW" | "$MNV_TEST" employee left E0001 --dependent "見本 花子" --undo \
        --data-dir "$dir" --user clerk --password-fd 0 >/dev/null 2>&1
done
t_done
