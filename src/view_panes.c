/* view_panes.c: the workers: a status line each, and each role's loop once
 * with every worker's name on the line it is at */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "judge.h"
#include "pace.h"
#include "screen.h"
#include "snap.h"
#include "tui.h"
#include "worker.h"

#define GUTTER_MAX 12           /* columns for the names before a line */

/* Whether what a paused worker last spun on is still so: a state shown is
 * a state that holds. */
static int
spin_holds(const struct snap *sn, const struct snap_worker *w)
{
	uint32_t slot = w->slot < sn->capacity ? w->slot : 0;

	switch (w->spin_on) {
	case SPIN_ROOM:
		return sn->count >= (int32_t)sn->capacity;
	case SPIN_ITEM:
		return sn->count <= 0;
	case SPIN_SLOT_FREE:
		return sn->slots[slot] != 0;
	case SPIN_SLOT_FULL:
		return sn->slots[slot] == 0;
	default:
		return 0;
	}
}

/* What worker i is doing, in words, and how to paint it. */
static const char *
worker_state(const struct tui *t, unsigned i, char *buf, size_t len,
    enum paint *p)
{
	const struct snap *sn = t->w.cur;
	const struct snap_worker *w = &sn->w[i];
	const struct step *steps;
	struct holding h;
	const char *what, *held;
	char how[48];
	unsigned n;

	*p = P_NORMAL;
	if (!w->alive) {
		char took[48];
		int k = judge_took(t->w.judge, sn, i, 1, took, sizeof(took));

		if (w->status == 0) {
			*p = P_FREE;
			return "finished";
		}
		*p = P_BAD;
		snprintf(buf, len, "%s%s%s", session_how(w->status, how,
		    sizeof(how)), k > 0 ? ", took " : k < 0 ? ", died mid-step" :
		    "", k > 0 ? took : "");
		return buf;
	}
	steps = steps_table(sn->sync, w->role, &n);
	steps_holding(steps, w->step < n ? w->step : 0, &h);
	h.mutex = steps_holds_mutex(steps, w->step < n ? w->step : 0,
	    w->cv_phase);
	held = !h.mutex ? "" : sync_has_m(sn->sync) ? ", holds m" :
	    ", holds mutex";
	/* pthread_cond_wait: which of its three things it is doing */
	if (w->cv_phase == CVP_WAITING || w->cv_phase == CVP_SLEEPING) {
		*p = P_WARN;
		snprintf(buf, len, "waits on %s, m let go%s",
		    ctl_sem_name(w->cv_on), w->state == WS_PAUSED ? "" :
		    " (asleep in pthread_cond_wait)");
		return buf;
	}
	if (w->cv_phase == CVP_WOKEN) {
		*p = P_WARN;
		snprintf(buf, len, "woken, waits to take m again");
		return buf;
	}
	if (w->cv_phase == CVP_AGAIN && w->state == WS_PAUSED)
		return "back from the wait, holds m again";
	if (w->waits != SEM_NONE && w->state == WS_PAUSED) {
		/* held by the stepper in front of a sem_wait that would block */
		*p = P_WARN;
		snprintf(buf, len, "blocked on %s%s", ctl_sem_name(w->waits), held);
		return buf;
	}
	switch (w->state) {
	case WS_STARTING:
		what = "starting";
		break;
	case WS_SLEEPING:
		*p = P_FREE;
		what = "sleeping";
		break;
	case WS_BLOCKED:
		if ((t->w.forgotten >> i) & 1) {
			/* asleep with the semaphore above 0 (watch.c) */
			*p = P_BAD;
			snprintf(how, sizeof(how), "asleep on %s, forgotten",
			    ctl_sem_name(w->blocked_on));
			what = how;
			break;
		}
		/* said blocked, and the semaphore is at 0: else it is on
		 * its way out of sem_wait */
		if (sn->w[i].blocked_on != SEM_NONE && (judge_blocked(sn, i) ||
		    snap_sem(sn, w->blocked_on) == 0)) {
			*p = P_WARN;
			snprintf(how, sizeof(how), "blocked on %s",
			    ctl_sem_name(w->blocked_on));
			what = how;
		} else
			what = "running";
		break;
	case WS_SPINNING:
		if (spin_holds(sn, w)) {
			*p = P_WARN;
			snprintf(how, sizeof(how), "spinning: %s",
			    ctl_spin_name(w->spin_on));
			what = how;
		} else
			what = "running";
		break;
	case WS_PAUSED:
		*p = P_WARN;
		if (w->spin_on != SPIN_NONE && spin_holds(sn, w)) {
			snprintf(how, sizeof(how), "paused, spinning: %s",
			    ctl_spin_name(w->spin_on));
			what = how;
		} else
			what = "paused";
		break;
	case WS_DONE:
		*p = P_FREE;
		what = "finishing";
		break;
	case WS_FINISHED:
		*p = P_FREE;
		what = "finished";
		break;
	default:
		what = w->run == RUN_PAUSED ? "pausing" : "running";
		break;
	}
	snprintf(buf, len, "%s%s", what, held);
	return buf;
}

