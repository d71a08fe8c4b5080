/*
 * session_int.h: the inside of struct session, shared by session.c (signing in, the second
 * factor, signing out) and session_pw.c (password checks, locking, password changes).
 * Private to src/service/.
 */
#ifndef MNVAULT_SESSION_INT_H
#define MNVAULT_SESSION_INT_H

#include <limits.h>
#include <time.h>

#include "mnvault/keyring.h"
#include "mnvault/purposecat.h"
#include "mnvault/session.h"

enum session_state { ST_NEED_TOTP, ST_MUST_CHANGE, ST_READY, ST_LOCKED, ST_DEAD };

struct session {
    char dir[PATH_MAX];
    struct session_options opt;
    struct keyring *kr;
    struct vault *v;
    struct user_rec user;
    char org[256];
    enum session_state state;
    int totp_tries;
    struct purpose_catalog purposes;
    struct keyring_slot convert; /* a format-2 slot replacing the user's legacy slot */
    int converting;
    int password_ok; /* the password opened the slot (a later refusal is not a guess) */
};

/* session.c */
enum mnv_err session_count_attempt(struct keyring *kr, const char *name, time_t now,
                                   struct keyring_login_state *st, int *locked_now,
                                   struct login_info *info, struct mnv_diag *diag);
void session_note_syslog(const struct session_options *o, const char *what, const char *name);
void session_fail_info(struct login_info *info, const struct keyring_login_state *st,
                       int locked_now, time_t now);
void session_reset_counter(struct keyring *kr, const char *name);
/* The session's own entries (login, lock, password change, logout) about its user, straight
 * to the store's writer (the services' audit trail, audit.h, is built on the session):
 * session_own_entry() inside the open transaction; session_own_note() in a transaction of
 * its own, for entries whose failure changes nothing for the caller. */
enum mnv_err session_own_entry(struct session *s, const char *action, const char *result,
                               const char *detail, struct mnv_diag *diag);
void session_own_note(struct session *s, const char *action, const char *result,
                      const char *detail);
/* Unlocking: the slot opened again with the password, the vault reopened, the unlock
 * audited with the events queued meanwhile; on failure the vault stays closed. */
enum mnv_err session_reopen(struct session *s, const char *password, size_t len,
                            struct login_info *info, struct mnv_diag *diag);

/* session_pw.c */
/* Close the vault, wipe every key (vault_suspend); the session is locked. */
void session_close_vault(struct session *s);

#endif
