#include "mnvault/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DATADIR
#define DATADIR "/usr/local/share/mnvault"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef LIBEXECDIR
#define LIBEXECDIR "/usr/local/libexec"
#endif

static char data_dir[PATH_MAX];
static char locale_dir[PATH_MAX];

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running binary, or "" when it cannot be found. */
static void exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) {
        buf[0] = '\0';
        return;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

/* env, then beside the binary (first existing of the candidates), then the install path. */
static const char *resolve(char *out, const char *env, const char *const rel[],
                           const char *installed)
{
    if (out[0])
        return out;
    const char *e = getenv(env);
    if (e && *e) {
        snprintf(out, PATH_MAX, "%s", e);
        return out;
    }
    char dir[PATH_MAX];
    exe_dir(dir, sizeof(dir));
    for (int i = 0; dir[0] && rel[i]; i++) {
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof(cand), "%s/%s", dir, rel[i]) < (int)sizeof(cand) &&
            is_dir(cand)) {
            char *real = realpath(cand, NULL);
            snprintf(out, PATH_MAX, "%s", real ? real : cand);
            free(real);
            return out;
        }
    }
    snprintf(out, PATH_MAX, "%s", installed);
    return out;
}

const char *paths_data_dir(void)
{
    /* build/mnvault finds the source tree's data/; an installed binary finds DATADIR. */
    static const char *const rel[] = {"../data", "../../data", NULL};
    return resolve(data_dir, "MNVAULT_SHAREDIR", rel, DATADIR);
}

const char *paths_locale_dir(void)
{
    static const char *const rel[] = {"locale", "../locale", NULL};
    return resolve(locale_dir, "MNVAULT_LOCALEDIR", rel, LOCALEDIR);
}

int paths_full_program(char *buf, size_t size)
{
    char dir[PATH_MAX];
    exe_dir(dir, sizeof(dir));
    int n = snprintf(buf, size, "%s/mnvault-full", dir);
    if (dir[0] && n > 0 && (size_t)n < size && access(buf, X_OK) == 0)
        return 0;
    n = snprintf(buf, size, "%s/mnvault/mnvault-full", LIBEXECDIR);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int paths_data_file(char *buf, size_t size, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", paths_data_dir(), name);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int paths_vault_dir(const char *explicit_dir, const char *configured, char *buf, size_t size)
{
    const char *env = getenv("MNVAULT_DATA_DIR");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (explicit_dir && *explicit_dir)
        n = snprintf(buf, size, "%s", explicit_dir);
    else if (env && *env)
        n = snprintf(buf, size, "%s", env);
    else if (configured && *configured)
        n = snprintf(buf, size, "%s", configured);
    else if (xdg && xdg[0] == '/')
        n = snprintf(buf, size, "%s/mnvault", xdg);
    else if (home && *home)
        n = snprintf(buf, size, "%s/.local/share/mnvault", home);
    else
        return -1;
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}
