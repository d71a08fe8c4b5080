#include "mnvault/inidata.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/paths.h"
#include "mnvault/utf8.h"

static int quiet(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

dictionary *inidata_load(const char *path)
{
    iniparser_set_error_callback(quiet);
    return iniparser_load(path);
}

int inidata_code_ok(const char *code, size_t max)
{
    size_t n = strlen(code);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') ||
              code[i] == '_'))
            return 0;
    return 1;
}

int inidata_text(dictionary *d, const char *sec, const char *key, char *out, size_t size,
                 int required)
{
    char full[160];
    snprintf(full, sizeof(full), "%s:%s", sec, key);
    const char *v = iniparser_getstring(d, full, NULL);
    out[0] = '\0';
    if (!v)
        return required ? -1 : 1;
    size_t n = strlen(v);
    if ((required && n == 0) || n >= size || !utf8_valid(v, n))
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20)
            return -1;
    memcpy(out, v, n + 1);
    return 0;
}

enum mnv_err inidata_open(const char *path, const char *name, dictionary **out, const char **used,
                          struct mnv_diag *diag)
{
    static char buf[PATH_MAX];
    *out = NULL;
    if (!path) {
        if (paths_data_file(buf, sizeof(buf), name) < 0)
            return MNV_ERR_TOO_LONG;
        path = buf;
    }
    *used = path;
    /* iniparser says only "cannot open"; a missing file and an unreadable one differ. */
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, e);
        return e == ENOENT ? MNV_ERR_NOT_FOUND : MNV_ERR_IO;
    }
    fclose(f);
    *out = inidata_load(path);
    return *out ? MNV_OK : MNV_ERR_INVALID;
}
