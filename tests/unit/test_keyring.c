/* Unit tests for the key file: slots and envelopes, MAC, damage, login state, epochs,
 * recovery, rotations, the journal, format 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/secmem.h"

static char dir[256];
static struct keyring_keys *mk; /* the root keys of the file make_file() writes */
static struct keyring_keys *out;

static int group_setup(void **state)
{
    (void)state;
    if (secmem_init() != MNV_OK)
        return -1;
    setenv("MNVAULT_TEST_FAST_KDF", "1", 1);
    mk = keyring_keys_new();
    out = keyring_keys_new();
    return mk && out ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    keyring_keys_free(mk);
    keyring_keys_free(out);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-keyring-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define ALL (KEYRING_KEY_VK | KEYRING_KEY_NK | KEYRING_KEY_BK)

/* A written key file with users alice (all three keys; "alice-pass") and bob (VK only, as
 * an auditor; "bob-pass"). */
static struct keyring *make_file(void)
{
    struct keyring *kr;
    assert_int_equal(keyring_new(dir, mk, &kr), MNV_OK);
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot s;
    assert_int_equal(keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "alice", "alice-pass", 10, &kdf,
                                       mk, ALL, &s, NULL),
                     MNV_OK);
    assert_int_equal(keyring_slot_put(kr, &s), MNV_OK);
    assert_int_equal(keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "bob", "bob-pass", 8, &kdf, mk,
                                       KEYRING_KEY_VK, &s, NULL),
                     MNV_OK);
    assert_int_equal(keyring_slot_put(kr, &s), MNV_OK);
    assert_int_equal(keyring_create_file(kr, mk, 0, NULL), MNV_OK);
    return kr;
}

static unsigned char *read_image(size_t *len)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/vault.keys", dir);
    unsigned char *buf;
    assert_int_equal(fileio_read_all(path, 1 << 20, &buf, len, NULL), MNV_OK);
    return buf;
}

static void test_keyring__create_load_open(void **state)
{
    (void)state;
    struct keyring *kr = make_file(), *back;
    assert_int_equal(keyring_load(dir, &back, NULL), MNV_OK);
    assert_int_equal(keyring_verify(back, mk), MNV_OK);
    assert_int_equal(keyring_version(back), KEYRING_VERSION);
    assert_memory_equal(keyring_vault_id(kr), keyring_vault_id(back), KEYRING_ID_LEN);
    assert_int_equal(keyring_slot_count(back), 2);
    assert_int_equal(keyring_slot_open(back, "alice", "alice-pass", 10, out), MNV_OK);
    assert_int_equal(out->have & ALL, ALL);
    assert_memory_equal(out->vk, mk->vk, 32);
    assert_memory_equal(out->nk, mk->nk, 32);
    assert_memory_equal(out->bk, mk->bk, 32);
    /* bob's slot holds VK and nothing else: no key that opens a number or a backup. */
    assert_int_equal(keyring_slot_open(back, "bob", "bob-pass", 8, out), MNV_OK);
    assert_int_equal(out->have & ALL, KEYRING_KEY_VK);
    unsigned char ek[32];
    assert_int_equal(keyring_epoch_key(back, 1, out, ek), MNV_ERR_NUMBER_KEY);
    assert_int_equal(keyring_cert_key(back, out, ek), MNV_ERR_NUMBER_KEY);
    assert_int_equal(keyring_slot_open(back, "alice", "bob-pass", 8, out), MNV_ERR_SLOT_WRONG);
    assert_int_equal(keyring_slot_open(back, "carol", "alice-pass", 10, out), MNV_ERR_SLOT_WRONG);
    /* A slot cannot be moved to another name: the name is bound into it. */
    struct stat st;
    char path[300];
    snprintf(path, sizeof(path), "%s/vault.keys", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    keyring_free(kr);
    keyring_free(back);
}

static void test_keyring__refuses_existing_file(void **state)
{
    (void)state;
    struct keyring *kr = make_file(), *again;
    struct keyring_keys *k2 = keyring_keys_new();
    assert_int_equal(keyring_new(dir, k2, &again), MNV_OK);
    assert_int_equal(keyring_create_file(again, k2, 0, NULL), MNV_ERR_VAULT_EXISTS);
    keyring_free(again);
    keyring_keys_free(k2);
    keyring_free(kr);
}

static void test_keyring__missing_file(void **state)
{
    (void)state;
    struct keyring *kr;
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_ERR_KEYFILE_MISSING);
    assert_null(kr);
}

