/* The few fields of the configuration each module needs, taken from a
 * struct config at the call: modules below the loop never include
 * config.h for one field (STYLE: small property structs). */
#ifndef GM_PARAMS_H
#define GM_PARAMS_H

#include "config.h"
#include "meminfo.h"
#include "policy.h"
#include "pool.h"
#include "predict.h"
#include "tick.h"
#include "swapfile.h"

static inline struct free_params params_free(const struct config *c)
{
	struct free_params p = {c->buffer_elasticity_pct,
				c->cache_elasticity_pct};
	return p;
}

static inline struct swap_prop params_swap(const struct config *c)
{
	struct swap_prop p = {c->priority, (int)c->discard};
	return p;
}

static inline struct size_params params_size(const struct config *c)
{
	struct size_params p = {c->swapsize_auto,     c->swapsize_b,
				c->min_swapsize_b,    c->max_swapsize_b,
				c->max_total_b,       c->max_files,
				c->freetarget_pct,    c->disk_reserve_is_pct,
				c->disk_reserve_pct,  c->disk_reserve_b};
	return p;
}

static inline struct limit_params params_limits(const struct config *c)
{
	struct limit_params p = {params_free(c), c->lower_freelimit_pct,
				 c->upper_freelimit_pct, 0};
	return p;
}

static inline struct pool_params params_pool(const struct config *c)
{
	/* keep_free_b (reservations) and keep_ms (a shrink's) are the
	 * loop's to set. */
	struct pool_params p = {params_size(c), params_free(c), params_swap(c),
				c->paranoid, 0, c->standby, c->spare_max_b,
				c->spike_rate_b, 0, 0, 0};
	return p;
}

static inline struct tick_params params_tick(const struct config *c)
{
	struct tick_params p = {params_limits(c), c->freetarget_pct,
				c->cooldown_s * 1000,
				{c->poll_min_ms, c->poll_max_ms,
				 (double)c->spike_rate_b / 1024.0}};
	return p;
}

#define FREE_PARAMS(cfg) (&(struct free_params[]){params_free(cfg)}[0])
#define SIZE_PARAMS(cfg) (&(struct size_params[]){params_size(cfg)}[0])
#define POOL_PARAMS(cfg) (&(struct pool_params[]){params_pool(cfg)}[0])
#define TICK_PARAMS(cfg) (&(struct tick_params[]){params_tick(cfg)}[0])
#define LIMIT_PARAMS(cfg) (&(struct limit_params[]){params_limits(cfg)}[0])

#endif
