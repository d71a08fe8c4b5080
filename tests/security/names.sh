#!/usr/bin/env bash
# Issue 11 finding 10: names that a file or a person supplied reach no output as control
# characters. One name holds every kind that drives a terminal or disguises text: C0 (ESC
# with a colour sequence, BEL, CR, BS: in file names only, as the vault refuses C0 in a name
# or a typed reason), C1 (U+0085 NEL, U+009B CSI, U+009D OSC), every
# bidirectional control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), U+2028 and
# bytes that are not UTF-8 (0xFF, a lone 0x9B = 8-bit CSI, the overlong C0 AF, a cut
# character). It is put where mnvault prints names: file names, zip, tar and nested member
# names and a mail attachment's name (`mnvault scan`, lines, --count, --json, problems on
# stderr); an employee's name (employee list/show, retention explain, the TUI's list and
# detail screens in Japanese and English); a backup's path (backup, backup --list); a
# reason typed for a reveal (audit list/show/export); import error messages. Every byte
# written is searched (tests/lib/rawbytes.sh: raw_unsafe, grep -P and a UTF-8 match over the
# bytes, never a rendering); the TUI's bytes are what it wrote to the terminal (tmux
# pipe-pane), where escape sequences are curses' own and the rest counts. The command line's
# exact escapes are tests/cli/names.sh's, the TUI's screens tests/e2e/names.sh's.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
. "$MNV_ROOT/tests/lib/rawbytes.sh"
export MNVAULT_TEST_FAST_KDF=1

c0=$'\x1b[31m\x07\r\x08' c1=$'\xc2\x85\xc2\x9b2J\xc2\x9d0;t\x07'
bidi=$'\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x80\xa8'
bad=$'\xff\x9b\xc0\xaf\xe3\x81'
c1n=${c1%$'\x07'} # what a name or a typed reason may hold: the vault refuses C0 controls in them
# t_all NAME FILE [crlf]: the file holds at least one escape (so the name was there) and no raw byte.
t_all() {
    t_raw_clean "$1: nothing raw" "$2" "${3:-}"
    if LC_ALL=C grep -qaE '\\u202E|\\u009B' "$2"; then t_pass "$1: the name is there, escaped"; else
        t_fail "$1: the name is there, escaped" "$(head -c 600 "$2")"; fi
}

# ---- scan -------------------------------------------------------------------------------------
evil="x${c0}${c1}${bidi}${bad}exe"
d=$T_TMP/files
mkdir -p "$d/in"
printf '個人番号 123456789018\n' > "$d/in/$evil.txt"
(cd "$d/in" && zip -q "$d/members.zip" "$evil.txt" && tar -czf "$d/members.tar.gz" "$evil.txt")
(cd "$d" && zip -q nested.zip members.zip)
b64=$(printf '個人番号 123456789018\n' | base64)
enc=$(printf '%s.txt' "x${c1}${bidi}" | base64 -w0)
{   printf 'From: a@example.jp\nSubject: list\nMIME-Version: 1.0\n'
    printf 'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\nsee\n'
    printf -- '--B\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n'
    printf 'Content-Disposition: attachment; filename="=?UTF-8?B?%s?="\n\n%s\n' "$enc" "$b64"
    printf -- '--B\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n'
    printf 'Content-Disposition: attachment; filename="y%s.txt"\n\n%s\n--B--\n' "${c1}${bidi}${bad}" "$b64"
} > "$d/mail.eml"
printf 'PK\003\004broken' > "$d/in/$evil.docx"
targets=("$d/in" "$d/members.zip" "$d/members.tar.gz" "$d/nested.zip" "$d/mail.eml" "$d/in/$evil.missing")
"$MNV" scan "${targets[@]}" > "$T_TMP/scan.out" 2> "$T_TMP/scan.err"
t_all "scan: result lines" "$T_TMP/scan.out"
t_all "scan: problems on stderr" "$T_TMP/scan.err"
for where in 'members.zip[' 'members.tar.gz[' 'nested.zip[members.zip][' 'mail.eml[x\u0085' 'mail.eml[y\u0085' "in/x"; do
    t_contains "scan: a finding in $where" "$where" "$(cat "$T_TMP/scan.out")"
done
"$MNV" scan --count "${targets[@]}" > "$T_TMP/count.out" 2>&1
t_all "scan --count" "$T_TMP/count.out"
"$MNV" scan --json "${targets[@]}" > "$T_TMP/json.out" 2>&1
t_all "scan --json" "$T_TMP/json.out"
jq -r '.path // empty, (.members // [])[]' < <(grep '^{' "$T_TMP/json.out") > "$T_TMP/json.decoded"
t_all "scan --json, its strings decoded" "$T_TMP/json.decoded"
LANG=ja_JP.UTF-8 "$MNV" scan "${targets[@]}" > "$T_TMP/scan-ja.out" 2>&1
t_all "scan in Japanese" "$T_TMP/scan-ja.out"

# ---- a vault: an employee's name, a reveal's reason, a backup's path ---------------------------
v=$T_TMP/vault
v_full "$v" || t_bail "vault"
name="見本${c1n}${bidi}gnp.exe 一郎"
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  sed -n 2p "$MNV_ROOT/data/import-sample.csv" | sed "s/^S0001,見本 一郎,/S0001,$name,/"; } > "$T_TMP/names.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/names.csv" > "$T_TMP/import.out" 2>&1
t_eq "import: a name with controls is stored (shown escaped wherever it is printed)" 1 \
    "$(grep -c 'employees added: *1' "$T_TMP/import.out")"
