# mnvault: one non-recursive GNU Makefile.
#   make deps        install (as root) or name the Debian packages the build and tests need
#   make             build build/mnvault
#   make check       deps, build, then every test; ends with "N passed, N failed"
#   make demo        build and open the TUI on a demo vault
#   make bench       benchmarks, printed as ratios against a baseline run side by side
#                    (BENCH="scan shfd": only those of tests/bench/*.sh)
#   make install     PREFIX=/usr/local DESTDIR= : programs, man page, catalogues, data
# STRICT=1 turns warnings into errors and, in `check`, runs the unit tests a second time
# under AddressSanitizer and UndefinedBehaviorSanitizer (this is what .ci/run does).
# V=1 shows full commands.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR ?= $(PREFIX)/share/mnvault
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

VERSION := 0.1.0
B ?= build
STRICT ?= 0
SANITIZE ?= 0
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
SHELL := /bin/bash

CFLAGS ?= -O2 -g
LDFLAGS ?=

# Libraries found through pkg-config; iniparser and cracklib have no .pc file on Debian,
# so they are named by their Debian paths.
PKGS := ncursesw sqlcipher libsodium libgfshare liboath libqrencode
# mnvault scan: zip-based office files, gzip. PDF text comes from poppler-glib, which the
# scanner loads itself (dlopen, in a child process) only when it meets a PDF: its headers
# are needed here, its library only by the tests that read PDFs back.
PKGS += libzip zlib
POPPLER_CFLAGS = $(shell pkg-config --cflags poppler-glib 2>/dev/null)
POPPLER_LIBS = $(shell pkg-config --libs poppler-glib 2>/dev/null)
# Printed forms (src/service/pdfdoc*.c only): cairo's PDF surface, pango, a private fontconfig.
PKGS += cairo-pdf pangocairo pangofc fontconfig
# Evaluated once, and only when something is compiled (after `deps` ran).
pkg_cflags = $(if $(_pkg_cflags),,$(eval _pkg_cflags := $(call pkg_query,--cflags)))$(_pkg_cflags)
pkg_libs = $(if $(_pkg_libs),,$(eval _pkg_libs := $(call pkg_query,--libs)))$(_pkg_libs)
pkg_query = $(shell pkg-config $(1) $(PKGS) 2>/dev/null || echo __missing__)
check_pkgs = $(if $(findstring __missing__,$(pkg_cflags)),$(error pkg-config cannot find one of: $(PKGS). Run 'make deps' (Debian packages: libncurses-dev libsqlcipher-dev libsodium-dev libgfshare-dev liboath-dev libqrencode-dev libzip-dev libpoppler-glib-dev libcairo2-dev libpango1.0-dev)))

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wpointer-arith -Werror=implicit-function-declaration
ifeq ($(STRICT),1)
WARN += -Werror
endif
HARDEN_CFLAGS := -fPIE -fstack-protector-strong -fstack-clash-protection -D_FORTIFY_SOURCE=2 \
                 -fcf-protection
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HARDEN_CFLAGS := -fPIE -fstack-protector-strong
endif

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DSQLITE_HAS_CODEC -Iinclude $(pkg_cflags) $(POPPLER_CFLAGS) \
             -I/usr/include/iniparser -DMNV_VERSION='"$(VERSION)"' \
             -DDATADIR='"$(DATADIR)"' -DLOCALEDIR='"$(LOCALEDIR)"' -DLIBEXECDIR='"$(LIBEXECDIR)"' \
             $(WARN) $(HARDEN_CFLAGS) $(SAN_FLAGS) $(CFLAGS)
ALL_LDFLAGS = $(HARDEN_LDFLAGS) $(SAN_FLAGS) $(LDFLAGS)
LIBS = $(pkg_libs) -liniparser -lcrack -lm
# build/mnvault is the front (src/cli/front.c): `scan` itself, every other command handed to
# build/mnvault-full (src/cli/main.c, installed in LIBEXECDIR/mnvault). The front is linked
# with what the scan needs only, so that a scan starts fast (doc/architecture.md).
FRONT_PKGS := libsodium libzip zlib
FRONT_LIBS = $(shell pkg-config --libs $(FRONT_PKGS)) -liniparser

