/* emplist.h (tui layer, private to src/tui): the employee list's model, without curses (emplist.c):
 * every employee in memory in a compact form (a 12-byte row, its texts in one block with
 * 32-bit offsets), a folded search key per row (with the reading in romaji, so that "sato"
 * finds サトウ), three sort orders (built when first used), the current filter's matches.
 *
 * A keystroke that extends the filter narrows the last matches; the matches of each shorter
 * query typed on the way are kept, so that Backspace goes back to them without searching
 * again. A search need not finish at once: emplist_work() goes on with it a given number of
 * rows at a time (the screen does the first screenful at the key and the rest between keys),
 * and the matches found so far are in match/nmatch, in order.
 */
#ifndef MNVAULT_TUI_EMPLIST_H
#define MNVAULT_TUI_EMPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/person.h"

enum emplist_sort { EMPLIST_BY_CODE = 0, EMPLIST_BY_KANA, EMPLIST_BY_HIRE, EMPLIST_SORTS };

/* The matches of one query: the first qlen bytes of emplist.query, or (when rqlen > 0) a
 * romaji search form holding the first rqlen bytes of emplist.rquery. A level above the
 * first is searched from the matches of the level below it: scanned of them so far; done
 * once all were and the level below is done. The buffer is kept when the level is dropped
 * (Backspace) and used again by the next level at its place. */
struct emplist_level {
    size_t qlen, rqlen, nmatch, cap, scanned;
    int done;
    unsigned *match; /* owned */
};

#define EMPLIST_LEVELS 32

/* One employee. Its texts start at text: the folded search key "code\x1fname\x1freading
 * \x1fromaji" and its NUL, then, for each of code, name and reading as shown that is not
 * its folded form, a patch that gives it back from the key (the spaces folding took out,
 * ASCII letters in upper case) or, when no patch can, the text itself and its NUL; then the
 * hire date's text when it is not a plain YYYY-MM-DD. */
struct emplist_row {
    uint32_t text;
    uint32_t hire;     /* yyyymmdd, or 0 (then the text holds it, EMPLIST_OWN_HIRE) */
    uint16_t purposes; /* with EMPLIST_DETAIL: index into emplist.pool */
    uint16_t flags;    /* EMPLIST_*, the number's status and how each part is shown */
};

enum {
    EMPLIST_RETIRED = 1,
    EMPLIST_DETAIL = 2, /* status, verified and purposes are known */
    EMPLIST_VERIFIED = 4,
    EMPLIST_OWN_HIRE = 8,
    EMPLIST_STATUS_SHIFT = 4, /* 2 bits: enum number_status, with EMPLIST_DETAIL */
    EMPLIST_SHOWN_SHIFT = 6,  /* 2 bits for each of code, name, reading: EMPLIST_SHOWN_* */
};
enum { EMPLIST_SHOWN_KEY = 0, EMPLIST_SHOWN_PATCH = 1, EMPLIST_SHOWN_OWN = 2 };

struct emplist {
    struct emplist_row *rows; /* owned; in the order added */
    int64_t *id;              /* each row's employee id */
    uint64_t *sig;            /* of each key: a bit for each character it holds (hashed) */
    char *text;               /* owned; the rows' texts */
    size_t count, cap, text_len, text_cap;
    unsigned *order[EMPLIST_SORTS];
    unsigned *match; /* row indexes in the current order passing the filter (the top level's) */
    size_t nmatch;
    /* lv[0]: every row shown (retired or not) in the current order; lv[i]: the matches of a
     * longer prefix of query, each a subset of the one before; the top one is match. */
    struct emplist_level lv[EMPLIST_LEVELS];
    int nlv, nlv_alloc; /* levels in use; levels whose buffers are kept */
    enum emplist_sort sort;
    int show_retired;
    char query[256];         /* folded */
    char rquery[256];        /* its romaji search form (romaji.h), or "" */
    size_t current, retired; /* counts over the whole list */
    char **pool;             /* the distinct purpose texts of the rows' details */
    size_t npool, cappool;
};

/* A row as the screen draws it (emplist_view_row): person_row's strings point into text. */
struct emplist_view {
    struct person_row row;
    char text[PERSON_CODE_MAX + PERSON_NAME_MAX + PERSON_KANA_MAX + 32];
};

/* Building: emplist_begin, then emplist_add for each employee (with_detail: r's status,
 * verified and purposes are known; else they come later by emplist_set_detail), then
 * emplist_finish. emplist_init does all three from a list (rows with their details) and
 * frees it. Each returns 0, or -1 out of memory (then emplist_free). */
void emplist_begin(struct emplist *m);
MNV_MUST_CHECK int emplist_add(struct emplist *m, const struct person_row *r, int with_detail);
MNV_MUST_CHECK int emplist_finish(struct emplist *m);
MNV_MUST_CHECK int emplist_init(struct emplist *m, struct person_list *list);
void emplist_free(struct emplist *m);
/* emplist_missing: the rows (indexes into rows) of the matches from..from+n (within nmatch)
 * whose details are not read yet, into rows; returns how many. */
size_t emplist_missing(const struct emplist *m, size_t from, size_t n, unsigned *rows);
/* emplist_unread: rows without their details, from row *cursor on, at most max of them
 * into rows; *cursor moves past the last one looked at. Returns how many. */
size_t emplist_unread(const struct emplist *m, size_t *cursor, size_t max, unsigned *rows);
/* emplist_set_detail: row's detail; 0, or -1 out of memory (the row stays without). */
MNV_MUST_CHECK int emplist_set_detail(struct emplist *m, unsigned row,
                                      const struct person_detail *d);
/* emplist_view_row: row as shown, into *v; emplist_shown: match i. */
const struct person_row *emplist_view_row(const struct emplist *m, unsigned row,
                                          struct emplist_view *v);
const struct person_row *emplist_shown(const struct emplist *m, size_t i, struct emplist_view *v);
/* emplist_filter_start: the filter is now utf8_query; the search is set up (Backspace to a
 * query searched before: done at once) and goes on by emplist_work. emplist_set_sort,
 * emplist_set_retired: the same for a new order or the retired rows shown or not. Each
 * returns 0, or -1 when out of memory (the matches are then empty). */
MNV_MUST_CHECK int emplist_filter_start(struct emplist *m, const char *utf8_query);
MNV_MUST_CHECK int emplist_set_sort(struct emplist *m, enum emplist_sort sort);
MNV_MUST_CHECK int emplist_set_retired(struct emplist *m, int show);
/* emplist_work: look at up to rows more rows for the current search; 0, or -1 out of memory
 * (the matches are then empty). emplist_searching: 1 while the search is not finished. */
MNV_MUST_CHECK int emplist_work(struct emplist *m, size_t rows);
int emplist_searching(const struct emplist *m);
/* emplist_filter: emplist_filter_start and the whole search. */
MNV_MUST_CHECK int emplist_filter(struct emplist *m, const char *utf8_query);
static inline int64_t emplist_id(const struct emplist *m, size_t i)
{
    return m->id[m->match[i]];
}

#endif