static void test_keyring__wrong_mk_is_altered(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct keyring_keys *other = keyring_keys_new();
    keyring_keys_copy(other, mk);
    randombytes_buf(other->vk, sizeof(other->vk));
    assert_int_equal(keyring_verify(kr, other), MNV_ERR_KEYFILE_ALTERED);
    assert_int_equal(keyring_begin(kr, other, NULL), MNV_ERR_KEYFILE_ALTERED);
    keyring_keys_free(other);
    keyring_free(kr);
}

static void test_keyring__every_flipped_byte_is_damage(void **state)
{
    (void)state;
    keyring_free(make_file());
    size_t len;
    unsigned char *img = read_image(&len);
    for (size_t i = 0; i < len; i++) {
        img[i] ^= 0x01;
        struct keyring *kr;
        struct mnv_diag d;
        mnv_diag_clear(&d);
        assert_int_equal(keyring_parse(img, len, dir, &kr, &d), MNV_ERR_KEYFILE_DAMAGED);
        assert_null(kr);
        img[i] ^= 0x01;
    }
    for (size_t cut = 0; cut < len; cut++) {
        struct keyring *kr;
        assert_int_equal(keyring_parse(img, cut, dir, &kr, NULL), MNV_ERR_KEYFILE_DAMAGED);
    }
    free(img);
}

/* Flips that keep the checksum right (someone recomputed it) are caught by the MAC. */
static void test_keyring__forged_protected_part_fails_mac(void **state)
{
    (void)state;
    keyring_free(make_file());
    size_t len;
    unsigned char *img = read_image(&len);
    img[20] ^= 0x80; /* inside the vault id */
    crypto_generichash(img + len - 32, 32, img, len - 32, NULL, 0);
    struct keyring *kr;
    assert_int_equal(keyring_parse(img, len, dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_verify(kr, mk), MNV_ERR_KEYFILE_ALTERED);
    keyring_free(kr);
    free(img);
}

static void test_keyring__login_state_without_mk_keeps_protected_bytes(void **state)
{
    (void)state;
    keyring_free(make_file());
    size_t len0;
    unsigned char *before = read_image(&len0);
    struct keyring *kr;
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_begin(kr, NULL, NULL), MNV_OK);
    struct keyring_login_state st = {3, 1, 12345, 999};
    keyring_login_state_set(kr, "alice", &st);
    keyring_event_add(kr, 999, KEYRING_EVENT_LOGIN_FAILED, "alice");
    keyring_event_add(kr, 1000, KEYRING_EVENT_LOGIN_FAILED, "no\nsuch");
    assert_int_equal(keyring_commit(kr, NULL, NULL), MNV_OK);
    keyring_free(kr);

    size_t len1;
    unsigned char *after = read_image(&len1);
    /* The protected part (header, body and MAC) is byte for byte the same. */
    size_t sealed = 16 + (size_t)(before[12] | before[13] << 8) + 32;
    assert_memory_equal(before, after, sealed);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_verify(kr, mk), MNV_OK);
    struct keyring_login_state got;
    keyring_login_state_get(kr, "alice", &got);
    assert_int_equal(got.failures, 3);
    assert_int_equal(got.locked_until, 12345);
    keyring_login_state_get(kr, "bob", &got);
    assert_int_equal(got.failures, 0);
    assert_int_equal(keyring_event_count(kr), 2);
    assert_string_equal(keyring_event_at(kr, 0)->name, "alice");
    assert_string_equal(keyring_event_at(kr, 1)->name, ""); /* control char: not kept */
    keyring_free(kr);
    free(before);
    free(after);
}

static void test_keyring__changed_protected_part_needs_mk(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    assert_int_equal(keyring_begin(kr, NULL, NULL), MNV_OK);
    struct keyring_anchor a = {7, {1, 2, 3}};
    keyring_anchor_set(kr, &a);
    assert_int_equal(keyring_commit(kr, NULL, NULL), MNV_ERR_INVALID);
    assert_int_equal(keyring_begin(kr, mk, NULL), MNV_OK);
    keyring_anchor_set(kr, &a);
    uint64_t gen = keyring_generation(kr);
    keyring_bump(kr); /* a writer raises the generation once per change (vault.c journals it) */
    assert_int_equal(keyring_commit(kr, mk, NULL), MNV_OK);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    struct keyring_anchor b;
    keyring_anchor_get(kr, &b);
    assert_int_equal(b.seq, 7);
    assert_memory_equal(b.head, a.head, 32);
    assert_int_equal(keyring_generation(kr), gen + 1);
    keyring_free(kr);
}

