/* tui.h: the interactive screen */
#ifndef SHMVIZ_TUI_H
#define SHMVIZ_TUI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cast.h"
#include "explore.h"
#include "opts.h"
#include "status.h"
#include "watch.h"

/* Everything the screen shows and the keys change. */
struct tui {
	struct watch w;
	unsigned selected;      /* the worker Tab and the digits chose */
	int help;               /* the help overlay is up */
	int trace;              /* the trace pane is up */
	int trace_back;         /* rows of it scrolled back from the newest */
	int dirty;              /* something outside the snapshot changed */
	int quit;               /* leave the loop */
	uint64_t drawn_trend, drawn_log; /* what the last frame drew */
	struct cast cast;       /* --record: the recording */
	char **cast_rows;       /* each row as last recorded, to send only
	                           the rows that changed */
	int cast_lines, cast_cols; /* the size they were recorded at */
	unsigned marked_starts, marked_rewinds; /* the session they belong to */
	size_t marked_rows;     /* trace rows marked in the recording */
	unsigned marked_violated; /* invariants marked broken */
	int marked_stuck, marked_frozen;
	char fail[256];         /* why the session could not go on, if it could not */
	struct explore_result *explored; /* e: the outcomes, while shown */
	unsigned explored_row;  /* the one Enter plays */
	char explored_what[160];/* what was explored, in words */
	struct explore_opts *explored_opts; /* and its options */
	char *explored_sched;   /* the schedule played last: the session's
	                           options point at it */
	char viewer[48];        /* a viewer of another session: its state, as
	                           that session names it ("" when not one) */
	int viewer_pid;         /* and that session's supervisor */
	struct stepper_text viewer_plan; /* and its plan's line */
	char viewer_history[404]; /* and its steps so far, as a schedule */
	struct trace_row viewer_trace[STATUS_TRACE_ROWS]; /* and the newest
	                                                    rows of its trace */
};

/*
 * Whether this terminal can show the screen: stdin and stdout are terminals
 * and TERM can move the cursor.  If not, -1 with the reason in why.
 */
int tui_usable(char *why, size_t len);

/* Run the interactive session; returns the exit status. */
int tui_run(const struct opts *o);

/* Show a running session's published view (src/status.c), read-only,
 * until q or until it ends; returns the exit status. */
struct status_view;
int tui_view_run(struct status_view *v);

/* Keys: act on one, and the table the key bar and help draw from. */
void keys_handle(struct tui *t, int key);

/* A key on a viewer's screen (shmviz attach of a session): only what moves
 * its own view, Tab, the digits, t, PgUp, PgDn, ?, ^L, q and Esc, does
 * anything, as keys_handle does it. */
void keys_view(struct tui *t, int key);

struct key {
	int codes[4];           /* the keys that do it; 0 ends the list */
	const char *names;      /* as the help shows them; NULL: shown with the
	                           key before */
	const char *bar;        /* the keys as the key bar shows them, or NULL */
	const char *barlabel;   /* and what the key bar says they do */
	const char *brief;      /* what it does, in the help overlay */
	const char *help;       /* what it does, in --help and the man page */
	void (*act)(struct tui *t);
};
extern const struct key keys[];
extern const unsigned nkeys;

/* The keys as --help lists them (text) or the man page does (roff). */
void keys_print(FILE *f, int roff);

#endif
