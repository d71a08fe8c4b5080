/* i18n.h (base layer): gettext wiring.
 *
 * Every string a person reads goes through _() (translated where it is used) or N_()
 * (marked for translation, translated later, e.g. in tables). The text domain is "mnvault";
 * English is the source language, Japanese comes from locale/ja.po.
 */
#ifndef MNVAULT_I18N_H
#define MNVAULT_I18N_H

#include <libintl.h>

#define MNV_TEXTDOMAIN "mnvault"
#define _(s) gettext(s)
#define N_(s) (s)

/*
 * i18n_init: set the locale from the environment and bind the message catalogue.
 * Falls back to C.UTF-8 when the environment's locale is missing or not UTF-8, so wide
 * characters keep working. The catalogue directory is $MNVAULT_LOCALEDIR when set, else
 * a "locale" folder beside the running binary (the build tree), else the installed one.
 */
void i18n_init(void);

/*
 * i18n_set_language: "auto" keeps the locale's language, "ja" or "en" force one
 * (config key display.language). Call after i18n_init and before any text is shown.
 */
void i18n_set_language(const char *lang);

/* i18n_is_japanese: nonzero when messages are being shown in Japanese. */
int i18n_is_japanese(void);

#endif
