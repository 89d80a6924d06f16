/* The reservation client (client.h).  One request per connection, as
 * the protocol wants; a daemon that is busy is asked again a few times,
 * one that is absent is said so at once. */
#include "client.h"

#include "ctl.h"
#include "ctlproto.h"
#include "meminfo.h"
#include "policy.h"
#include "resv.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Waiting for an answer to one request. */
#define REPLY_MS 5000
/* "busy": asked again this often, this many times. */
#define BUSY_RETRY_MS 100
#define BUSY_TRIES 50
/* Between two STATUS requests while the swap is being made. */
#define STATUS_EVERY_MS 200
/* The apt hook waits at most this long, whatever --wait says. */
#define APT_WAIT_S 60
/* What "post" leaves of the reservation: apt builds its package cache
 * after the update's Post-Invoke (the memory-hungry part of an update on
 * a small machine), so the swap stays reserved this much longer. */
#define APT_POST_TTL_S 120
#define APT_ID_FILE "apt-hook.id"

static void sleep_ms(int64_t ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

bool client_wanted(const struct config *cfg)
{
	return cfg->reserve_arg[0] || cfg->release_arg[0] || cfg->apt_hook[0];
}

bool client_is_apt_hook(int argc, char *const argv[])
{
	int i;

	/* Ours only: what follows "--" is the wrapped command's. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "--apt-hook", 10) == 0 ||
		    strncmp(argv[i], "--apt_hook", 10) == 0)
			return true;
	return false;
}

/* One request; the reply parsed.  0 with *rep, or an exit status with
 * the message printed (quiet: not printed, for the apt hook's one line,
 * which says it in msg). */
static int ask(const struct config *cfg, const struct ctlp_req *req,
	       struct ctlp_reply *rep, char *msg, size_t msglen)
{
	char line[CTLP_MAX], reply[CTLP_REPLY_MAX];
	size_t n = ctlp_format_req(req, line, sizeof(line));
	int rc = 0, tries;

	for (tries = 0; tries < BUSY_TRIES; tries++) {
		rc = ctl_request(cfg->rundir, line, n, reply, sizeof(reply),
				 REPLY_MS);
		if (rc < 0)
			break;
		if (ctlp_parse_reply(reply, (size_t)rc, rep) < 0) {
			snprintf(msg, msglen, "the daemon's answer is not "
				 "understood");
			return GM_EXIT_REFUSED;
		}
		if (rep->ok)
			return 0;
		if (rep->err != CTLP_E_BUSY)
			break;
		sleep_ms(BUSY_RETRY_MS);
	}
	switch (rc) {
	case -ENOENT:
	case -ECONNREFUSED:
	case -ENOTDIR:
		snprintf(msg, msglen, "ghostmemory is not running (nothing "
			 "answers on %s/%s)", cfg->rundir, CTL_SOCKET_NAME);
		return GM_EXIT_NO_DAEMON;
	case -EACCES:
	case -EPERM:
		snprintf(msg, msglen, "%s/%s: permission denied: only root "
			 "may reserve swap", cfg->rundir, CTL_SOCKET_NAME);
		return GM_EXIT_NOT_ROOT;
	case -ETIMEDOUT:
	case -EAGAIN:
		snprintf(msg, msglen, "ghostmemory did not answer on %s/%s "
			 "within %d s", cfg->rundir, CTL_SOCKET_NAME,
			 REPLY_MS / 1000);
		return GM_EXIT_NO_DAEMON;
	default:
		break;
	}
	if (rc < 0) {
		snprintf(msg, msglen, "%s/%s: %s", cfg->rundir,
			 CTL_SOCKET_NAME, strerror(-rc));
		return GM_EXIT_NO_DAEMON;
	}
	snprintf(msg, msglen, "refused by the daemon: %s (%s)", rep->msg,
		 ctlp_code_name(rep->err));
	return rep->err == CTLP_E_DENIED ? GM_EXIT_NOT_ROOT : GM_EXIT_REFUSED;
}

static int say(int rc, const char *msg)
{
	fprintf(stderr, "ghostmemory: %s\n", msg);
	return rc;
}

/* RESERVE, then STATUS until met or wait_s runs out.  0 (met),
 * GM_EXIT_WAIT (*id is held, pending) or another failure (message in
 * msg, no reservation). */
static int reserve(const struct config *cfg, uint64_t size_b, int64_t wait_s,
		   uint32_t *id, char *msg, size_t msglen)
{
	struct ctlp_req req = {CTLP_RESERVE, size_b, cfg->ttl_s, 0};
	struct ctlp_reply rep;
	int64_t until;
	int rc;

	rc = ask(cfg, &req, &rep, msg, msglen);
	if (rc)
		return rc;
	*id = rep.id;
	req.verb = CTLP_STATUS;
	req.id = rep.id;
	until = gm_now_ms() + wait_s * 1000;
	for (;;) {
		rc = ask(cfg, &req, &rep, msg, msglen);
		if (rc)
			return rc;
		if (rep.met == 1)
			return 0;
		if (gm_now_ms() >= until)
			break;
		sleep_ms(STATUS_EVERY_MS);
	}
	snprintf(msg, msglen, "reservation %" PRIu32 ": %.0f MiB of swap "
		 "not ready after %" PRId64 " s", *id, (double)size_b / MIB,
		 wait_s);
	return GM_EXIT_WAIT;
}

static int release(const struct config *cfg, uint32_t id, char *msg,
		   size_t msglen)
{
	struct ctlp_req req = {CTLP_RELEASE, 0, 0, id};
	struct ctlp_reply rep;

	return ask(cfg, &req, &rep, msg, msglen);
}

/* Reservation id ends ttl_s from now. */
static int renew(const struct config *cfg, uint32_t id, int64_t ttl_s,
		 char *msg, size_t msglen)
{
	struct ctlp_req req = {CTLP_RENEW, 0, ttl_s, id};
	struct ctlp_reply rep;

	return ask(cfg, &req, &rep, msg, msglen);
}

/* The wrapped command's pid, for the signals passed on to it. */
static volatile sig_atomic_t child_pid;

static void pass_on(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/* Run argv[0] with the reservation held: its exit status, or 128+N
 * when signal N ended it. */
static int run_command(char *const argv[])
{
	struct sigaction sa, old_int, old_quit, old_term, old_hup;
	int status = 0;
	pid_t pid, w;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ghostmemory: fork: %s\n", strerror(errno));
		return GM_EXIT_RUNTIME;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "ghostmemory: %s: %s\n", argv[0],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	/* The terminal's ^C and ^\ reach the command itself; we outlive it
	 * to release.  A TERM or HUP sent to us is sent on. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGQUIT, &sa, &old_quit);
	sa.sa_handler = pass_on;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	child_pid = 0;
	if (w < 0)
		return GM_EXIT_RUNTIME;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static int reserve_main(const struct config *cfg, char *const argv[])
{
	char msg[600], msg2[600];
	uint64_t size_b;
	uint32_t id = 0;
	int rc, st;

	if (config_parse_size(cfg->reserve_arg, &size_b) < 0 || size_b == 0 ||
	    size_b > CTLP_MAX_BYTES) {
		fprintf(stderr, "ghostmemory: --reserve: not a size from 1 to "
				"1024t (digits with k, m, g or t): '%s'\n",
			cfg->reserve_arg);
		return GM_EXIT_USAGE;
	}
	if (cfg->ttl_s < 1) {
		fprintf(stderr, "ghostmemory: --ttl must be from 1 to 604800 "
				"(seconds)\n");
		return GM_EXIT_USAGE;
	}
	rc = reserve(cfg, size_b, cfg->wait_s, &id, msg, sizeof(msg));
	if (!cfg->command_argi) {
		if (id)
			printf("%" PRIu32 "\n", id);
		fflush(stdout);
		if (rc == GM_EXIT_WAIT)
			fprintf(stderr, "ghostmemory: %s; it stays held until "
					"--release=%" PRIu32 " or its TTL\n",
				msg, id);
		else if (rc)
			say(rc, msg);
		return rc;
	}
	/* The wrapper: no daemon, no command (say why); swap that is late
	 * is still on its way, so the command runs. */
	if (rc && rc != GM_EXIT_WAIT)
		return say(rc, msg);
	if (rc == GM_EXIT_WAIT)
		fprintf(stderr, "ghostmemory: %s; running %s anyway\n", msg,
			argv[cfg->command_argi]);
	st = run_command(argv + cfg->command_argi);
	rc = release(cfg, id, msg2, sizeof(msg2));
	if (rc)
		fprintf(stderr, "ghostmemory: releasing reservation %" PRIu32
				": %s\n", id, msg2);
	return st;
}

static int parse_id(const char *s, uint32_t *id)
{
	uint64_t v;

	if (!gm_parse_dec(s, strlen(s), CTLP_MAX_ID, &v) || v == 0)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

static int release_main(const struct config *cfg)
{
	char msg[600];
	uint32_t id;
	int rc;

	if (parse_id(cfg->release_arg, &id) < 0) {
		fprintf(stderr, "ghostmemory: --release: not a reservation id "
				"(a number from 1 to 4294967295): '%s'\n",
			cfg->release_arg);
		return GM_EXIT_USAGE;
	}
	rc = release(cfg, id, msg, sizeof(msg));
	return rc ? say(rc, msg) : GM_EXIT_OK;
}

/* upgrade_reserve in bytes (auto: from MemTotal); 0: the hook is off. */
static uint64_t upgrade_size_b(const struct config *cfg)
{
	struct meminfo mi;
	uint64_t b;

	if (strcmp(cfg->upgrade_reserve, "auto") != 0)
		return config_parse_size(cfg->upgrade_reserve, &b) < 0 ? 0 : b;
	if (meminfo_read(cfg->meminfo_path[0] ? cfg->meminfo_path
					      : "/proc/meminfo", &mi) < 0)
		mi.mem_total_kb = 0;
	return resv_upgrade_auto_b(mi.mem_total_kb * 1024);
}

/* The id a "pre" left for its "post"; 0 if none (the file is gone
 * after). */
static uint32_t take_id(const char *path)
{
	char buf[16];
	uint32_t id = 0;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return 0;
	if (gm_read_fd(fd, buf, sizeof(buf) - 1, &n, false) == 0) {
		while (n && buf[n - 1] == '\n')
			n--;
		buf[n] = '\0';
		if (parse_id(buf, &id) < 0)
			id = 0;
	}
	close(fd);
	unlink(path);
	return id;
}

static void keep_id(const char *path, uint32_t id)
{
	char buf[16];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			    O_CLOEXEC, 0600);
	int n = snprintf(buf, sizeof(buf), "%" PRIu32 "\n", id);

	if (fd < 0)
		return;
	(void)!write(fd, buf, (size_t)n);
	close(fd);
}

/* apt's Pre-Invoke and Post-Invoke: always 0, at most one line. */
static int apt_hook(const struct config *cfg)
{
	char path[300], msg[600];
	uint64_t size_b = upgrade_size_b(cfg);
	int64_t wait_s = cfg->wait_s < APT_WAIT_S ? cfg->wait_s : APT_WAIT_S;
	uint32_t id, old;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", cfg->rundir,
			     APT_ID_FILE) >= sizeof(path))
		return GM_EXIT_OK;
	old = take_id(path);
	/* A post: the reservation ends APT_POST_TTL_S from now (the cache
	 * apt builds after an update is covered), and the next pre, if it
	 * comes before, ends it then. */
	if (strcmp(cfg->apt_hook, "pre") != 0) {
		if (old && renew(cfg, old, APT_POST_TTL_S, msg,
				 sizeof(msg)) == 0)
			keep_id(path, old);
		return GM_EXIT_OK;
	}
	/* A pre: the last one ends (its post left it for a while, or never
	 * came); apt runs the update's and dpkg's hooks in turn. */
	if (old)
		release(cfg, old, msg, sizeof(msg));
	if (size_b == 0)
		return GM_EXIT_OK;
	id = 0;
	rc = reserve(cfg, size_b, wait_s, &id, msg, sizeof(msg));
	if (id)
		keep_id(path, id);
	if (rc == GM_EXIT_WAIT)
		printf("ghostmemory: %s; apt goes on\n", msg);
	else if (rc)
		printf("ghostmemory: no swap reserved for apt: %s\n", msg);
	return GM_EXIT_OK;
}

int client_main(const struct config *cfg, char *const argv[])
{
	int modes = !!cfg->reserve_arg[0] + !!cfg->release_arg[0] +
		    !!cfg->apt_hook[0];

	if (modes > 1) {
		fprintf(stderr, "ghostmemory: --reserve, --release and "
				"--apt-hook go one at a time\n");
		return GM_EXIT_USAGE;
	}
	if (cfg->command_argi && !cfg->reserve_arg[0]) {
		fprintf(stderr, "ghostmemory: '-- COMMAND' goes with "
				"--reserve=SIZE\n");
		return GM_EXIT_USAGE;
	}
	if (cfg->apt_hook[0]) {
		if (strcmp(cfg->apt_hook, "pre") && strcmp(cfg->apt_hook, "post")) {
			printf("ghostmemory: --apt-hook wants pre or post, not "
			       "'%s'; apt goes on\n", cfg->apt_hook);
			return GM_EXIT_OK;
		}
		return apt_hook(cfg);
	}
	if (cfg->release_arg[0])
		return release_main(cfg);
	return reserve_main(cfg, argv);
}
