/*
 * pgmdiff A.pgm B.pgm [LEVEL]: compare two greyscale pictures (binary PGM, as `pdftoppm
 * -gray` writes them) loosely, for golden renders of PDFs: prints "W H N" where N is the
 * number of pixels whose grey levels differ by more than LEVEL (default 64 of 255).
 * Exit status: 0 compared, 1 the sizes differ, 2 usage or unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned char *load(const char *path, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    int max = 0;
    if (!f)
        return NULL;
    if (fscanf(f, "P5 %d %d %d", w, h, &max) != 3 || max != 255 || *w <= 0 || *h <= 0 ||
        *w > 20000 || *h > 20000 || fgetc(f) == EOF) {
        fclose(f);
        return NULL;
    }
    size_t n = (size_t)*w * (size_t)*h;
    unsigned char *p = malloc(n);
    if (p && fread(p, 1, n, f) != n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: pgmdiff A.pgm B.pgm [LEVEL]\n");
        return 2;
    }
    int level = argc == 4 ? atoi(argv[3]) : 64, wa, ha, wb, hb;
    unsigned char *a = load(argv[1], &wa, &ha), *b = load(argv[2], &wb, &hb);
    if (!a || !b) {
        fprintf(stderr, "pgmdiff: cannot read %s\n", !a ? argv[1] : argv[2]);
        free(a);
        free(b);
        return 2;
    }
    if (wa != wb || ha != hb) {
        printf("%dx%d %dx%d\n", wa, ha, wb, hb);
        free(a);
        free(b);
        return 1;
    }
    long diff = 0;
    for (size_t i = 0; i < (size_t)wa * (size_t)ha; i++)
        if (abs((int)a[i] - (int)b[i]) > level)
            diff++;
    printf("%d %d %ld\n", wa, ha, diff);
    free(a);
    free(b);
    return 0;
}
