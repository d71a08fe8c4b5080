#!/usr/bin/env bash
# The pre-send recipes of doc/scan.md, taken from the document itself and run: the outbox
# loop and the git pre-commit hook. If the document's code breaks, this fails.
. "$MNV_ROOT/tests/lib/tap.sh"

# The code block after the marker <!-- test: NAME --> in doc/scan.md.
recipe() {
    awk -v m="<!-- test: $1 -->" '$0 == m {f = 1; next} f && /^```sh/ {g = 1; next}
        g && /^```/ {exit} g {print}' "$MNV_ROOT/doc/scan.md"
}
recipe outbox > "$T_TMP/outbox.sh"
recipe pre-commit > "$T_TMP/pre-commit"
[ -s "$T_TMP/outbox.sh" ] && [ -s "$T_TMP/pre-commit" ] || t_bail "recipes not found in doc/scan.md"
mkdir -p "$T_TMP/bin"
ln -s "$MNV" "$T_TMP/bin/mnvault"
export PATH="$T_TMP/bin:$PATH"

# ---- the outbox loop ----------------------------------------------------------------------
out_dir=$T_TMP/outbox ready=$T_TMP/ready
mkdir -p "$out_dir"
printf '議事録 2024-04-01\n出席 12 名\n' > "$out_dir/minutes.txt"
printf '氏名,個人番号\n山田,1234-5678-9018\n' > "$out_dir/staff.csv"
printf 'x' > "$T_TMP/inner.txt"
(cd "$T_TMP" && zip -q -P secret "$out_dir/locked.zip" inner.txt)
msgs=$(OUTBOX=$out_dir READY=$ready sh "$T_TMP/outbox.sh" 2>&1)
t_ok "outbox: the clean file moved to READY" test -f "$ready/minutes.txt"
t_ok "outbox: the file with a number stays" test -f "$out_dir/staff.csv"
t_ok "outbox: the file that cannot be checked stays" test -f "$out_dir/locked.zip"
t_contains "outbox: says why (number)" "HELD BACK, My Number found: $out_dir/staff.csv" "$msgs"
t_contains "outbox: says why (unreadable)" "HELD BACK, could not be checked: $out_dir/locked.zip" "$msgs"
t_lacks "outbox: no number in the messages" "5678" "$msgs"

# ---- the git hook ---------------------------------------------------------------------------
repo=$T_TMP/repo
export HOME=$T_TMP GIT_CONFIG_NOSYSTEM=1
git init -q "$repo" || t_bail "git init failed"
cd "$repo" || t_bail "no repo"
git config user.name test && git config user.email test@example.invalid
install -m 0755 "$T_TMP/pre-commit" .git/hooks/pre-commit
printf '議事録\n' > notes.txt
git add notes.txt
t_status "hook: a clean commit passes" 0 git commit -q -m clean
printf 'マイナンバー ６２１４９８３２０２５７\n' > staff.txt
git add staff.txt
out=$(git commit -q -m leak 2>&1); rc=$?
t_eq "hook: a staged number refuses the commit" 1 "$rc"
t_contains "hook: names the file and line" "staff.txt:1:8: **** **** ****" "$out"
t_contains "hook: says the commit was refused" "commit refused" "$out"
t_lacks "hook: no number in its output" "0257" "$out"
printf 'マイナンバーは別管理\n' > staff.txt
git add staff.txt
printf 'working copy only: 621498320257\n' >> staff.txt
t_status "hook: checks what is staged, not the working copy" 0 git commit -q -m fixed
git rm -q --cached staff.txt
t_done
