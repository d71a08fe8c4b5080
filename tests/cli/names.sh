#!/usr/bin/env bash
# Names that people and files supply, holding C0 and C1 controls (ESC, U+009B CSI, U+009D
# OSC), a right-to-left override (U+202E) and a byte that is not UTF-8, go through every
# place that prints them: scan results (lines, --count, --json, problems on stderr), the
# audit export, and import errors. None of those characters may reach the output; each is
# shown as its textsafe escape. (The TUI's side is tests/e2e/names.sh.)
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/rawbytes.sh"

# Raw characters that must never be printed (tests/lib/rawbytes.sh; tests/security/names.sh
# tries every kind and more places, this file the exact escapes).
t_safe() { t_raw_clean "$@"; } # NAME FILE [crlf]

rlo=$'\xe2\x80\xae' csi=$'\xc2\x9b' osc=$'\xc2\x9d'
evil="inv${rlo}xslx.exe${csi}2J${osc}0;t"$'\x1b'"[31m"$'\xff'
evil_shown='inv\u202Exslx.exe\u009B2J\u009D0;t\x1B[31m\xFF'

# ---- scan: a file name and zip member names -------------------------------------------------
d=$T_TMP/files
mkdir -p "$d"
printf '個人番号 123456789018\n' > "$d/$evil.txt"
(cd "$d" && zip -q "$T_TMP/members.zip" "$evil.txt")
"$MNV" scan "$d" "$T_TMP/members.zip" > "$T_TMP/lines.out" 2> "$T_TMP/lines.err"
t_safe "scan lines: no raw control, bidi or invalid byte" "$T_TMP/lines.out"
t_contains "scan lines: the file name escaped" "$d/$evil_shown.txt:1:6:" "$(cat "$T_TMP/lines.out")"
t_contains "scan lines: the member name escaped" "members.zip[$evil_shown.txt]:1:6:" "$(cat "$T_TMP/lines.out")"
"$MNV" scan --count "$d" > "$T_TMP/count.out" 2>&1
t_safe "scan --count: escaped" "$T_TMP/count.out"
t_contains "scan --count: the name shown escaped" "$evil_shown.txt:1" "$(cat "$T_TMP/count.out")"
"$MNV" scan --json "$d" "$T_TMP/members.zip" > "$T_TMP/json.out" 2>/dev/null
t_safe "scan --json: escaped on the wire" "$T_TMP/json.out"
t_ok "scan --json: still JSON" jq -e -s 'length > 0' "$T_TMP/json.out"
jq -r 'select(.type=="match") | .path, .members[]' "$T_TMP/json.out" > "$T_TMP/json.decoded"
t_safe "scan --json: escaped after decoding too" "$T_TMP/json.decoded"
t_contains "scan --json: the decoded member is the escaped text" "$evil_shown.txt" "$(cat "$T_TMP/json.decoded")"
printf 'PK\003\004broken' > "$d/$evil.docx"
"$MNV" scan "$d/$evil.docx" > "$T_TMP/problem.out" 2>&1
t_safe "scan: a file not scanned: escaped" "$T_TMP/problem.out"
t_contains "scan: a file not scanned: the name escaped" "$evil_shown.docx: not scanned:" "$(cat "$T_TMP/problem.out")"
"$MNV" scan "$d/$evil.missing" > "$T_TMP/missing.out" 2>&1
t_safe "scan errors on stderr: escaped" "$T_TMP/missing.out"
t_contains "scan errors on stderr: the name escaped" "$evil_shown.missing:" "$(cat "$T_TMP/missing.out")"
# A backslash is doubled, so a typed "\x1B" is not mistaken for an escape.
printf '123456789018\n' > "$d/typed\\x1B.txt"
t_contains "scan: a typed backslash is doubled" 'typed\\x1B.txt:1:1:' "$("$MNV" scan "$d/typed\\x1B.txt" 2>/dev/null)"

# ---- the audit export: a reveal reason typed by a clerk ---------------------------------------
v=$T_TMP/vault
v_full "$v" || t_bail "vault"
ref=$(printf '%s\nE9 123456789018\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" seed "$v" clerk) || t_bail "seed"
reason="check ${rlo}gnp.exe ${csi}2J ${osc}0;title"
printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$v" clerk "$ref" tax_withholding "$reason" > /dev/null \
    || t_bail "reveal"
v_as "$v" aud "$V_AUD_PW" audit export --format csv > "$T_TMP/audit.csv" 2>&1
t_safe "audit export: no raw control or bidi character" "$T_TMP/audit.csv" crlf
t_contains "audit export: the reason shown escaped" 'reason=check \u202Egnp.exe \u009B2J \u009D0;title' \
    "$(cat "$T_TMP/audit.csv")"

# ---- import errors: a header name and a purpose code from the file ----------------------------
head -n 1 "$MNV_ROOT/data/import-sample.csv" | sed "s/^employee_code,name,/employee_code,name${rlo}${csi},/" > "$T_TMP/header.csv"
sed -n 2p "$MNV_ROOT/data/import-sample.csv" >> "$T_TMP/header.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/header.csv" > /dev/null 2> "$T_TMP/header.err"
t_safe "import: a bad header name is escaped" "$T_TMP/header.err"
t_contains "import: the header shown escaped" 'name\u202E\u009B' "$(cat "$T_TMP/header.err")"
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  sed -n 2p "$MNV_ROOT/data/import-sample.csv" | sed "s/;employment_insurance,/;bogus${rlo}${osc}x,/"; } > "$T_TMP/purpose.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/purpose.csv" > /dev/null 2> "$T_TMP/purpose.err"
t_safe "import: a bad value from the file is escaped" "$T_TMP/purpose.err"
t_contains "import: the value shown escaped" 'bogus\u202E\u009Dx' "$(cat "$T_TMP/purpose.err")"
t_done
