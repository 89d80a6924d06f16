# `make deb`: build the Debian source and binary packages from a clean
# copy of this tree, so the working tree (and its ./ghostmemory) is left
# alone.  Products land in $(DEB_OUT):
#   ghostmemory_<version>_<arch>.deb, ghostmemory-dbgsym_..., .dsc,
#   .tar.xz, .buildinfo and .changes.
# Included from the top-level Makefile; needs dpkg-dev, debhelper and
# autoconf (sudo apt-get build-dep ./ installs them).
#   make deb                         # unsigned source + binary build
#   make deb DEB_BUILD_OPTIONS=nocheck  # skip the unit tests
#   sudo apt install ./build/deb/ghostmemory_*_$$(dpkg --print-architecture).deb

DEB_OUT   ?= build/deb
DEB_FLAGS ?= -us -uc

.PHONY: deb
deb:
	@set -e; \
	top=$$(pwd); \
	ver=$$(dpkg-parsechangelog -l debian/changelog -S Version); \
	mkdir -p "$(DEB_OUT)"; \
	out=$$(cd "$(DEB_OUT)" && pwd); \
	src="$$out/ghostmemory-$$ver"; \
	rm -rf "$$src"; \
	rm -f "$$out"/ghostmemory_* "$$out"/ghostmemory-dbgsym_*; \
	mkdir "$$src"; \
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
		tar -cf - --null --ignore-failed-read \
			--exclude="./$(DEB_OUT)" --exclude="$(DEB_OUT)" -T - | \
		tar -xf - -C "$$src"; \
	else \
		tar -cf - --exclude-vcs --exclude="./$(DEB_OUT)" . | \
		tar -xf - -C "$$src"; \
	fi; \
	cd "$$src"; \
	dpkg-buildpackage $(DEB_FLAGS); \
	cd "$$top"; \
	rm -rf "$$src"; \
	echo "packages in $(DEB_OUT):"; \
	ls -1 "$$out"
