/* tui.h (tui layer): the entry of the terminal application. The only TUI header outside
 * src/tui; it names no curses type, so the CLI can start the TUI without including curses.
 */
#ifndef MNVAULT_TUI_H
#define MNVAULT_TUI_H

#include "mnvault/attr.h"
#include "mnvault/config.h"

struct tui_options {
    const char *data_dir;         /* the vault's folder (must hold a vault) */
    const struct mnv_config *cfg; /* loaded configuration (borrowed) */
    const char *user;             /* user name to fill in on the login screen, or NULL */
};

/*
 * tui_run: open the terminal application on the vault: login, then the dashboard. Returns
 * the process exit status: 0 after a normal quit, 2 when the terminal cannot be used, or
 * 128+signal after SIGTERM/SIGHUP/SIGINT. The screen is cleared on exit.
 */
MNV_MUST_CHECK int tui_run(const struct tui_options *o) MNV_NONNULL(1);

#endif
