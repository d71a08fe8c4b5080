#!/usr/bin/env bash
# The two programs (doc/architecture.md, "Two programs"): build/mnvault is the front, which
# runs `scan` itself, linked with none of the vault's, screens' or printed forms' libraries;
# every other command line goes unchanged to build/mnvault-full. Both must give the same
# results, and the front must stay small.
. "$MNV_ROOT/tests/lib/tap.sh"
full=$MNV_BUILD/mnvault-full
files=$MNV_ROOT/tests/scan-corpus/files
t_ok "the whole program is built beside the front" test -x "$full"

# ---- what the front loads ---------------------------------------------------------------
linked=$(ldd "$MNV")
for lib in libsqlcipher libncursesw libcairo libpango libfontconfig libpoppler libglib libqrencode libcrack; do
    t_lacks "the front is not linked with $lib" "$lib" "$linked"
done
loaded=$(LD_DEBUG=libs "$MNV" scan "$files/text/hr-00.txt" 2>&1 >/dev/null | grep 'calling init:')
t_ok "a scan of a text file loads at most 10 shared libraries" \
    test "$(printf '%s\n' "$loaded" | grep -c .)" -le 10
t_lacks "a scan of a text file loads no poppler" "poppler" "$loaded"
pdf_loaded=$(LD_DEBUG=libs "$MNV" scan "$files/pdf/letter-00-lo.pdf" 2>&1 >/dev/null)
t_contains "a PDF loads poppler (in the scan's child)" "libpoppler-glib" "$pdf_loaded"

# ---- the same results -------------------------------------------------------------------
for mode in "" --count --json --show-last4; do
    a=$("$MNV" scan $mode "$files" 2>&1; echo "exit $?")
    b=$("$full" scan $mode "$files" 2>&1; echo "exit $?")
    t_eq "scan ${mode:-(lines)} of the corpus folder: front and whole program alike" "$b" "$a"
done
printf '氏名,個人番号\n山田,1234-5678-9018\n' > "$T_TMP/staff.csv"
a=$("$MNV" scan - < "$T_TMP/staff.csv" 2>&1; echo "exit $?")
t_eq "standard input through the front" "$("$full" scan - < "$T_TMP/staff.csv" 2>&1; echo "exit $?")" "$a"

# The common options before `scan`, whole or abbreviated (the whole program reads those).
printf '[display]\nlanguage = ja\n' > "$T_TMP/ja.ini"
want=$("$full" --config "$T_TMP/ja.ini" scan "$T_TMP/staff.csv" 2>&1)
t_contains "the configured language (whole program)" "近くに" "$want"
for opts in "--config $T_TMP/ja.ini" "--config=$T_TMP/ja.ini" "--conf $T_TMP/ja.ini" \
    "--data-dir $T_TMP/nowhere --config $T_TMP/ja.ini" "--user=x --password-fd 0 --config $T_TMP/ja.ini"; do
    # shellcheck disable=SC2086 # the options are words
    t_eq "mnvault $opts scan: as the whole program says it" "$want" \
        "$("$MNV" $opts scan "$T_TMP/staff.csv" 2>&1)"
done
t_status "a bad option before scan: usage error" 2 "$MNV" --bogus scan "$T_TMP/staff.csv"
t_status "--help before scan: the program's help" 0 "$MNV" --help scan

# ---- every other command line goes to the whole program, unchanged ------------------------
t_eq "--version" "$("$full" --version)" "$("$MNV" --version)"
t_eq "--help" "$("$full" --help)" "$("$MNV" --help)"
t_status "an unknown command: usage error" 2 "$MNV" bogus
t_contains "an unknown command: the whole program's message" "unknown command 'bogus'" \
    "$("$MNV" bogus 2>&1)"
t_eq "standard input and the exit status pass through (check)" \
    "$(echo 123456789018 | "$full" check 2>&1; echo "exit $?")" \
    "$(echo 123456789018 | "$MNV" check 2>&1; echo "exit $?")"
# Run through a symbolic link, as a PATH entry would.
ln -s "$MNV" "$T_TMP/mnvault"
t_eq "through a symbolic link" "$("$full" --version)" "$("$T_TMP/mnvault" --version)"
t_done
