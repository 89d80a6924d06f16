/* resv.c: reservation bookkeeping: the sum, release (and of an unknown
 * id), expiry by TTL, a full table, what is still short, the shrink
 * floor, and upgrade_reserve=auto. */
#include "resv.h"
#include "t.h"

#include <errno.h>

#define MIB (1024ULL * 1024)

static void test_add_sum_release(void)
{
	struct resv_table t;
	uint32_t a = 0, b = 0, c = 0;

	resv_init(&t, 100);
	CHECK(resv_count(&t) == 0 && resv_sum_b(&t) == 0, "empty at start");
	CHECK(resv_add(&t, 64 * MIB, 60, 1000, &a) == 0 && a == 100,
	      "first id %u", a);
	CHECK(resv_add(&t, 100 * MIB, 3600, 2000, &b) == 0 && b == 101,
	      "second id %u", b);
	CHECK_EQ_U(resv_sum_b(&t), 164 * MIB, "sum of two");
	CHECK(resv_release(&t, a) == 0, "release a");
	CHECK_EQ_U(resv_sum_b(&t), 100 * MIB, "sum after release");
	CHECK(resv_release(&t, a) == -ENOENT, "release twice: -ENOENT");
	CHECK(resv_release(&t, 9999) == -ENOENT, "unknown id: -ENOENT");
	CHECK(resv_release(&t, 0) == -ENOENT, "id 0: -ENOENT");
	CHECK(resv_find(&t, a) == NULL && resv_find(&t, b) != NULL,
	      "find after release");
	CHECK(resv_add(&t, 0, 60, 0, &c) == -EINVAL, "zero size refused");
	CHECK(resv_add(&t, 1, 0, 0, &c) == -EINVAL, "zero TTL refused");
	CHECK(t.made == 2 && t.released == 1, "counters %lu %lu", t.made,
	      t.released);
}

static void test_expiry(void)
{
	struct resv_table t;
	uint32_t a, b;

	resv_init(&t, 0);
	resv_add(&t, 10 * MIB, 60, 0, &a);
	resv_add(&t, 20 * MIB, 120, 0, &b);
	CHECK(a == 1, "ids start at 1 when given 0: %u", a);
	CHECK(resv_expire(&t, 59999) == 0 && resv_count(&t) == 2,
	      "nothing ends before its TTL");
	CHECK(resv_expire(&t, 60000) == 1 && resv_find(&t, a) == NULL &&
		      resv_find(&t, b) != NULL,
	      "the 60 s one ends at 60 s");
	CHECK_EQ_U(resv_sum_b(&t), 20 * MIB, "sum after expiry");
	CHECK(resv_release(&t, a) == -ENOENT, "an expired id is unknown");
	CHECK(resv_expire(&t, 1000000) == 1 && resv_count(&t) == 0,
	      "the rest ends");
	CHECK(t.expired == 2, "expired counter %lu", t.expired);

	/* RENEW: the end moves to now + TTL, sooner or later. */
	resv_add(&t, 10 * MIB, 3600, 0, &a);
	CHECK(resv_renew(&t, a, 120, 10000) == 0, "renew");
	CHECK(resv_expire(&t, 129999) == 0 && resv_find(&t, a),
	      "held until 10 s + 120 s");
	CHECK(resv_renew(&t, a, 600, 100000) == 0 &&
		      resv_expire(&t, 130000) == 0 && resv_find(&t, a),
	      "renewed later: held past the old end");
	CHECK(resv_expire(&t, 700000) == 1 && !resv_find(&t, a),
	      "ends at 100 s + 600 s");
	CHECK(resv_renew(&t, a, 60, 700000) == -ENOENT, "an ended id: -ENOENT");
	resv_add(&t, 10 * MIB, 60, 0, &a);
	CHECK(resv_renew(&t, a, 0, 0) == -EINVAL && resv_find(&t, a) &&
		      resv_find(&t, a)->expires_ms == 60000,
	      "TTL 0 refused, nothing changed");
}

static void test_full_and_wrap(void)
{
	struct resv_table t;
	uint32_t id, first;
	int i, ok = 0;

	resv_init(&t, 4294967294u);
	for (i = 0; i < RESV_MAX; i++)
		ok += resv_add(&t, MIB, 60, 0, &id) == 0;
	CHECK(ok == RESV_MAX, "%d of %d added", ok, RESV_MAX);
	CHECK(resv_add(&t, MIB, 60, 0, &id) == -ENOSPC, "full table");
	/* The ids wrapped past 0 without handing out 0. */
	CHECK(resv_find(&t, 0) == NULL && resv_find(&t, 1) != NULL,
	      "wrapped to 1");
	first = 4294967294u;
	CHECK(resv_release(&t, first) == 0 &&
		      resv_add(&t, MIB, 60, 0, &id) == 0 && id != 0 &&
		      id != 4294967295u,
	      "a freed slot is reused with a fresh id (%u)", id);
}

static void test_short_and_floor(void)
{
	CHECK_EQ_U(resv_short_b(0, 0), 0, "nothing reserved");
	CHECK_EQ_U(resv_short_b(100 * MIB, 40 * MIB), 60 * MIB, "60 short");
	CHECK_EQ_U(resv_short_b(100 * MIB, 100 * MIB), 0, "exactly met");
	CHECK(resv_shrink_ok(0, 0, 64 * MIB), "no reservation: any file");
	CHECK(resv_shrink_ok(100 * MIB, 200 * MIB, 64 * MIB),
	      "136 left of 100 reserved");
	CHECK(resv_shrink_ok(100 * MIB, 164 * MIB, 64 * MIB),
	      "exactly 100 left");
	CHECK(!resv_shrink_ok(100 * MIB, 163 * MIB, 64 * MIB),
	      "99 left of 100 reserved");
	CHECK(!resv_shrink_ok(1, 10 * MIB, 20 * MIB),
	      "a file freer than all our free swap (a stale figure)");
}

static void test_upgrade_auto(void)
{
	CHECK_EQ_U(resv_upgrade_auto_b(256 * MIB), 256 * MIB, "256 MiB RAM");
	CHECK_EQ_U(resv_upgrade_auto_b(512 * MIB), 256 * MIB, "512 MiB RAM");
	CHECK_EQ_U(resv_upgrade_auto_b(1024 * MIB), 512 * MIB, "1 GiB RAM");
	CHECK_EQ_U(resv_upgrade_auto_b(3072 * MIB), 1024 * MIB, "3 GiB RAM");
	CHECK_EQ_U(resv_upgrade_auto_b(4096 * MIB), 0, "4 GiB RAM: off");
	CHECK_EQ_U(resv_upgrade_auto_b(0), 256 * MIB, "unknown RAM");
}

int main(void)
{
	test_add_sum_release();
	test_expiry();
	test_full_and_wrap();
	test_short_and_floor();
	test_upgrade_auto();
	T_END();
}
