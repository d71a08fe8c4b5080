# tests/lib/vault.sh: helpers for the shell tests of the vault (source after tap.sh).
# Every vault is made with the test binary and the cheap test KDF; passwords go through
# file descriptor 3, never the command line.
export MNVAULT_TEST_FAST_KDF=1
V_ADMIN_PW='purple elephants dance at noon'
V_SUP_PW='seven green lanterns over kyoto'
V_CLERK_PW='quiet river stones in winter'
V_AUD_PW='orange kites above the harbour'
V_CORP=7000012050002

# v_init DIR: a vault with admin (admin) and sup (supervisor).
v_init() {
    printf '%s\n%s\n' "$V_ADMIN_PW" "$V_SUP_PW" | "$MNV_TEST" init --data-dir "$1" \
        --org 'テスト株式会社' --address '東京都千代田区1-1' --corporate-number "$V_CORP" \
        --admin admin --supervisor sup --password-fd 0 >/dev/null
}

# v_as DIR USER LINES CMD...: run "mnvault-test CMD" as USER; LINES (with \n between
# lines: the password, then whatever the command reads next) arrive on fd 3.
v_as() {
    local dir=$1 user=$2 lines=$3; shift 3
    "$MNV_TEST" "$@" --data-dir "$dir" --user "$user" --password-fd 3 3< <(printf '%b\n' "$lines")
}

# v_add_user DIR NAME ROLE PASSWORD: added by admin, first password changed by NAME; a
# clerk or supervisor is then approved by sup with the code NAME was shown (an
# administrator alone cannot give an account the number key).
v_add_user() {
    local dir=$1 name=$2 role=$3 pw=$4 otp out code
    otp=$(v_as "$dir" admin "$V_ADMIN_PW" user add "$name" --role "$role" | grep -E '^[a-z0-9]{4}-' | tail -n 1) || return 1
    out=$(v_as "$dir" "$name" "$otp\n$pw" user passwd 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
    case $role in
        clerk|supervisor)
            code=$(printf '%s\n' "$out" | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}' | tail -n 1)
            v_as "$dir" sup "$V_SUP_PW" user approve "$name" --code "$code" >/dev/null ;;
    esac
}

# v_code DIR NAME PASSWORD: the approval code NAME is shown at sign-in while pending.
v_code() {
    v_as "$1" "$2" "$3" verify 2>&1 | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}' | tail -n 1
}

# v_full DIR: v_init plus clerk (clerk) and aud (auditor).
v_full() {
    v_init "$1" && v_add_user "$1" clerk clerk "$V_CLERK_PW" && v_add_user "$1" aud auditor "$V_AUD_PW"
}
