/*
 * cmd_scan.c: `mnvault scan` looks for My Numbers in files and folders before they leave
 * the workstation (a pre-send check), printing one line per number found, grep style:
 *     PATH:LINE:COLUMN: **** **** **** [keyword nearby: 個人番号]
 * with --count one total per file, with --json JSON Lines for programs, with --quiet only
 * the exit status. A number is never printed whole; --show-last4 shows its last four digits.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/scan.h"
#include "mnvault/strbuf.h"
#include "mnvault/textsafe.h"

/* Translated formats are looked up once (gettext per line would cost more than the scan);
 * they are the catalogue's translations of literal formats, whose conversions msgfmt
 * --check compares, so the non-literal format warning is off for this file. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

enum scan_mode { MODE_LINES, MODE_COUNT, MODE_JSON, MODE_QUIET };

/* Exit statuses (doc/mnvault.1, doc/scan.md). */
enum {
    SCAN_EXIT_CLEAN = 0,       /* looked everywhere, no number */
    SCAN_EXIT_FOUND = 1,       /* numbers found */
    SCAN_EXIT_ERROR = 2,       /* a usage error, or a file could not be opened or read */
    SCAN_EXIT_NOT_SCANNED = 3, /* no number, but some files or parts could not be looked into */
};

struct scan_run {
    enum scan_mode mode;
    const char *label; /* --label: the name of standard input in results */
    int json_count;    /* --json --count: file records only */
    enum mynumber_mask mask;
    size_t files, files_with, numbers, problems, not_scanned, skipped;
    const char *hint_yes, *hint_no, *page_fmt, *not_scanned_fmt; /* translated once */
    size_t hint_no_len;
    /* The place of the last finding and its text as printed: in a file full of numbers every
     * line starts with the same place, escaped once. key: path and members, each with NUL. */
    struct strbuf memo_key, memo_text;
    int memo_depth, memo_page, memo_page_depth;
};

static void scan_help(void)
{
    printf(_("Usage: mnvault scan [OPTIONS] PATH...\n"
             "Look for My Numbers in files before they leave the workstation. Folders are\n"
             "searched recursively; - reads standard input. Text in UTF-8, CP932 (Shift_JIS)\n"
             "and UTF-16 is recognised per file, and so are zip, gzip and tar archives, mail\n"
             "(.eml, with its attachments), Word, Excel and PowerPoint files (.docx .xlsx\n"
             ".pptx), OpenDocument files (.odt .ods) and PDF.\n\n"
             "Each number found is one line, PATH:LINE:COLUMN: then the masked number and\n"
             "whether a word like 個人番号 or マイナンバー stands nearby. Only 12-digit numbers\n"
             "with a correct check digit count, written plainly or in groups of four, in\n"
             "ASCII or full-width digits; longer digit runs do not count. What could not be\n"
             "looked into (a password, a limit, a picture, damage) is a line of its own:\n"
             "PATH: not scanned: WHY.\n\n"
             "  --show-last4      show the last four digits of each number (never more)\n"
             "  --corporate       look for corporate numbers (法人番号, 13 digits) instead\n"
             "  -c, --count       print one total per file instead of each number\n"
             "      --json        print JSON Lines for programs (one object per line)\n"
             "  -q, --quiet       print no results; stop at the first number found\n"
             "      --encoding ENC  read text files as ENC: auto (the default), utf-8,\n"
             "                    cp932, utf-16le or utf-16be\n"
             "      --label NAME  call standard input NAME in the results\n"
             "      --max-size MIB  unpack at most MIB MiB from one file's archives\n"
             "                    (default 512); more is not scanned\n"
             "      --max-time SECONDS  spend at most SECONDS unpacking and reading one\n"
             "                    file's archives and documents (default 60)\n"
             "      --jobs N      scan a folder's files with N threads (default: one per\n"
             "                    processor); the results come in the same order\n"
             "  -h, --help        show this help\n\n"
             "Exit status: 0 no number found and everything looked into, 1 numbers found,\n"
             "2 a file could not be read (or a usage error), 3 no number found but some\n"
             "files or parts were not scanned. Treat anything but 0 as \"do not send\".\n"));
}

