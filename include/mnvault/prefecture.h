/* prefecture.h (base layer): the 47 prefectures of Japan by their JIS X 0401 codes, for
 * settings and forms that name a prefecture. Forms with codes of their own (the pension
 * office numbers the prefectures differently) map the JIS code through their layout.
 */
#ifndef MNVAULT_PREFECTURE_H
#define MNVAULT_PREFECTURE_H

#include "mnvault/attr.h"

#define PREFECTURE_COUNT 47

/*
 * prefecture_find: the JIS X 0401 code (1 北海道 … 47 沖縄県) of a prefecture's name, with
 * or without its 都/道/府/県 ("東京都", "東京"); 0 when it is none.
 */
int prefecture_find(const char *name) MNV_NONNULL(1);

/* prefecture_name: the full name of code 1-47 ("東京都"); "" for any other code. */
const char *prefecture_name(int code);

/* prefecture_of_address: the code of the prefecture an address begins with; 0 when none. */
int prefecture_of_address(const char *address) MNV_NONNULL(1);

#endif
