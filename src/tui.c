/* tui.c: the interactive screen: one loop, one wait */
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <term.h>
#include <unistd.h>

#include "judge.h"
#include "pace.h"
#include "screen.h"
#include "sig.h"
#include "snap.h"
#include "status.h"
#include "stepper.h"
#include "sync.h"
#include "view.h"
#include "worker.h"

int
tui_usable(char *why, size_t len)
{
	const char *term = getenv("TERM");
	const char *cup;
	char q[64];
	int err = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, len, "standard %s is not a terminal",
		    isatty(STDIN_FILENO) ? "output" : "input");
		return -1;
	}
	if (term == NULL || term[0] == '\0') {
		snprintf(why, len, "TERM is not set");
		return -1;
	}
	opts_quote(term, strlen(term), q, sizeof(q));
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		snprintf(why, len, "terminal type '%s' is unknown", q);
		return -1;
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	/* (char *)-1: TERM's entry has "cup", but not as a string. */
	if (cup == NULL || cup == (char *)-1) {  // NOLINT(performance-no-int-to-ptr)
		snprintf(why, len, "terminal type '%s' cannot move the cursor", q);
		return -1;
	}
	return 0;
}

/* How the screen is shared out, from the top (the title above, the key
 * bar below). */
struct layout {
	int ringh, numbersh, judgeh, schedh, statush, codeh, trendh, bannerh,
	    logh;
	int traceh;             /* the trace pane, when it is up */
	int trace_below;        /* it has rows of its own, below the trends;
	                           else it stands in the ring's */
	int brief;              /* the numbers and marks in their short form */
};

#define LAYOUT_SHEDS 5          /* the ways things give way, in turn */

/* A terminal this tall has rows to spare for the trace pane. */
#define TRACE_SPARE_ROWS 30

/* The trace pane: in the ring's rows (and some of the log's) at 80x24,
 * in spare rows taken from the log when there are. */
static void
layout_trace(const struct tui *t, int rows, int cols, struct layout *l)
{
	struct rect wide = { 0, 0, rows, cols };
	int want;

	l->traceh = 0;
	l->trace_below = 0;
	if (!t->trace)
		return;
	want = view_trace(t, wide, 0);
	if (rows >= TRACE_SPARE_ROWS) {
		/* half the log's rows, at least what it wants */
		if (want < l->logh / 2)
			want = l->logh / 2;
		l->traceh = want < l->logh - 2 ? want : l->logh - 2;
		l->trace_below = 1;
	} else {
		int more = want - l->ringh;

		l->traceh = l->ringh;
		l->ringh = 0;
		l->trace_below = 0;
		if (more > l->logh - 1)
			more = l->logh - 1;
		if (more > 0)
			l->traceh += more;
		else
			more = 0;
		l->logh -= more;
	}
	if (l->traceh < 0)
		l->traceh = 0;
	l->logh -= l->trace_below ? l->traceh : 0;
}

/*
 * Each role's whole loop, the numbers, the marks and any banner first;
 * then a status line per worker, as many as fit; then the ring takes the
 * room its best form needs, leaving a row; the trend's second row; and
 * every row left goes to the log, but for rows the log cannot fill while
 * workers are not shown, which go to them.  On a crowded screen, things
 * give way in turn (`shed`): the schedule's line and the log's least, the
 * trend, the long forms of the numbers and marks, the status lines; never
 * a line of code.
 */
static int
layout_try(const struct tui *t, int rows, int cols, int shed,
    struct layout *l)
{
	const struct snap *sn = t->w.cur;
	struct rect wide = { 0, 0, rows, cols };
	int avail = rows - 2, left, q, want, logmin;

