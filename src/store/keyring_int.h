/*
 * keyring_int.h: the inside of struct keyring, shared by the files of the key file module
 * (keyring.c, keyring_fmt.c, keyring_slot.c, keyring_rot.c, keyring_up.c, keyring_login.c).
 * Private to src/store/: no other module includes it.
 */
#ifndef MNVAULT_KEYRING_INT_H
#define MNVAULT_KEYRING_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "mnvault/keyring.h"

#define KR_HASH16 16
#define KR_MAC_LEN 32
#define KR_SUM_LEN 32
#define KR_HEADER_LEN 16
#define KR_FILE_MAX (1u << 20)

/* How an epoch key is sealed. */
enum { KR_WRAP_NK = 1, KR_WRAP_MK = 2 };

struct kr_login {
    unsigned char hash[KR_HASH16];
    struct keyring_login_state st;
};

struct kr_epoch {
    uint32_t id;
    uint8_t wrap; /* KR_WRAP_NK, or KR_WRAP_MK for a format-1 key */
    unsigned char sealed[KEYRING_SEALED_KEY_LEN];
};

struct keyring {
    char dir[PATH_MAX];
    char path[PATH_MAX];
    int lock_fd;      /* the data folder, locked, between begin and commit/abort; else -1 */
    struct stat seen; /* the file this snapshot was read from or written as */
    int seen_valid;
    int version; /* 1 or 2: the format it was read in */
    /* protected part */
    unsigned char vault_id[KEYRING_ID_LEN];
    uint64_t generation;
    int64_t created;
    uint32_t flags;
    uint32_t vk_id, nk_id, bk_id, vk_next_id;
    struct kr_epoch epochs[KEYRING_MAX_EPOCHS];
    size_t n_epochs;
    struct keyring_anchor anchor;
    uint32_t seal_segment;
    uint64_t seal_index;
    unsigned char seal_sealed[KEYRING_SEALED_KEY_LEN]; /* all zero: none */
    unsigned char seal_pk0[VCRYPTO_PK_LEN];
    unsigned char chain_sealed[KEYRING_SEALED_KEY_LEN]; /* all zero: none */
    unsigned char cert_sealed[KEYRING_SEALED_KEY_LEN];  /* all zero: none */
    int legacy;                                         /* the bridge below is present */
    unsigned char mk_check[VCRYPTO_HASH_LEN];
    unsigned char bridge_sealed[KEYRING_SEALED_KEY_LEN]; /* VK under MK's bridge subkey */
    unsigned char mk_sealed[KEYRING_SEALED_KEY_LEN];     /* MK under VK while upgrading */
    struct keyring_slot slots[KEYRING_MAX_SLOTS];
    size_t n_slots;
    unsigned char *sealed_raw; /* header..MAC as loaded; NULL for a new keyring */
    size_t sealed_raw_len;
    int dirty; /* protected part changed since loading */
    /* login state */
    unsigned char state_salt[KR_HASH16];
    uint64_t state_seq;
    int64_t written_ns; /* when mnvault wrote the file read (real time, ns); 0: no stamp */
    int replaced;       /* the file read was changed after that (keyring_replaced()) */
    int64_t replaced_since;
    struct kr_login logins[KEYRING_MAX_LOGIN_STATES];
    size_t n_logins;
    struct keyring_event events[KEYRING_MAX_EVENTS];
    size_t n_events;
    uint32_t dropped;
    /* A user's new slot, written before the commit that makes it the user's (the login state
     * part; cleared by the write after the commit): a crash between them leaves it here. */
    struct keyring_slot pending;
    int has_pending;
};

/* keyring_fmt.c */
enum mnv_err kr_parse_into(struct keyring *kr, const unsigned char *buf, size_t len,
                           struct mnv_diag *diag);
enum mnv_err kr_parse_body(struct keyring *kr, const unsigned char *p, size_t len,
                           struct mnv_diag *diag);
int kr_is_zero(const unsigned char *p, size_t n);

/* keyring_slot.c */
int kr_user_kind(uint8_t kind);
int kr_name_ok(const char *name, size_t len);
struct keyring_slot *kr_find_user(const struct keyring *kr, const char *name);
struct keyring_slot *kr_find_recovery(const struct keyring *kr);
enum mnv_err kr_env_put(const struct keyring *kr, struct keyring_slot *s, enum keyring_key key,
                        uint32_t id, const unsigned char value[VCRYPTO_KEY_LEN]);
void kr_env_drop(struct keyring_slot *s, unsigned keys, uint32_t id_or_0);

/* keyring_rot.c */
enum mnv_err kr_sealed_key(const struct keyring *kr, const unsigned char key[VCRYPTO_KEY_LEN],
                           enum vcrypto_root root, uint64_t sub, const char *tag,
                           const unsigned char *sealed, unsigned char *out);
enum mnv_err kr_mk_op(const struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN],
                      enum vcrypto_subkey sub, const char *tag, uint32_t id,
                      const unsigned char *in, unsigned char *out, int seal);
enum mnv_err kr_seal_key(const struct keyring *kr, const unsigned char key[VCRYPTO_KEY_LEN],
                         enum vcrypto_root root, uint64_t sub, const char *tag,
                         const unsigned char value[VCRYPTO_KEY_LEN], unsigned char *sealed);

/* keyring.c */
void kr_put_u32(unsigned char *p, uint32_t v);
const unsigned char *kr_mac_key_root(const struct keyring *kr, const struct keyring_keys *keys);

#endif