static void test_keyring__password_change_replaces_slot(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot s;
    assert_int_equal(keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "alice", "new-pass", 8, &kdf, mk,
                                       ALL, &s, NULL),
                     MNV_OK);
    assert_int_equal(keyring_begin(kr, mk, NULL), MNV_OK);
    assert_int_equal(keyring_slot_put(kr, &s), MNV_OK);
    assert_int_equal(keyring_commit(kr, mk, NULL), MNV_OK);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_slot_count(kr), 2);
    assert_int_equal(keyring_slot_open(kr, "alice", "alice-pass", 10, out), MNV_ERR_SLOT_WRONG);
    assert_int_equal(keyring_slot_open(kr, "alice", "new-pass", 8, out), MNV_OK);
    assert_int_equal(keyring_slot_remove(kr, "bob"), 1);
    assert_int_equal(keyring_slot_remove(kr, "bob"), 0);
    assert_null(keyring_find_slot(kr, "bob"));
    keyring_free(kr);
}

static void test_keyring__epochs_rotate_and_forget(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    unsigned char k1[32], k2[32], again[32];
    struct keyring_keys *none = keyring_keys_new();
    assert_int_equal(keyring_epoch_key(kr, 1, none, k1), MNV_ERR_NUMBER_KEY);
    keyring_keys_free(none);
    assert_int_equal(keyring_epoch_current(kr), 1);
    assert_int_equal(keyring_epoch_key(kr, 1, mk, k1), MNV_OK);
    uint32_t id;
    assert_int_equal(keyring_epoch_add(kr, mk, &id), MNV_OK);
    assert_int_equal(id, 2);
    assert_int_equal(keyring_epoch_count(kr), 2);
    assert_int_equal(keyring_epoch_key(kr, 2, mk, k2), MNV_OK);
    assert_memory_not_equal(k1, k2, 32);
    assert_int_equal(keyring_epoch_key(kr, 1, mk, again), MNV_OK);
    assert_memory_equal(k1, again, 32);
    assert_int_equal(keyring_epoch_forget_old(kr), 1);
    assert_int_equal(keyring_epoch_key(kr, 1, mk, again), MNV_ERR_EPOCH_GONE);
    assert_int_equal(keyring_epoch_key(kr, 2, mk, again), MNV_OK);
    assert_int_equal(keyring_epoch_key(kr, 9, mk, again), MNV_ERR_EPOCH_GONE);
    keyring_free(kr);
}

static void test_keyring__recovery_slot(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    unsigned char rk[32], wrong[32];
    randombytes_buf(rk, sizeof(rk));
    randombytes_buf(wrong, sizeof(wrong));
    assert_false(keyring_recovery_present(kr));
    assert_int_equal(keyring_recovery_open(kr, rk, out), MNV_ERR_NOT_FOUND);
    assert_int_equal(keyring_begin(kr, mk, NULL), MNV_OK);
    assert_int_equal(keyring_recovery_set(kr, rk, mk), MNV_OK);
    assert_int_equal(keyring_commit(kr, mk, NULL), MNV_OK);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_true(keyring_recovery_present(kr));
    assert_int_equal(keyring_recovery_open(kr, wrong, out), MNV_ERR_SLOT_WRONG);
    assert_int_equal(keyring_recovery_open(kr, rk, out), MNV_OK);
    assert_int_equal(out->have & ALL, ALL);
    assert_memory_equal(out->vk, mk->vk, 32);
    assert_memory_equal(out->nk, mk->nk, 32);
    assert_memory_equal(out->bk, mk->bk, 32);
    assert_null(keyring_find_slot(kr, ""));
    keyring_free(kr);
}

static void test_keyring__event_queue_drops_oldest(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    for (int i = 0; i < KEYRING_MAX_EVENTS + 5; i++)
        keyring_event_add(kr, i, KEYRING_EVENT_LOGIN_FAILED, "alice");
    assert_int_equal(keyring_event_count(kr), KEYRING_MAX_EVENTS);
    assert_int_equal(keyring_events_dropped(kr), 5);
    assert_int_equal(keyring_event_at(kr, 0)->time, 5);
    keyring_events_clear(kr);
    assert_int_equal(keyring_event_count(kr), 0);
    keyring_free(kr);
}

