/*
 * totp-uri: print the otpauth:// URI totp_uri() makes, for tests.
 *   totp-uri ISSUER ACCOUNT [BASE32-SECRET]   (without a secret, a fresh random one)
 * Exit status: 0 done, 2 usage or a bad secret.
 */
#include <sodium.h>
#include <stdio.h>

#include "mnvault/totp.h"

int main(int argc, char **argv)
{
    unsigned char secret[TOTP_SECRET_LEN];
    char uri[1024];
    if (argc < 3 || argc > 4 || sodium_init() < 0)
        return 2;
    if (argc == 4) {
        if (totp_base32_decode(argv[3], secret, sizeof(secret)) != TOTP_SECRET_LEN)
            return 2;
    } else {
        totp_secret_new(secret);
    }
    if (totp_uri(uri, sizeof(uri), argv[1], argv[2], secret) != 0)
        return 2;
    printf("%s\n", uri);
    return 0;
}