	l->brief = shed >= 3 ? VIEW_BRIEF : 0;
	l->numbersh = view_numbers(sn, wide, l->brief);
	l->judgeh = view_judge(t, wide, l->brief);
	l->schedh = shed >= 1 ? 0 : view_schedule(t, wide, 0);
	l->codeh = view_code_rows(sn);
	l->bannerh = view_banner(t, wide, 0);
	l->trendh = shed >= 2 ? 0 : view_trend_rows(t, cols);
	l->ringh = 1;
	/* with a banner up, the log may keep less: the banner says it */
	logmin = shed >= 1 ? 0 : l->bannerh ? 1 : 2;
	left = avail - l->numbersh - l->judgeh - l->schedh - l->codeh -
	    l->bannerh - l->ringh - l->trendh - logmin;
	want = view_status(t, wide, 0);
	l->statush = want < left ? want : left > 1 ? left : shed >= 4 ? 0 : 1;
	left -= l->statush;
	/* at the last resort, what does not fit is cut off at the bottom */
	if (left < 0 && shed < LAYOUT_SHEDS - 1)
		return -1;
	if (left < 0)
		left = 0;
	if (left > 0) {
		l->ringh = view_ring_rows(sn, cols - 2, left, &q);
		left -= l->ringh - 1;
	}
	if (left >= 2 && l->trendh == 1) {
		l->trendh = 2;
		left--;
	}
	l->logh = logmin + left;
	if (l->statush < want) {
		int spare = l->logh - view_log_rows(&t->w.log, cols, l->logh);
		int give = want - l->statush < spare ? want - l->statush : spare;

		l->statush += give;
		l->logh -= give;
	}
	layout_trace(t, rows, cols, l);
	return 0;
}

static void
tui_layout(const struct tui *t, int rows, int cols, struct layout *l)
{
	memset(l, 0, sizeof(*l));
	for (int shed = 0; shed < LAYOUT_SHEDS; shed++)
		if (layout_try(t, rows, cols, shed, l) == 0)
			return;
}

static void
tui_draw(struct tui *t)
{
	int rows = LINES, cols = COLS, y;
	struct layout l;

	erase();
	if (rows < SCREEN_MIN_ROWS || cols < SCREEN_MIN_COLS) {
		view_small_draw(rows, cols);
		return;
	}
	if (t->help) {
		view_help_draw((struct rect){ 0, 0, rows, cols });
		return;
	}
	if (t->explored != NULL) {
		view_explore_draw(t, (struct rect){ 0, 0, rows, cols });
		return;
	}
	tui_layout(t, rows, cols, &l);
	view_title_draw(t, (struct rect){ 0, 0, 1, cols });
	y = 1;
	if (l.traceh > 0 && !l.trace_below) {
		view_trace(t, (struct rect){ y, 0, l.traceh, cols }, VIEW_DRAW);
		y += l.traceh;
	}
	view_ring_draw(t->w.cur, (struct rect){ y, 1, l.ringh, cols - 2 });
	y += l.ringh;
	y += view_numbers(t->w.cur, (struct rect){ y, 0, l.numbersh, cols },
	    VIEW_DRAW | l.brief);
	y += view_judge(t, (struct rect){ y, 0, l.judgeh, cols },
	    VIEW_DRAW | l.brief);
	if (l.schedh > 0)
		y += view_schedule(t, (struct rect){ y, 0, l.schedh, cols }, 1);
	view_status(t, (struct rect){ y, 0, l.statush, cols }, 1);
	y += l.statush;
	view_code_draw(t, (struct rect){ y, 0, l.codeh, cols });
	y += l.codeh;
	if (l.trendh > 0)
		view_trend_draw(t, (struct rect){ y, 0, l.trendh, cols });
	y += l.trendh;
	if (l.traceh > 0 && l.trace_below) {
		view_trace(t, (struct rect){ y, 0, l.traceh, cols }, VIEW_DRAW);
		y += l.traceh;
	}
	y += view_banner(t, (struct rect){ y, 0, l.bannerh, cols }, 1);
	view_log_draw(&t->w.log, t->w.t0, (struct rect){ y, 0, rows - 1 - y,
	    cols });
	if (t->viewer[0])
		screen_text(rows - 1, 0, cols, 1, P_TITLE, " viewing pid %d's "
		    "session, read-only: Tab selects, t trace, ? help, q quits",
		    t->viewer_pid);
	else
		view_keys_draw((struct rect){ rows - 1, 0, 1, cols });
}

/* The rows as last recorded, dropped. */
static void
tui_cast_forget(struct tui *t)
{
	for (int y = 0; y < t->cast_lines && t->cast_rows != NULL; y++)
		free(t->cast_rows[y]);
	free(t->cast_rows);
	t->cast_rows = NULL;
	t->cast_lines = 0;
}

/*
 * The frame just drawn, into the recording: the rows that changed since
 * the last one, each as a terminal draws it (the screen redrawn from what
 * ncurses holds, not the bytes it sent, so that nothing sits between
 * shmviz and its terminal).
 */
