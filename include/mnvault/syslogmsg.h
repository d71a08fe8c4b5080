/* syslogmsg.h (base layer): mnvault's lines to the system log: facility LOG_AUTHPRIV,
 * ident "mnvault" with the process id. Callers send only what doc/audit.md allows there
 * (audit chain heads, failed logins and lockouts by user name, disposal counts): never a My
 * Number, a name of a person or a key. Whether to send at all is the caller's setting
 * ([audit] syslog). In the test build, MNVAULT_TEST_SYSLOG=FILE appends the lines to FILE
 * instead (testhook.h), so tests can see exactly what would reach the log.
 */
#ifndef MNVAULT_SYSLOGMSG_H
#define MNVAULT_SYSLOGMSG_H

#include "mnvault/attr.h"

/* syslogmsg_send: one line at priority (LOG_NOTICE, LOG_WARNING, …), printf-style. */
void syslogmsg_send(int priority, const char *fmt, ...) MNV_PRINTF(2, 3) MNV_NONNULL(2);

#endif
