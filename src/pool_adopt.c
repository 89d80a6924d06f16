/* What we own, as the kernel and the directory say: the files adopted
 * at start (active ones from /proc/swaps, valid leftovers kept as
 * spares, invalid ones deleted) and each refresh of the books from
 * /proc/swaps.  A line of /proc/swaps that cannot be read never makes
 * an active file look inactive. */
#include "pool.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>

int pool_refresh(struct pool *p, int64_t now_ms)
{
	static struct swaps_table t; /* the loop's only: not on its stack */
	char path[800];
	int i, rc = p->sys->swaps_read(p->swaps_path, &t);

	(void)now_ms;
	p->swaps = rc < 0 ? NULL : &t;
	if (rc < 0)
		return rc;
	for (i = 0; i < p->n; i++) {
		struct pool_file *f = &p->f[i];
		int k;

		pool_path(p, f->slot, path, sizeof(path));
		k = swaps_find(&t, path);
		if (k >= 0) {
			f->active = true;
			/* On again: no longer kept (a lane's swapon says so
			 * itself when it is collected). */
			if (!pool_slot_busy(p, f->slot))
				f->keep_until_ms = 0;
			f->used_kb = t.e[k].used_kb;
			f->priority = t.e[k].priority;
			continue;
		}
		/* A line the parser could not read may be ours: what the
		 * kernel may still have on is never forgotten. */
		if (f->active && t.skipped > 0)
			continue;
		/* A lane's own swapoff can end before the lane reports. */
		if (f->active && !pool_slot_busy(p, f->slot))
			log_warnx("swap file %s was turned off behind our back; "
				  "keeping it as a spare", path);
		f->active = false;
		f->used_kb = 0;
		/* Gone from the directory too: forget it (unless a lane
		 * is working on it: it tells us itself). */
		if (!pool_slot_busy(p, f->slot) &&
		    pool_file_gone(p, f->slot, f->since_ms)) {
			log_warnx("swap file %s was deleted behind our back",
				  path);
			pool_drop(p, f);
			i--;
		}
	}
	return 0;
}

struct adopt_ctx {
	struct pool *p;
	uint64_t min_b;
	int64_t now_ms;
	bool swaps_known; /* /proc/swaps was read */
};

/* One directory entry at start: adopted already, a valid leftover kept
 * as a spare, or an invalid one deleted (never through a link: the
 * entry itself goes; a directory is left for the administrator). */
static void adopt_entry(void *arg, const char *name)
{
	struct adopt_ctx *a = arg;
	struct pool *p = a->p;
	int slot = pool_slot_of_name(name);
	char path[800];
	uint64_t size_b;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", p->dir.canon, name);
	if (slot < 0) {
		if (name[0] != '.')
			log_warnx("ignoring %s: not a name ghostmemory uses",
				  path);
		return;
	}
	if (pool_find(p, slot))
		return; /* active: adopted */
	/* It may hold a hibernation image (no swap signature then). */
	if (p->sys->is_resume_target && p->sys->is_resume_target(&p->dir, slot)) {
		log_notice("leaving %s alone: it is the hibernation resume "
			   "target", path);
		return;
	}
	rc = p->sys->validate(&p->dir, slot, a->min_b, &size_b);
	if (rc == 0 && p->n < POOL_MAX - LANE_N) {
		/* If /proc/swaps could not be read, this may be an active
		 * file: a swapon then says EBUSY, and it is adopted. */
		p->f[p->n++] = (struct pool_file){
			.slot = slot, .size_b = size_b, .since_ms = a->now_ms};
		p->c.spares_kept++;
		log_notice("kept valid leftover %s as a spare", path);
		return;
	}
	if (!a->swaps_known) {
		log_warnx("not deleting %s: /proc/swaps is unreadable, so it "
			  "may be in use", path);
		return;
	}
	if (rc == -EBUSY) {
		log_notice("leaving %s alone: it holds a hibernation image",
			   path);
		return;
	}
	rc = rc ? rc : -EMFILE;
	if (p->sys->remove(&p->dir, slot, false) < 0) {
		log_warn("cannot delete invalid leftover %s", path);
		return;
	}
	p->c.leftovers_deleted++;
	log_notice("deleted invalid leftover %s: %s", path,
		   rc == -EMFILE ? "too many files"
				 : swapfile_reject_reason(-rc));
}

void pool_adopt(struct pool *p, uint64_t min_swapsize_b, int64_t now_ms)
{
	static struct swaps_table t;
	struct adopt_ctx a = {p, min_swapsize_b, now_ms, true};
	int i, rc;

	p->n = 0;
	if (p->reach.pending)
		return; /* not open yet: adopted when it answers */
	rc = p->sys->swaps_read(p->swaps_path, &t);
	if (rc < 0) {
		errno = -rc;
		log_warn("cannot read %s; adopting nothing and deleting "
			 "nothing", p->swaps_path);
		t.count = 0;
		a.swaps_known = false;
	} else if (t.skipped > 0) {
		log_warnx("%s: %d line(s) could not be read; they are "
			  "ignored", p->swaps_path, t.skipped);
	}
	for (i = 0; i < t.count && p->n < POOL_MAX - LANE_N; i++) {
		int slot = pool_slot_of_path(p->dir.canon, t.e[i].path);
		char name[16];
		uint64_t size_b;

		if (slot < 0)
			continue;
		snprintf(name, sizeof(name), "%d", slot);
		size_b = t.e[i].size_kb * 1024;
		/* The Size column leaves out the header page. */
		if (p->sys->validate(&p->dir, slot, 0, &size_b) < 0)
			size_b = t.e[i].size_kb * 1024;
		p->f[p->n++] = (struct pool_file){
			.slot = slot, .active = true, .used_kb = t.e[i].used_kb,
			.priority = t.e[i].priority, .since_ms = now_ms,
			.size_b = size_b,
		};
		p->c.adopted++;
		log_notice("adopted active swap file %s", t.e[i].path);
		if (p->sys->is_resume_target &&
		    p->sys->is_resume_target(&p->dir, slot)) {
			p->f[p->n - 1].resume_target = true;
			log_notice("%s is the hibernation resume target: it is "
				   "never swapped off or deleted", t.e[i].path);
		}
	}
	rc = p->sys->sweep(&p->dir, adopt_entry, &a);
	if (rc < 0) {
		errno = -rc;
		log_warn("cannot list %s", p->dir.canon);
	}
}
