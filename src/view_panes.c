/* view_panes.c: each worker's loop as code, the step it is at marked */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "pace.h"
#include "screen.h"
#include "snap.h"
#include "tui.h"
#include "worker.h"

#define PANE_W 40               /* columns a full pane wants */

/* What a worker is doing, in words, and how to paint it. */
static const char *
pane_state(const struct snap_worker *w, char *buf, size_t len, enum paint *p)
{
	*p = P_NORMAL;
	if (!w->alive) {
		char how[48];

		session_how(w->status, how, sizeof(how));
		*p = w->status == 0 ? P_FREE : P_BAD;
		snprintf(buf, len, "%s", w->status == 0 ? "finished" : how);
		return buf;
	}
	switch (w->state) {
	case WS_STARTING:
		return "starting";
	case WS_SLEEPING:
		*p = P_FREE;
		return "sleeping";
	case WS_BLOCKED:
		*p = P_WARN;
		snprintf(buf, len, "blocked on %s", ctl_sem_name(w->blocked_on));
		return buf;
	case WS_SPINNING:
		*p = P_WARN;
		snprintf(buf, len, "spinning: %s", ctl_spin_name(w->spin_on));
		return buf;
	case WS_PAUSED:
		*p = P_WARN;
		if (w->spin_on == SPIN_NONE)
			return "paused";
		snprintf(buf, len, "paused, spinning: %s", ctl_spin_name(w->spin_on));
		return buf;
	case WS_DONE:
		*p = P_FREE;
		return "finishing";
	default:
		return w->run == RUN_PAUSED ? "pausing" : "running";
	}
}

/* "1 item", "523 items", "4.63M items": short enough for a pane. */
static const char *
items_text(uint64_t n, char *buf, size_t len)
{
	if (n >= 1000000)
		snprintf(buf, len, "%.2fM items", (double)n / 1e6);
	else
		snprintf(buf, len, "%llu item%s", (unsigned long long)n,
		    n == 1 ? "" : "s");
	return buf;
}

static unsigned
pane_cols(const struct snap *sn, int cols)
{
	unsigned c = (unsigned)(cols / PANE_W);

	if (c == 0)
		c = 1;
	return c < sn->nworkers ? c : sn->nworkers;
}

static unsigned
longest_table(const struct snap *sn)
{
	unsigned np, nc;

	steps_table(sn->sync, ROLE_PRODUCER, &np);
	steps_table(sn->sync, ROLE_CONSUMER, &nc);
	return np > nc ? np : nc;
}

int
view_panes_rows(const struct snap *sn, int cols, int full)
{
	unsigned pc = pane_cols(sn, cols);
	int grid = (int)((sn->nworkers + pc - 1) / pc);

	if (full)
		return grid * (2 + (int)longest_table(sn));
	/* compact: one line each, in two columns past four workers */
	return sn->nworkers > 4 && cols >= 2 * PANE_W ?
	    (int)(sn->nworkers + 1) / 2 : (int)sn->nworkers;
}

/* "1 P1 producer": the number the digit keys select it by, its name. */
static void
pane_name(const struct tui *t, unsigned i, int y, int x, int w)
{
	const struct snap_worker *sw = &t->w.cur->w[i];
	int prod = sw->role == ROLE_PRODUCER;

	/* digits select the first nine; the rest are a Tab away */
	if (i < 9)
		screen_text(y, x, 1, 0, i == t->selected ? P_SELECT : P_KEY, "%u",
		    i + 1);
	else if (i == t->selected)
		screen_text(y, x, 1, 0, P_SELECT, ">");
	char name[8];

	screen_text(y, x + 2, w - 2, 0, prod ? P_PROD : P_CONS, "%s %s",
	    ctl_name(sw->role, sw->index, name, sizeof(name)),
	    prod ? "producer" : "consumer");
}