/* Names come from file systems and archives: a control character would let a name fake an
 * output line or drive the terminal, a bidirectional override disguise it (textsafe.h). */
static void put_name(FILE *out, const char *s)
{
    textsafe_fputs(s, 0, out);
}

/* PATH[member][member][page N]; place may be NULL (then only path). */
static void put_place(FILE *out, const struct scan_run *r, const char *path,
                      const struct scan_place *p)
{
    put_name(out, strcmp(path, "-") == 0 ? _("(standard input)") : path);
    for (int i = 0; p && i <= p->depth; i++) {
        if (p->page > 0 && i == p->page_depth)
            fprintf(out, r->page_fmt, p->page);
        if (i == p->depth)
            break;
        fputc('[', out);
        put_name(out, p->members[i]);
        fputc(']', out);
    }
}

/* name escaped as put_name() prints it, appended to sb. */
static void add_name(struct strbuf *sb, const char *s)
{
    size_t n = strlen(s), pos = 0;
    while (pos < n) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t k = textsafe_piece(s, n, &pos, 0, piece, NULL);
        strbuf_add(sb, piece, k);
    }
}

static int memo_holds(const struct scan_run *r, const struct scan_place *p)
{
    if (!r->memo_key.len || r->memo_depth != p->depth || r->memo_page != p->page ||
        r->memo_page_depth != p->page_depth)
        return 0;
    const char *k = r->memo_key.buf;
    if (strcmp(k, p->path) != 0)
        return 0;
    for (int i = 0; i < p->depth; i++) {
        k += strlen(k) + 1;
        if (strcmp(k, p->members[i]) != 0)
            return 0;
    }
    return 1;
}

/* The text put_place() prints for p, from the memo or made anew (NULL: out of memory). */
static const struct strbuf *memo_place(struct scan_run *r, const struct scan_place *p)
{
    if (memo_holds(r, p))
        return &r->memo_text;
    strbuf_reset(&r->memo_key);
    strbuf_reset(&r->memo_text);
    strbuf_add(&r->memo_key, p->path, strlen(p->path) + 1);
    add_name(&r->memo_text, strcmp(p->path, "-") == 0 ? _("(standard input)") : p->path);
    for (int i = 0; i <= p->depth; i++) {
        if (p->page > 0 && i == p->page_depth)
            strbuf_addf(&r->memo_text, r->page_fmt, p->page);
        if (i == p->depth)
            break;
        strbuf_add(&r->memo_key, p->members[i], strlen(p->members[i]) + 1);
        strbuf_addc(&r->memo_text, '[');
        add_name(&r->memo_text, p->members[i]);
        strbuf_addc(&r->memo_text, ']');
    }
    r->memo_depth = p->depth;
    r->memo_page = p->page;
    r->memo_page_depth = p->page_depth;
    if (strbuf_error(&r->memo_key) != MNV_OK || strbuf_error(&r->memo_text) != MNV_OK) {
        strbuf_reset(&r->memo_key);
        return NULL;
    }
    return &r->memo_text;
}

/* v in decimal at out (room for 20 digits); returns the length. */
static size_t put_decimal(char *out, unsigned long v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* One result line, PLACE:LINE:COLUMN: MASKED HINT, written without a format per line. */
static void put_finding_line(struct scan_run *r, const struct scan_place *place,
                             const struct scan_finding *f, const char *masked)
{
    const struct strbuf *pt = memo_place(r, place);
    if (pt)
        fwrite_unlocked(pt->buf, 1, pt->len, stdout);
    else
        put_place(stdout, r, place->path, place);
    char tail[64 + MYNUMBER_FORMAT_SIZE];
    size_t n = 0, m = strlen(masked);
    tail[n++] = ':';
    n += put_decimal(tail + n, (unsigned long)f->line);
    tail[n++] = ':';
    n += put_decimal(tail + n, (unsigned long)f->column);
    tail[n++] = ':';
    tail[n++] = ' ';
    memcpy(tail + n, masked, m);
    n += m;
    tail[n++] = ' ';
    fwrite_unlocked(tail, 1, n, stdout);
    if (f->keyword)
        printf(r->hint_yes, f->keyword);
    else
        fwrite_unlocked(r->hint_no, 1, r->hint_no_len, stdout);
    putc_unlocked('\n', stdout);
}

/* A JSON string holding s as textsafe shows it (the same text as in result lines). */
static void json_str(const char *s)
{
    putchar('"');
    size_t n = strlen(s), pos = 0;
    while (pos < n) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t k = textsafe_piece(s, n, &pos, 0, piece, NULL);
        for (size_t j = 0; j < k; j++) {
            if (piece[j] == '"' || piece[j] == '\\')
                putchar('\\');
            putchar(piece[j]);
        }
    }
    putchar('"');
}

