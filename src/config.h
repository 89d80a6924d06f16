/* Configuration: one struct shared by the config file and the command
 * line.  The keys, their defaults and help lines are one table
 * (config_keys.c); config_file.c reads the file, config_args.c the
 * command line, config.c checks, merges and prints. */
#ifndef GM_CONFIG_H
#define GM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy.h"

#define GM_DEFAULT_CONFIG "/etc/ghostmemory.conf"
#define GM_DEFAULT_SWAPPATH "/var/lib/ghostmemory"
#define GM_DEFAULT_PIDFILE "/run/ghostmemory.pid"
#define GM_DEFAULT_RUNDIR "/run/ghostmemory"

/* Exit codes; documented in ghostmemory(8). */
enum gm_exit {
	GM_EXIT_OK = 0,
	GM_EXIT_RUNTIME = 1,        /* fatal error while running */
	GM_EXIT_USAGE = 2,          /* bad command line or config file */
	GM_EXIT_NOT_ROOT = 3,       /* needs root (CAP_SYS_ADMIN) */
	GM_EXIT_RUNNING = 4,        /* another instance holds the pid file */
	GM_EXIT_PIDFILE = 5,        /* pid file unusable (symlink, unwritable) */
	GM_EXIT_DIR_SYMLINK = 10,   /* swap directory is a symlink */
	GM_EXIT_DIR_OWNER = 11,     /* swap directory not owned by root */
	GM_EXIT_DIR_MODE = 12,      /* swap directory group/world accessible */
	GM_EXIT_DIR_FSTYPE = 13,    /* filesystem cannot hold swap files */
	GM_EXIT_DIR_UNUSABLE = 14,  /* missing and not creatable, not a dir */
	GM_EXIT_DIR_PARENT = 15,    /* a directory above it not root-only */
	GM_EXIT_NFS_SOFT = 16,      /* on a soft or softerr NFS mount */
	GM_EXIT_NFS_SEC = 17,       /* on an NFS mount with sec=krb5* */
	GM_EXIT_NFS_SQUASH = 18,    /* the NFS export squashes root */
	GM_EXIT_SWAPPATH = 19,      /* %H or %m in swappath has no value */
	GM_EXIT_NO_CAP = 20,        /* root without CAP_SYS_ADMIN (container) */
	/* The reservation client (--reserve, --release); a wrapped
	 * COMMAND's own status is passed on instead. */
	GM_EXIT_NO_DAEMON = 21,     /* no daemon answers on the socket */
	GM_EXIT_REFUSED = 22,       /* the daemon refused the request */
	GM_EXIT_WAIT = 23,          /* --wait ran out before the swap was there */
};

enum gm_discard {
	GM_DISCARD_NONE = 0,
	GM_DISCARD_ONCE,  /* SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE */
	GM_DISCARD_PAGES, /* SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_PAGES */
	GM_DISCARD_BOTH,  /* SWAP_FLAG_DISCARD */
};

