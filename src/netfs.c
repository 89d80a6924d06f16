/* Swap on NFS: the rules a mount must meet (netfs.h).
 *
 * - soft, softerr: a request that times out fails; for a swap-in that
 *   is a SIGBUS to the process whose page it was.  Refused.
 * - sec=krb5, krb5i, krb5p: every request needs a credential that
 *   rpc.gssd (user space) renews; under memory pressure it may not run,
 *   and swap-out would stall.  Refused.
 * - nolock, local_lock=all|posix|flock: the directory lock never
 *   reaches the server, so two hosts given one directory would both
 *   take it.  Warned about once.
 * - sync or async on the server's export is not visible to a client: a
 *   note at start.
 * - vers=4.2 and later have ALLOCATE: fallocate makes a file without
 *   holes quickly; before 4.2 the file is written. */
#include "netfs.h"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int netfs_judge(const struct mount_entry *m, const char *dir,
		struct netfs_verdict *v, char *msg, size_t msglen)
{
	memset(v, 0, sizeof(*v));
	if (msglen)
		msg[0] = '\0';
	if (!mount_is_nfs(m->fstype))
		return 0;
	v->nfs = true;
	v->lock_local = m->lock == MOUNT_LOCK_LOCAL;
	v->v42 = m->vers_major > 4 ||
		 (m->vers_major == 4 && m->vers_minor >= 2);
	if (m->soft || m->softerr) {
		snprintf(msg, msglen,
			 "swap directory %s is on the %s NFS mount %s (%s): a "
			 "swap-in that times out kills the process whose page "
			 "it was; mount it with hard",
			 dir, m->softerr ? "softerr" : "soft", m->mount_point,
			 m->source);
		v->refuse = GM_EXIT_NFS_SOFT;
		return v->refuse;
	}
	if (strncmp(m->sec, "krb5", 4) == 0) {
		snprintf(msg, msglen,
			 "swap directory %s is on the NFS mount %s with "
			 "sec=%s: Kerberos needs rpc.gssd in user space, which "
			 "may not run when memory is short; mount a dedicated "
			 "export with sec=sys",
			 dir, m->mount_point, m->sec);
		v->refuse = GM_EXIT_NFS_SEC;
		return v->refuse;
	}
	snprintf(msg, msglen,
		 "swap directory %s is on NFS (%s, vers=%d.%d%s%s): whether "
		 "the server exports it sync or async cannot be seen from "
		 "here (export it sync); %s",
		 dir, m->source, m->vers_major < 0 ? 0 : m->vers_major,
		 m->vers_minor < 0 ? 0 : m->vers_minor,
		 m->proto[0] ? ", proto=" : "", m->proto,
		 v->v42 ? "files are made with fallocate (NFSv4.2 ALLOCATE)"
			: "files are written in full (no ALLOCATE before "
			  "NFSv4.2)");
	return 0;
}

void netfs_lock_warning(const char *dir, char *msg, size_t msglen)
{
	snprintf(msg, msglen,
		 "swap directory %s is on an NFS mount with local locks "
		 "(nolock or local_lock=): the directory lock is local only; "
		 "another host given the same directory would not be refused",
		 dir);
}

int netfs_squash_verdict(const char *dir, int create_err, uid_t owner,
			 char *msg, size_t msglen)
{
	if (msglen)
		msg[0] = '\0';
	if (create_err == 0 && owner == 0)
		return 0;
	if (create_err == 0 || create_err == EACCES || create_err == EPERM) {
		snprintf(msg, msglen,
			 "swap directory %s: the export squashes root: export "
			 "it with no_root_squash to this host",
			 dir);
		return GM_EXIT_NFS_SQUASH;
	}
	snprintf(msg, msglen, "swap directory %s: cannot create a file in it: %s",
		 dir, strerror(create_err));
	return GM_EXIT_DIR_UNUSABLE;
}
