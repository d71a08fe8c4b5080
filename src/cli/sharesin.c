/*
 * sharesin.c: reading recovery share sheets from standard input (cli layer), for
 * `mnvault recovery restore` and `mnvault restore --recovery`.
 *
 * From a file or a pipe, the whole input is read and cut into sheets: a sheet ends at its
 * Check line, at a form feed, or where the next sheet's title line begins; blank lines
 * inside a sheet are part of it. From a terminal, the sheets are typed one after another
 * without echo (share material must not stay on the screen or in a scrollback): each ends
 * at its Check line or at an empty line after its rows, is checked at once, and is asked
 * again when mistyped, until as many shares as the set needs were given.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/shares.h"

#define INPUT_MAX (512 * 1024)
#define TYPED_MAX 8192
#define LINE_MAX_TYPED 512

static const char *skip_blank(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

static int starts_with_word(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    p = skip_blank(p, end);
    return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0;
}

static int is_title(const char *p, const char *end)
{
    return starts_with_word(p, end, "MNVAULT RECOVERY SHARE");
}

static int is_check(const char *p, const char *end)
{
    return starts_with_word(p, end, "check:") || starts_with_word(p, end, "check :");
}

/* "Label: ...", "Set: ...", "Share: ...": a word and a colon (row numbers are digits). */
static int is_header(const char *p, const char *end)
{
    p = skip_blank(p, end);
    const char *w = p;
    while (p < end && isalpha((unsigned char)*p))
        p++;
    if (p == w)
        return 0;
    p = skip_blank(p, end);
    return p < end && *p == ':';
}

static int has_text(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!isspace((unsigned char)*p))
            return 1;
    return 0;
}

/* Parse one sheet; on a mistake say where, in lines of the whole input. */
static int parse_block(const char *text, size_t len, long first_line, int nth, struct share *out)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = shares_parse(text, len, out, &d);
    if (err == MNV_OK)
        return 0;
    if (err == MNV_ERR_SHARES_TYPO)
        cli_error(_("share %d: %s at line %ld, column %ld; check that group against the "
                    "sheet"),
                  nth, _(mnv_err_str(err)), first_line + d.line - 1, d.column);
    else
        cli_error(_("share %d (from line %ld): %s"), nth, first_line, _(mnv_err_str(err)));
    return -1;
}

struct cutter {
    const char *buf;
    size_t start;    /* offset where the current sheet begins */
    long start_line; /* its line number */
    int any;         /* the sheet holds text */
    struct share *out;
    int max, count, failed;
};

static void cut(struct cutter *c, size_t end)
{
    if (c->any && !c->failed) {
        if (c->count >= c->max) {
            cli_error(_("too many recovery shares (at most %d)"), c->max);
            c->failed = 1;
        } else if (parse_block(c->buf + c->start, end - c->start, c->start_line, c->count + 1,
                               &c->out[c->count]) < 0) {
            c->failed = 1;
        } else {
            c->count++;
        }
    }
    c->any = 0;
}

/* Cut buf[0..len) into sheets and parse each. Returns how many, or -1 (printed). */
static int parse_all(const char *buf, size_t len, struct share *out, int max)
{
    struct cutter c = {buf, 0, 1, 0, out, max, 0, 0};
    long line = 1;
    size_t pos = 0;
    while (pos < len && !c.failed) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        const char *ff = memchr(buf + pos, '\f', end - pos);
        if (ff) { /* a form feed: the sheet ends there, the next starts after it */
            size_t at = (size_t)(ff - buf);
            c.any |= has_text(buf + pos, ff);
            cut(&c, at);
            c.start = at + 1;
            c.start_line = line;
            pos = at + 1;
            continue;
        }
        if (is_title(buf + pos, buf + end) && c.any) {
            cut(&c, pos);
            c.start = pos;
            c.start_line = line;
        }
        c.any |= has_text(buf + pos, buf + end);
        size_t next = nl ? end + 1 : len;
        if (is_check(buf + pos, buf + end)) {
            cut(&c, next);
            c.start = next;
            c.start_line = line + 1;
        }
        pos = next;
        line++;
    }
    if (!c.failed)
        cut(&c, len);
    if (c.failed)
        return -1;
    if (c.count == 0) {
        cli_error(_("no recovery share was given on standard input"));
        return -1;
    }
    return c.count;
}