static void json_place(const struct scan_place *p)
{
    fputs("\"path\":", stdout);
    json_str(p->path);
    fputs(",\"members\":[", stdout);
    for (int i = 0; i < p->depth; i++) {
        if (i)
            putchar(',');
        json_str(p->members[i]);
    }
    fputs("],\"page\":", stdout);
    if (p->page > 0)
        printf("%d", p->page);
    else
        fputs("null", stdout);
}

static const char *form_digits(unsigned form)
{
    if ((form & SCAN_FORM_ASCII) && (form & SCAN_FORM_FULLWIDTH))
        return "mixed";
    return (form & SCAN_FORM_FULLWIDTH) ? "fullwidth" : "ascii";
}

static int on_finding(void *ud, const struct scan_place *place, const struct scan_finding *f)
{
    struct scan_run *r = ud;
    char masked[MYNUMBER_FORMAT_SIZE];
    r->numbers++;
    switch (r->mode) {
    case MODE_QUIET:
        return 1;
    case MODE_COUNT:
        return 0;
    case MODE_JSON:
        if (r->json_count)
            return 0;
        mynumber_format_masked(masked, f->kind, r->mask, f->last4);
        fputs("{\"type\":\"match\",", stdout);
        json_place(place);
        printf(",\"line\":%ld,\"column\":%ld,\"kind\":\"%s\",\"masked\":", f->line, f->column,
               f->kind == MYNUMBER_CORPORATE ? "corporate" : "individual");
        json_str(masked);
        printf(",\"encoding\":\"%s\",\"form\":\"%s\",\"digits\":\"%s\",\"keyword\":",
               scan_encoding_name(f->encoding), (f->form & SCAN_FORM_GROUPED) ? "grouped" : "plain",
               form_digits(f->form));
        if (f->keyword)
            json_str(f->keyword);
        else
            fputs("null", stdout);
        fputs("}\n", stdout);
        return 0;
    case MODE_LINES:
    default:
        mynumber_format_masked(masked, f->kind, r->mask, f->last4);
        put_finding_line(r, place, f, masked);
        return 0;
    }
}

static void json_error(const char *type, const struct scan_place *place, const char *path,
                       enum mnv_err err, const struct mnv_diag *diag)
{
    printf("{\"type\":\"%s\",", type);
    if (place) {
        json_place(place);
    } else {
        fputs("\"path\":", stdout);
        json_str(path);
    }
    printf(",\"code\":\"%s\",\"message\":", mnv_err_name(err));
    json_str(mnv_err_str(err));
    if (diag && diag->saved_errno) {
        fputs(",\"system\":", stdout);
        json_str(strerror(diag->saved_errno));
    }
    fputs("}\n", stdout);
}

/* "PLACE: message" on stderr (the place written as in result lines). */
static void say_problem(const struct scan_run *r, const struct scan_place *place, const char *path,
                        enum mnv_err err, const struct mnv_diag *diag)
{
    char text[1200];
    fflush(stdout);
    fputs("mnvault: ", stderr);
    put_place(stderr, r, path, place);
    fprintf(stderr, ": %s\n", cli_describe(text, sizeof(text), err, diag));
}

