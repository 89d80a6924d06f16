/* loop_ctl.c: the daemon's answers on a real control socket in a
 * temporary run directory, over a pool with one active file of 1 GiB
 * free.  RESERVE adds to the table (OK <id>, ids in turn from the first
 * one), STATUS says met or pending from the sum against the free swap
 * and the TTL left, RELEASE takes one out, an unknown id is "unknown",
 * a full table "full" and a wrong version "version", each leaving the
 * table as it was; an expired reservation is gone before a request is
 * answered.  The socket wants a root-owned directory: as a user it is
 * SKIP. */
#include "log.h"
#include "loop.h"
#include "t.h"

#include <sys/socket.h>
#include <sys/un.h>

static struct daemon d;
static char dir[] = "/tmp/gm-test-loop-ctl.XXXXXX";
static char cap[4096];

/* Send line, let the daemon answer at now_ms, return its reply in buf. */
static void ask(const char *line, int64_t now_ms, char *buf, size_t len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ssize_t n = -1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d.ctl.path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    write(fd, line, strlen(line)) == (ssize_t)strlen(line)) {
		loop_ctl_service(&d, now_ms);
		n = read(fd, buf, len - 1);
	}
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

static void test_requests(void)
{
	char buf[200], want[200];
	uint32_t first;
	int i;

	capture_begin();
	loop_ctl_open(&d);
	capture_end(cap, sizeof(cap));
	CHECK(d.ctl.lfd >= 0 && strstr(cap, "reservations on "),
	      "socket open: %s", cap);
	first = d.resv.next_id;

	/* RESERVE: 100 MiB for 60 s; the table holds it. */
	capture_begin();
	ask("GM1 RESERVE 104857600 60\n", 1000, buf, sizeof(buf));
	capture_end(cap, sizeof(cap));
	snprintf(want, sizeof(want), "OK %u\n", (unsigned)first);
	CHECK_STR(buf, want, "reserve");
	CHECK(resv_count(&d.resv) == 1 && resv_sum_b(&d.resv) == 100 * MIB &&
		      d.resv_changed,
	      "one of 100 MiB held, tick asked for");
	CHECK(strstr(cap, "100 MiB for 60 s; 100 MiB reserved") != NULL,
	      "logged: %s", cap);

	/* STATUS: 1 GiB free covers it; 59.5 s left reads 60. */
	snprintf(want, sizeof(want), "GM1 STATUS %u\n", (unsigned)first + 9);
	ask(want, 1000, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR unknown ", 12) == 0, "status unknown: %s",
	      buf);
	snprintf(want, sizeof(want), "GM1 STATUS %u\n", (unsigned)first);
	ask(want, 1500, buf, sizeof(buf));
	snprintf(want, sizeof(want), "OK %u met 104857600 60\n",
		 (unsigned)first);
	CHECK_STR(buf, want, "status met");

	/* A second one of 2 GiB: the sum is more than the free swap. */
	capture_begin();
	ask("GM1 RESERVE 2147483648 10\n", 2000, buf, sizeof(buf));
	capture_end(cap, sizeof(cap));
	snprintf(want, sizeof(want), "OK %u\n", (unsigned)first + 1);
	CHECK_STR(buf, want, "second reserve");
	snprintf(want, sizeof(want), "GM1 STATUS %u\n", (unsigned)first);
	ask(want, 2000, buf, sizeof(buf));
	snprintf(want, sizeof(want), "OK %u pending 104857600 59\n",
		 (unsigned)first);
	CHECK_STR(buf, want, "status pending: all or none are met");

	/* RELEASE of an id never given: unknown, nothing changes. */
	ask("GM1 RELEASE 7\n", 2000, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR unknown ", 12) == 0, "release 7: %s", buf);
	CHECK(resv_count(&d.resv) == 2, "still two");

	/* Wrong version: refused by the parser, table untouched. */
	ask("GM2 RESERVE 1048576 60\n", 2000, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR version ", 12) == 0, "version: %s", buf);
	CHECK(resv_count(&d.resv) == 2, "still two after GM2");

	/* The 2 GiB one expires at 12 s: gone before the next answer. */
	capture_begin();
	snprintf(want, sizeof(want), "GM1 STATUS %u\n", (unsigned)first + 1);
	ask(want, 12000, buf, sizeof(buf));
	capture_end(cap, sizeof(cap));
	CHECK(strncmp(buf, "ERR unknown ", 12) == 0, "expired: %s", buf);
	CHECK(resv_count(&d.resv) == 1 && d.resv.expired == 1 &&
		      strstr(cap, "1 reservation(s) ended"),
	      "expired and logged: %s", cap);

	/* RENEW: OK <id>, the TTL left is the new one; unknown id. */
	snprintf(want, sizeof(want), "GM1 RENEW %u 300\n", (unsigned)first);
	ask(want, 13000, buf, sizeof(buf));
	snprintf(want, sizeof(want), "OK %u\n", (unsigned)first);
	CHECK_STR(buf, want, "renew");
	snprintf(want, sizeof(want), "GM1 STATUS %u\n", (unsigned)first);
	ask(want, 13000, buf, sizeof(buf));
	CHECK(strstr(buf, " 300\n") != NULL, "ttl left after renew: %s", buf);
	ask("GM1 RENEW 7 300\n", 13000, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR unknown ", 12) == 0, "renew 7: %s", buf);

	/* RELEASE: OK <id>, the table is empty again, twice is unknown. */
	capture_begin();
	snprintf(want, sizeof(want), "GM1 RELEASE %u\n", (unsigned)first);
	ask(want, 13000, buf, sizeof(buf));
	capture_end(cap, sizeof(cap));
	snprintf(want, sizeof(want), "OK %u\n", (unsigned)first);
	CHECK_STR(buf, want, "release");
	CHECK(resv_count(&d.resv) == 0 && resv_sum_b(&d.resv) == 0 &&
		      strstr(cap, "released; 0 MiB reserved"),
	      "released: %s", cap);
	snprintf(want, sizeof(want), "GM1 RELEASE %u\n", (unsigned)first);
	ask(want, 13000, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR unknown ", 12) == 0, "twice: %s", buf);

	/* A full table: the next RESERVE is "full" and adds nothing. */
	capture_begin();
	for (i = 0; i < RESV_MAX; i++)
		ask("GM1 RESERVE 1048576 600\n", 14000, buf, sizeof(buf));
	CHECK(resv_count(&d.resv) == RESV_MAX, "filled: %d",
	      resv_count(&d.resv));
	d.resv_changed = false;
	ask("GM1 RESERVE 1048576 600\n", 14000, buf, sizeof(buf));
	capture_end(cap, sizeof(cap));
	CHECK(strncmp(buf, "ERR full ", 9) == 0, "full: %s", buf);
	CHECK(resv_count(&d.resv) == RESV_MAX && !d.resv_changed &&
		      resv_sum_b(&d.resv) == RESV_MAX * MIB,
	      "nothing added when full");
	ctl_close(&d.ctl);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP test_loop_ctl: the control socket wants a "
		       "root-owned run directory\n");
		T_END();
	}
	if (t_mkdtemp(dir) < 0)
		T_END();
	log_init(false, 1);
	config_defaults(&d.cfg);
	snprintf(d.cfg.rundir, sizeof(d.cfg.rundir), "%s", dir);
	/* One active file of 1 GiB, nothing used. */
	d.tiers.n = 1;
	d.tiers.t[0].n = 1;
	d.tiers.t[0].f[0].active = true;
	d.tiers.t[0].f[0].size_b = 1024 * MIB;
	test_requests();
	rm_tree(dir);
	T_END();
}
