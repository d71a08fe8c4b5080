#!/bin/sh
# demo.sh BUILD DIR: create a demo vault in DIR if missing, say how to log in, open the TUI.
build=$1 dir=$2
if ! "$build/mnvault" --help | grep -q '^  demo '; then
    echo "make demo: the terminal application is not built yet in this version of mnvault."
    echo "What works today: 'build/mnvault check' (reads numbers from standard input)."
    exit 0
fi
exec "$build/mnvault" demo-open --data-dir "$dir"
