/* paths.h (base layer): where mnvault finds its read-only data and its catalogues.
 *
 * The build tree and an installed copy both work without configuration: a folder beside
 * the running binary wins over the compiled-in install location.
 */
#ifndef MNVAULT_PATHS_H
#define MNVAULT_PATHS_H

#include <stddef.h>

#include "mnvault/attr.h"

/*
 * paths_data_dir: the folder holding mnvault's shipped data files (purposes.ini, forms…).
 * $MNVAULT_SHAREDIR when set, else "../data" relative to the binary when it exists (build
 * tree), else the installed DATADIR. Returns a static string valid for the process lifetime.
 */
const char *paths_data_dir(void);

/*
 * paths_locale_dir: the folder holding compiled catalogues (<lang>/LC_MESSAGES/mnvault.mo).
 * $MNVAULT_LOCALEDIR, else "locale" beside the binary, else the installed LOCALEDIR.
 * Returns a static string valid for the process lifetime.
 */
const char *paths_locale_dir(void);

/*
 * paths_full_program: the path of the whole mnvault program (every command; the mnvault
 * people run is a small front that runs `scan` itself) into buf: "mnvault-full" beside the
 * running binary when it is there (build tree), else LIBEXECDIR/mnvault/mnvault-full.
 * Returns 0, or -1 when buf is too small.
 */
MNV_MUST_CHECK int paths_full_program(char *buf, size_t size) MNV_NONNULL(1);

/*
 * paths_data_file: join paths_data_dir() and a relative name into buf.
 * Returns 0, or -1 when buf is too small.
 */
MNV_MUST_CHECK int paths_data_file(char *buf, size_t size, const char *name) MNV_NONNULL(1, 3);

/*
 * paths_vault_dir: the vault's folder into buf: explicit (--data-dir) when not NULL or
 * empty, else $MNVAULT_DATA_DIR, else configured (config vault.data_dir) when not empty,
 * else $XDG_DATA_HOME/mnvault when XDG_DATA_HOME is an absolute path, else
 * $HOME/.local/share/mnvault. Returns 0, or -1 when no folder can be named (no HOME) or
 * buf is too small.
 */
MNV_MUST_CHECK int paths_vault_dir(const char *explicit_dir, const char *configured, char *buf,
                                   size_t size) MNV_NONNULL(3);

#endif
