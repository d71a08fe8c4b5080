/* textsafe.h (base layer): one way to show text that a person or a file supplied: file and
 * archive member names, employee and user names, CSV headers, audit text. Such text may
 * hold characters that a terminal or a reader takes as commands rather than text: C0
 * controls and DEL (a newline fakes an output line, ESC starts an escape sequence), C1
 * controls (U+009B is a one-character CSI, U+009D an OSC), bidirectional controls (U+202E
 * shows "txt.exe" as "exe.txt"), line and paragraph separators, and bytes that are not
 * UTF-8. Every place that prints such text passes it through here.
 *
 * The escapes, ASCII only and never ambiguous:
 *   \xNN      a C0 control or DEL (U+0000-U+001F, U+007F), or a byte that is not part of
 *             valid UTF-8 (overlong forms and surrogates included); NN in upper-case hex
 *   \uNNNN    a C1 control (U+0080-U+009F), a bidirectional control (U+061C, U+200E,
 *             U+200F, U+202A-U+202E, U+2066-U+2069) or U+2028 / U+2029
 *   \\        a backslash, so that an escape written by the escaper and the same letters
 *             typed in a name can be told apart
 * Every other character is kept as it is (kanji, kana, full-width forms, emoji).
 */
#ifndef MNVAULT_TEXTSAFE_H
#define MNVAULT_TEXTSAFE_H

#include <stddef.h>
#include <stdio.h>

#include "mnvault/attr.h"

/*
 * Flags of textsafe_piece() and textsafe_escape_n(). TEXTSAFE_KEEP_BACKSLASH: leave "\"
 * alone, for text that was escaped before it was stored (audit entries) and is now shown
 * again, and for screens, where the difference does not matter and "\\" would look odd.
 */
enum textsafe_flag {
    TEXTSAFE_KEEP_BACKSLASH = 1 << 0,
};

/* Room for one piece: the longest is an escape "\uNNNN" or a 4-byte character, plus NUL. */
#define TEXTSAFE_PIECE_SIZE 8

/*
 * textsafe_piece: the character of s[0..len) at *pos as it may be shown: into out
 * (NUL-terminated) either its own bytes or its escape; flags: enum textsafe_flag bits. Advances
 * *pos past it (by one byte for a byte that is not UTF-8). Returns the length of out (0 only when
 * *pos >= len); *escaped (may be NULL) says whether an escape was written.
 */
size_t textsafe_piece(const char *s, size_t len, size_t *pos, unsigned flags,
                      char out[TEXTSAFE_PIECE_SIZE], int *escaped) MNV_NONNULL(1, 3, 5);

/*
 * textsafe_escape_n: s[0..len) escaped into out (size bytes, NUL-terminated, cut before a
 * piece that does not fit; nothing written when size is 0). Returns the length the whole
 * escaped text needs, without the NUL (like snprintf), so out was big enough when the
 * result is below size. textsafe_escape: the same for a NUL-terminated s, flags 0.
 */
size_t textsafe_escape_n(char *out, size_t size, const char *s, size_t len, unsigned flags)
    MNV_NONNULL(3);
size_t textsafe_escape(char *out, size_t size, const char *s) MNV_NONNULL(3);

/* textsafe_clean: 1 when s[0..len) would be shown unchanged, else 0. */
int textsafe_clean(const char *s, size_t len) MNV_NONNULL(1);

/* textsafe_fputs: write s escaped (flags as above) to f. Returns 0, or EOF when writing
 * failed. */
int textsafe_fputs(const char *s, unsigned flags, FILE *f) MNV_NONNULL(1, 3);

/* textsafe_dup: a malloc'd escaped copy of s; free with free(). NULL when out of memory. */
MNV_MUST_CHECK char *textsafe_dup(const char *s) MNV_NONNULL(1);

#endif