static void test_keyring__login_table_full_keeps_known_users(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct keyring_login_state st = {1, 0, 0, 1};
    keyring_login_state_set(kr, "alice", &st);
    for (int i = 0; i < KEYRING_MAX_LOGIN_STATES + 10; i++) {
        char name[32];
        snprintf(name, sizeof(name), "stranger%d", i);
        st.last_failure = 100 + i;
        keyring_login_state_set(kr, name, &st);
    }
    struct keyring_login_state got;
    keyring_login_state_get(kr, "alice", &got);
    assert_int_equal(got.failures, 1);
    keyring_login_state_get(kr, "stranger0", &got);
    assert_int_equal(got.failures, 0); /* the oldest unknown name was dropped */
    memset(&st, 0, sizeof(st));
    keyring_login_state_set(kr, "alice", &st);
    keyring_login_state_get(kr, "alice", &got);
    assert_int_equal(got.failures, 0);
    keyring_free(kr);
}

static void test_keyring__slot_names_checked(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot s;
    char longname[100];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, longname, "x", 1, &kdf, mk, ALL, &s, NULL),
        MNV_ERR_TOO_LONG);
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "", "x", 1, &kdf, mk, ALL, &s, NULL),
        MNV_ERR_INVALID);
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "a\nb", "x", 1, &kdf, mk, ALL, &s, NULL),
        MNV_ERR_INVALID);
    kdf.memlimit = 1ULL << 40;
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "carol", "x", 1, &kdf, mk, ALL, &s, NULL),
        MNV_ERR_INVALID);
    keyring_free(kr);
}

/* A one-time slot replaces the password slot of the same name and keeps its kind. */
static void test_keyring__one_time_slot(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot s;
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_ONE_TIME, "alice", "otp", 3, &kdf, mk, ALL, &s, NULL),
        MNV_OK);
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_RECOVERY, "alice", "otp", 3, &kdf, mk, ALL, &s, NULL),
        MNV_ERR_INVALID);
    assert_int_equal(
        keyring_slot_make(kr, KEYRING_SLOT_ONE_TIME, "alice", "otp", 3, &kdf, mk, ALL, &s, NULL),
        MNV_OK);
    assert_int_equal(keyring_begin(kr, mk, NULL), MNV_OK);
    assert_int_equal(keyring_slot_put(kr, &s), MNV_OK);
    assert_int_equal(keyring_commit(kr, mk, NULL), MNV_OK);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_slot_count(kr), 2);
    assert_int_equal(keyring_find_slot(kr, "alice")->kind, KEYRING_SLOT_ONE_TIME);
    assert_int_equal(keyring_slot_open(kr, "alice", "otp", 3, out), MNV_OK);
    assert_int_equal(keyring_slot_open(kr, "alice", "alice-pass", 10, out), MNV_ERR_SLOT_WRONG);
    keyring_free(kr);
}

/* An administrator gives VK; a supervisor's keys add NK later; taking it back works too. */
static void test_keyring__grant_and_revoke(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    assert_int_equal(keyring_slot_keys(kr, keyring_find_slot(kr, "bob")), KEYRING_KEY_VK);
    struct keyring_keys *vk_only = keyring_keys_new();
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, vk_only), MNV_OK);
    /* Without NK, NK cannot be given. */
    assert_int_equal(keyring_slot_grant(kr, "alice", vk_only, KEYRING_KEY_NK), MNV_ERR_INVALID);
    assert_int_equal(keyring_slot_grant(kr, "bob", mk, KEYRING_KEY_NK), MNV_OK);
    assert_int_equal(keyring_slot_keys(kr, keyring_find_slot(kr, "bob")),
                     KEYRING_KEY_VK | KEYRING_KEY_NK);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_memory_equal(out->nk, mk->nk, 32);
    /* The session that opened the slot before the grant sees NK after a refresh. */
    assert_int_equal(keyring_keys_refresh(kr, vk_only), MNV_OK);
    assert_true(vk_only->have & KEYRING_HAVE_NK);
    assert_int_equal(keyring_slot_revoke(kr, "bob", KEYRING_KEY_NK), 1);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_false(out->have & KEYRING_HAVE_NK);
    keyring_keys_free(vk_only);
    keyring_free(kr);
}

/* The approval code follows the slot's key pair: a new pair (a new password) gives a new
 * code; it is typed leniently. */
