/* libFuzzer target for the backup file reader (backupfile_open, backupfile_extract, and
 * backupfile_check_head, which must accept every file the whole extraction accepts). The
 * prefix checksum (bytes 96-127) is set right, so the fuzzer gets past it into the lengths
 * and the stream. The key comes from a fixed master key (bytes 0, 1, … 31), the one the
 * seed backup in corpus/backupfile/ was made with, so the seed authenticates in full and
 * its mutations reach every check of the stream. The input is written to a file, as restore
 * reads one. Nothing may crash, read out of bounds or leak, whatever the bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/backupfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static char path[64];
    static unsigned char mk[32];
    if (!ready) {
        if (sodium_init() < 0)
            __builtin_trap();
        for (int i = 0; i < 32; i++)
            mk[i] = (unsigned char)i;
        snprintf(path, sizeof(path), "/tmp/fuzz-backupfile-%ld", (long)getpid());
        ready = 1;
    }
    if (size > (4u << 20))
        return 0;
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (size >= BACKUPFILE_PREFIX_LEN)
        crypto_generichash(buf + 96, 32, buf, 96, NULL, 0);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0)
        __builtin_trap();
    free(buf);
    struct backupfile_reader *r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    if (backupfile_open(path, &r, &d) == MNV_OK) {
        const struct backupfile_header *h = backupfile_header(r);
        if (h->keyfile_len == 0 || h->keyfile_len > BACKUPFILE_KEYFILE_MAX)
            __builtin_trap();
        unsigned char key[32], hash[32];
        struct backupfile_manifest m;
        if (backupfile_key(h->version, mk, h->backup_id, key) != MNV_OK)
            __builtin_trap();
        enum mnv_err err = backupfile_extract(r, key, -1, &m, hash, &d);
        if (err == MNV_OK && strlen(m.program) > BACKUPFILE_PROGRAM_MAX)
            __builtin_trap();
        backupfile_close(r);
        struct backupfile_manifest mh;
        if (backupfile_open(path, &r, &d) != MNV_OK)
            __builtin_trap();
        enum mnv_err head = backupfile_check_head(r, key, &mh, &d);
        if (err == MNV_OK && (head != MNV_OK || mh.audit_seq != m.audit_seq))
            __builtin_trap();
        backupfile_close(r);
    }
    unlink(path);
    return 0;
}
