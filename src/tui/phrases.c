/*
 * phrases.c: the words several screens share — an error as a sentence, a number's status, a
 * role, a purpose in the person's language, a count with thousands separators.
 */
#include "phrases.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "mnvault/err.h"
#include "mnvault/i18n.h"
#include "mnvault/person.h"
#include "mnvault/purpose.h"
#include "mnvault/role.h"
#include "mnvault/session.h"

char *tui_error_text(char *buf, size_t size, int err, const void *diagp)
{
    const struct mnv_diag *diag = diagp;
    const char *msg = _(mnv_err_str((enum mnv_err)err));
    if (diag && diag->saved_errno)
        snprintf(buf, size, "%s (%s)", msg, strerror(diag->saved_errno));
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

const char *tui_number_status(int status)
{
    switch (status) {
    case NUMBER_REGISTERED:
        return _("registered");
    case NUMBER_REFUSED:
        return _("refused");
    case NUMBER_DISPOSED:
        return _("deleted");
    case NUMBER_MISSING:
    default:
        return _("missing");
    }
}

const char *tui_role_name(int role)
{
    switch (role) {
    case ROLE_CLERK:
        return _("clerk");
    case ROLE_SUPERVISOR:
        return _("supervisor");
    case ROLE_AUDITOR:
        return _("auditor");
    case ROLE_ADMIN:
        return _("administrator");
    default:
        return "";
    }
}

const char *tui_purpose_name(struct app *app, const char *code)
{
    struct session *s = tui_session(app);
    const struct purpose_def *p = s ? purpose_find(session_purposes(s), code) : NULL;
    if (!p)
        return code;
    return i18n_is_japanese() ? p->name_ja : p->name_en;
}

const char *tui_purpose_short_name(struct app *app, const char *code)
{
    struct session *s = tui_session(app);
    const struct purpose_def *p = s ? purpose_find(session_purposes(s), code) : NULL;
    if (!p)
        return code;
    return i18n_is_japanese() ? p->short_ja : p->short_en;
}

void tui_purpose_short(struct app *app, const char *code, char *buf, size_t size)
{
    const char *name = tui_purpose_short_name(app, code);
    if (i18n_is_japanese()) {
        /* One character: the first of the short name (源 健 雇). */
        size_t n = 1;
        while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
            n++;
        snprintf(buf, size, "%.*s", (int)n, name);
        return;
    }
    /* English: the initials of the short name's words (Health and pension → HP). */
    size_t o = 0;
    for (size_t i = 0; name[i] && o + 1 < size && o < 3; i++)
        if ((i == 0 || name[i - 1] == ' ') && name[i] >= 'A' && name[i] <= 'Z')
            buf[o++] = name[i];
        else if ((i == 0 || name[i - 1] == ' ') && name[i] >= 'a' && name[i] <= 'z' &&
                 strcmp(name + i, "and") != 0 && strncmp(name + i, "and ", 4) != 0)
            buf[o++] = (char)(name[i] - 32);
    buf[o] = '\0';
}

char *tui_thousands(char *buf, size_t size, long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%ld", n < 0 ? -n : n);
    size_t o = 0;
    if (n < 0 && o + 1 < size)
        buf[o++] = '-';
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}