static void
tui_cast_frame(struct tui *t)
{
	size_t len = (size_t)COLS * 24 + 64, off = 0;
	char *row = malloc(len), *out = malloc(len * (size_t)LINES + 32);

	if (row == NULL || out == NULL)
		goto done;
	if (t->cast_lines != LINES || t->cast_cols != COLS) {
		tui_cast_forget(t);
		if ((t->cast_rows = calloc((size_t)LINES, sizeof(char *))) == NULL)
			goto done;
		t->cast_lines = LINES;
		t->cast_cols = COLS;
		off += (size_t)sprintf(out, "\033[?25l\033[2J");
	}
	for (int y = 0; y < LINES; y++) {
		size_t n;

		screen_row(y, row, len);
		if (t->cast_rows[y] != NULL && strcmp(t->cast_rows[y], row) == 0)
			continue;
		n = strlen(row);
		memcpy(out + off, row, n);
		off += n;
		free(t->cast_rows[y]);
		t->cast_rows[y] = strdup(row);
	}
	if (off > 0)
		cast_output(&t->cast, out, off);
done:
	free(row);
	free(out);
}

/* Markers in the recording, once the frame that shows them is drawn:
 * each step taken, each violation, a deadlock or hang, a freeze. */
static void
tui_marks(struct tui *t)
{
	const struct watch *w = &t->w;
	enum stuck stuck = judge_stuck(w->judge);
	char label[512];

	if (w->starts != t->marked_starts) {
		/* a new session: after u, one marker says so, the trace it
		 * replayed is marked already; after r or m all starts anew */
		t->marked_starts = w->starts;
		t->marked_stuck = t->marked_frozen = 0;
		t->marked_violated = 0;
		t->marked_rows = 0;
		if (w->rewinds != t->marked_rewinds) {
			t->marked_rewinds = w->rewinds;
			t->marked_rows = w->trace.n;
			for (int i = 0; i < INV_COUNT_ALL; i++)
				if (judge_violated(w->judge, (enum inv)i))
					t->marked_violated |= 1u << i;
			snprintf(label, sizeof(label), "u: back to step %llu",
			    (unsigned long long)w->rewound_to);
			cast_mark(&t->cast, label);
		}
	}
	for (; t->marked_rows < w->trace.n; t->marked_rows++) {
		const struct trace_row *row = &w->trace.rows[t->marked_rows];
		char name[8], cell[96];
		unsigned n;
		const struct step *st;

		if (row->kind != TR_STEP)
			continue;
		st = steps_table(w->s.opts.sync, row->role, &n) + row->line % n;
		trace_cell(row, w->s.opts.sync, cell, sizeof(cell));
		snprintf(label, sizeof(label), "step %llu: %s %s%s%s",
		    (unsigned long long)row->n, ctl_name(row->role, row->index, name,
		    sizeof(name)), st->code, cell[0] ? " " : "", cell);
		cast_mark(&t->cast, label);
	}
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		enum inv v = (enum inv)i;

		if (judge_violated(w->judge, v) &&
		    !(t->marked_violated & (1u << i))) {
			t->marked_violated |= 1u << i;
			snprintf(label, sizeof(label), "violated: %s: %s",
			    judge_inv_name(v), judge_detail(w->judge, v));
			cast_mark(&t->cast, label);
		}
	}
	if ((int)stuck != t->marked_stuck) {
		t->marked_stuck = (int)stuck;
		if (stuck != STUCK_NO && stuck != STUCK_DRAINED) {
			snprintf(label, sizeof(label), "%s: %s",
			    judge_stuck_name(stuck), judge_stuck_text(w->judge));
			cast_mark(&t->cast, label);
		}
	}
	if (w->frozen != t->marked_frozen) {
		t->marked_frozen = w->frozen;
		if (w->frozen) {
			snprintf(label, sizeof(label), "frozen: %s",
			    judge_inv_name(w->frozen_inv));
			cast_mark(&t->cast, label);
		}
	}
}

static void
tui_frame(struct tui *t, int force)
{
	struct watch *w = &t->w;

	watch_look(w, (int64_t)w->s.opts.step_delay_ms * 1000000);
	/* Only what changed reaches the terminal: nothing at all when the
	 * ring, the trends and the log stand still. */
	if (force || t->dirty || !snap_equal(w->cur, w->prev) ||
	    w->trend.gen != t->drawn_trend || w->log.gen != t->drawn_log) {
		tui_draw(t);
		refresh();
		t->drawn_trend = w->trend.gen;
		t->drawn_log = w->log.gen;
		t->dirty = 0;
		if (t->cast.f != NULL)
			tui_cast_frame(t);
	}
	if (t->cast.f != NULL)
		tui_marks(t);
}

