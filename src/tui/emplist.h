/* emplist.h (tui layer, private to src/tui): the employee list's model, without curses (emplist.c):
 * every employee in memory, a folded search key per row (with the reading in romaji, so that
 * "sato" finds サトウ), three sort orders (built when first
 * used), the current filter's matches. A keystroke that extends the filter only narrows the
 * last matches; the matches of each shorter query typed on the way are kept, so that
 * Backspace goes back to them without searching again.
 */
#ifndef MNVAULT_TUI_EMPLIST_H
#define MNVAULT_TUI_EMPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/person.h"

enum emplist_sort { EMPLIST_BY_CODE = 0, EMPLIST_BY_KANA, EMPLIST_BY_HIRE, EMPLIST_SORTS };

/* The matches of one query: the first qlen bytes of emplist.query, or (when rqlen > 0) a
 * romaji search form holding the first rqlen bytes of emplist.rquery. */
struct emplist_level {
    size_t qlen, rqlen, nmatch;
    unsigned *match; /* owned */
};

#define EMPLIST_LEVELS 32

/* What a list read by names only (people_list_names) learns of a row when it is shown. */
struct emplist_detail {
    unsigned char have, status, verified;
    unsigned short purposes; /* index into emplist.pool */
};

struct emplist {
    struct person_list list; /* owned */
    char *keys;       /* folded "code\x1fname\x1fkana\x1fromaji" of each row, NUL-separated */
    uint32_t *key_at; /* offset of each row's key in keys */
    uint64_t *sig;    /* of each key: a bit for each character it holds (hashed) */
    unsigned *order[EMPLIST_SORTS];
    unsigned *match; /* row indexes in the current order passing the filter (the top level's) */
    size_t nmatch;
    /* lv[0]: every row shown (retired or not) in the current order; lv[i]: the matches of a
     * longer prefix of query, each a subset of the one before; the top one is match. */
    struct emplist_level lv[EMPLIST_LEVELS];
    int nlv;
    enum emplist_sort sort;
    int show_retired;
    char query[256];         /* folded */
    char rquery[256];        /* its romaji search form (romaji.h), or "" */
    size_t current, retired; /* counts over the whole list */
    /* A list read by names only: each row's detail once it has been read (NULL when the
     * rows carry their own), and the distinct purpose texts they point into. */
    struct emplist_detail *det;
    char **pool;
    size_t npool, cappool;
};

/* emplist_init: take ownership of list and build the keys; 0, or -1 out of memory (the
 * list is then freed). */
MNV_MUST_CHECK int emplist_init(struct emplist *m, struct person_list *list);
void emplist_free(struct emplist *m);
/* emplist_names_only: the rows hold the names alone; their details come by emplist_set_detail.
 * 0, or -1 out of memory. */
MNV_MUST_CHECK int emplist_names_only(struct emplist *m);
/* emplist_missing: the list rows (indexes into list.rows) of the matches from..from+n
 * (within nmatch) whose details are not read yet, into rows; returns how many. */
size_t emplist_missing(const struct emplist *m, size_t from, size_t n, unsigned *rows);
/* emplist_unread: rows without their details, from row *cursor on in list order, at most
 * max of them into rows; *cursor moves past the last one looked at. Returns how many. */
size_t emplist_unread(const struct emplist *m, size_t *cursor, size_t max, unsigned *rows);
/* emplist_set_detail: row's detail; 0, or -1 out of memory (the row stays without). */
MNV_MUST_CHECK int emplist_set_detail(struct emplist *m, unsigned row,
                                      const struct person_detail *d);
/* emplist_shown: match i as it is shown: the row with its detail filled in (into *tmp when
 * the detail is kept apart). */
const struct person_row *emplist_shown(const struct emplist *m, size_t i, struct person_row *tmp);
/* Each returns 0, or -1 when out of memory (the matches are then empty). */
MNV_MUST_CHECK int emplist_filter(struct emplist *m, const char *utf8_query);
MNV_MUST_CHECK int emplist_set_sort(struct emplist *m, enum emplist_sort sort);
MNV_MUST_CHECK int emplist_set_retired(struct emplist *m, int show);
static inline const struct person_row *emplist_row(const struct emplist *m, size_t i)
{
    return &m->list.rows[m->match[i]];
}

#endif
