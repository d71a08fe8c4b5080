#include "mnvault/syslogmsg.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "mnvault/testhook.h"

void syslogmsg_send(int priority, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (testhook_syslog(priority, line))
        return;
    static int opened;
    if (!opened) {
        openlog("mnvault", LOG_PID, LOG_AUTHPRIV);
        opened = 1;
    }
    syslog(priority, "%s", line);
}