static void test_keyring__approval_code(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    char a[KEYRING_CODE_SIZE], b[KEYRING_CODE_SIZE], again[KEYRING_CODE_SIZE];
    assert_int_equal(keyring_slot_code(kr, "bob", a), MNV_OK);
    assert_int_equal(strlen(a), 19);
    for (int i = 0; i < 19; i++)
        assert_true(i % 5 == 4 ? a[i] == '-'
                               : strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]) != NULL);
    assert_int_equal(keyring_slot_code(kr, "bob", again), MNV_OK);
    assert_string_equal(a, again);
    assert_int_equal(keyring_slot_code(kr, "alice", b), MNV_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(keyring_slot_code(kr, "nobody", b), MNV_ERR_USER_NOT_FOUND);
    assert_string_equal(b, "");
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot slot;
    assert_int_equal(keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "bob", "bob-pass", 8, &kdf, mk,
                                       KEYRING_KEY_VK, &slot, NULL),
                     MNV_OK);
    assert_int_equal(keyring_slot_put(kr, &slot), MNV_OK);
    assert_int_equal(keyring_slot_code(kr, "bob", b), MNV_OK);
    assert_string_not_equal(a, b); /* the same password, but a new pair */
    char loose[40];
    snprintf(loose, sizeof(loose), " %.4s %.4s-%.4s%.4s ", a, a + 5, a + 10, a + 15);
    for (char *p = loose; *p; p++)
        *p = (char)(*p == '0' ? 'o' : *p == '1' ? 'l' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    assert_true(keyring_code_equal(loose, a));
    assert_false(keyring_code_equal(a, b));
    assert_false(keyring_code_equal("", a));
    assert_false(keyring_code_equal(a, "ABCD"));
    keyring_free(kr);
}

/* An envelope copied into another slot opens nothing: it is sealed to one slot's key pair
 * and bound to its name. */
static void test_keyring__envelopes_do_not_move(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct keyring_slot alice = *keyring_find_slot(kr, "alice");
    struct keyring_slot bob = *keyring_find_slot(kr, "bob");
    for (size_t i = 0; i < alice.n_env; i++)
        if (alice.env[i].key == KEYRING_KEY_NK)
            bob.env[bob.n_env++] = alice.env[i];
    assert_int_equal(keyring_slot_put(kr, &bob), MNV_OK);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_false(out->have & KEYRING_HAVE_NK);
    keyring_free(kr);
}

/* A new NK: every holder gets it, the epoch keys open with it and not with the old one. */
static void test_keyring__rotate_nk(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct keyring_keys *old = keyring_keys_new(), *k = keyring_keys_new();
    keyring_keys_copy(old, mk);
    keyring_keys_copy(k, mk);
    unsigned char e1[32], e2[32];
    assert_int_equal(keyring_epoch_key(kr, 1, k, e1), MNV_OK);
    assert_int_equal(keyring_rotate_nk(kr, k), MNV_OK);
    assert_memory_not_equal(k->nk, old->nk, 32);
    assert_int_equal(keyring_epoch_key(kr, 1, k, e2), MNV_OK);
    assert_memory_equal(e1, e2, 32);
    assert_int_equal(keyring_epoch_key(kr, 1, old, e2), MNV_ERR_NUMBER_KEY);
    assert_int_equal(keyring_slot_open(kr, "alice", "alice-pass", 10, out), MNV_OK);
    assert_memory_equal(out->nk, k->nk, 32);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_false(out->have & KEYRING_HAVE_NK);
    keyring_keys_free(old);
    keyring_keys_free(k);
    keyring_free(kr);
}

/* A new VK in two halves; the file's MAC follows the current one. */
static void test_keyring__rotate_vk(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    struct keyring_keys *k = keyring_keys_new(), *old = keyring_keys_new();
    keyring_keys_copy(k, mk);
    keyring_keys_copy(old, mk);
    assert_int_equal(keyring_begin(kr, k, NULL), MNV_OK);
    assert_int_equal(keyring_vk_begin(kr, k), MNV_OK);
    assert_true(keyring_vk_pending(kr));
    assert_int_equal(keyring_commit(kr, k, NULL), MNV_OK);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_true(out->have & KEYRING_HAVE_VK_NEXT);
    assert_memory_equal(out->vk_next, k->vk_next, 32);
    assert_int_equal(keyring_begin(kr, k, NULL), MNV_OK);
    assert_int_equal(keyring_vk_finish(kr, k), MNV_OK);
    assert_int_equal(keyring_commit(kr, k, NULL), MNV_OK);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK);
    assert_false(keyring_vk_pending(kr));
    assert_int_equal(keyring_verify(kr, k), MNV_OK);
    assert_int_equal(keyring_verify(kr, old), MNV_ERR_KEYFILE_ALTERED);
    assert_int_equal(keyring_slot_open(kr, "bob", "bob-pass", 8, out), MNV_OK);
    assert_memory_equal(out->vk, k->vk, 32);
    assert_memory_not_equal(out->vk, old->vk, 32);
    unsigned char c1[32], c2[32];
    assert_int_equal(keyring_chain_key(kr, out, c1), MNV_OK);
    keyring_keys_free(k);
    keyring_keys_free(old);
    keyring_free(kr);
    (void)c2;
}

