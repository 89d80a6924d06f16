/* resume: the hibernation resume target from the contents of
 * /sys/power/resume, resume_offset and /proc/cmdline (fixture trees and
 * hostile strings), and the match against a file's device and place. */
#include "resume.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define FIX "tests/unit/fixtures/resume/"

static void parse(const char *dev, const char *off, const char *cmd,
		  struct resume_target *t)
{
	resume_parse(dev, dev ? strlen(dev) : 0, off, off ? strlen(off) : 0,
		     cmd, cmd ? strlen(cmd) : 0, t);
}

static void test_parse(void)
{
	struct resume_target t;

	parse("254:1\n", "34816\n", NULL, &t);
	CHECK(t.set && t.have_dev && t.major == 254 && t.minor == 1 &&
		      t.offset_pages == 34816,
	      "sysfs: 254:1 at 34816");
	/* sysfs wins over the command line. */
	parse("8:2\n", "0\n", "resume=UUID=x resume_offset=99", &t);
	CHECK(t.set && t.major == 8 && t.minor == 2 && t.offset_pages == 0,
	      "sysfs first");
	/* 0:0: none there; the command line then. */
	parse("0:0\n", "0\n", "ro resume=/dev/vda2 resume_offset=123 quiet",
	      &t);
	CHECK(t.set && !t.have_dev && strcmp(t.name, "/dev/vda2") == 0 &&
		      t.offset_pages == 123,
	      "cmdline name and offset");
	parse(NULL, NULL, "resume=259:3 resume_offset=8", &t);
	CHECK(t.set && t.have_dev && t.major == 259 && t.minor == 3 &&
		      t.offset_pages == 8,
	      "cmdline major:minor");
	parse(NULL, NULL, "resume=a resume=UUID=abc", &t);
	CHECK(t.set && strcmp(t.name, "UUID=abc") == 0, "the last one wins");
	/* Nothing, or garbage. */
	parse(NULL, NULL, "root=/dev/vda1 ro quiet", &t);
	CHECK(!t.set, "no resume=");
	parse("garbage", "x", "noresume=1 xresume=/dev/a", &t);
	CHECK(!t.set, "garbage and look-alikes");
	parse(NULL, NULL, "resume= quiet", &t);
	CHECK(!t.set, "empty resume=");
	{
		/* A NUL right after resume= (found by fuzz_sysfs): no name
		 * made of NUL bytes. */
		static const char c[] = "ro resume=\0\0A=abc quiet";
		resume_parse(NULL, 0, NULL, 0, c, sizeof(c) - 1, &t);
		CHECK(!t.set, "NUL after resume=");
	}
	parse(NULL, NULL, "resume=/dev/vda2 resume_offset=-5", &t);
	CHECK(t.set && t.offset_pages == 0, "bad offset: none");
	parse("99999:1\n", NULL, NULL, &t);
	CHECK(!t.set, "major out of range");
	{
		char big[400];
		memset(big, 'a', sizeof(big));
		memcpy(big, "resume=", 7);
		big[sizeof(big) - 1] = '\0';
		parse(NULL, NULL, big, &t);
		CHECK(!t.set, "overlong name");
	}
}

static void test_match(void)
{
	struct resume_target t;

	parse("254:1\n", "34816\n", NULL, &t);
	CHECK(resume_is_target(&t, 254, 1, true, 34816), "same place");
	CHECK(!resume_is_target(&t, 254, 1, true, 34817), "other place");
	CHECK(!resume_is_target(&t, 254, 2, true, 34816), "other device");
	CHECK(resume_is_target(&t, 254, 1, false, 0),
	      "place unknown on that device: the safe side");
	parse("254:1\n", "0\n", NULL, &t);
	CHECK(!resume_is_target(&t, 254, 1, false, 0),
	      "offset 0: a partition, never a file");
	parse(NULL, NULL, "resume=UUID=x resume_offset=5", &t);
	CHECK(!resume_is_target(&t, 0, 0, false, 0), "unresolved name");
	{
		/* A real file, with no target set: never. */
		int fd = open("tests/unit/test_resume.c", O_RDONLY);
		struct resume_target none = {0};

		CHECK(fd >= 0 && !resume_fd_is_target(&none, fd), "no target");
		if (fd >= 0)
			close(fd);
	}
}

static void test_read(void)
{
	struct resume_target t;

	CHECK(resume_read(FIX "sysfs", &t) == 0 && t.set && t.have_dev &&
		      t.major == 254 && t.minor == 1 && t.offset_pages == 34816,
	      "sysfs tree");
	CHECK(resume_read(FIX "cmdline-uuid", &t) == 0 && t.set &&
		      !t.have_dev && strcmp(t.name, "UUID=does-not-exist") == 0 &&
		      t.offset_pages == 4096,
	      "cmdline tree: name kept, not resolved");
	CHECK(resume_read(FIX "none", &t) == 0 && !t.set, "none tree");
	CHECK(resume_read(FIX "missing", &t) == -ENOENT && !t.set,
	      "nothing readable");
}

int main(void)
{
	test_parse();
	test_match();
	test_read();
	T_END();
}
