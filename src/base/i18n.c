#include "mnvault/i18n.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/paths.h"

static int forced_japanese = -1; /* -1: follow the locale */

void i18n_init(void)
{
    const char *loc = setlocale(LC_ALL, "");
    if (!loc || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        /* Keep the message language the environment asked for, but make the character
         * type UTF-8 so that Japanese text is measured and drawn correctly. */
        if (!setlocale(LC_ALL, "C.UTF-8"))
            (void)setlocale(LC_ALL, "");
    }
    bindtextdomain(MNV_TEXTDOMAIN, paths_locale_dir());
    bind_textdomain_codeset(MNV_TEXTDOMAIN, "UTF-8");
    textdomain(MNV_TEXTDOMAIN);
}

void i18n_set_language(const char *lang)
{
    if (!lang || strcmp(lang, "auto") == 0) {
        forced_japanese = -1;
        return;
    }
    /* LANGUAGE outranks LC_MESSAGES in glibc's gettext as long as the message locale is
     * not "C"; newer glibc (Debian 13) counts C.UTF-8 as "C" too, so a Japanese message
     * locale is taken when the system has one. */
    if (strcmp(lang, "ja") == 0) {
        setenv("LANGUAGE", "ja", 1);
        forced_japanese = 1;
        const char *cur = setlocale(LC_MESSAGES, NULL);
        if (cur &&
            (strcmp(cur, "C") == 0 || strncmp(cur, "C.", 2) == 0 || strcmp(cur, "POSIX") == 0)) {
            if (!setlocale(LC_MESSAGES, "ja_JP.UTF-8") && !setlocale(LC_MESSAGES, "ja_JP.utf8"))
                (void)setlocale(LC_MESSAGES, "C.UTF-8");
        }
    } else {
        setenv("LANGUAGE", "en", 1);
        forced_japanese = 0;
    }
    textdomain(MNV_TEXTDOMAIN); /* makes gettext drop its cached translations */
}

int i18n_is_japanese(void)
{
    if (forced_japanese >= 0)
        return forced_japanese;
    /* A translated marker tells whether the Japanese catalogue is in effect. */
    const char *probe = N_("language-code: en");
    return strcmp(gettext(probe), probe) != 0 && strstr(gettext(probe), "ja") != NULL;
}