/* A key file behind its journal takes the journal's slots and drops the epoch keys the
 * journal no longer lists. */
static void test_keyring__adopt_journal(void **state)
{
    (void)state;
    struct keyring *kr = make_file();
    uint32_t id;
    assert_int_equal(keyring_epoch_add(kr, mk, &id), MNV_OK);
    unsigned char *img;
    size_t len;
    assert_int_equal(keyring_epoch_forget_old(kr), 1);
    assert_int_equal(keyring_slot_remove(kr, "bob"), 1);
    keyring_bump(kr);
    assert_int_equal(keyring_serialize(kr, NULL, KEYRING_IMAGE_JOURNAL, &img, &len), MNV_OK);
    uint64_t gen = keyring_generation(kr);
    keyring_free(kr);
    assert_int_equal(keyring_load(dir, &kr, NULL), MNV_OK); /* the old file: bob, epoch 1 */
    assert_non_null(keyring_find_slot(kr, "bob"));
    assert_int_equal(keyring_adopt_journal(kr, img, len), MNV_OK);
    assert_null(keyring_find_slot(kr, "bob"));
    assert_int_equal(keyring_generation(kr), gen);
    assert_int_equal(keyring_epoch_count(kr), 0); /* epoch 2 was never in the old file */
    img[0] ^= 1;                                  /* another vault's journal */
    assert_int_equal(keyring_adopt_journal(kr, img, len), MNV_ERR_KEYFILE_DAMAGED);
    free(img);
    keyring_free(kr);
}

/* A format-1 key file (tests/data/vault-v1, written before issue 11) parses into legacy
 * slots that give MK, and its upgrade gives them VK through the bridge. */
static void test_keyring__format_1_and_upgrade(void **state)
{
    (void)state;
    unsigned char *img;
    size_t len;
    assert_int_equal(fileio_read_all("tests/data/vault-v1/vault.keys", 1 << 20, &img, &len, NULL),
                     MNV_OK);
    struct keyring *kr;
    assert_int_equal(keyring_parse(img, len, dir, &kr, NULL), MNV_OK);
    free(img);
    assert_int_equal(keyring_version(kr), 1);
    assert_int_equal(keyring_find_slot(kr, "aud")->kind, KEYRING_SLOT_LEGACY);
    assert_true(keyring_recovery_present(kr));
    struct keyring_keys *k = keyring_keys_new();
    assert_int_equal(keyring_slot_open(kr, "aud", "orange kites above the harbour", 30, k), MNV_OK);
    assert_int_equal(k->have, KEYRING_HAVE_MK);
    assert_int_equal(keyring_verify(kr, k), MNV_OK);
    const char *drop[] = {"clerk2"};
    uint32_t epoch;
    assert_int_equal(keyring_upgrade(kr, k, drop, 1, &epoch), MNV_OK);
    assert_int_equal(keyring_version(kr), 2);
    assert_true(keyring_flags(kr) & KEYRING_F_UPGRADING);
    assert_null(keyring_find_slot(kr, "clerk2"));
    assert_int_equal(keyring_slot_open(kr, "aud", "orange kites above the harbour", 30, out),
                     MNV_OK);
    assert_int_equal(out->have & ALL, KEYRING_KEY_VK); /* VK through the bridge, never NK */
    assert_memory_equal(out->vk, k->vk, 32);
    keyring_legacy_forget(kr);
    assert_int_equal(keyring_legacy_count(kr), 0);
    assert_int_equal(keyring_slot_open(kr, "aud", "orange kites above the harbour", 30, out),
                     MNV_ERR_SLOT_WRONG);
    keyring_keys_free(k);
    keyring_free(kr);
}