# Sources, by layer (a module of several files has a folder of its own inside its layer).
# testhook.c is built twice: inert for build/mnvault, live for tests.
LIB_SRCS := $(filter-out src/base/testhook.c,$(wildcard src/base/*.c src/store/*.c \
              src/service/*.c src/service/*/*.c)) $(filter-out src/tui/main.c,$(wildcard src/tui/*.c)) \
            $(filter-out src/cli/main.c src/cli/front.c,$(wildcard src/cli/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
MAIN_OBJ := $(B)/obj/src/cli/main.o
FRONT_OBJ := $(B)/obj/src/cli/front.o
HOOK_OBJ := $(B)/obj/src/base/testhook.o
TESTHOOK_OBJ := $(B)/obj/testhook-live.o
LIBMNV := $(B)/libmnvault.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(B)/tests/tools/%)

PO_FILES := $(wildcard locale/*.po)
MO_FILES := $(PO_FILES:locale/%.po=$(B)/locale/%/LC_MESSAGES/mnvault.mo)

.SECONDARY:

.PHONY: all deps check unit tests cli e2e security fuzz bench bench-scale demo install uninstall clean \
        pot po-update format check-layers asan valgrind test-bins static fuzz-long soak faults

all: $(B)/mnvault $(B)/mnvault-full $(B)/mnvault-test $(MO_FILES)

deps:
	$(Q)sh src/build/deps.sh

$(B)/obj/%.o: %.c
	$(call check_pkgs)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The install locations are compiled into paths.c: rebuild it when PREFIX & co. change.
PATHS_STAMP := $(B)/paths.stamp
$(PATHS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo 'DATADIR=$(DATADIR) LOCALEDIR=$(LOCALEDIR)' | cmp -s - $@ || \
	    echo 'DATADIR=$(DATADIR) LOCALEDIR=$(LOCALEDIR)' > $@
$(B)/obj/src/base/paths.o: $(PATHS_STAMP)
.PHONY: FORCE
FORCE:

$(TESTHOOK_OBJ): src/base/testhook.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $< (test hooks)")
	$(Q)$(CC) $(ALL_CFLAGS) -DMNV_TEST_HOOKS -MMD -MP -c $< -o $@

$(LIBMNV): $(LIB_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/mnvault: $(FRONT_OBJ) $(HOOK_OBJ) $(LIBMNV)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(FRONT_LIBS)

$(B)/mnvault-full: $(MAIN_OBJ) $(HOOK_OBJ) $(LIBMNV)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/mnvault-test: $(MAIN_OBJ) $(TESTHOOK_OBJ) $(LIBMNV)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests: tests/unit/test_<module>.c; the runner's main is generated from the
# test_<module>__<case> functions found in the file, so no list is kept by hand.
$(B)/tests/unit/%.main.c: tests/unit/%.c tests/unit/gen-main.sh
	@mkdir -p $(dir $@)
	$(Q)sh tests/unit/gen-main.sh $< > $@

# Unit tests that read PDFs back link poppler-glib themselves.
$(B)/tests/unit/%: LIBS += $(POPPLER_LIBS)
$(B)/tests/unit/%: $(B)/tests/unit/%.main.c tests/unit/%.c $(LIBMNV) $(TESTHOOK_OBJ) \
                   $(wildcard tests/unit/*.h)
	$(if $(Q),@echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit -o $@ $< $(TESTHOOK_OBJ) \
	    $(LIBMNV) $(ALL_LDFLAGS) $(LIBS) $$(pkg-config --libs cmocka)

$(B)/tests/tools/%: tests/tools/%.c $(LIBMNV) $(TESTHOOK_OBJ)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  TOOL    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(TESTHOOK_OBJ) $(LIBMNV) \
	    $(ALL_LDFLAGS) $(LIBS)

# tests/tools/scan-mkpdf.c draws Japanese text into PDFs with cairo and pango.
$(B)/tests/tools/scan-mkpdf: ALL_CFLAGS += $(shell pkg-config --cflags pangocairo cairo-pdf)
$(B)/tests/tools/scan-mkpdf: LIBS += $(shell pkg-config --libs pangocairo cairo-pdf)

# The fault injector of tests/fault/run, preloaded into mnvault (LD_PRELOAD): built without
# the sanitizers, which cannot be preloaded into a program built without them.
FAULTFS := $(B)/tests/fault/faultfs.so
$(FAULTFS): tests/fault/faultfs.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  SHLIB   $@")
	$(Q)$(CC) -std=c11 -O1 -fPIC -shared -Wall -Wextra $(if $(filter 1,$(STRICT)),-Werror) \
	    -o $@ $< -ldl

test-bins: all $(UNIT_BINS) $(TOOL_BINS) $(FAULTFS)

# The benchmark's baseline: plain SQLite, linked with -lsqlite3 and nothing of mnvault
# (a process must never hold both SQLite and SQLCipher).
$(B)/tests/bench/plain_insert: tests/bench/plain_insert.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BENCH   $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 $$(pkg-config --cflags sqlite3) -o $@ $< \
	    $$(pkg-config --libs sqlite3)

# The printed-form benchmark's baseline: cairo and pango alone, nothing of mnvault.
$(B)/tests/bench/pdf_baseline: tests/bench/pdf_baseline.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  BENCH   $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O2 $$(pkg-config --cflags pangocairo cairo-pdf) -o $@ $< \
	    $$(pkg-config --libs pangocairo cairo-pdf)

# Translations: English msgids in the source, Japanese in locale/ja.po.
$(B)/locale/%/LC_MESSAGES/mnvault.mo: locale/%.po
	@mkdir -p $(dir $@)
	$(Q)msgfmt --check -o $@ $<

POT_SRCS = $(sort $(wildcard src/*/*.c src/*/*.h src/*/*/*.c src/*/*/*.h include/mnvault/*.h))
pot:
	$(Q)xgettext --from-code=UTF-8 -k_ -kN_ -c/ --package-name=mnvault \
	    --package-version=$(VERSION) --msgid-bugs-address=hr-it@example.invalid \
	    --no-location --sort-output -o locale/mnvault.pot $(POT_SRCS)
po-update: pot
	$(Q)for po in $(PO_FILES); do msgmerge --quiet --update --backup=none --no-location \
	    --sort-output $$po locale/mnvault.pot; done

# `check` stands alone on a fresh machine: it installs what is missing, builds, and runs
# every suite. With STRICT=1 the unit tests are also built and run under ASan+UBSan.
check:
	$(Q)sh src/build/deps.sh
	$(Q)$(MAKE) --no-print-directory test-bins
ifeq ($(STRICT),1)
	$(Q)$(MAKE) --no-print-directory B=$(B)/asan SANITIZE=1 test-bins
	$(Q)tests/run --build $(B) --asan $(B)/asan
else
	$(Q)tests/run --build $(B)
endif

unit cli e2e security: test-bins
	$(Q)tests/run --build $(B) --only $@

# The unit tests under ASan+UBSan alone, with the options and LeakSanitizer's suppressions
# that make check STRICT=1 gives them (tests/run's asan suite).
asan:
	$(Q)$(MAKE) --no-print-directory B=$(B)/asan SANITIZE=1 test-bins
	$(Q)tests/run --build $(B) --asan $(B)/asan --only asan

valgrind: test-bins
	$(Q)tests/run --build $(B) --only unit --valgrind

# Crash soak: SOAK_KILLS writes of the vault killed with SIGKILL at random moments, the vault
# verified after each (tests/soak/run; `make check` runs 7 in tests/security/soak.sh).
SOAK_KILLS ?= 1000
soak: test-bins
	$(Q)tests/soak/run --kills $(SOAK_KILLS) --build $(B)

# Static analysis (tests/static/run through tests/run: ends "N passed, N failed"). Not part
# of `make check` (a fresh run costs about 5 CPU-minutes); .ci/run runs it after make check.
static:
	$(Q)sh src/build/deps.sh
	$(Q)mkdir -p $(B)
	$(Q)tests/run --build $(B) --only static

FUZZ_SECONDS ?= 60
fuzz:
	$(Q)sh src/build/deps.sh
	$(Q)tests/fuzz/run --seconds $(FUZZ_SECONDS) --out $(B)/fuzz

# Hours of fuzzing: every target FUZZ_LONG_SECONDS (default one hour) in turn; new inputs
# stay in $(B)/fuzz/corpus-<target> (copy the interesting ones to tests/fuzz/corpus/).
FUZZ_LONG_SECONDS ?= 3600
fuzz-long:
	$(Q)sh src/build/deps.sh
	$(Q)tests/fuzz/run --seconds $(FUZZ_LONG_SECONDS) --out $(B)/fuzz

# Fault battery: every write, fsync, rename and file creation of the vault's writes failed in
# turn (ENOSPC, EIO) or killed there (tests/fault/run; `make check` tries one of each kind).
faults: test-bins
	$(Q)tests/fault/run --build $(B)

bench:
	$(Q)sh src/build/deps.sh
	$(Q)$(MAKE) --no-print-directory test-bins $(B)/tests/bench/plain_insert \
	    $(B)/tests/bench/pdf_baseline
	$(Q)tests/bench/run --build $(B) $(BENCH)

# 1,000,000 people in one vault (tests/bench/scale.sh): minutes and about 1 GB of disk.
bench-scale:
	$(Q)sh src/build/deps.sh
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)tests/bench/run --build $(B) scale

DEMO_DIR ?= $(B)/demo-vault
demo:
	$(Q)sh src/build/deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/tools/demo.sh $(B) $(DEMO_DIR)

check-layers:
	$(Q)tests/tools/check-layers.sh

format:
	$(Q)git ls-files '*.c' '*.h' | xargs clang-format -i

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)/mnvault $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(B)/mnvault $(DESTDIR)$(BINDIR)/mnvault
	install -m 0755 $(B)/mnvault-full $(DESTDIR)$(LIBEXECDIR)/mnvault/mnvault-full
	install -m 0644 doc/mnvault.1 $(DESTDIR)$(MANDIR)/man1/mnvault.1
	cd data && find . -type f | while read -r f; do \
	    install -D -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/$$f"; done
	for mo in $(MO_FILES); do lang=$${mo#$(B)/locale/}; lang=$${lang%%/*}; \
	    install -D -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/mnvault.mo; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mnvault $(DESTDIR)$(MANDIR)/man1/mnvault.1
	rm -rf $(DESTDIR)$(LIBEXECDIR)/mnvault
	rm -rf $(DESTDIR)$(DATADIR)
	for po in $(PO_FILES); do lang=$$(basename $$po .po); \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/mnvault.mo; done

clean:
	rm -rf $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
