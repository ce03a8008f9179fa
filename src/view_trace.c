/* view_trace.c: the steps so far, a column a process, a row a step */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"
#include "tui.h"
#include "worker.h"

#define TRACE_N_W 9             /* "   123 ✗  " (or NO) */
#define TRACE_NUM_W 17          /* "count 2 h 2 t 1" */

/* The history in the schedule grammar, wrapped: rows it takes.  Each entry
 * takes three characters at least ("P1 "): a long one is not formatted at
 * all, every frame. */
static int
trace_history(const struct tui *t, struct rect r, int draw)
{
	const struct watch *w = &t->w;
	int fits = w->history.n * 3 <= TRACE_HISTORY_MAX;
	char *own = !t->viewer[0] && w->nsteps && fits ?
	    schedule_format(&w->history) : NULL;
	/* a viewer has the history as the session published it */
	const char *sched = t->viewer[0] ? (t->viewer_history[0] ?
	    t->viewer_history : NULL) : own;
	struct flow f;
	int rows;

	flow_init(&f, r.y, r.x + 1, r.w - 2, r.h, draw);
	flow_put(&f, 0, P_KEY, "steps so far%s", w->nsteps ? ":" : ": none yet");
	if (t->trace_back > 0)
		flow_put(&f, 1, P_WARN, "(the trace is %d rows back: PgDn)",
		    t->trace_back);
	if (sched != NULL && strlen(sched) <= TRACE_HISTORY_MAX)
		flow_words(&f, 1, P_NORMAL, sched);
	else if (w->nsteps)
		flow_words(&f, 1, P_FREE, t->viewer[0] ? "(too long to show)" :
		    "(too long to show: w writes them)");
	rows = flow_rows(&f);
	free(own);
	return rows;
}

int
view_trace(const struct tui *t, struct rect r, int how)
{
	const struct watch *w = &t->w;
	const struct trace *tr = &w->trace;
	int hist = trace_history(t, r, 0), col[CTL_MAX_WORKERS], body, cw;
	size_t last, from;
	unsigned ncol, np = session_count(&w->s, ROLE_PRODUCER);

	if (!(how & VIEW_DRAW))
		return hist + 1 + 4;    /* and a header, and a few steps */
	hist = trace_history(t, r, 1);
	body = r.h - hist - 1;
	if (body < 1)
		return r.h;
	last = tr->n > (size_t)t->trace_back ? tr->n - (size_t)t->trace_back : 0;
	from = last > (size_t)body ? last - (size_t)body : 0;
	ncol = trace_columns(tr, from, last, np, w->s.nprocs - np, col);
	cw = ncol ? (r.w - TRACE_N_W - TRACE_NUM_W) / (int)ncol : 0;
	/* the header: a process a column */
	screen_text(r.y + hist, r.x, r.w, 1, P_FREE, "%*s", TRACE_N_W - 4, "n");
	for (unsigned i = 0; i < w->s.nprocs; i++)
		if (col[i] >= 0) {
			char name[8];

			screen_text(r.y + hist, r.x + TRACE_N_W + col[i] * cw, cw, 0,
			    i < np ? P_PROD : P_CONS, "%s", ctl_name(i < np ?
			    ROLE_PRODUCER : ROLE_CONSUMER, i < np ? i : i - np, name,
			    sizeof(name)));
		}
	screen_text(r.y + hist, r.x + r.w - TRACE_NUM_W, TRACE_NUM_W, 0, P_FREE,
	    "%s", "count  head tail");
	for (size_t i = from; i < last; i++) {
		const struct trace_row *row = &tr->rows[i];
		int y = r.y + hist + 1 + (int)(i - from);
		unsigned k = row->role == ROLE_PRODUCER ? row->index : np + row->index;
		const struct step *st;
		unsigned n;
		enum paint p = row->broke ? P_BAD : row->what == SW_TAKEN ?
		    P_NORMAL : P_WARN;

		if (row->kind == TR_RESET) {
			char name[8];

			if (row->broke)
				screen_glyph(y, r.x + TRACE_N_W - 3, P_BAD,
				    screen_glyphs()->cross);
			screen_text(y, r.x + TRACE_N_W, r.w - TRACE_N_W - TRACE_NUM_W,
			    0, p, "(%s starts: sem_init both, head = tail = count = "
			    "0)", ctl_name(row->role, row->index, name, sizeof(name)));
			screen_text(y, r.x + r.w - TRACE_NUM_W, TRACE_NUM_W, 0,
			    P_NORMAL, "%5d  %4u %4u", row->v.count, row->v.head,
			    row->v.tail);
			continue;
		}
		if (row->kind >= TR_FREE_BEGAN) {
			screen_text(y, r.x + TRACE_N_W, r.w - TRACE_N_W, 0, P_FREE,
			    "%s", row->kind == TR_FREE_BEGAN ? "(free running: its "
			    "steps are not traced)" : "(stepped from here)");
			continue;
		}
		st = steps_table(w->s.opts.sync, row->role, &n) + row->line % n;
		if (row->kind == TR_STEP)
			screen_text(y, r.x, TRACE_N_W - 4, 0, P_FREE, "%*llu",
			    TRACE_N_W - 4, (unsigned long long)row->n);
		if (row->broke)
			screen_glyph(y, r.x + TRACE_N_W - 3, P_BAD, screen_glyphs()->cross);
		if (k < w->s.nprocs && col[k] >= 0) {
			char cell[96];

			screen_text(y, r.x + TRACE_N_W + col[k] * cw, cw - 1, 0, p,
			    "%s %s", st->name, trace_cell(row, w->s.opts.sync, cell,
			    sizeof(cell)));
		}
		screen_text(y, r.x + r.w - TRACE_NUM_W, TRACE_NUM_W, 0, P_NORMAL,
		    "%5d  %4u %4u", row->v.count, row->v.head, row->v.tail);
	}
	return r.h;
}
