#!/usr/bin/env bash
# Insurance facts and filings through the terminal application, as a clerk would: the facts
# of an employee and a dependant on the record's screen (typed dates in 和暦, a choice picked
# from its list, a mark, a refusal with its reason), in English and Japanese at 80x24.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 60 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() { t_clock_golden "$1" "$screens/$2"; } # the settled screen, the clock masked
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }
open_employee() { # CODE: from the dashboard to the employee's record
    tmx_keys Enter; tmx_wait "Filter" >/dev/null
    tmx_type "$1"; tmx_keys Enter; tmx_keys Enter
    tmx_wait "Purposes notified" >/dev/null || tmx_wait "通知した利用目的" >/dev/null
}

# ---------- English, 80x24: the facts of an employee ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login screen" "User name"
login clerk
t_wait "dashboard" "Dashboard"
open_employee E000002
t_contains "record: the insurance line" "Health/pension —" "$(tmx_screen)"
tmx_keys i
t_wait "facts: opened" "Insurance facts:"
t_contains "facts: grouped" "Health and pension insurance (健康保険・厚生年金保険)" "$(tmx_screen)"
tmx_keys Enter; tmx_type "R7.4.31"; tmx_keys Enter
t_wait "facts: a date that does not exist is refused" "no such day"
tmx_keys C-u; tmx_type "R7.4.1"; tmx_keys Enter
t_wait "facts: the date taken, marked as changed" "*> Acquired on (資格取得年月日)               2025-04-01"
tmx_keys Down Down Down; tmx_keys Enter; tmx_type "280,000"; tmx_keys Enter
t_wait "facts: the amount" "280,000"
tmx_keys Down Down; tmx_keys Space
t_wait "facts: a mark turned on" "*> Aged 70 or over (70歳以上被用者)           yes"
tmx_keys Space; t_wait "facts: and off again" " > Aged 70 or over (70歳以上被用者)           —"
tmx_keys Up Up Up Up
tmx_keys Enter; t_wait "facts: the list of a choice" "from mutual aid (共済出向)"
tmx_keys Home
golden "facts: the choices (en)" insurance-pick-en.txt
tmx_keys Enter
t_wait "facts: chosen" "*> Kind (取得区分)                            health and pension (健保・厚年)"
golden "facts: before saving (en)" insurance-facts-en.txt
tmx_keys F2
t_wait "facts: saved" "3 facts saved."
t_wait "record: the insurance line shows the date" "Health/pension from 2025-04-01"
tmx_keys i; t_wait "facts: opened again" "Insurance facts:"
t_contains "facts: stored" "280,000" "$(tmx_screen)"
tmx_keys Enter; tmx_keys C-u; tmx_type "2025-05-01"; tmx_keys Enter
tmx_keys Escape; t_wait "facts: Esc with changes asks" "Discard the changes?"
tmx_keys y; t_wait "record again" "Purposes notified"
t_contains "facts: the discarded change is not stored" "Health/pension from 2025-04-01" "$(tmx_screen)"
tmx_keys F10; t_wait "quit" "__EXIT=0"
tmx_stop

# ---------- Japanese, 80x24: a dependant's facts ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login screen (ja)" "ユーザー名"
login clerk
t_wait "dashboard (ja)" "ダッシュボード"
open_employee E000003
tmx_keys Down; tmx_keys i
t_wait "facts (ja): a dependant's" "健康保険の被扶養者"
t_lacks "facts (ja): no employee's facts for a dependant" "資格取得年月日" "$(tmx_screen)"
tmx_keys Enter; tmx_type "令和7年6月4日"; tmx_keys Enter
t_wait "facts (ja): the date with its era" "2025-06-04 (令和7年6月4日)"
tmx_keys Down; tmx_keys Enter; t_wait "facts (ja): the reasons" "婚姻"
tmx_keys Home; tmx_keys Enter
golden "facts (ja): a dependant before saving" insurance-dep-ja.txt
tmx_keys F2; t_wait "facts (ja): saved" "件の事実を保存しました"
tmx_keys F10; t_wait "quit (ja)" "__EXIT=0"
t_done
