/*
 * share-sheet: the share sheet functions from the shell, for tests.
 *   share-sheet split N K LABEL HEX64 DIR   write DIR/share-1.txt .. share-N.txt
 *   share-sheet parse < sheet               print "share I of N, K needed"
 *   share-sheet combine FILE...             print the rebuilt secret in hex
 * On an error the code's name (and "line L column C" for a typo) goes to stdout and the
 * exit status is 1; usage errors exit 2. The secret is given and printed in hex because
 * these are test secrets; mnvault itself never shows one.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/shares.h"

static int fail(enum mnv_err err, const struct mnv_diag *d)
{
    printf("%s", mnv_err_name(err));
    if (err == MNV_ERR_SHARES_TYPO)
        printf(" line %ld column %ld", d->line, d->column);
    printf("\n");
    return 1;
}

static size_t slurp(FILE *f, char *buf, size_t size)
{
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    return n;
}

static int split(int n, int k, const char *label, const char *hex, const char *dir)
{
    unsigned char secret[SHARES_SECRET_LEN];
    size_t got = 0;
    if (sodium_hex2bin(secret, sizeof(secret), hex, strlen(hex), NULL, &got, NULL) != 0 ||
        got != sizeof(secret))
        return 2;
    struct share s[SHARES_MAX];
    enum mnv_err err = shares_split(secret, n, k, s);
    if (err != MNV_OK)
        return fail(err, NULL);
    for (int i = 0; i < n; i++) {
        char text[2048], path[4096];
        if (shares_format(&s[i], label, text, sizeof(text)) != 0)
            return 2;
        snprintf(path, sizeof(path), "%s/share-%d.txt", dir, i + 1);
        FILE *f = fopen(path, "w");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0)
            return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static char text[70000];
    struct mnv_diag d;
    if (argc < 2 || sodium_init() < 0)
        return 2;
    mnv_diag_clear(&d);
    if (strcmp(argv[1], "split") == 0 && argc == 7)
        return split(atoi(argv[2]), atoi(argv[3]), argv[4], argv[5], argv[6]);
    if (strcmp(argv[1], "parse") == 0 && argc == 2) {
        struct share s;
        size_t n = slurp(stdin, text, sizeof(text));
        enum mnv_err err = shares_parse(text, n, &s, &d);
        if (err != MNV_OK)
            return fail(err, &d);
        printf("share %d of %d, %d needed\n", s.index, s.n, s.k);
        return 0;
    }
    if (strcmp(argv[1], "combine") == 0 && argc >= 3 && argc - 2 <= SHARES_MAX * 2) {
        struct share s[SHARES_MAX * 2];
        for (int i = 2; i < argc; i++) {
            FILE *f = fopen(argv[i], "r");
            if (!f)
                return 2;
            size_t n = slurp(f, text, sizeof(text));
            fclose(f);
            enum mnv_err err = shares_parse(text, n, &s[i - 2], &d);
            if (err != MNV_OK)
                return fail(err, &d);
        }
        unsigned char secret[SHARES_SECRET_LEN];
        enum mnv_err err = shares_combine(s, argc - 2, secret);
        if (err != MNV_OK)
            return fail(err, &d);
        char hex[2 * SHARES_SECRET_LEN + 1];
        printf("%s\n", sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret)));
        return 0;
    }
    return 2;
}
