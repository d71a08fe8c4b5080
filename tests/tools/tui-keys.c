/* tui-keys DIR PASSWORD: print the folded search key of every employee, one per line, as
 * the employee list builds them (for the TUI benchmark's baseline). Test tool. */
#include <stdio.h>
#include <string.h>

#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/textfold.h"

int main(int argc, char **argv)
{
    if (argc != 3 || secmem_init() != MNV_OK)
        return 2;
    struct session_options o;
    struct mnv_config cfg;
    config_defaults(&cfg);
    session_options_from_config(&o, &cfg);
    struct session *s = NULL;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    if (session_login(argv[1], "clerk", argv[2], strlen(argv[2]), &o, &s, NULL, &d) != MNV_OK)
        return 1;
    struct person_list list;
    if (people_list(s, &list, &d) != MNV_OK)
        return 1;
    for (size_t i = 0; i < list.count; i++) {
        char line[1024], out[1024];
        snprintf(line, sizeof(line), "%s\x1f%s\x1f%s", list.rows[i].code, list.rows[i].name,
                 list.rows[i].kana);
        textfold(line, strlen(line), out, sizeof(out));
        puts(out);
    }
    person_list_free(&list);
    session_logout(s);
    return 0;
}
