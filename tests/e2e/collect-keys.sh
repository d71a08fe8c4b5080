#!/usr/bin/env bash
# The collection wizard as a clerk moves through it (issue 16, items 11 and 19): PgDn goes on
# to the next step as PgUp goes back; a dependant's number taken from the employee's
# 扶養控除等申告書 walks the purposes step (and is refused, in words wrapped to the screen,
# while the employee's own number is not yet collected); a purpose's long name is shown in
# full under the list; a retired employee is marked on the list in words. Japanese and English
# at 80x24.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
N=123456789018 N2=987654321093
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 30 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
app=("$MNV_TEST" --data-dir "$dir" --user clerk)
open() { # ROMAJI LIST_TITLE: the one employee the reading finds, from the dashboard
    tmx_keys Enter; t_wait "the list" "$2"
    tmx_type "$1"; t_wait "filtered by $1" "$1"
    tmx_keys Enter; tmx_keys Enter
}

# ---------- Japanese ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login" "パスワード"
tmx_type "$PW"; tmx_keys Enter; t_wait "dashboard" "ダッシュボード"
open hinagatasaburo "従業員 (在籍"
t_wait "the record of 雛形 三郎 (no number yet)" "雛形 三郎 (E000009)"
tmx_keys Down F2; t_wait "the wizard for his spouse" "収集: 雛形 美咲"
tmx_type "$N"; tmx_keys Tab; tmx_type "$N"; tmx_keys NPage
t_wait "PgDn: the number is done, on to the method" "[2 方法]"
tmx_keys Space Space; t_wait "the route: the employee's declaration" "扶養控除等申告書（従業員が確認）"
tmx_keys NPage
t_wait "PgDn: refused while the employee's own number is missing" "え収集してください"
t_contains "...the whole message, wrapped at the screen's width" \
    "! 申告書から扶養親族の番号を受け取る前に" "$(tmx_screen)"
t_lacks "...not cut with an ellipsis" "のう…" "$(tmx_screen)"
tmx_keys PPage; t_wait "PgUp goes back a step" "[1 個人番号]"
tmx_keys Escape; t_wait "left: the number typed was wiped going back, nothing to ask" "何も登録していません"
tmx_keys Escape; t_wait "the list" "従業員 (在籍"
tmx_keys Escape; tmx_keys Escape; t_wait "the dashboard" "ダッシュボード"
open hinagataichiro "従業員 (在籍"
t_wait "the record of 雛形 一郎 (number verified)" "雛形 一郎 (E000018)"
tmx_keys a; t_wait "a dependant" "扶養親族の追加"
tmx_type "雛形 二葉"; tmx_keys Tab; tmx_type "ヒナガタ フタバ"; tmx_keys Tab Tab
tmx_type "2010-04-02"; tmx_keys F2; t_wait "the child added" "雛形 二葉 (子、2010-04-02 生)"
tmx_keys Down F2; t_wait "the wizard for the child" "収集: 雛形 二葉"
tmx_type "$N"; tmx_keys Tab; tmx_type "$N"; tmx_keys NPage; t_wait "the method" "[2 方法]"
tmx_keys Space Space; t_wait "the declaration route" "扶養控除等申告書（従業員が確認）"
tmx_keys NPage
t_wait "PgDn: the documents are the employee's to check, on to the purposes" "[4 目的]"
tmx_keys Down
t_wait "the purpose under the cursor in full, under the list" "の受理及び保管に関する事務"
tmx_keys Space Enter; t_wait "the summary" "[5 確認]"
t_contains "...with the purpose chosen" "扶養控除等（異動）申告書" "$(tmx_screen)"
tmx_keys F2; t_wait "stored" "雛形 一郎 (E000018)"
t_wait "the child's number is registered" "登録済み"
# The retired are marked in words on the list (not only by colour).
tmx_keys Escape; t_wait "the list again" "従業員 (在籍"
tmx_keys Escape; t_wait_gone "filter cleared" "絞込:"
tmx_keys C-r; t_wait "Ctrl-R: the retired too" "従業員 (全員"
t_contains "a retired employee is marked" "E000011   (退) 演習" "$(tmx_screen)"
t_lacks "...and no one else" "E000010   (退)" "$(tmx_screen)"
tmx_stop

# ---------- English: PgDn and the refusal's words ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login (en)" "Password"
tmx_type "$PW"; tmx_keys Enter; t_wait "dashboard (en)" "Dashboard"
open hinagatasaburo "Employees (current"
t_wait "the record (en)" "(E000009)"
tmx_keys Down F2; t_wait "the wizard (en)" "Collect:"
tmx_type "$N2"; tmx_keys Tab; tmx_type "$N2"; tmx_keys NPage
t_wait "PgDn (en): on to the method" "Collected "
tmx_keys Space Space NPage
t_wait "PgDn (en): refused, in words" "collected and verified before"
tmx_keys Escape; t_wait "leave? (en)" "(y/n)"
tmx_keys y; tmx_stop
t_done