/* At most ITEMS_W columns: "1 item", "523 items", "409k items",
 * "10.8M items", "123M items", "1.2G items". */
#define ITEMS_W 11

static const char *
items_text(uint64_t n, char *buf, size_t len)
{
	if (n >= 1000000000)
		snprintf(buf, len, "%.1fG items", (double)n / 1e9);
	else if (n >= 100000000)
		snprintf(buf, len, "%lluM items", (unsigned long long)(n / 1000000));
	else if (n >= 1000000)
		snprintf(buf, len, "%.1fM items", (double)n / 1e6);
	else if (n >= 10000)
		snprintf(buf, len, "%lluk items", (unsigned long long)(n / 1000));
	else
		snprintf(buf, len, "%llu item%s", (unsigned long long)n,
		    n == 1 ? "" : "s");
	return buf;
}

/* A set rate in at most 7 columns: "3/s", "0.017/s", "100k/s", "max". */
static const char *
rate_text(uint64_t rate, char *buf, size_t len)
{
	if (rate != PACE_MAX && rate >= 10000000)
		snprintf(buf, len, "%lluk/s", (unsigned long long)(rate / 1000000));
	else
		pace_format(rate, buf, (unsigned)len);
	return buf;
}

/* One worker's status line; returns the rows it takes.  Its fields, in
 * columns: the digit that selects it, its name, pid, set rate, items and
 * r (where the loop has one), then what it is doing, which wraps under
 * itself if it must. */
static int
status_line(const struct tui *t, unsigned i, struct rect r, int draw)
{
	const struct snap *sn = t->w.cur;
	const struct snap_worker *w = &sn->w[i];
	int sel = i == t->selected, prod = w->role == ROLE_PRODUCER;
	enum paint base = sel ? P_SELECT : P_NORMAL, sp;
	char name[8], rate[24], items[24], state[96], reg[24] = "", head[96];
	const char *st = worker_state(t, i, state, sizeof(state), &sp);
	struct flow f;
	int x, rows;

	if (steps_has_register(sn->sync))
		snprintf(reg, sizeof(reg), "r=%d", w->r);
	snprintf(head, sizeof(head), " %c %-3s pid %-7d %7s  %-*s  %-9s ",
	    i < 9 ? (char)('1' + i) : ' ', ctl_name(w->role, w->index, name,
	    sizeof(name)), (int)w->pid, rate_text(w->rate, rate, sizeof(rate)),
	    ITEMS_W, items_text(w->done, items, sizeof(items)), reg);
	x = r.x + screen_width(head) - (reg[0] ? 0 : 10);
	flow_init(&f, r.y, x, r.x + r.w - x, r.h, draw);
	flow_words(&f, 0, sel ? P_SELECT : sp, st);
	rows = flow_rows(&f);
	if (!draw)
		return rows;
	for (int k = 0; k < rows && k < r.h; k++)
		screen_text(r.y + k, r.x, r.w, 1, base, " ");
	screen_text(r.y, r.x, x - r.x, 0, base, "%s", head);
	/* digits select the first nine; the rest are a Tab away */
	screen_text(r.y, r.x + 1, 1, 0, sel ? P_SELECT : P_KEY, "%.1s", head + 1);
	screen_text(r.y, r.x + 3, 3, 0, sel ? P_SELECT : prod ? P_PROD : P_CONS,
	    "%s", name);
	flow_init(&f, r.y, x, r.x + r.w - x, r.h, 1);
	flow_words(&f, 0, sel ? P_SELECT : sp, st);
	return rows;
}

int
view_status(const struct tui *t, struct rect r, int draw)
{
	const struct snap *sn = t->w.cur;
	unsigned hidden[CTL_MAX_WORKERS], nh = 0;
	int need = 0, y = r.y, room;

	for (unsigned i = 0; i < sn->nworkers; i++)
		need += status_line(t, i, r, 0);
	if (!draw)
		return need;
	if (need <= r.h) {
		for (unsigned i = 0; i < sn->nworkers; i++)
			y += status_line(t, i, (struct rect){ y, r.x, r.h, r.w }, 1);
		return need;
	}
	/* Not all fit: as many as do, the selected one always among them,
	 * and a line that says who is not shown; on one row, the selected
	 * one alone. */
	if (r.h <= 1) {
		if (r.h == 1)
			status_line(t, t->selected, r, VIEW_DRAW);
		return r.h;
	}
	room = r.h - 1 - status_line(t, t->selected, r, 0);
	for (unsigned i = 0; i < sn->nworkers; i++) {
		int rows = status_line(t, i, r, 0);

		if (i == t->selected || rows <= room) {
			if (i != t->selected)
				room -= rows;
			y += status_line(t, i, (struct rect){ y, r.x,
			    r.y + r.h - 1 - y, r.w }, 1);
		} else {
			hidden[nh++] = i;
			room = -1;      /* keep the order: none after a gap */
		}
	}
	if (nh > 0) {
		char names[64];

		view_names(sn, hidden, nh, -1, 30, names, sizeof(names));
		screen_text(r.y + r.h - 1, r.x, r.w, 1, P_FREE, " %u more worker%s "
		    "not shown: %s; Tab reaches them", nh, nh == 1 ? "" : "s",
		    names);
	}
	return r.h;
}

