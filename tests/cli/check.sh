#!/usr/bin/env bash
# `mnvault check`: verdicts, masks, exit statuses, both languages, config errors.
. "$MNV_ROOT/tests/lib/tap.sh"
exp=$MNV_ROOT/tests/cli/exp

input=$T_TMP/in.txt
printf '%s\n' '1234 5678 9018' '１２３４５６７８９０１８' '1234-5678-9018' '12345678901' \
    '1234567890180' '123456789019' '1234-567O-9018' '' '621498320257' > "$input"

LANG=C.UTF-8 "$MNV" check < "$input" > "$T_TMP/en.out" 2>&1; rc=$?
t_eq "check: exit 1 when a line is invalid" 1 "$rc"
t_golden "check: English verdicts" "$exp/check-en.exp" "$T_TMP/en.out"
LANG=ja_JP.UTF-8 "$MNV" check < "$input" > "$T_TMP/ja.out" 2>&1
t_golden "check: Japanese verdicts" "$exp/check-ja.exp" "$T_TMP/ja.out"

out=$(printf '123456789018\n621498320257\n' | "$MNV" check); rc=$?
t_eq "check: exit 0 when every line is valid" 0 "$rc"
t_lacks "check: no digits of a valid number are printed" "9018" "$out"
t_lacks "check: not even the last four" "0257" "$out"

printf '[display]\nmask = last4\n' > "$T_TMP/last4.ini"
out=$(printf '123456789018\n12345678901\n' | "$MNV" check --config "$T_TMP/last4.ini")
t_contains "check: last4 mask when configured" "**** **** 9018" "$out"
t_lacks "check: an invalid entry never shows digits" "8901" "$(printf '%s\n' "$out" | sed -n 2p)"

out=$(printf '5835678256246\n2835678256246\n5-8356-7825-6246\n123456789018\n' | "$MNV" check --corporate); rc=$?
t_eq "check --corporate: exit 1 with a bad line" 1 "$rc"
t_golden "check --corporate: verdicts" "$exp/check-corporate.exp" <(printf '%s\n' "$out")

t_status "check: a number on the command line is refused" 2 "$MNV" check 123456789018
out=$("$MNV" check 123456789018 2>&1)
t_lacks "check: the refusal does not echo the argument" "123456789018" "$out"
t_status "check: unknown option" 2 "$MNV" check --bogus
t_status "check: unreadable input is exit 2" 2 bash -c "\"$MNV\" check < /"
t_status "check: empty input is all valid" 0 bash -c "\"$MNV\" check < /dev/null"

long=$(head -c 5000 /dev/zero | tr '\0' 1)
out=$(printf '%s\n123456789018\n' "$long" | "$MNV" check); rc=$?
t_eq "check: an over-long line is invalid" 1 "$rc"
t_contains "check: ...and the next line still counts" "line 2: **** **** ****  valid" "$out"

out=$(printf '\xef\xbb\xbf123456789018\r\n' | "$MNV" check); rc=$?
t_eq "check: BOM and CRLF from Windows files" 0 "$rc"

# Help in both languages.
t_contains "check --help in English" "Check My Numbers read from standard input" "$(LANG=C.UTF-8 "$MNV" check --help)"
t_contains "check --help in Japanese" "標準入力から1行に1つずつ個人番号を読み" "$(LANG=ja_JP.UTF-8 "$MNV" check --help)"
t_contains "--help in English" "Usage: mnvault [OPTIONS] COMMAND" "$(LANG=C.UTF-8 "$MNV" --help)"
t_contains "--help in Japanese" "使い方: mnvault [オプション] コマンド" "$(LANG=ja_JP.UTF-8 "$MNV" --help)"
t_contains "display.language = ja overrides LANG" "有効" \
    "$(printf '[display]\nlanguage = ja\n' > "$T_TMP/ja.ini"; echo 123456789018 | LANG=C.UTF-8 "$MNV" check --config "$T_TMP/ja.ini")"
t_contains "display.language = en overrides LANG" "valid" \
    "$(printf '[display]\nlanguage = en\n' > "$T_TMP/en.ini"; echo 123456789018 | LANG=ja_JP.UTF-8 "$MNV" check --config "$T_TMP/en.ini")"

# Configuration errors name the file, line, section, key and what was expected.
printf '[display]\nmask = none\n[session]\nreveal_seconds = 9000\n' > "$T_TMP/bad.ini"
out=$(echo 123456789018 | LANG=C.UTF-8 "$MNV" check --config "$T_TMP/bad.ini" 2>&1); rc=$?
t_eq "config error: exit 2" 2 "$rc"
t_eq "config error: message" "mnvault: $T_TMP/bad.ini, line 4: [session] reveal_seconds: expected a whole number in the allowed range (allowed: 5-300)" "$out"
out=$(echo 123456789018 | LANG=ja_JP.UTF-8 "$MNV" check --config "$T_TMP/bad.ini" 2>&1)
t_eq "config error: message in Japanese" "mnvault: $T_TMP/bad.ini 4 行目: [session] reveal_seconds: 範囲内の整数を指定してください (使用できる値: 5-300)" "$out"
printf '[display]\nmsak = last4\n' > "$T_TMP/warn.ini"
out=$(echo 123456789018 | LANG=C.UTF-8 "$MNV" check --config "$T_TMP/warn.ini" 2>&1); rc=$?
t_eq "config unknown key: still runs" 0 "$rc"
t_contains "config unknown key: warning" "mnvault: warning: $T_TMP/warn.ini, line 2: [display] msak: unknown key (ignored)" "$out"
t_status "config: a missing --config file is an error" 2 bash -c "echo 123456789018 | \"$MNV\" check --config /nonexistent.ini"
mkdir -p "$XDG_CONFIG_HOME/mnvault"
printf '[display]\nmask = last4\n' > "$XDG_CONFIG_HOME/mnvault/mnvault.ini"
t_contains "config: the user file is read" "**** **** 9018" "$(echo 123456789018 | "$MNV" check)"
printf '[display]\nmask = none\n' > "$T_TMP/none.ini"
t_contains "config: --config overrides the user file" "**** **** ****" "$(echo 123456789018 | "$MNV" check --config "$T_TMP/none.ini")"
rm -f "$XDG_CONFIG_HOME/mnvault/mnvault.ini"
t_done
