# shmviz: a live view of a shared-memory ring buffer

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes
NCURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
NCURSES_LIBS := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
DW_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdw 2>/dev/null)
DW_LIBS := $(shell $(PKG_CONFIG) --libs libdw 2>/dev/null)
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DSHMVIZ_VERSION='"$(VERSION)"' \
	$(NCURSES_CFLAGS) $(JANSSON_CFLAGS) $(DW_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARNINGS) -pthread $(CFLAGS)
LIBS = $(NCURSES_LIBS) $(JANSSON_LIBS) $(DW_LIBS) -pthread -lm

BUILD = build
BIN = shmviz
# Everything but main.c: the unit tests link against these.
CORE = ring seg check pace ctl sync steps worker schedule opts session snap judge stepper stepper_fast \
	trace watch history report jout cast sig bench bench_cases explore explore_cli \
	headless evlog trend screen view_ring view_status view_panes view_help view_trace view_explore keys tui \
	attach ls layout status
CORE_OBJS = $(CORE:%=$(BUILD)/%.o)

.PHONY: all clean install test unit perf asan valgrind lint fuzz soak man
all: $(BIN)

$(BIN): $(CORE_OBJS) $(BUILD)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $@

install: shmviz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 shmviz $(DESTDIR)$(BINDIR)/shmviz
	install -m 644 docs/shmviz.1 $(DESTDIR)$(MANDIR)/man1/shmviz.1

# The checks make test runs besides the suites (tests/checks.sh says how).
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/shmviz \
	    CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" build-asan/shmviz \
	    $(UNIT:%=build-asan/test_%)
	@tests/checks.sh asan build-asan $(UNIT:%=build-asan/test_%)

valgrind: $(BIN)
	@tests/checks.sh valgrind $(BIN)

lint:
	@tests/checks.sh lint

# Fuzz the option and schedule parsers: FUZZ_SECONDS each (make test runs
# a short bounded round; run longer with make fuzz FUZZ_SECONDS=3600).
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_SRC = src/opts.c src/schedule.c src/pace.c src/sync.c
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC) $(wildcard include/*.h)
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -Iinclude -D_GNU_SOURCE -o $@ $< $(FUZZ_SRC)
build-fuzz/fuzz_jout: tests/fuzz/fuzz_jout.c src/jout.c include/jout.h
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -Iinclude -D_GNU_SOURCE $(JANSSON_CFLAGS) -o $@ $< \
	    src/jout.c $(JANSSON_LIBS) -lm
fuzz: build-fuzz/fuzz_opts build-fuzz/fuzz_schedule build-fuzz/fuzz_jout
	@tests/checks.sh fuzz $(FUZZ_SECONDS) $^

# Hours at full speed: make soak DURATION=3600.
DURATION ?= 60
soak: $(BIN)
	@tests/checks.sh soak $(BIN) $(DURATION)

# Speed, as ratios within one run and shmviz's own use of the machine;
# not part of make test (docs/performance.md).
perf: $(BIN)
	@tests/perf.sh ./$(BIN)

clean:
	rm -rf $(BUILD) build-asan build-fuzz shmviz

# Tests: cmocka unit tests, then the program itself in tmux and headless.
UNIT = ring pace opts check trend schedule judge
UNIT_BINS = $(UNIT:%=$(BUILD)/test_%)

$(BUILD)/test_%: tests/unit/test_%.c $(CORE_OBJS) $(wildcard include/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJS) \
	    $(LIBS) -lcmocka

unit: $(UNIT_BINS)

# Helpers for the tests: what another user can do (peek), and whether a
# command left anything behind (reap).
$(BUILD)/peek: tests/tools/peek.c | $(BUILD)
	$(CC) $(WARNINGS) $(CFLAGS) -D_GNU_SOURCE -o $@ $<
$(BUILD)/reap: tests/tools/reap.c | $(BUILD)
	$(CC) $(WARNINGS) $(CFLAGS) -D_GNU_SOURCE -o $@ $<
# A producer and consumer with the tutorial's layout, for shmviz attach;
# -g: its debug information describes the layout.
$(BUILD)/tutring: tests/tools/tutring.c | $(BUILD)
	$(CC) $(WARNINGS) -O0 -g -pthread -o $@ $<

# The man page's KEYS come from the key table: make man after changing it
# (a test fails until then).
$(BUILD)/keysdoc: tests/tools/keysdoc.c $(CORE_OBJS) $(wildcard include/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CORE_OBJS) \
	    $(LIBS)
man: $(BUILD)/keysdoc
	@tests/tools/man-keys.sh docs/shmviz.1 $(BUILD)/keysdoc

test:
	@tests/deps.sh
	@$(MAKE) --no-print-directory shmviz unit $(BUILD)/peek $(BUILD)/reap \
	    $(BUILD)/keysdoc $(BUILD)/tutring
	@tests/run.sh $(UNIT_BINS)
