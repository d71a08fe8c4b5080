/*
 * keyring_login.c: the failed-login state of the key file: per user name (hashed) the
 * consecutive failures and the lockout, and the queue of failed-login events waiting for the
 * audit log. Written before a password is checked, so no key protects it; vault.db keeps
 * the counter of its writes (keyring_state_seq()) to notice an old copy put back.
 * Part of keyring.h.
 */
#include "keyring_int.h"

#include <string.h>

#include <sodium.h>

static void name_hash(const struct keyring *kr, const char *name, unsigned char out[KR_HASH16])
{
    crypto_generichash(out, KR_HASH16, (const unsigned char *)name, strlen(name), kr->state_salt,
                       sizeof(kr->state_salt));
}

size_t keyring_login_count(const struct keyring *kr)
{
    return kr->n_logins;
}

void keyring_login_at(const struct keyring *kr, size_t i, unsigned char hash[16],
                      struct keyring_login_state *st)
{
    memset(st, 0, sizeof(*st));
    memset(hash, 0, KR_HASH16);
    if (i < kr->n_logins) {
        memcpy(hash, kr->logins[i].hash, KR_HASH16);
        *st = kr->logins[i].st;
    }
}

void keyring_name_hash(const struct keyring *kr, const char *name, unsigned char out[16])
{
    name_hash(kr, name, out);
}

static struct kr_login *find_login(const struct keyring *kr, const unsigned char h[KR_HASH16])
{
    for (size_t i = 0; i < kr->n_logins; i++)
        if (memcmp(kr->logins[i].hash, h, KR_HASH16) == 0)
            return (struct kr_login *)&kr->logins[i];
    return NULL;
}

void keyring_login_state_get(const struct keyring *kr, const char *name,
                             struct keyring_login_state *st)
{
    unsigned char h[KR_HASH16];
    name_hash(kr, name, h);
    const struct kr_login *l = find_login(kr, h);
    if (l)
        *st = l->st;
    else
        memset(st, 0, sizeof(*st));
}

static int hash_has_slot(const struct keyring *kr, const unsigned char h[KR_HASH16])
{
    unsigned char sh[KR_HASH16];
    for (size_t i = 0; i < kr->n_slots; i++) {
        if (!kr_user_kind(kr->slots[i].kind))
            continue;
        name_hash(kr, kr->slots[i].name, sh);
        if (memcmp(sh, h, KR_HASH16) == 0)
            return 1;
    }
    return 0;
}

/* Index of the record to drop when the table is full: oldest unknown name, else oldest. */
static size_t evict_index(const struct keyring *kr)
{
    size_t best = 0, best_unknown = SIZE_MAX;
    for (size_t i = 0; i < kr->n_logins; i++) {
        if (kr->logins[i].st.last_failure < kr->logins[best].st.last_failure)
            best = i;
        if (!hash_has_slot(kr, kr->logins[i].hash) &&
            (best_unknown == SIZE_MAX ||
             kr->logins[i].st.last_failure < kr->logins[best_unknown].st.last_failure))
            best_unknown = i;
    }
    return best_unknown != SIZE_MAX ? best_unknown : best;
}

void keyring_login_state_set(struct keyring *kr, const char *name,
                             const struct keyring_login_state *st)
{
    unsigned char h[KR_HASH16];
    name_hash(kr, name, h);
    struct kr_login *l = find_login(kr, h);
    int zero = !st->failures && !st->lockouts && !st->locked_until && !st->last_failure;
    if (zero) {
        if (l) {
            size_t i = (size_t)(l - kr->logins);
            memmove(l, l + 1, (kr->n_logins - i - 1) * sizeof(*l));
            kr->n_logins--;
        }
        return;
    }
    if (!l) {
        if (kr->n_logins >= KEYRING_MAX_LOGIN_STATES) {
            size_t i = evict_index(kr);
            memmove(&kr->logins[i], &kr->logins[i + 1],
                    (kr->n_logins - i - 1) * sizeof(kr->logins[0]));
            kr->n_logins--;
        }
        l = &kr->logins[kr->n_logins++];
        memcpy(l->hash, h, KR_HASH16);
    }
    l->st = *st;
}

void keyring_event_add(struct keyring *kr, int64_t time, enum keyring_event_kind kind,
                       const char *name)
{
    if (kr->n_events >= KEYRING_MAX_EVENTS) {
        memmove(&kr->events[0], &kr->events[1], (kr->n_events - 1) * sizeof(kr->events[0]));
        kr->n_events--;
        kr->dropped++;
    }
    struct keyring_event *e = &kr->events[kr->n_events++];
    memset(e, 0, sizeof(*e));
    e->time = time;
    e->kind = (uint8_t)kind;
    size_t nl = strlen(name);
    if (kr_name_ok(name, nl))
        memcpy(e->name, name, nl + 1);
}

size_t keyring_event_count(const struct keyring *kr)
{
    return kr->n_events;
}

const struct keyring_event *keyring_event_at(const struct keyring *kr, size_t i)
{
    return i < kr->n_events ? &kr->events[i] : NULL;
}

uint32_t keyring_events_dropped(const struct keyring *kr)
{
    return kr->dropped;
}

void keyring_events_clear(struct keyring *kr)
{
    sodium_memzero(kr->events, sizeof(kr->events));
    kr->n_events = 0;
    kr->dropped = 0;
}

void keyring_events_consume(struct keyring *kr, const struct keyring_event *seen, size_t n,
                            uint32_t dropped_seen)
{
    kr->dropped = kr->dropped > dropped_seen ? kr->dropped - dropped_seen : 0;
    if (n == 0 || n > kr->n_events)
        return;
    for (size_t i = 0; i < n; i++)
        if (kr->events[i].time != seen[i].time || kr->events[i].kind != seen[i].kind ||
            strcmp(kr->events[i].name, seen[i].name) != 0)
            return;
    memmove(&kr->events[0], &kr->events[n], (kr->n_events - n) * sizeof(kr->events[0]));
    kr->n_events -= n;
    sodium_memzero(&kr->events[kr->n_events], n * sizeof(kr->events[0]));
}
