/* The daemon's side of the control socket (loop.h): open it, answer
 * RESERVE, RELEASE, RENEW and STATUS from the reservation table, end expired
 * reservations.  The loop polls the socket (loop.c); the tick grows for
 * reservations through loop_resv_short_b. */
#include "loop.h"

#include "log.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define MIB_F (1024.0 * 1024.0)

void loop_ctl_open(struct daemon *d)
{
	char err[300];
	int rc;

	/* Ids a previous daemon's clients may still hold are unlikely to
	 * come again: start from the wall clock. */
	resv_init(&d->resv, (uint32_t)time(NULL) * 1000u);
	rc = ctl_open(&d->ctl, d->cfg.rundir, err, sizeof(err));
	if (rc < 0)
		log_warnx("no control socket, so no reservations: %s", err);
	else
		log_info("reservations on %s", d->ctl.path);
}

uint64_t loop_resv_short_b(const struct daemon *d)
{
	return resv_short_b(resv_sum_b(&d->resv), tiers_free_b(&d->tiers));
}

void loop_resv_expire(struct daemon *d, int64_t now_ms)
{
	unsigned long before = d->resv.expired;

	if (resv_expire(&d->resv, now_ms) > 0)
		log_notice("%lu reservation(s) ended: TTL ran out; %.0f MiB "
			   "still reserved", d->resv.expired - before,
			   (double)resv_sum_b(&d->resv) / MIB_F);
}

static size_t answer(void *ctx, const struct ctlp_req *req, int64_t now_ms,
		     char *reply, size_t len)
{
	struct daemon *d = ctx;
	const struct resv *r;
	uint32_t id;
	int rc;

	loop_resv_expire(d, now_ms);
	switch (req->verb) {
	case CTLP_RESERVE:
		rc = resv_add(&d->resv, req->bytes, req->ttl_s, now_ms, &id);
		if (rc < 0)
			return ctlp_format_err(CTLP_E_FULL, reply, len);
		d->resv_changed = true;
		log_notice("reservation %" PRIu32 ": %.0f MiB for %" PRId64
			   " s; %.0f MiB reserved", id,
			   (double)req->bytes / MIB_F, req->ttl_s,
			   (double)resv_sum_b(&d->resv) / MIB_F);
		return (size_t)snprintf(reply, len, "OK %" PRIu32 "\n", id);
	case CTLP_RELEASE:
		if (resv_release(&d->resv, req->id) < 0)
			return ctlp_format_err(CTLP_E_UNKNOWN, reply, len);
		log_notice("reservation %" PRIu32 " released; %.0f MiB "
			   "reserved", req->id,
			   (double)resv_sum_b(&d->resv) / MIB_F);
		return (size_t)snprintf(reply, len, "OK %" PRIu32 "\n",
					req->id);
	case CTLP_RENEW:
		if (resv_renew(&d->resv, req->id, req->ttl_s, now_ms) < 0)
			return ctlp_format_err(CTLP_E_UNKNOWN, reply, len);
		log_notice("reservation %" PRIu32 " now ends in %" PRId64 " s",
			 req->id, req->ttl_s);
		return (size_t)snprintf(reply, len, "OK %" PRIu32 "\n",
					req->id);
	case CTLP_STATUS:
		r = resv_find(&d->resv, req->id);
		if (!r)
			return ctlp_format_err(CTLP_E_UNKNOWN, reply, len);
		/* Met when all of them are: one sum, one floor. */
		return (size_t)snprintf(
			reply, len, "OK %" PRIu32 " %s %" PRIu64 " %" PRId64 "\n",
			r->id, loop_resv_short_b(d) ? "pending" : "met",
			r->size_b, (r->expires_ms - now_ms + 999) / 1000);
	}
	return ctlp_format_err(CTLP_E_VERB, reply, len);
}

void loop_ctl_service(struct daemon *d, int64_t now_ms)
{
	ctl_service(&d->ctl, now_ms, answer, d);
}