/* ^Z: the workers pause while the supervisor is stopped, then go on. */
static void
tui_suspend(struct tui *t)
{
	struct session *s = &t->w.s;
	int was[2] = { s->paused[ROLE_PRODUCER], s->paused[ROLE_CONSUMER] };

	session_pause(s, ROLE_PRODUCER, 1);
	session_pause(s, ROLE_CONSUMER, 1);
	screen_suspend();
	sig_suspend_self();
	sig_cont = 0;
	screen_resume();
	session_pause(s, ROLE_PRODUCER, was[ROLE_PRODUCER]);
	session_pause(s, ROLE_CONSUMER, was[ROLE_CONSUMER]);
	evlog_add(&t->w.log, pace_now(), "resumed after a suspend (^Z)");
	t->dirty = 1;
}

static void
tui_loop(struct tui *t)
{
	int64_t period = PACE_NS_PER_S / t->w.s.opts.fps;
	int64_t next = pace_now();

	while (!t->quit && !sig_quit) {
		int64_t now = pace_now();
		int force = 0, ready;

		sig_chld = 0;
		if (sig_winch) {
			sig_winch = 0;
			screen_resize();
			if (t->cast.f != NULL)
				cast_resize(&t->cast, COLS, LINES);
			force = 1;
		}
		if (sig_tstp) {
			sig_tstp = 0;
			tui_suspend(t);
			force = 1;
		}
		if (sig_cont) {
			sig_cont = 0;
			screen_resume();
			force = 1;
		}
		if (force || t->dirty || now >= next) {
			tui_frame(t, force);
			if (now >= next)
				next += period;
			if (next <= now)
				next = now + period;
		}
		ready = sig_wait(STDIN_FILENO, next - pace_now());
		if (ready < 0) {
			/* The terminal is gone, as with SIGHUP. */
			sig_quit = SIGHUP;
			break;
		}
		if (ready) {
			int key;

			while (!t->quit && (key = getch()) != ERR)
				keys_handle(t, key);
		}
	}
}

/* --record: the file made, its header written. */
static int
tui_record(struct tui *t, const struct opts *o, char *err, size_t len)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char title[160];

	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	snprintf(title, sizeof(title), "shmviz: %s mode, %u slots, %u producer%s, "
	    "%u consumer%s", sync_name(o->sync), o->capacity, o->producers,
	    o->producers == 1 ? "" : "s", o->consumers, o->consumers == 1 ?
	    "" : "s");
	return cast_open(&t->cast, o->record, ws.ws_col, ws.ws_row, title, err,
	    len);
}

/* The recording closed; -1 if it could not all be written. */
static int
tui_record_end(struct tui *t)
{
	tui_cast_forget(t);
	return cast_close(&t->cast);
}

/* Nothing was recorded: the file made (with O_EXCL, ours) goes. */
static void
tui_record_drop(struct tui *t, const struct opts *o)
{
	if (o->record == NULL)
		return;
	tui_record_end(t);
	unlink(o->record);
}