int
view_code_rows(const struct snap *sn)
{
	unsigned np, nc;

	steps_table(sn->sync, ROLE_PRODUCER, &np);
	steps_table(sn->sync, ROLE_CONSUMER, &nc);
	return (int)(np > nc ? np : nc);
}

/* One role's loop in a column: names right-aligned before the arrow. */
static void
code_column(const struct tui *t, enum role role, struct rect r)
{
	const struct snap *sn = t->w.cur;
	const struct glyphs *g = screen_glyphs();
	const struct step *steps = NULL;
	enum paint rp = role == ROLE_PRODUCER ? P_PROD : P_CONS;
	unsigned n;
	int longest = 0, gutter;

	steps = steps_table(sn->sync, role, &n);
	for (unsigned k = 0; k < n; k++)
		if (screen_width(steps[k].code) > longest)
			longest = screen_width(steps[k].code);
	gutter = r.w - longest - 2;
	if (gutter > GUTTER_MAX)
		gutter = GUTTER_MAX;
	if (gutter < 3)
		gutter = 3;
	for (unsigned k = 0; k < n && (int)k < r.h; k++) {
		unsigned who[CTL_MAX_WORKERS], nw = 0;
		int sel = 0, y = r.y + (int)k;

		for (unsigned i = 0; i < sn->nworkers; i++) {
			const struct snap_worker *w = &sn->w[i];

			if (w->role != role || !w->alive || w->state == WS_FINISHED ||
			    w->step % n != k)
				continue;
			who[nw++] = i;
			sel |= i == t->selected;
		}
		if (nw > 0) {
			char names[64];
			int len;

			view_names(sn, who, nw, sel ? (int)t->selected : -1,
			    gutter - 1, names, sizeof(names));
			len = screen_width(names);
			screen_text(y, r.x + gutter - 1 - len, len, 0, rp, "%s", names);
			if (sel) {
				/* the selected one's name, reversed where it is */
				const struct snap_worker *w = &sn->w[t->selected];
				char me[8];
				const char *at;

				ctl_name(w->role, w->index, me, sizeof(me));
				if ((at = strstr(names, me)) != NULL)
					screen_text(y, r.x + gutter - 1 - len +
					    (int)(at - names), 2, 0, P_SELECT, "%s", me);
			}
			screen_glyph(y, r.x + gutter - 1, sel ? P_SELECT : rp, g->arrow);
		}
		screen_text(y, r.x + gutter + 1, r.w - gutter - 1, 0, sel ?
		    P_SELECT : nw ? rp : P_NORMAL, "%s", steps[k].code);
	}
}

void
view_code_draw(const struct tui *t, struct rect r)
{
	int half = r.w / 2;

	code_column(t, ROLE_PRODUCER, (struct rect){ r.y, r.x, r.h, half });
	code_column(t, ROLE_CONSUMER, (struct rect){ r.y, r.x + half, r.h,
	    r.w - half });
}

/* Workers named in runs: three or more in a row become "P1-P3"; `keep`
 * is never put in a range, so that it can be found and painted. */
struct piece {
	char text[16];
	unsigned workers;
};

static unsigned
name_pieces(const struct snap *sn, const unsigned *who, unsigned n,
    int keep, struct piece *out)
{
	unsigned np = 0;

	for (unsigned k = 0; k < n;) {
		const struct snap_worker *a = &sn->w[who[k]];
		unsigned run = 1;
		char x[8];

		while (k + run < n && (int)who[k] != keep &&
		    (int)who[k + run] != keep &&
		    sn->w[who[k + run]].role == a->role &&
		    sn->w[who[k + run]].index == a->index + run)
			run++;
		if (run < 3)
			run = 1;
		ctl_name(a->role, a->index, x, sizeof(x));
		if (run == 1)
			snprintf(out[np].text, sizeof(out[np].text), "%s", x);
		else {
			char y[8];

			snprintf(out[np].text, sizeof(out[np].text), "%s-%s", x,
			    ctl_name(a->role, a->index + run - 1, y, sizeof(y)));
		}
		out[np++].workers = run;
		k += run;
	}
	return np;
}

const char *
view_names(const struct snap *sn, const unsigned *who, unsigned n, int keep,
    int max, char *buf, size_t len)
{
	struct piece pieces[CTL_MAX_WORKERS];
	unsigned np = name_pieces(sn, who, n, keep, pieces), left = n;
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < np; k++) {
		int need = (int)strlen(pieces[k].text) + (k > 0);
		char more[16] = "";

		/* room for this one, and for "+N" if more follow it */
		if (left > pieces[k].workers)
			snprintf(more, sizeof(more), "+%u", left - pieces[k].workers);
		if (k > 0 && (int)off + need + (int)strlen(more) > max) {
			snprintf(buf + off, len - off, "+%u", left);
			return buf;
		}
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    k > 0 ? "," : "", pieces[k].text);
		left -= pieces[k].workers;
		if (off >= len)
			break;
	}
	return buf;
}