static void on_problem(void *ud, const struct scan_place *place, enum mnv_err err,
                       const struct mnv_diag *diag)
{
    struct scan_run *r = ud;
    if (scan_problem_kind(err) == SCAN_ERROR) {
        r->problems++;
        say_problem(r, place, place->path, err, diag);
        if (r->mode == MODE_JSON)
            json_error("error", place, NULL, err, diag);
        return;
    }
    /* Not scanned: a result of its own kind, on standard output with the numbers. */
    r->not_scanned++;
    if (r->mode == MODE_JSON) {
        printf("{\"type\":\"not_scanned\",");
        json_place(place);
        printf(",\"reason\":\"%s\",\"code\":\"%s\",\"message\":", scan_problem_tag(err),
               mnv_err_name(err));
        json_str(mnv_err_str(err));
        fputs("}\n", stdout);
    } else if (r->mode != MODE_QUIET) {
        put_place(stdout, r, place->path, place);
        printf(r->not_scanned_fmt, _(mnv_err_str(err)));
        putchar('\n');
    }
}

static void on_skipped(void *ud, const char *path, enum mnv_err why)
{
    struct scan_run *r = ud;
    r->skipped++;
    say_problem(r, NULL, path, why, NULL);
    if (r->mode == MODE_JSON)
        json_error("skipped", NULL, path, why, NULL);
}

static const char *format_name(const struct scan_file_result *res)
{
    switch (res->format) {
    case SCAN_FMT_TEXT:
        return scan_encoding_name(res->encoding);
    case SCAN_FMT_OFFICE:
        return "office";
    case SCAN_FMT_ZIP:
        return "zip";
    case SCAN_FMT_PDF:
        return "pdf";
    case SCAN_FMT_GZIP:
        return "gzip";
    case SCAN_FMT_TAR:
        return "tar";
    case SCAN_FMT_MAIL:
        return "mail";
    case SCAN_FMT_COMPOUND:
        return "compound";
    case SCAN_FMT_OTHER:
        return "other";
    case SCAN_FMT_EMPTY:
    default:
        return "empty";
    }
}

static void on_file_done(void *ud, const char *path, const struct scan_file_result *res)
{
    struct scan_run *r = ud;
    r->files++;
    r->files_with += res->findings > 0;
    if (r->mode == MODE_COUNT) {
        put_place(stdout, r, path, NULL);
        printf(":%zu\n", res->findings);
    } else if (r->mode == MODE_JSON) {
        fputs("{\"type\":\"file\",\"path\":", stdout);
        json_str(path);
        printf(",\"format\":\"%s\",\"matches\":%zu,\"problems\":%zu}\n", format_name(res),
               res->findings, res->problems);
    }
}

static int parse_scan_args(struct cli_ctx *ctx, struct scan_run *r, struct scan_opts *o, int argc,
                           char **argv)
{
    enum {
        OPT_LAST4 = 0x100,
        OPT_CORPORATE,
        OPT_JSON,
        OPT_ENCODING,
        OPT_LABEL,
        OPT_SIZE,
        OPT_TIME,
        OPT_JOBS
    };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"show-last4", no_argument, NULL, OPT_LAST4},
        {"corporate", no_argument, NULL, OPT_CORPORATE},
        {"count", no_argument, NULL, 'c'},
        {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"label", required_argument, NULL, OPT_LABEL},
        {"max-size", required_argument, NULL, OPT_SIZE},
        {"max-time", required_argument, NULL, OPT_TIME},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {NULL, 0, NULL, 0},
    };
    int opt, count = 0, json = 0, quiet = 0;
    while ((opt = getopt_long(argc, argv, "hcq", longopts, NULL)) != -1) {
        int c = cli_common_option(ctx, opt, optarg);
        if (c < 0)
            return cli_usage_hint("scan");
        if (c > 0)
            continue;
        switch (opt) {
        case 'h':
            scan_help();
            return -1;
        case OPT_LAST4:
            r->mask = MYNUMBER_MASK_LAST4;
            break;
        case OPT_CORPORATE:
            o->kind = MYNUMBER_CORPORATE;
            break;
        case 'c':
            count = 1;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case OPT_ENCODING:
            if (scan_encoding_parse(optarg, &o->encoding) < 0 || o->encoding == SCAN_ENC_BINARY) {
                cli_error(_("unknown encoding '%s' (use auto, utf-8, cp932, utf-16le or utf-16be)"),
                          optarg);
                return cli_usage_hint("scan");
            }
            break;
        case OPT_LABEL:
            if (!optarg[0]) {
                cli_error(_("--label needs a name"));
                return cli_usage_hint("scan");
            }
            r->label = optarg;
            break;
        case OPT_SIZE:
        case OPT_TIME:
        case OPT_JOBS: {
            long v, most = opt == OPT_SIZE ? 1L << 20 : opt == OPT_TIME ? 86400L : 64L;
            if (cli_parse_long(optarg, 1, most, &v) < 0) {
                cli_error(_("%s needs a whole number from 1 to %ld"), argv[optind - 1], most);
                return cli_usage_hint("scan");
            }
            if (opt == OPT_SIZE)
                o->max_unpacked = (uint64_t)v << 20;
            else if (opt == OPT_TIME)
                o->max_seconds = (unsigned)v;
            else
                o->threads = (unsigned)v;
            break;
        }
        default:
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return cli_usage_hint("scan");
        }
    }
    if (optind >= argc) {
        cli_error(_("name at least one file or folder to check (- for standard input)"));
        return cli_usage_hint("scan");
    }
    r->mode = quiet ? MODE_QUIET : json ? MODE_JSON : count ? MODE_COUNT : MODE_LINES;
    r->json_count = json && count;
    if (r->mode == MODE_COUNT || r->mode == MODE_QUIET || r->json_count)
        o->flags |= SCAN_NO_POSITION | SCAN_NO_CONTEXT;
    return CLI_OK;
}

