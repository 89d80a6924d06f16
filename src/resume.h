/* Hibernation: which swap area the kernel would resume from.  A swap
 * file that is the resume target (its device and the page offset of its
 * header, as /sys/power/resume and resume_offset or resume= and
 * resume_offset= on the kernel command line name them) is never swapped
 * off or deleted.  Parsing and matching are pure; resume_read does the
 * few reads and stats. */
#ifndef GM_RESUME_H
#define GM_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct resume_target {
	bool set;              /* a resume device is configured */
	bool have_dev;         /* major:minor known */
	unsigned major, minor;
	char name[128];        /* resume= when not major:minor: /dev/...,
				* UUID=, PARTUUID=, LABEL= (to resolve) */
	uint64_t offset_pages; /* resume_offset, PAGE_SIZE units (0: the
				* device itself, a partition) */
};

/* From the contents of /sys/power/resume ("MAJ:MIN"), of
 * /sys/power/resume_offset and of /proc/cmdline (any may be NULL, or
 * unreadable garbage: ignored).  sysfs wins when it names a device
 * (not 0:0); the command line's resume= and resume_offset= otherwise. */
void resume_parse(const char *sys_dev, size_t dev_len, const char *sys_off,
		  size_t off_len, const char *cmdline, size_t cmd_len,
		  struct resume_target *t);

/* Is a swap file on device major:minor, whose first page sits at
 * phys_pages pages into that device, the target?  When its physical
 * place is not known (phys_known false), a file on the resume device
 * with a non-zero resume_offset counts as the target: the safe side. */
bool resume_is_target(const struct resume_target *t, unsigned major,
		      unsigned minor, bool phys_known, uint64_t phys_pages);

/* Read the target of this machine (root "" normally; a test's tree
 * otherwise); resolve a name under /dev with stat.  0, or -errno when
 * nothing could be read (then no target). */
int resume_read(const char *root, struct resume_target *t);

/* Whether the swap file open at fd is the target: fstat for its
 * device, FIEMAP for the physical place of its first page.  false when
 * t is not set. */
bool resume_fd_is_target(const struct resume_target *t, int fd);

#endif
