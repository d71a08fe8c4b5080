# tests/lib/rawbytes.sh: the bytes a program wrote, searched for text that drives a terminal or
# disguises itself (issue 11 finding 10; textsafe.h says how mnvault escapes it). On the raw
# bytes, never on a rendering: a terminal or `cat -A` would hide what matters.
#   raw_unsafe FILE [terminal]   print (grep -n style) every line of FILE holding
#     - a C1 control encoded in UTF-8 (U+0080-U+009F: U+009B is a one-character CSI,
#       U+009D an OSC, U+0085 a next line),
#     - a bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) or
#       U+2028 / U+2029,
#     - a byte that is not part of valid UTF-8 (0x80-0xFF alone, overlong forms, cut
#       characters; a lone 0x9B is an 8-bit CSI),
#     - a C0 control other than tab, newline and form feed, or DEL; "terminal" leaves the
#       C0 controls alone, for what a curses program writes to its terminal (escape
#       sequences are its job), where the other three still count; "crlf" allows a CR that
#       ends a line (CSV files end their lines with CR LF).
#     Status 0 when something was found (like grep), 1 when FILE is clean.
#   t_raw_clean NAME FILE [terminal]  a TAP test: passes when raw_unsafe finds nothing.
raw_unsafe() {
    local f=$1 mode=${2:-} found=1
    LC_ALL=C grep -naP '\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$f" && found=0
    LC_ALL=C.UTF-8 grep -naxv '.*' "$f" && found=0
    case "$mode" in
        terminal) ;;
        crlf) LC_ALL=C grep -naP '[\x00-\x08\x0b\x0e-\x1f\x7f]|\r(?!$)' "$f" && found=0 ;;
        *) LC_ALL=C grep -naP '[\x00-\x08\x0b\x0d-\x1f\x7f]' "$f" && found=0 ;;
    esac
    return $found
}
t_raw_clean() {
    local out
    if out=$(raw_unsafe "$2" "${3:-}"); then
        t_fail "$1" "$(printf '%s\n' "$out" | head -n 5 | LC_ALL=C od -c | head -n 12)"
    else
        t_pass "$1"
    fi
}
