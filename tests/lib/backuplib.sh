# tests/lib/backuplib.sh: a small vault for the backup and recovery tests. Source it after
# tap.sh. Uses the test binary with cheap Argon2id; passwords are given on file
# descriptor 3 as scripts do, never on the command line of mnvault.
#   bl_init DIR                  a vault in DIR: admin "boss", supervisor "kanri"
#   bl_as USER DIR CMD ARGS...   run $MNV_TEST CMD as USER (password from $BL_PW_<USER>)
#   bl_add USER ROLE DIR         add USER with ROLE and a changed (ready) password
#   bl_sheets FILE DIR           cut the form-feed separated sheets of FILE into DIR/sheetN
export MNVAULT_TEST_FAST_KDF=1
BL_PW_boss='correct horse battery staple admin'
BL_PW_kanri='violet mountain river lantern'
BL_PW_tanaka='quiet orchard under winter stars'
BL_PW_kansa='seven paper boats on the lake'
BL_CORP=7123456789012

bl_pw() { local v="BL_PW_$1"; printf '%s\n' "${!v}"; }

bl_init() {
    printf '%s\n%s\n' "$BL_PW_boss" "$BL_PW_kanri" >"$T_TMP/init.pw"
    "$MNV_TEST" init --data-dir "$1" --org 'ACME 株式会社' --address '' \
        --corporate-number "$BL_CORP" --admin boss --supervisor kanri --password-fd 3 \
        3<"$T_TMP/init.pw" >/dev/null
}

bl_as() {
    local user=$1 dir=$2; shift 2
    "$MNV_TEST" "$@" --data-dir "$dir" --user "$user" --password-fd 3 3< <(bl_pw "$user")
}

bl_add() {
    local user=$1 role=$2 dir=$3 first="a first password nobody keeps"
    bl_as boss "$dir" user add "$user" --role "$role" --new-password-fd 4 \
        4< <(printf '%s\n' "$first") >/dev/null || return 1
    printf '%s\n%s\n' "$first" "$(bl_pw "$user")" |
        "$MNV_TEST" user passwd --data-dir "$dir" --user "$user" --password-fd 0 >/dev/null
}

bl_sheets() {
    mkdir -p "$2"
    awk -v RS='\f' -v d="$2" '{ f = d "/sheet" NR; printf "%s", $0 > f; close(f) }' "$1"
}
