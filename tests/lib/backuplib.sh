# tests/lib/backuplib.sh: helpers for the backup and recovery tests, on top of
# tests/lib/vault.sh (source tap.sh first). v_full makes the users admin, sup, clerk, aud.
#   bl_pw USER                   print USER's password (one of the four)
#   bl_as USER DIR CMD ARGS...   run $MNV_TEST CMD as USER, the password on fd 3
#   bl_sheets FILE DIR           cut the form-feed separated sheets of FILE into DIR/sheetN
. "$MNV_ROOT/tests/lib/vault.sh"

bl_pw() {
    case $1 in
        admin) printf '%s\n' "$V_ADMIN_PW" ;;
        sup) printf '%s\n' "$V_SUP_PW" ;;
        clerk) printf '%s\n' "$V_CLERK_PW" ;;
        aud) printf '%s\n' "$V_AUD_PW" ;;
        *) printf 'no password for %s\n' "$1" ;;
    esac
}

bl_as() {
    local user=$1 dir=$2; shift 2
    "$MNV_TEST" "$@" --data-dir "$dir" --user "$user" --password-fd 3 3< <(bl_pw "$user")
}

bl_sheets() {
    mkdir -p "$2"
    awk -v RS='\f' -v d="$2" '{ f = d "/sheet" NR; printf "%s", $0 > f; close(f) }' "$1"
}
