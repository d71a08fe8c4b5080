#include "mnvault/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"

void strbuf_init(struct strbuf *sb)
{
    memset(sb, 0, sizeof(*sb));
}

void strbuf_init_secret(struct strbuf *sb)
{
    strbuf_init(sb);
    sb->secret = 1;
}

/* Room for extra more bytes and the NUL. */
static enum mnv_err reserve(struct strbuf *sb, size_t extra)
{
    if (sb->failed)
        return MNV_ERR_NOMEM;
    if (extra > (size_t)-1 - sb->len - 1) {
        sb->failed = 1;
        return MNV_ERR_NOMEM;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return MNV_OK;
    char *p;
    size_t cap = sb->cap;
    if (sb->secret) /* never left behind in a block realloc() would free unwiped */
        p = alloc_grow_wiped(sb->buf, &cap, sb->buf ? sb->len + 1 : 0, need, 1);
    else
        p = alloc_grow(sb->buf, &cap, need, 1);
    if (!p) {
        sb->failed = 1;
        return MNV_ERR_NOMEM;
    }
    if (!sb->buf)
        p[0] = '\0';
    sb->buf = p;
    sb->cap = cap;
    return MNV_OK;
}

enum mnv_err strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
    enum mnv_err err = reserve(sb, n);
    if (err != MNV_OK)
        return err;
    if (n)
        memcpy(sb->buf + sb->len, p, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return MNV_OK;
}

enum mnv_err strbuf_adds(struct strbuf *sb, const char *s)
{
    return strbuf_add(sb, s, strlen(s));
}

enum mnv_err strbuf_addc(struct strbuf *sb, char c)
{
    return strbuf_add(sb, &c, 1);
}

enum mnv_err strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = 1;
        return MNV_ERR_NOMEM;
    }
    enum mnv_err err = reserve(sb, (size_t)n);
    if (err != MNV_OK)
        return err;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return MNV_OK;
}

enum mnv_err strbuf_error(const struct strbuf *sb)
{
    return sb->failed ? MNV_ERR_NOMEM : MNV_OK;
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

void strbuf_reset(struct strbuf *sb)
{
    if (sb->buf) {
        if (sb->secret)
            secmem_wipe(sb->buf, sb->cap);
        sb->buf[0] = '\0';
    }
    sb->len = 0;
    sb->failed = 0;
}

void strbuf_release(struct strbuf *sb)
{
    int secret = sb->secret;
    if (sb->buf && secret)
        secmem_wipe(sb->buf, sb->cap);
    free(sb->buf);
    strbuf_init(sb);
    sb->secret = secret;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    if (len)
        *len = 0;
    if (sb->failed || (!sb->buf && reserve(sb, 0) != MNV_OK)) {
        strbuf_release(sb);
        return NULL;
    }
    char *p = sb->buf;
    if (len)
        *len = sb->len;
    int secret = sb->secret;
    strbuf_init(sb);
    sb->secret = secret;
    return p;
}
