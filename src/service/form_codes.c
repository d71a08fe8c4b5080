/*
 * form_codes.c: the names of destinations, and a layout's code tables ([codes.<table>]:
 * the words mnvault stores, turned into the codes of one filing) (form.h).
 */
#include "form_priv.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/i18n.h"

/* ---- destinations ------------------------------------------------------------------------- */

static const char *const dest_names[] = {NULL,         "tax_office",     "municipality", "person",
                                         "contractor", "pension_office", "hello_work"};
static const char *const dest_labels[] = {NULL,
                                          N_("Tax office"),
                                          N_("Municipality"),
                                          N_("The person"),
                                          N_("Contractor"),
                                          N_("Pension office"),
                                          N_("Hello Work")};

const char *form_destination_name(enum form_destination d)
{
    return (d >= FORM_DEST_TAX_OFFICE && d <= FORM_DEST_HELLO_WORK) ? dest_names[d] : "";
}

const char *form_destination_label(enum form_destination d)
{
    return (d >= FORM_DEST_TAX_OFFICE && d <= FORM_DEST_HELLO_WORK) ? dest_labels[d] : "";
}

enum form_destination form_destination_parse(const char *name)
{
    for (int d = FORM_DEST_TAX_OFFICE; d <= FORM_DEST_HELLO_WORK; d++)
        if (strcmp(name, dest_names[d]) == 0)
            return (enum form_destination)d;
    return 0;
}

const char *form_layout_code(const struct form_layout *l, const char *table, const char *word)
{
    char key[FORM_ITEM_MAX + 64];
    int n = snprintf(key, sizeof(key), "codes.%s.%s", table, word);
    if (n < 0 || (size_t)n >= sizeof(key))
        return NULL;
    for (char *p = key; *p; p++) /* iniparser keeps keys in lower case */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return form_layout_extra(l, key);
}
