/* sockhold SOCKET SECONDS [TEXT]: connect to a unix stream socket, send
 * TEXT (nothing if absent: a client that never writes), then wait up to
 * SECONDS for the peer's reply and print it on stdout.  Exit 0 when the
 * peer answered and closed, 1 when it did not within SECONDS, 2 when the
 * connection failed.  For tests/integration/t_reserve.sh. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct sockaddr_un sa;
	struct pollfd p;
	char buf[512];
	size_t got = 0;
	int fd, secs;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: sockhold SOCKET SECONDS [TEXT]\n");
		return 2;
	}
	secs = atoi(argv[2]);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "sockhold: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (argc > 3 && write(fd, argv[3], strlen(argv[3])) < 0)
		return 2;
	p.fd = fd;
	p.events = POLLIN;
	while (got < sizeof(buf) - 1 && poll(&p, 1, secs * 1000) > 0) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0) {
			buf[got] = '\0';
			fputs(buf, stdout);
			return 0;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	fputs(buf, stdout);
	return 1;
}
