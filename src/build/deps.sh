#!/bin/sh
# deps.sh: make sure every library and tool that mnvault's build and tests need is present.
# As root it installs what is missing from Debian's packages (enabling bookworm-backports on
# Debian 12 for SQLCipher 4); otherwise it prints the exact command and stops with status 1.
# Usage: deps.sh [--check]   (--check: report only, never install)
set -u

# Debian packages the build and the tests use. SQLCipher 4 comes from bookworm-backports on 12.
PKGS="gcc make pkg-config libc6-dev libncurses-dev libsodium-dev libiniparser-dev \
libgfshare-dev liboath-dev oathtool libqrencode-dev libcrack2-dev cracklib-runtime \
libcmocka-dev libzip-dev zlib1g-dev zip libpoppler-glib-dev libcairo2-dev libpango1.0-dev fonts-ipaexfont \
libfontconfig-dev poppler-utils qpdf gettext locales tmux clang clang-format libclang-rt-dev valgrind \
ripgrep hyperfine libsqlite3-dev zbar-tools time xxd procps groff-base bc strace"
# mnvault scan's tests check its JSON output with jq and run the git hook of doc/scan.md.
PKGS="$PKGS jq git"
# The independent checker of exported filings (tests/tools/filing-check) is Python.
PKGS="$PKGS python3"
# Certificates of deletion are checked without mnvault too: openssl's Ed25519 and PyNaCl.
PKGS="$PKGS openssl python3-nacl"
# Static analysis, `make static` (tests/static/run: gcc -fanalyzer, clang --analyze as
# scan-build runs it, cppcheck) and gcore for the memory hygiene test.
PKGS="$PKGS cppcheck clang-tools gdb"
# poppler reads Japanese text set in a non-embedded CID font (Adobe-Japan1) only with the
# CMaps of poppler-data, which Debian merely recommends: without them mnvault scan reads no
# text from such a PDF at all (seen on fresh Debian 12 and 13 roots).
PKGS="$PKGS poppler-data"
# chattr makes a key file that cannot be replaced (tests/e2e/keyfile-late.sh); Debian 13's
# minimal systems no longer carry e2fsprogs.
PKGS="$PKGS e2fsprogs"
SQLCIPHER_PKGS="libsqlcipher-dev sqlcipher"

missing=""
need() { missing="$missing $1"; }

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pc() { have_cmd pkg-config && pkg-config --exists "$1" 2>/dev/null; }

for c in gcc make pkg-config msgfmt xgettext tmux clang clang-format valgrind rg hyperfine oathtool \
         sqlcipher zbarimg pdftotext pdffonts pdftoppm qpdf zip xxd groff bc strace chattr; do
    have_cmd "$c" || need "command:$c"
done
for m in ncursesw libsodium libgfshare liboath libqrencode cmocka libzip zlib poppler-glib \
         pangocairo pangofc fontconfig cairo-pdf sqlite3; do
    have_pc "$m" || need "pkg-config:$m"
done
if have_pc sqlcipher; then
    # SQLCipher 4's .pc file carries the SQLite version (3.46.1 for 4.6.1); 3.4.1's says 3.4.
    # The package version is the reliable one where dpkg is present.
    v=$(dpkg-query -W -f='${Version}' libsqlcipher-dev 2>/dev/null)
    [ -n "$v" ] || v=$(pkg-config --modversion sqlcipher)
    case "$v" in
        4.*|5.*|3.[4-9][0-9].*) ;;
        *) need "sqlcipher>=4 (found $v; Debian 12 has it in bookworm-backports)";;
    esac
else
    need "pkg-config:sqlcipher"
fi
have_cmd jq || need "command:jq"
have_cmd git || need "command:git"
have_cmd python3 || need "command:python3"
have_cmd openssl || need "command:openssl"
# Debian's own Python (python3-nacl installs there), whatever else is first on PATH.
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" -c 'import nacl.signing' 2>/dev/null || need "python3-module:nacl"
have_cmd cppcheck || need "command:cppcheck"
have_cmd scan-build || need "command:scan-build"
have_cmd gcore || need "command:gcore"
[ -f /usr/include/iniparser/iniparser.h ] || need "header:iniparser/iniparser.h"
[ -f /usr/include/crack.h ] || need "header:crack.h"
ls /var/cache/cracklib/cracklib_dict.pwd >/dev/null 2>&1 || need "file:cracklib dictionary"
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || need "font:IPAexGothic"
[ -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ] || need "font:IPAexMincho"
[ -d /usr/share/poppler/cMap/Adobe-Japan1 ] || need "data:poppler-data"
# libFuzzer's runtime: its path differs between LLVM releases (Debian 12 has 14, 13 has 19),
# so ask clang to link a fuzzer instead of looking for the file.
if have_cmd clang; then
    fz=$(mktemp -d)
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' >"$fz/f.c"
    clang -fsanitize=fuzzer -o "$fz/f" "$fz/f.c" >/dev/null 2>&1 || need "libFuzzer runtime"
    rm -rf "$fz"
fi
locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$' || need "locale:ja_JP.UTF-8"

if [ -z "$missing" ]; then
    echo "deps: everything mnvault needs is installed"
    exit 0
fi
echo "deps: missing:$missing"
[ "${1:-}" = "--check" ] && exit 1

codename=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")
backports=""
if [ "$codename" = bookworm ]; then backports="-t bookworm-backports"; fi

if [ "$(id -u)" != 0 ]; then
    echo "deps: run as root (or ask your administrator) to install them:"
    if [ -n "$backports" ]; then
        echo "  echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/bookworm-backports.list"
    fi
    echo "  apt-get update && apt-get install -y --no-install-recommends $PKGS && apt-get install -y --no-install-recommends $backports $SQLCIPHER_PKGS"
    echo "  sed -i 's/^# *ja_JP.UTF-8 UTF-8/ja_JP.UTF-8 UTF-8/' /etc/locale.gen && locale-gen"
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ -n "$backports" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Use the machine's own Debian mirror, as the bookworm entry names it.
    mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    [ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
    echo "deb $mirror bookworm-backports main" > /etc/apt/sources.list.d/mnvault-bookworm-backports.list
    echo "deps: enabled bookworm-backports ($mirror) for SQLCipher 4"
fi
apt-get update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null \
    || { echo "deps: apt-get install failed" >&2; exit 1; }
apt-get install -y -qq --no-install-recommends $backports $SQLCIPHER_PKGS >/dev/null \
    || { echo "deps: apt-get install of SQLCipher failed" >&2; exit 1; }
if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
    if [ -f /etc/locale.gen ] && grep -q 'ja_JP.UTF-8 UTF-8' /etc/locale.gen; then
        sed -i 's/^# *ja_JP.UTF-8 UTF-8/ja_JP.UTF-8 UTF-8/' /etc/locale.gen
        locale-gen >/dev/null
    else
        localedef -i ja_JP -f UTF-8 ja_JP.UTF-8
    fi
fi
exec "$0" --check
