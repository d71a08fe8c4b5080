#include "mnvault/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/i18n.h"

struct err_info {
    enum mnv_err code;
    const char *name;
    const char *msgid;
};

static const struct err_info err_table[] = {{MNV_OK, "OK", N_("success")},
#define MNV_ERR_ROW_(name, code, msg) {MNV_ERR_##name, #name, msg},
                                            MNV_ERR_LIST(MNV_ERR_ROW_)
#undef MNV_ERR_ROW_
};

static const struct err_info *err_find(enum mnv_err err)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(err_table); i++)
        if (err_table[i].code == err)
            return &err_table[i];
    return NULL;
}

const char *mnv_err_str(enum mnv_err err)
{
    const struct err_info *e = err_find(err);
    return e ? e->msgid : N_("unknown error");
}

const char *mnv_err_name(enum mnv_err err)
{
    const struct err_info *e = err_find(err);
    return e ? e->name : "UNKNOWN";
}

void mnv_diag_clear(struct mnv_diag *diag)
{
    if (diag)
        memset(diag, 0, sizeof(*diag));
}

static void diag_vset(char *field, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(field, size, fmt, ap);
    if (n < 0)
        field[0] = '\0';
}

void mnv_diag_where(struct mnv_diag *diag, const char *fmt, ...)
{
    if (!diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vset(diag->where, sizeof(diag->where), fmt, ap);
    va_end(ap);
}

void mnv_diag_item(struct mnv_diag *diag, const char *fmt, ...)
{
    if (!diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vset(diag->item, sizeof(diag->item), fmt, ap);
    va_end(ap);
}

void mnv_diag_detail(struct mnv_diag *diag, const char *fmt, ...)
{
    if (!diag)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vset(diag->detail, sizeof(diag->detail), fmt, ap);
    va_end(ap);
}

void mnv_diag_errno(struct mnv_diag *diag, int err)
{
    if (diag)
        diag->saved_errno = err;
}