int
tui_run(const struct opts *o)
{
	struct tui *t = calloc(1, sizeof(*t));
	char err[256];
	int status;

	if (t == NULL) {
		fprintf(stderr, "shmviz: out of memory\n");
		return 1;
	}
	sig_init(1);
	if (o->record != NULL && tui_record(t, o, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		free(t);
		return 2;
	}
	/* The terminal first: started in the background, shmviz stops here
	 * (SIGTTOU) before any worker exists, not with workers running. */
	if (screen_init(err, sizeof(err)) == -1) {
		tui_record_drop(t, o);
		fprintf(stderr, "shmviz: %s\n", err);
		free(t);
		return 1;
	}
	sig_crash_init(screen_restore_raw);
	if (watch_start(&t->w, o, err, sizeof(err)) == -1) {
		screen_done();
		tui_record_drop(t, o);
		fprintf(stderr, "shmviz: %s\n", err);
		watch_free(&t->w);
		free(t);
		return 1;
	}
	tui_loop(t);
	session_stop(&t->w.s);
	screen_done();
	if (tui_record_end(t) == -1 && !t->fail[0])
		snprintf(t->fail, sizeof(t->fail), "--record: %s could not be "
		    "written whole", o->record);
	watch_done(&t->w);
	if (t->explored != NULL)
		explore_result_free(t->explored);
	free(t->explored);
	free(t->explored_opts);
	free(t->explored_sched);
	if (t->fail[0]) {
		fprintf(stderr, "shmviz: %s\n", t->fail);
		status = 1;
	} else
		status = sig_quit ? 128 + sig_quit : 0;
	free(t);
	return status;
}

/* The published view into a watch that is only drawn: no session of its
 * own, no worker, nothing it could write. */
static void
tui_view_fill(struct tui *t, const struct status_page *p)
{
	struct watch *w = &t->w;
	struct snap *old = w->prev;

	opts_defaults(&w->s.opts);
	w->s.opts.producers = p->producers;
	w->s.opts.consumers = p->consumers;
	w->s.opts.sync = p->sync;
	w->s.opts.capacity = p->capacity;
	w->s.opts.items = p->items;
	w->s.shmid = p->ring_shmid;
	w->s.nprocs = p->nprocs;
	memcpy(w->s.procs, p->procs, sizeof(w->s.procs));
	w->s.paused[0] = p->paused[0];
	w->s.paused[1] = p->paused[1];
	w->finished = p->finished;
	w->frozen = p->frozen;
	w->frozen_inv = (enum inv)p->frozen_inv;
	w->forgotten = p->forgotten;
	w->nsteps = p->nsteps;
	/* the trace's newest rows, kept apart from the copy, which a read
	 * that fails leaves half written */
	w->trace.n = w->trace.cap = p->trace_n < STATUS_TRACE_ROWS ?
	    p->trace_n : STATUS_TRACE_ROWS;
	memcpy(t->viewer_trace, p->trace, w->trace.n * sizeof(p->trace[0]));
	w->trace.rows = t->viewer_trace;
	t->viewer_plan = p->plan;
	snprintf(t->viewer_history, sizeof(t->viewer_history), "%s", p->history);
	w->t0 = p->t0;
	w->log = p->log;
	w->trend = p->trend;
	w->prev = w->cur;
	w->cur = old;
	*w->cur = p->snap;
	judge_load(w->judge, p->judge);
	snprintf(t->viewer, sizeof(t->viewer), "%s", p->state[0] ? p->state :
	    "?");
	t->viewer_pid = p->supervisor;
	if (t->selected >= w->s.nprocs)
		t->selected = 0;
}

int
tui_view_run(struct status_view *v)
{
	struct tui *t = calloc(1, sizeof(*t));
	struct status_page *copy = malloc(v->len);
	int64_t period = PACE_NS_PER_S / 10, next = pace_now();
	char err[256];
	int gone = 0;

	if (t == NULL || copy == NULL || (t->w.judge = judge_new()) == NULL ||
	    (t->w.stepper = stepper_new()) == NULL) {
		fprintf(stderr, "shmviz attach: out of memory\n");
		goto fail;
	}
	t->w.cur = &t->w.snaps[0];
	t->w.prev = &t->w.snaps[1];
	if (status_read(v->page, copy, v->len) == -1 || copy->nprocs == 0) {
		fprintf(stderr, "shmviz attach: the session's view could not be "
		    "read\n");
		goto fail;
	}
	tui_view_fill(t, copy);
	if (screen_init(err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz attach: %s\n", err);
		goto fail;
	}
	sig_crash_init(screen_restore_raw);
	while (!t->quit && !sig_quit) {
		int ready, force = screen_follow_signals();

		if (force || pace_now() >= next) {
			/* the session's supervisor gone: its view will not change */
			if (kill(v->supervisor, 0) == -1 && errno == ESRCH) {
				gone = 1;
				break;
			}
			status_follow(v);
			if (status_read(v->page, copy, v->len) == 0)
				tui_view_fill(t, copy);
			if (t->help)
				view_help_draw((struct rect){ 0, 0, LINES, COLS });
			else
				tui_draw(t);
			refresh();
			next = pace_next(next, period, pace_now());
		}
		ready = sig_wait(STDIN_FILENO, next - pace_now());
		if (ready < 0)
			break;
		if (ready) {
			int key;

			while ((key = getch()) != ERR) {
				keys_view(t, key);
				next = 0;
			}
		}
	}
	screen_done();
	if (gone)
		fprintf(stderr, "shmviz attach: the session ended\n");
	judge_free(t->w.judge);
	stepper_free(t->w.stepper);
	free(copy);
	free(t);
	return sig_quit ? 128 + sig_quit : 0;
fail:
	if (t != NULL) {
		judge_free(t->w.judge);
		stepper_free(t->w.stepper);
	}
	free(copy);
	free(t);
	return 1;
}
