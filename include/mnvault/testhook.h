/* testhook.h (base layer): the only switches tests may turn, compiled in only in the test build.
 *
 * build/mnvault-test and the unit tests link testhook.c compiled with MNV_TEST_HOOKS, which
 * reads these environment variables; build/mnvault links the production object, in which
 * every hook reports "not set". A production binary therefore can neither fake the clock
 * nor weaken key derivation, whatever its environment says.
 *   MNVAULT_TEST_NOW        fixed time: seconds since the epoch, or "YYYY-MM-DDTHH:MM:SS"
 *                           (UTC); "+N" advances the real clock by N seconds.
 *   MNVAULT_TEST_FAST_KDF   "1": Argon2id with the library's minimum cost (tests only).
 *   MNVAULT_TEST_IDLE_LOCK  seconds of idle time before the screen locks, overriding the
 *                           configuration's lower bound of 30 (so a test need not wait).
 *   MNVAULT_TEST_TIMING     a file to which the TUI appends "event microseconds" lines
 *                           (key handling, drawing) for the benchmarks.
 *   MNVAULT_TEST_SYSLOG     a file to which the lines meant for the system log are appended
 *                           as "PRIORITY line" instead (syslogmsg.h).
 */
#ifndef MNVAULT_TESTHOOK_H
#define MNVAULT_TESTHOOK_H

#include <time.h>

#include "mnvault/attr.h"

/* testhook_now: 1 and *now set when a fixed test time applies, else 0. */
MNV_MUST_CHECK int testhook_now(time_t real, time_t *now) MNV_NONNULL(2);

/* testhook_fast_kdf: 1 when the test build asks for the cheapest key derivation. */
MNV_MUST_CHECK int testhook_fast_kdf(void);

/* testhook_idle_lock: 1 and *seconds set when the test build overrides the idle lock. */
MNV_MUST_CHECK int testhook_idle_lock(int *seconds) MNV_NONNULL(1);

/* testhook_timing: record that event took usec microseconds (test build with
 * MNVAULT_TEST_TIMING set; otherwise nothing). */
void testhook_timing(const char *event, long long usec) MNV_NONNULL(1);

/* testhook_syslog: 1 when the test build took the syslog line (MNVAULT_TEST_SYSLOG set): it
 * is then not sent to the system log. */
MNV_MUST_CHECK int testhook_syslog(int priority, const char *line) MNV_NONNULL(2);

/* testhook_enabled: 1 in the test build, 0 in production (for --version and tests). */
int testhook_enabled(void);

#endif