static void
pane_full(const struct tui *t, unsigned i, struct rect r)
{
	const struct snap_worker *sw = &t->w.cur->w[i];
	const struct glyphs *g = screen_glyphs();
	const struct step *steps;
	struct holding h;
	char rate[24], state[64], items[24];
	const char *st;
	enum paint p;
	unsigned n;
	int x;

	steps = steps_table(t->w.cur->sync, sw->role, &n);
	steps_holding(steps, sw->step < n ? sw->step : 0, &h);
	st = pane_state(sw, state, sizeof(state), &p);
	pane_name(t, i, r.y, r.x + 1, 14);
	screen_text(r.y, r.x + 15, r.w - 15, 0, P_NORMAL, "pid %d %s %s",
	    (int)sw->pid, pace_format(sw->rate, rate, sizeof(rate)),
	    items_text(sw->done, items, sizeof(items)));
	x = r.x + 3;
	x += screen_text(r.y + 1, x, r.x + r.w - x, 0, p, "%s", st);
	if (!sw->alive && sw->status != 0) {
		char took[80];
		int k = judge_took(&t->w.judge, t->w.cur, i, 1, took, sizeof(took));

		if (k != 0)
			screen_text(r.y + 1, x, r.x + r.w - x, 0, P_BAD, ", %s%s",
			    k > 0 ? "took " : "died mid-step", k > 0 ? took : "");
	} else
		screen_text(r.y + 1, x, r.x + r.w - x, 0, P_FREE, "%s  r=%d",
		    h.mutex ? "  holds mutex" : "", sw->r);
	for (unsigned k = 0; k < n && 2 + (int)k < r.h; k++) {
		int cur = k == sw->step && sw->alive, y = r.y + 2 + (int)k;

		if (cur)
			screen_glyph(y, r.x + 1, P_SELECT, g->arrow);
		screen_text(y, r.x + 2, r.w - 3, 0, cur ? P_SELECT : P_NORMAL,
		    " %s", steps[k].code);
	}
}

/* One line: name, and with room pid, rate and items; then the step it is
 * at, painted by its state (or how it ended). */
static void
pane_line(const struct tui *t, unsigned i, struct rect r)
{
	const struct snap_worker *sw = &t->w.cur->w[i];
	const struct glyphs *g = screen_glyphs();
	const struct step *steps;
	char state[64];
	const char *st;
	enum paint p;
	unsigned n;
	int x;

	steps = steps_table(t->w.cur->sync, sw->role, &n);
	st = pane_state(sw, state, sizeof(state), &p);
	pane_name(t, i, r.y, r.x + 1, 14);
	x = r.x + 16;
	if (r.w >= 2 * PANE_W) {
		char rate[24];

		screen_text(r.y, x, 34, 0, P_NORMAL, "pid %-7d %7s %8llu item%s",
		    (int)sw->pid, pace_format(sw->rate, rate, sizeof(rate)),
		    (unsigned long long)sw->done, sw->done == 1 ? "" : "s");
		x += 35;
	}
	if (!sw->alive || sw->state == WS_SLEEPING) {
		screen_text(r.y, x, r.x + r.w - x, 0, p, "%s", st);
		return;
	}
	screen_glyph(r.y, x, p, g->arrow);
	x += 2 + screen_text(r.y, x + 2, r.x + r.w - x - 2, 0, p, "%s",
	    steps[sw->step < n ? sw->step : 0].code);
	/* colour alone does not say blocked or paused: words do, with room */
	if (p != P_NORMAL)
		screen_text(r.y, x + 1, r.x + r.w - x - 1, 0, p, "%s", st);
}

void
view_panes_draw(const struct tui *t, struct rect r, int full)
{
	const struct snap *sn = t->w.cur;
	unsigned pc = full ? pane_cols(sn, r.w) :
	    (sn->nworkers > 4 && r.w >= 2 * PANE_W ? 2 : 1);
	int pw = r.w / (int)pc, ph = full ? 2 + (int)longest_table(sn) : 1;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		struct rect c = { r.y + (int)(i / pc) * ph, r.x + (int)(i % pc) * pw,
		    ph, pw };

		if (c.y + c.h > r.y + r.h)
			break;
		if (full)
			pane_full(t, i, c);
		else
			pane_line(t, i, c);
	}
}
