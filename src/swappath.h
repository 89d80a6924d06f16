/* swappath with %H (short host name) and %m (machine-id), so that one
 * NFS export serves many hosts, each in a directory of its own.  Pure:
 * the host name and machine-id are passed in. */
#ifndef GM_SWAPPATH_H
#define GM_SWAPPATH_H

#include <stdbool.h>
#include <stddef.h>

/* Tiers: swappath may list up to SWAPPATH_TIERS_MAX directories in
 * order of preference, written "[DIR, DIR ...]".  No absolute path
 * starts with '[', so a list is never mistaken for a directory; a
 * directory in a list cannot hold ',', '[' or ']', nor start or end
 * with a blank. */
#define SWAPPATH_TIERS_MAX 4

/* Split swappath into its entries (not expanded): a single directory
 * (anything not starting with '[') is its only entry, as written.
 * out[i] holds entry i (each outlen bytes).  The count (>= 1), or -1
 * with a message (an empty entry, more than SWAPPATH_TIERS_MAX, no
 * closing ']', text after it, a stray '[' or ']', an entry too long). */
int swappath_split(const char *in, char out[][256], int max, char *err,
		   size_t errlen);

/* Does path use %H or %m (so the caller must look them up)? */
bool swappath_uses(const char *path, char conv);

/* The short host name of a node name (up to the first dot) into out;
 * false when it is empty or holds anything but letters, digits, '-' and
 * '_' (a host name comes from DHCP: it must not bend a path). */
bool swappath_short_host(const char *nodename, char *out, size_t outlen);

/* Expand %H, %m and %% of in into out.  host and machine_id may be NULL
 * when in does not use them.  0, GM_EXIT_USAGE (an unknown or trailing
 * %, a result that is not absolute, holds a . or .. component or does
 * not fit), or GM_EXIT_SWAPPATH (%H with an empty host name, %m with an
 * empty machine-id: the caller passes "" when swappath_short_host or
 * swappath_machine_id refused what it read), with a message.  The
 * values are not scanned again: "%H" as a stand-in stays as it is. */
int swappath_expand(const char *in, const char *host,
		    const char *machine_id, char *out, size_t outlen,
		    char *err, size_t errlen);

/* The machine-id from the text of /etc/machine-id (32 lowercase hex
 * digits and a newline) into out (33 bytes); false when malformed. */
bool swappath_machine_id(const char *buf, size_t len, char out[33]);

#endif
