/* Swap on a network filesystem: what a mount's options and a probe
 * file say about it.  Pure: the mount comes from mountinfo.c, the
 * probe's outcome from swapdir_net.c. */
#ifndef GM_NETFS_H
#define GM_NETFS_H

#include "mountinfo.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What the swap directory's mount allows. */
struct netfs_verdict {
	int refuse;        /* 0, or GM_EXIT_NFS_SOFT / GM_EXIT_NFS_SEC */
	bool nfs;          /* on an NFS mount */
	bool lock_local;   /* nolock / local_lock=: the lock stays here */
	bool v42;          /* NFSv4.2 or later: ALLOCATE (fallocate) */
};

/* Judge the mount m holding swap directory dir.  A refusal's message,
 * or the notes worth a line in the log for an accepted NFS mount, go
 * to msg (empty when there is nothing to say).  Returns v->refuse. */
int netfs_judge(const struct mount_entry *m, const char *dir,
		struct netfs_verdict *v, char *msg, size_t msglen);

/* The warning for a mount whose locks are local only. */
void netfs_lock_warning(const char *dir, char *msg, size_t msglen);

/* The root-squash probe's verdict: create_err is 0 when the probe file
 * could be created (then owner is its owner), else the errno of the
 * create.  0 (root owns what it makes), GM_EXIT_NFS_SQUASH (EACCES,
 * EPERM, or a file owned by someone else), or GM_EXIT_DIR_UNUSABLE for
 * another error; msg says which. */
int netfs_squash_verdict(const char *dir, int create_err, uid_t owner,
			 char *msg, size_t msglen);

#endif
