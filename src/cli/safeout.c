/*
 * safeout.c: the commands' standard output and standard error, made safe for a terminal
 * (cli layer). Names that people and files supplied (employees, file and member names,
 * paths, reasons typed) are printed by many commands; each known place escapes them
 * through textsafe, and this is the backstop behind all of them: every byte a command
 * writes through stdio passes textsafe_piece() on its way to the file descriptor, so a C0
 * or C1 control, a bidirectional control, U+2028/U+2029 or a byte that is not UTF-8 never
 * reaches the terminal or a reader of the output, whatever place printed it (issue 11
 * finding 10). Kept as they are: newline, tab and form feed (recovery sheets), and a
 * backslash (text escaped earlier keeps its escapes). Not for the terminal application,
 * whose curses output is escape sequences by design (its text goes through draw.c).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/secmem.h"
#include "mnvault/textsafe.h"

struct safeout {
    FILE *real;            /* the stream it replaced: the bytes leave through it, as before */
    FILE *stream;          /* the filter itself, now stdout or stderr */
    unsigned char held[4]; /* the start of a character the next write completes */
    size_t nheld;
};

static struct safeout outs[2];

/* Out through the replaced stream (stdio's own write, so a fault injector preloaded for the
 * vault's files does not take a message on its way to a log file for one of them). */
static int put_out(struct safeout *o, const char *p, size_t n)
{
    return fwrite(p, 1, n, o->real) == n && fflush(o->real) == 0 ? 0 : -1;
}

/* How many bytes at the end of s[0..n) begin a UTF-8 character that is not complete yet. */
static size_t incomplete_tail(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = s[n - k];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                      : c >= 0xE0 && c <= 0xEF ? 3
                      : c >= 0xF0 && c <= 0xF4 ? 4
                                               : 0;
        return need > k ? k : 0;
    }
    return 0;
}

/* Escape s[0..n) into out (room for 8 bytes per input byte); returns the length. */
static size_t escape_into(const char *s, size_t n, char *out)
{
    size_t pos = 0, used = 0;
    while (pos < n) {
        char c = s[pos];
        if (c == '\n' || c == '\t' || c == '\f') {
            out[used++] = c;
            pos++;
            continue;
        }
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t k = textsafe_piece(s, n, &pos, TEXTSAFE_KEEP_BACKSLASH, piece, NULL);
        memcpy(out + used, piece, k);
        used += k;
    }
    return used;
}

enum { CHUNK = 512 };

/* The stream's write function: escape what came (after what was held), hold a cut character. */
static ssize_t safe_write(void *cookie, const char *buf, size_t size)
{
    struct safeout *o = cookie;
    char in[CHUNK + sizeof(o->held)], out[(CHUNK + sizeof(o->held)) * TEXTSAFE_PIECE_SIZE];
    size_t done = 0;
    int rc = 0;
    while (rc == 0 && done < size) {
        size_t take = size - done < CHUNK ? size - done : CHUNK;
        memcpy(in, o->held, o->nheld);
        memcpy(in + o->nheld, buf + done, take);
        size_t n = o->nheld + take;
        done += take;
        o->nheld = incomplete_tail((const unsigned char *)in, n);
        n -= o->nheld;
        memcpy(o->held, in + n, o->nheld);
        size_t m = escape_into(in, n, out);
        if (m > 0)
            rc = put_out(o, out, m);
    }
    secmem_wipe(in, sizeof(in)); /* recovery sheets pass here */
    secmem_wipe(out, sizeof(out));
    return rc == 0 ? (ssize_t)size : -1;
}

/* At exit: flush both streams, then what is still held (a cut character) as escapes. */
static void safe_flush_all(void)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(outs); i++) {
        struct safeout *o = &outs[i];
        if (!o->stream)
            continue;
        fflush(o->stream);
        if (o->nheld == 0)
            continue;
        char out[sizeof(o->held) * TEXTSAFE_PIECE_SIZE];
        size_t n = escape_into((const char *)o->held, o->nheld, out);
        o->nheld = 0;
        (void)put_out(o, out, n);
    }
}

static FILE *safe_stream(struct safeout *o, FILE *real, int mode)
{
    cookie_io_functions_t io = {.write = safe_write};
    o->real = real;
    o->nheld = 0;
    o->stream = fopencookie(o, "w", io);
    if (o->stream && setvbuf(o->stream, NULL, mode, mode == _IONBF ? 0 : BUFSIZ) != 0) {
        fclose(o->stream);
        o->stream = NULL;
    }
    return o->stream;
}

void cli_safe_output(void)
{
    if (outs[0].stream)
        return;
    fflush(stdout);
    fflush(stderr);
    FILE *out = safe_stream(&outs[0], stdout, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
    FILE *err = safe_stream(&outs[1], stderr, _IONBF);
    if (!out || !err) { /* out of memory at start: stay with the plain streams */
        if (out)
            fclose(out);
        if (err)
            fclose(err);
        outs[0].stream = outs[1].stream = NULL;
        return;
    }
    atexit(safe_flush_all);
    stdout = out; /* glibc: stdout and stderr are variables a program may set */
    stderr = err;
}