struct config {
	/* swapspace's keys */
	char swappath[256];           /* directory holding our swap files */
	char pidfile[256];            /* pid file, locked while running */
	char configfile[256];         /* config file read ("" = none) */
	int lower_freelimit_pct;      /* shortage below this free% */
	int upper_freelimit_pct;      /* surplus above this free% */
	int freetarget_pct;           /* free% a new file aims for */
	int buffer_elasticity_pct;    /* share of Buffers counted free */
	int cache_elasticity_pct;     /* share of clean page cache counted free */
	uint64_t min_swapsize_b;      /* smallest file we make */
	uint64_t max_swapsize_b;      /* largest file we make */
	int64_t cooldown_s;           /* hungry/diet timer, shrink delay */
	bool daemon;                  /* -d: detach, log to syslog */
	bool erase;                   /* -e: swapoff+delete our files at exit */
	bool paranoid;                /* -P: overwrite contents before unlink */
	bool quiet;                   /* -q: errors only */
	bool verbose;                 /* -v: log transitions and decisions */
	/* new keys */
	bool swapsize_auto;           /* swapsize=auto: min(2 x RAM, 2 GiB) */
	uint64_t swapsize_b;          /* size of each new file when !auto */
	bool disk_reserve_is_pct;     /* disk_reserve given as percent */
	int disk_reserve_pct;         /* keep this % of the filesystem free */
	uint64_t disk_reserve_b;      /* or this many bytes */
	int max_files;                /* never more files than this */
	uint64_t max_total_b;         /* total swap we may own (0 = no cap) */
	int priority;                 /* swapon priority, -1 = kernel default */
	enum gm_discard discard;      /* swapon discard flags */
	char metrics_dir[256];        /* write ghostmemory.prom here ("" = off) */
	int64_t poll_min_ms;          /* fastest poll near the limit */
	int64_t poll_max_ms;          /* slowest poll when calm */
	uint64_t spike_rate_b;        /* worst allocation rate, bytes/s */
	bool psi;                     /* wake on a PSI memory trigger */
	enum standby_policy standby;  /* what is held while calm */
	uint64_t spare_max_b;         /* standby=small: the spare's bound */
	char upgrade_reserve[256];    /* apt hook: "auto", or a size (0: off) */
	/* command-line only */
	bool inspect;                 /* -i: print effective config, exit */
	bool show_help;               /* -h */
	bool show_version;            /* -V */
	bool show_status;             /* --status: print the daemon's state */
	bool erase_now;               /* --erase-now: safe erase, then exit */
	bool configfile_given;        /* -c named a file: it must exist */
	char simulate_path[256];      /* --simulate TRACE ("" = off) */
	char plot_path[256];          /* --plot FILE.svg: draw the replay */
	char compare_with[256];       /* --compare-with KEY=VALUE,...: a
	                                 second panel with these set */
	char record_path[256];        /* --record FILE ("-" = stdout) */
	int64_t record_interval_ms;   /* --interval: between snapshots */
	int64_t record_duration_s;    /* --duration: stop after (0 = never) */
	char meminfo_path[256];       /* test hook: read memory from here */
	char rundir[256];             /* status file directory */
	char reserve_arg[256];        /* --reserve SIZE: the client */
	char release_arg[256];        /* --release ID */
	char apt_hook[256];           /* --apt-hook pre|post */
	int64_t ttl_s;                /* --ttl: the reservation's lifetime */
	int64_t wait_s;               /* --wait: for the swap, at most */
	int command_argi;             /* argv index of COMMAND after "--"
	                                 (0: none) */
	unsigned short src_line[40];  /* config line that set each key */
};

/* Fill with the documented defaults. */
void config_defaults(struct config *cfg);

/*
 * Apply one "key=value" (or bare "key") setting.  Returns 0, or -1 with a
 * message (without file/line) in err.  Used by both the file parser and
 * the long command-line options.
 */
int config_set(struct config *cfg, const char *key, const char *value,
	       char *err, size_t errlen);

/*
 * Parse a whole config file held in buf (len bytes; may contain NUL).
 * On error returns -1 and writes "FILE:LINE: KEY: what" into err.
 */
int config_parse_buf(struct config *cfg, const char *buf, size_t len,
		     const char *filename, char *err, size_t errlen);

/* Read and parse a file; a missing file is an error only if must_exist. */
int config_load(struct config *cfg, const char *path, bool must_exist,
		char *err, size_t errlen);

/* Cross-field checks (lower <= target <= upper, min <= max). */
int config_validate(const struct config *cfg, char *err, size_t errlen);

/* Print the effective values in config-file syntax. */
void config_print(const struct config *cfg, FILE *out);

/* Print the --help text: every option, with its default. */
void config_usage(FILE *out);

/* Apply the command line onto cfg (options override the file).  Returns 0
 * or GM_EXIT_USAGE with a message in err. */
int config_parse_args(struct config *cfg, int argc, char *const argv[],
		      char *err, size_t errlen);

/* defaults + file named on the command line (or the default one) + the
 * command line again, then validate.  0 or GM_EXIT_USAGE with err. */
int config_build(struct config *cfg, int argc, char *const argv[],
		 char *err, size_t errlen);

/* "active", "small" or "none". */
const char *config_standby_name(enum standby_policy s);

/* Parse a size with k/m/g/t suffix (binary); -1 on garbage/overflow. */
int config_parse_size(const char *s, uint64_t *out);

#endif
