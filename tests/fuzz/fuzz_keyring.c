/* libFuzzer target for the key file parser. The input's last 32 bytes are replaced by the
 * right checksum, so the fuzzer gets past it into the structure. A parse that succeeds must
 * give back the very same bytes when written without the master key (the protected part
 * copied byte for byte, the login state rebuilt), and must never read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/keyring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            __builtin_trap();
        ready = 1;
    }
    if (size < 32 || size > (1u << 20))
        return 0;
    unsigned char *buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    crypto_generichash(buf + size - 32, 32, buf, size - 32, NULL, 0);
    struct keyring *kr;
    if (keyring_parse(buf, size, "/nonexistent", &kr, NULL) == MNV_OK) {
        unsigned char *out;
        size_t len;
        if (keyring_serialize(kr, NULL, KEYRING_IMAGE_FILE, &out, &len) != MNV_OK)
            __builtin_trap();
        if (len != size || memcmp(out, buf, size) != 0)
            __builtin_trap();
        free(out);
        for (size_t i = 0; i < keyring_slot_count(kr); i++)
            if (strlen(keyring_slot_at(kr, i)->name) > KEYRING_NAME_MAX)
                __builtin_trap();
        struct keyring_login_state st;
        keyring_login_state_get(kr, "admin", &st);
        keyring_free(kr);
    }
    free(buf);
    return 0;
}
