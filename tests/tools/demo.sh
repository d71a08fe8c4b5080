#!/bin/sh
# demo.sh BUILD DIR: what `make demo` runs. Creates a demo vault in DIR when there is none
# (200 synthetic employees, users admin/supervisor/clerk/auditor), says how to log in, and
# opens the terminal application on it.
build=$1 dir=$2
password=${DEMO_PASSWORD:-"hana ga saku koro ni mata aou"}
if [ ! -f "$dir/vault.keys" ]; then
    echo "Creating a demo vault in $dir (a few seconds: each password is stretched with Argon2id)…"
    printf '%s\n' "$password" | "$build/mnvault" demo --data-dir "$dir" --password-fd 0 || exit $?
fi
cat <<TXT

  Demo vault: $dir
  Log in as clerk (or supervisor, auditor, admin) with the password:

      $password

  F1 or ? shows the keys of every screen; F10 quits; F12 locks; Ctrl-L redraws.
  To start again from scratch: rm -r $dir && make demo

TXT
printf 'Press Enter to open mnvault… '
read -r _ || true
exec "$build/mnvault" --data-dir "$dir" --user clerk
