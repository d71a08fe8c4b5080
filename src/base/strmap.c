#include "mnvault/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* The slot holding key, or the empty slot where it would go (cap > 0). */
static size_t slot(const struct strmap *m, const char *key)
{
    size_t j = hash(key) & (m->cap - 1);
    while (m->keys[j] && strcmp(m->keys[j], key) != 0)
        j = (j + 1) & (m->cap - 1);
    return j;
}

static enum mnv_err grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap < m->cap)
        return MNV_ERR_NOMEM;
    struct strmap n = {alloc_array(cap, sizeof(char *)), alloc_array(cap, sizeof(long)), cap,
                       m->count};
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return MNV_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    *m = n;
    return MNV_OK;
}

long strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t j = slot(m, key);
    return m->keys[j] ? m->vals[j] : -1;
}

enum mnv_err strmap_put(struct strmap *m, const char *key, long val)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) != MNV_OK)
        return MNV_ERR_NOMEM;
    size_t j = slot(m, key);
    if (!m->keys[j]) {
        if (!(m->keys[j] = strdup(key)))
            return MNV_ERR_NOMEM;
        m->count++;
    }
    m->vals[j] = val;
    return MNV_OK;
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}