v_as "$v" clerk "$V_CLERK_PW" employee list > "$T_TMP/list.out" 2>&1
t_all "employee list" "$T_TMP/list.out"
v_as "$v" clerk "$V_CLERK_PW" employee show S0001 > "$T_TMP/show.out" 2>&1
t_all "employee show" "$T_TMP/show.out"
LANG=ja_JP.UTF-8 v_as "$v" clerk "$V_CLERK_PW" retention explain S0001 > "$T_TMP/retention.out" 2>&1
t_all "retention explain (ja)" "$T_TMP/retention.out"
ref=$(printf '%s\nE9 123456789018\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" seed "$v" clerk) || t_bail "seed"
printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$v" clerk "$ref" tax_withholding \
    "check ${c1n}${bidi}" > /dev/null || t_bail "reveal"
v_as "$v" aud "$V_AUD_PW" audit list > "$T_TMP/audit-list.out" 2>&1
t_all "audit list" "$T_TMP/audit-list.out"
last=$(v_as "$v" aud "$V_AUD_PW" audit list | grep -m1 'reveal' | awk '{print $1}')
v_as "$v" aud "$V_AUD_PW" audit show "${last:-1}" > "$T_TMP/audit-show.out" 2>&1
t_all "audit show (the reveal)" "$T_TMP/audit-show.out"
v_as "$v" aud "$V_AUD_PW" audit export --format csv > "$T_TMP/audit.csv" 2>&1
t_all "audit export to standard output" "$T_TMP/audit.csv" crlf
v_as "$v" aud "$V_AUD_PW" audit export --format csv --output "$T_TMP/audit-file.csv" > /dev/null 2>&1
t_all "audit export to a file" "$T_TMP/audit-file.csv" crlf
bk="$T_TMP/bk${c1}${bidi}${bad:0:1}.mnvbak"
v_as "$v" sup "$V_SUP_PW" backup "$bk" > "$T_TMP/backup.out" 2>&1
t_all "backup: the path said" "$T_TMP/backup.out"
v_as "$v" sup "$V_SUP_PW" backup --list > "$T_TMP/backup-list.out" 2>&1
t_all "backup --list" "$T_TMP/backup-list.out"
v_as "$v" sup "$V_SUP_PW" backup "$bk" > "$T_TMP/backup-again.out" 2>&1
t_all "backup: the refusal names the path escaped" "$T_TMP/backup-again.out"

# The escaping sits between stdio and the file descriptor (src/cli/safeout.c): a character cut by
# a buffer's end must come out whole. 400 Japanese names through a pipe (4 KiB buffers).
dv=$T_TMP/demo
printf '%s\n' "$V_CLERK_PW" | "$MNV_TEST" demo --data-dir "$dv" --employees 400 --seed 7 --password-fd 0 \
    > /dev/null 2>&1 || t_bail "demo vault"
v_as "$dv" clerk "$V_CLERK_PW" employee list 2>&1 | cat > "$T_TMP/demo-list.out"
t_ok "a long list through a pipe: $(wc -c < "$T_TMP/demo-list.out") bytes, more than 4 buffers" \
    test "$(wc -c < "$T_TMP/demo-list.out")" -gt 16384
t_eq "...no character cut into escapes at a buffer's end" "" "$(grep -n '\\x\|\\u' "$T_TMP/demo-list.out" | head -n 3)"
t_raw_clean "...and nothing raw" "$T_TMP/demo-list.out"

# ---- import errors ------------------------------------------------------------------------------
head -n 1 "$MNV_ROOT/data/import-sample.csv" | sed "s/^employee_code,name,/employee_code,name${c1}${bidi},/" > "$T_TMP/header.csv"
sed -n 2p "$MNV_ROOT/data/import-sample.csv" >> "$T_TMP/header.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/header.csv" > "$T_TMP/header.err" 2>&1
t_all "import: an unknown column's name" "$T_TMP/header.err"
# (the value without digits: a value holding one is shown by its place, "#3", never echoed)
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  sed -n 2p "$MNV_ROOT/data/import-sample.csv" | sed -e "s/^S0001,見本 一郎,/S0009,見本 九郎,/" \
      -e "s/;employment_insurance,/;bogus${c1n//[0-9]/}${bidi},/"; } > "$T_TMP/value.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/value.csv" > "$T_TMP/value.err" 2>&1
t_all "import: a bad value from the file" "$T_TMP/value.err"

# ---- the TUI: every byte it writes to the terminal ------------------------------------------------
export MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
for lang in ja_JP.UTF-8 C.UTF-8; do
    raw=$T_TMP/tui-$lang.bin
    : > "$raw"
    tmx_start 80 24 "$lang" "$MNV_TEST" --data-dir "$v" --user clerk
    tmx pipe-pane -t t -o "cat >> '$raw'"
    tmx_wait "clerk" || t_bail "login screen ($lang)"
    tmx_type "$V_CLERK_PW"; tmx_keys Enter
    tmx_wait 'F1' || t_bail "dashboard ($lang)"
    tmx_keys Enter
    t_wait "TUI ($lang): the list shows the name escaped (cut to its column)" '見本\u0085'
    tmx_type "S0001"; tmx_keys Enter; tmx_keys Enter
    t_wait "TUI ($lang): the detail screen shows it" '見本\u0085\u009B2J\u009D0;t\u202A'
    tmx_keys Escape; tmx_keys Escape; tmx_keys q
    tmx_wait "__EXIT=" || true
    tmx pipe-pane -t t
    t_ok "TUI ($lang): the terminal got the screens (pipe-pane caught $(stat -c %s "$raw") bytes)" \
        test "$(stat -c %s "$raw")" -gt 2000
    t_raw_clean "TUI ($lang): no C1, bidi control or bad byte among the bytes written" "$raw" terminal
    tmx_stop
done
t_done
