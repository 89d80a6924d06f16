/* subreaper CMD [ARG...]: run CMD as the child of a subreaper that
 * never reaps on its own (like an init in a container that does not
 * wait for orphans), so whatever CMD forks and leaves behind is
 * reparented here.  After CMD itself (the first parent) has exited and
 * been reaped, print "exit STATUS", then one line "child PID STATE COMM"
 * for each process whose parent is now this one, without reaping any:
 * a leftover zombie shows as state Z.  Exits 0 once listed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One /proc/PID/stat: "PID (COMM) STATE PPID ...".  COMM may hold
 * spaces and parentheses: it ends at the last ')'. */
static int read_stat(const char *pid, char *comm, size_t len, char *state,
		     long *ppid)
{
	char path[300], buf[1024], *open_p, *close_p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	open_p = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (open_p == NULL || close_p == NULL || close_p < open_p)
		return -1;
	*close_p = '\0';
	snprintf(comm, len, "%s", open_p + 1);
	if (sscanf(close_p + 1, " %c %ld", state, ppid) != 2)
		return -1;
	return 0;
}

int main(int argc, char *argv[])
{
	struct timespec settle = {0, 200 * 1000 * 1000};
	struct dirent *e;
	pid_t pid;
	int status;
	DIR *d;

	if (argc < 2) {
		fprintf(stderr, "usage: subreaper CMD [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("subreaper: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("subreaper: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("subreaper: exec");
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("subreaper: waitpid");
			return 1;
		}
	printf("exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status)
					       : 128 + WTERMSIG(status));
	/* Reparenting happens as the first parent exits; a moment for
	 * anything it left to finish exiting. */
	nanosleep(&settle, NULL);
	d = opendir("/proc");
	if (d == NULL) {
		perror("subreaper: /proc");
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char comm[256], state;
		long ppid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (read_stat(e->d_name, comm, sizeof(comm), &state, &ppid) < 0)
			continue;
		if (ppid == (long)getpid())
			printf("child %s %c %s\n", e->d_name, state, comm);
	}
	closedir(d);
	return 0;
}
