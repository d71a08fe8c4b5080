#!/usr/bin/env bash
# Every command, and each verb that reads its own options, answers -h and --help with its
# usage on standard output and exit 0, in English and Japanese, without a vault; an unknown
# option is refused with exit 2 and a pointer to the help.
. "$MNV_ROOT/tests/lib/tap.sh"

cmds=(check config init user audit review register incident verify demo recovery backup restore
    scan employee import payroll insurance export "export list" "export mark" "export fill"
    retention dispose cert)
for c in "${cmds[@]}"; do
    for h in -h --help; do
        # shellcheck disable=SC2086 # "export list" is two words on purpose
        out=$(LANG=C.UTF-8 "$MNV" $c $h 2>&1); rc=$?
        t_eq "$c $h: exit 0" 0 "$rc"
        t_contains "$c $h: usage" "Usage: mnvault" "$out"
    done
    # shellcheck disable=SC2086
    t_contains "$c --help (ja)" "使い方: mnvault" "$(LANG=ja_JP.UTF-8 "$MNV" $c --help 2>&1)"
    # shellcheck disable=SC2086
    out=$(LANG=C.UTF-8 "$MNV" $c --no-such-option 2>&1); rc=$?
    t_eq "$c --no-such-option: exit 2" 2 "$rc"
    t_contains "$c --no-such-option: said" "unknown option '--no-such-option'" "$out"
done
t_done