int cmd_scan(struct cli_ctx *ctx, int argc, char **argv)
{
    struct scan_run r;
    struct scan_opts o;
    memset(&r, 0, sizeof(r));
    memset(&o, 0, sizeof(o));
    o.kind = MYNUMBER_INDIVIDUAL;
    o.encoding = SCAN_ENC_AUTO;
    r.mask = MYNUMBER_MASK_NONE;

    int rc = parse_scan_args(ctx, &r, &o, argc, argv);
    if (rc < 0)
        return CLI_OK; /* --help */
    if (rc != CLI_OK)
        return rc;
    rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    r.hint_yes = _("[keyword nearby: %s]");
    r.hint_no = _("[no keyword nearby]");
    r.page_fmt = _("[page %d]");
    r.not_scanned_fmt = _(": not scanned: %s");
    r.hint_no_len = strlen(r.hint_no);
    /* Results to a pipe or file go out in large writes (a terminal keeps its lines). */
    static char outbuf[1 << 16];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));

    const struct scan_handler h = {on_finding, on_problem, on_skipped, on_file_done};
    enum mnv_err err = MNV_OK;
    for (int i = optind; i < argc && err == MNV_OK; i++) {
        if (strcmp(argv[i], "-") == 0)
            err = scan_stream(STDIN_FILENO, r.label ? r.label : "-", &o, &h, &r);
        else
            err = scan_path(argv[i], &o, &h, &r);
    }
    if (err == MNV_ERR_NOMEM) {
        cli_error("%s", _(mnv_err_str(err)));
        r.problems++;
    }
    if (r.mode == MODE_JSON)
        printf("{\"type\":\"summary\",\"files\":%zu,\"files_with_matches\":%zu,\"matches\":%zu,"
               "\"not_scanned\":%zu,\"errors\":%zu,\"skipped\":%zu}\n",
               r.files, r.files_with, r.numbers, r.not_scanned, r.problems, r.skipped);
    strbuf_release(&r.memo_key);
    strbuf_release(&r.memo_text);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error(_("cannot write the results"));
        return CLI_USAGE;
    }
    if (r.mode == MODE_LINES || r.mode == MODE_COUNT)
        fprintf(stderr,
                _("mnvault: files checked: %zu, with numbers: %zu, numbers: %zu, "
                  "not scanned: %zu, could not be read: %zu, skipped: %zu\n"),
                r.files, r.files_with, r.numbers, r.not_scanned, r.problems, r.skipped);
    /* The strongest answer wins: numbers found, then errors, then parts not scanned. A
     * run that could not look everywhere never says clean. */
    if (r.numbers)
        return SCAN_EXIT_FOUND;
    if (r.problems)
        return SCAN_EXIT_ERROR;
    return r.not_scanned ? SCAN_EXIT_NOT_SCANNED : SCAN_EXIT_CLEAN;
}
