/* The swap directory's path, judged from / down: pure rules. */
#ifndef GM_SWAPDIR_H
#define GM_SWAPDIR_H

#include <sys/types.h>

/* Why a step on the way to the swap directory lets someone other than
 * root change where the path leads, or NULL when it does not.  uid and
 * mode are the step's own (lstat): a directory the path goes through, or
 * a symbolic link the path follows.  A directory must be root-owned and
 * writable by root only, as sshd's StrictModes wants, except that a
 * sticky one (/tmp, 1777 root) may be writable by all: there only root
 * and an entry's owner may rename or remove it, and every entry the path
 * takes from it is itself required to be root-owned.  A link must be
 * root-owned (its owner could replace it in a sticky directory).  Pure. */
const char *swapdir_step_unsafe(uid_t uid, mode_t mode);

#endif