static int read_piped(struct share *out, int max)
{
    char *buf = secmem_alloc(INPUT_MAX + 1);
    if (!buf) {
        cli_error("%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return -1;
    }
    size_t len = 0;
    ssize_t r;
    while (len < INPUT_MAX && (r = read(STDIN_FILENO, buf + len, INPUT_MAX - len)) != 0) {
        if (r < 0) {
            cli_error(_("cannot read the recovery shares from standard input"));
            secmem_free(buf);
            return -1;
        }
        len += (size_t)r;
    }
    int n = -1;
    if (len >= INPUT_MAX)
        cli_error(_("the input is too long for recovery shares"));
    else
        n = parse_all(buf, len, out, max);
    secmem_free(buf);
    return n;
}

/*
 * One line typed on standard input, read byte by byte with read(2) so that no copy stays in
 * a stdio buffer. Returns its length, -1 at the end of input, -3 when too long.
 */
static long read_typed_line(char *buf, size_t size)
{
    long n = cli_read_fd_line(STDIN_FILENO, buf, size);
    return n == -2 ? -1 : n;
}

/* One sheet typed on the terminal into text (TYPED_MAX bytes); its length, or -1 at EOF. */
static long type_sheet(char *text, char *line)
{
    size_t len = 0;
    int rows = 0;
    for (;;) {
        long n = read_typed_line(line, LINE_MAX_TYPED);
        if (n == -1)
            return len ? (long)len : -1;
        if (n == -3)
            continue; /* a line too long for a sheet: it cannot be part of one */
        const char *end = line + n;
        int blank = !has_text(line, end);
        if (blank && rows > 0)
            return (long)len;
        if (len + (size_t)n + 2 > TYPED_MAX)
            return (long)len;
        memcpy(text + len, line, (size_t)n);
        len += (size_t)n;
        text[len++] = '\n';
        fputs(blank ? "" : _("  (line read)\n"), stderr);
        if (is_check(line, end))
            return (long)len;
        if (!blank && !is_title(line, end) && !is_header(line, end))
            rows++;
    }
}

static int already_have(const struct share *out, int count, const struct share *s)
{
    for (int i = 0; i < count; i++)
        if (out[i].index == s->index && memcmp(out[i].set_id, s->set_id, 8) == 0)
            return 1;
    return 0;
}

static int read_typed(struct share *out, int max)
{
    char *text = secmem_alloc(TYPED_MAX), *line = secmem_alloc(LINE_MAX_TYPED);
    if (!text || !line) {
        secmem_free(text);
        secmem_free(line);
        cli_error("%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return -1;
    }
    fputs(_("Type the recovery shares one after another. Typing is not shown on the screen.\n"
            "For each share, type its rows of groups and its Check line (an empty line also\n"
            "ends a share). Spaces, dashes and case do not matter.\n"),
          stderr);
    int count = 0, need = 0, echo_off = cli_tty_noecho(STDIN_FILENO);
    while (count < max && (need == 0 || count < need)) {
        if (need)
            fprintf(stderr, _("Share %d of the %d needed:\n"), count + 1, need);
        else
            fprintf(stderr, _("Share %d:\n"), count + 1);
        long n = type_sheet(text, line);
        if (n < 0)
            break;
        if (parse_block(text, (size_t)n, 1, count + 1, &out[count]) < 0) {
            fputs(_("Type this share again.\n"), stderr);
            continue;
        }
        if (already_have(out, count, &out[count])) {
            fprintf(stderr, _("Share %d was given already; type another one.\n"), out[count].index);
            continue;
        }
        fprintf(stderr, _("Share %d of %d accepted.\n"), out[count].index, out[count].n);
        need = out[0].k;
        count++;
    }
    if (echo_off)
        cli_tty_restore();
    secmem_free(text);
    secmem_free(line);
    if (count == 0)
        cli_error(_("no recovery share was given"));
    return count ? count : -1;
}

int cli_read_shares(struct share *out, int max)
{
    return isatty(STDIN_FILENO) ? read_typed(out, max) : read_piped(out, max);
}

void cli_shares_error(enum mnv_err err, const struct share *shares, int count)
{
    if (err == MNV_ERR_SHARES_FEW && count > 0) {
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            int seen = 0;
            for (int j = 0; j < i; j++)
                seen |= shares[j].index == shares[i].index;
            distinct += !seen;
        }
        cli_error(_("%s: %d given, %d needed"), _(mnv_err_str(err)), distinct, shares[0].k);
    } else {
        cli_error("%s", _(mnv_err_str(err)));
    }
}
