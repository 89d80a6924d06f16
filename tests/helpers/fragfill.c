/* fragfill DIR CHUNK_KIB: fill DIR's filesystem with CHUNK_KIB files
 * until it is full, then delete every other one, so the free space is
 * cut into many small holes.  A file as large as the free space then
 * needs more extent blocks than are left: fallocate fails with ENOSPC
 * although statfs said it would fit.  Prints the number of holes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	char path[4096], *buf;
	size_t chunk;
	long n, i, holes = 0;
	int dfd;

	if (argc != 3 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: fragfill DIR CHUNK_KIB\n");
		return 2;
	}
	chunk = (size_t)atol(argv[2]) * 1024;
	buf = calloc(1, chunk);
	if (buf == NULL)
		return 1;
	for (n = 0;; n++) {
		ssize_t w;
		int fd;

		snprintf(path, sizeof(path), "%s/frag.%ld", argv[1], n);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
		if (fd < 0) {
			if (errno == ENOSPC)
				break;
			perror(path);
			return 1;
		}
		w = write(fd, buf, chunk);
		if (w != (ssize_t)chunk || fsync(fd) < 0) {
			close(fd);
			unlink(path);
			if (errno == ENOSPC || w >= 0)
				break;
			perror(path);
			return 1;
		}
		close(fd);
	}
	for (i = 0; i < n; i += 2) {
		snprintf(path, sizeof(path), "%s/frag.%ld", argv[1], i);
		if (unlink(path) == 0)
			holes++;
	}
	dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}
	printf("%ld\n", holes);
	free(buf);
	return 0;
}
