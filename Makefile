# ghostmemory — hand-written Makefile.  ./configure writes config.mk and
# src/config-detect.h; without them the defaults below still build on a
# current glibc.
-include config.mk

VERSION    = 0.1.0
PREFIX    ?= /usr
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
STATEDIR  ?= /var/lib/ghostmemory
DESTDIR   ?=

CC        ?= cc
CFLAGS    ?= -O2 -g
WERROR    ?=
# 64-bit off_t on every ABI, configured or not: a 32-bit one cannot make,
# stat or fill a file of 2 GiB (the default size) or more.
LFS_CFLAGS = -D_FILE_OFFSET_BITS=64
GM_CFLAGS  = -std=c99 -D_GNU_SOURCE $(LFS_CFLAGS) -pthread -Wall -Wextra $(WERROR) \
             -DGM_VERSION=\"$(VERSION)\" $(CONFIG_DEFS)
LDFLAGS   ?=
# Symbols bound at start (as Debian's hardening does): after the start-up
# pages are given back (memlock.c), the loop never needs the dynamic
# loader's lazy binding, whose pages would count in the locked RSS.
GM_LDFLAGS = -Wl,-z,now
# make STATIC=1: a static binary (about 0.9 MiB resident instead of about
# 1.1 MiB; not what the package ships).
ifeq ($(STATIC),1)
LDFLAGS   += -static
endif

SRCS      = $(sort $(wildcard src/*.c))
OBJS      = $(SRCS:.c=.o)
LIBOBJS   = $(filter-out src/main.o,$(OBJS))
HDRS      = $(wildcard src/*.h)
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:.c=)
TEST_HELPERS = $(patsubst %.c,%,$(wildcard tests/helpers/*.c))

.PHONY: all check check-unit clean install format deb bench fuzz

all: ghostmemory

ghostmemory: $(OBJS)
	$(CC) $(CFLAGS) -pthread $(GM_LDFLAGS) $(LDFLAGS) -o $@ $(OBJS)

src/%.o: src/%.c $(HDRS)
	$(CC) $(GM_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/unit/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(LIBOBJS) $(HDRS)
	$(CC) $(GM_CFLAGS) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIBOBJS)

tests/helpers/%: tests/helpers/%.c
	$(CC) -std=c99 -D_GNU_SOURCE $(LFS_CFLAGS) -Wall -Wextra $(CFLAGS) -o $@ $<

check: ghostmemory $(UNIT_BINS) $(TEST_HELPERS)
	sh tests/run.sh

check-unit: $(UNIT_BINS)
	sh tests/run.sh unit

install: ghostmemory
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 ghostmemory $(DESTDIR)$(SBINDIR)/ghostmemory
	install -m 0644 ghostmemory.conf $(DESTDIR)$(SYSCONFDIR)/ghostmemory.conf
	install -m 0644 doc/ghostmemory.8 $(DESTDIR)$(MANDIR)/man8/ghostmemory.8
	install -m 0644 doc/ghostmemory.conf.5 $(DESTDIR)$(MANDIR)/man5/ghostmemory.conf.5
	install -d -m 0700 $(DESTDIR)$(STATEDIR)

# Fragments: deb (mk/deb.mk), bench (mk/vm.mk), fuzz and check-extra
# (mk/check.mk).
include $(sort $(wildcard mk/*.mk))

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -f ghostmemory src/*.o $(UNIT_BINS) $(TEST_HELPERS)
