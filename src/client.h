/* The reservation client, in the daemon's binary: --reserve (alone, or
 * wrapping a COMMAND after "--"), --release and --apt-hook talk to the
 * running daemon over its control socket (ctl.h, ctlproto.h). */
#ifndef GM_CLIENT_H
#define GM_CLIENT_H

#include "config.h"

#include <stdbool.h>

/* Does the command line ask for the client? */
bool client_wanted(const struct config *cfg);

/* Is this the apt hook (argv scanned as given, for a configuration that
 * did not even parse: the hook must never fail apt)? */
bool client_is_apt_hook(int argc, char *const argv[]);

/* Run the client: the exit status (GM_EXIT_*, or the COMMAND's). */
int client_main(const struct config *cfg, char *const argv[]);

#endif
