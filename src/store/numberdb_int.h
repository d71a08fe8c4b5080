/*
 * numberdb_int.h: what numberdb.c shares with numberdb_up.c (re-sealing a format-1 vault's
 * numbers): the associated data of format 2 and the keyed blind index. Private to src/store/.
 */
#ifndef MNVAULT_NUMBERDB_INT_H
#define MNVAULT_NUMBERDB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/numberdb.h"

/* "numbers.wrapped_key.2" || record id:u64 || person kind:u8 || person id:u64 || epoch:u32 */
size_t numberdb_wrap_ad(unsigned char *ad, int64_t id, const struct person_ref *ref,
                        uint32_t epoch);

/* "numbers.ciphertext.2" || record id:u64 || person kind:u8 || person id:u64 || version:u32 */
size_t numberdb_number_ad(unsigned char *ad, int64_t id, const struct person_ref *ref,
                          uint32_t version);

/* The blind index of n keyed with key (NULL: MNV_ERR_NUMBER_KEY). */
enum mnv_err numberdb_blind_with(const unsigned char *key, const struct mynumber *n,
                                 unsigned char out[VCRYPTO_HASH_LEN]);

#endif
