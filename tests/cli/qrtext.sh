#!/usr/bin/env bash
# QR codes drawn as text (qrtext_new): rebuilt as a picture by tests/tools/qr2pbm and read
# back with zbarimg, which must return exactly the text put in.
. "$MNV_ROOT/tests/lib/tap.sh"
command -v zbarimg >/dev/null || t_bail "zbarimg (zbar-tools) is missing: run make deps"
[ -x "$MNV_TOOLS/qr2pbm" ] || t_bail "qr2pbm was not built"

# roundtrip NAME TEXT [SCALE]: the decoded text equals TEXT.
roundtrip() {
    local name=$1 text=$2 scale=${3:-8}
    printf '%s' "$text" > "$T_TMP/in.txt"
    if ! "$MNV_TOOLS/qr2pbm" "$scale" < "$T_TMP/in.txt" > "$T_TMP/code.pbm" 2>"$T_TMP/err"; then
        t_fail "$name" "qr2pbm failed: $(cat "$T_TMP/err")"; return
    fi
    local got
    got=$(zbarimg --raw -q "$T_TMP/code.pbm" 2>/dev/null)
    t_eq "$name" "$text" "$got"
}

secret=$(head -c 20 /dev/urandom | base32 | tr -d '=')
uri=$("$MNV_TOOLS/totp-uri" ACME tanaka "$secret")
t_eq "totp_uri gives the expected URI" \
    "otpauth://totp/ACME:tanaka?secret=$secret&issuer=ACME&algorithm=SHA1&digits=6&period=30" "$uri"
roundtrip "an otpauth URI decodes to itself" "$uri"
roundtrip "a fresh secret, Japanese issuer (percent-encoded)" \
    "$("$MNV_TOOLS/totp-uri" '株式会社 ACME 人事部' 'yamada.taro@example.co.jp')"
roundtrip "Japanese text" "個人番号の管理 人事部 山田太郎"
roundtrip "a single character" "x"
roundtrip "at 3 pixels a module" "otpauth://totp/x?secret=$secret" 3
long=$(head -c 2000 /dev/urandom | base64 -w0 | head -c 1200)
roundtrip "1,200 characters (a large symbol)" "$long" 4

# The light-on-dark convention matters: the same picture with its colours swapped is
# unreadable, so the check above is not passing by accident.
(head -n 2 "$T_TMP/code.pbm"; tail -n +3 "$T_TMP/code.pbm" | tr 01 10) > "$T_TMP/inverted.pbm"
t_status "the inverted picture is not read" 4 zbarimg --raw -q "$T_TMP/inverted.pbm"

# Shape: every line as wide as the first, blocks all round (the quiet zone).
printf '%s' "otpauth://totp/ACME:tanaka?secret=$secret&issuer=ACME" \
    | "$MNV_TOOLS/qr2pbm" --lines > "$T_TMP/lines.txt"
widths=$(while IFS= read -r l; do printf '%s' "$l" | wc -m; done < "$T_TMP/lines.txt" | sort -u)
t_eq "every line has the same width" 1 "$(printf '%s\n' "$widths" | wc -l)"
full=$(printf '█%.0s' $(seq 1 "$widths"))
t_eq "first line is all light (quiet zone)" "$full" "$(sed -n 1p "$T_TMP/lines.txt")"
t_eq "second line is all light (quiet zone)" "$full" "$(sed -n 2p "$T_TMP/lines.txt")"
t_eq "last line is all light (quiet zone)" "$full" "$(tail -n 1 "$T_TMP/lines.txt")"
t_eq "every line starts with 4 light columns" "" \
    "$(grep -v '^████' "$T_TMP/lines.txt")"
t_eq "every line ends with 4 light columns" "" "$(grep -v '████$' "$T_TMP/lines.txt")"

# Refusals.
t_status "empty text is refused" 1 "$MNV_TOOLS/qr2pbm" < /dev/null
t_contains "...as INVALID" "INVALID" "$("$MNV_TOOLS/qr2pbm" < /dev/null 2>&1)"
head -c 5000 /dev/zero | tr '\0' a > "$T_TMP/huge.txt"
t_status "text too long for a QR code is refused" 1 "$MNV_TOOLS/qr2pbm" < "$T_TMP/huge.txt"
t_contains "...as TOO_LONG" "TOO_LONG" "$("$MNV_TOOLS/qr2pbm" < "$T_TMP/huge.txt" 2>&1)"
t_done
