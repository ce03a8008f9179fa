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
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DSHMVIZ_VERSION='"$(VERSION)"' \
	$(NCURSES_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARNINGS) -pthread $(CFLAGS)
LIBS = $(NCURSES_LIBS) -pthread -lm

BUILD = build
# Everything but main.c: the unit tests link against these.
CORE = ring seg check pace ctl sync steps worker schedule opts session snap judge stepper \
	watch report sig \
	headless evlog trend screen view_ring view_status view_panes keys tui
CORE_OBJS = $(CORE:%=$(BUILD)/%.o)

.PHONY: all clean install test unit perf
all: shmviz

shmviz: $(CORE_OBJS) $(BUILD)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $@

install: shmviz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 shmviz $(DESTDIR)$(BINDIR)/shmviz
	install -m 644 docs/shmviz.1 $(DESTDIR)$(MANDIR)/man1/shmviz.1

clean:
	rm -rf $(BUILD) shmviz

# Tests: cmocka unit tests, then the program itself in tmux and headless.
UNIT = ring pace opts check trend
UNIT_BINS = $(UNIT:%=$(BUILD)/test_%)

$(BUILD)/test_%: tests/unit/test_%.c $(CORE_OBJS) $(wildcard include/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(CORE_OBJS) $(LIBS) -lcmocka

unit: $(UNIT_BINS)

test:
	@tests/deps.sh
	@$(MAKE) --no-print-directory shmviz unit
	@tests/run.sh $(UNIT_BINS)
