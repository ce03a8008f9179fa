/* view_status.c: the bars, the numbers, the workers and the trends */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "pace.h"
#include "screen.h"
#include "snap.h"
#include "tui.h"

static const char *
session_state(const struct tui *t, enum paint *p)
{
	const struct session *s = &t->s;

	*p = P_TITLE;
	if (t->drained)
		return "FINISHED";
	if (session_live(s, -1) == 0)
		return "ALL WORKERS GONE";
	if (s->paused[ROLE_PRODUCER] && s->paused[ROLE_CONSUMER])
		return "PAUSED";
	if (s->paused[ROLE_PRODUCER])
		return "PRODUCER PAUSED";
	if (s->paused[ROLE_CONSUMER])
		return "CONSUMER PAUSED";
	return "RUNNING";
}

void
view_title_draw(const struct tui *t, struct rect r)
{
	const struct seg_info *g = &t->cur->seg;
	const char *state;
	enum paint p;
	char left[160];

	snprintf(left, sizeof(left), " shmviz  ring of %u  shmid %d  perms %o  "
	    "bytes %zu  nattch %lu%s", t->cur->capacity, g->id, g->mode,
	    g->size, g->nattch, g->removed ? "  dest" : "");
	state = session_state(t, &p);
	screen_text(r.y, r.x, r.w, 1, P_TITLE, "%s", left);
	screen_text(r.y, r.x + r.w - (int)strlen(state) - 1, (int)strlen(state) + 1,
	    1, p, "%s", state);
}

void
view_numbers_draw(const struct snap *sn, struct rect r)
{
	int x = r.x;

	screen_text(r.y, r.x, r.w, 1, P_NORMAL, " ");
	x++;
	screen_glyph(r.y, x, P_HEAD, "H");
	screen_text(r.y, x + 1, 10, 0, P_NORMAL, " head %-4u", sn->head);
	x += 12;
	screen_glyph(r.y, x, P_TAIL, "T");
	screen_text(r.y, x + 1, 10, 0, P_NORMAL, " tail %-4u", sn->tail);
	x += 12;
	screen_text(r.y, x, 6, 0, P_NORMAL, "count ");
	screen_text(r.y, x + 6, 6, 0, sn->count == (int32_t)sn->fill ?
	    P_NORMAL : P_WARN, "%-5d", sn->count);
	x += 12;
	screen_text(r.y, x, 12, 0, P_NORMAL, "fill %-5u", sn->fill);
	x += 12;
	screen_text(r.y, x, r.x + r.w - x, 0, P_NORMAL,
	    "sem empty %-4d full %-4d", sn->sem_empty, sn->sem_full);
}

/* What a worker is doing, in words, and how to paint it. */
static const char *
proc_state(const struct snap_worker *w, char *buf, size_t len, enum paint *p)
{
	char how[48];

	*p = P_NORMAL;
	if (!w->alive) {
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
		return "sleeping until next item";
	case WS_BLOCKED:
		*p = P_WARN;
		snprintf(buf, len, "blocked in sem_wait(&%s)",
		    ctl_sem_name(w->blocked_on));
		return buf;
	case WS_PAUSED:
		*p = P_WARN;
		return "paused";
	case WS_DONE:
		*p = P_FREE;
		return "finishing";
	default:
		return w->run == RUN_PAUSED ? "pausing" : "running";
	}
}

void
view_procs_draw(const struct tui *t, struct rect r)
{
	const struct snap *sn = t->cur;

	for (unsigned i = 0; i < sn->nworkers && (int)i < r.h; i++) {
		const struct snap_worker *w = &sn->w[i];
		int prod = w->role == ROLE_PRODUCER, y = r.y + (int)i;
		char rate[24], state[64];
		const char *st;
		enum paint p;

		st = proc_state(w, state, sizeof(state), &p);
		screen_text(y, r.x, r.w, 1, P_NORMAL, " ");
		screen_text(y, r.x + 1, 3, 0, prod ? P_PROD : P_CONS, "%c%u",
		    prod ? 'P' : 'C', w->index + 1);
		screen_text(y, r.x + 4, 22, 0, P_NORMAL, "%s  pid %d",
		    prod ? "producer" : "consumer", (int)w->pid);
		screen_text(y, r.x + 26, 10, 0, P_NORMAL, "%9s",
		    pace_format(w->rate, rate, sizeof(rate)));
		screen_text(y, r.x + 36, 16, 0, P_NORMAL, "%10llu items",
		    (unsigned long long)w->done);
		screen_text(y, r.x + 53, r.w - 53, 0, p, "%s", st);
	}
}

static void
draw_spark(const struct trend *tr, int y, int x, int w)
{
	const struct glyphs *g = screen_glyphs();

	/* Newest at the right. */
	for (int i = 0; i < w; i++) {
		float v = trend_spark(tr, (unsigned)(w - 1 - i));
		int level = v < 0 ? -1 : (int)(v * 7.999f);

		if (level < 0)
			screen_glyph(y, x + i, P_FREE, " ");
		else
			screen_glyph(y, x + i, P_FULL, g->spark[level]);
	}
}

void
view_trend_draw(const struct tui *t, struct rect r)
{
	const struct snap *sn = t->cur;
	int sw = r.w - 30;

	screen_text(r.y, r.x, r.w, 1, P_NORMAL,
	    " throughput in %.1f/s out %.1f/s (last 3 s)   produced %llu "
	    "consumed %llu", trend_rate(&t->trend, 0), trend_rate(&t->trend, 1),
	    (unsigned long long)sn->produced, (unsigned long long)sn->consumed);
	screen_text(r.y + 1, r.x, r.w, 1, P_NORMAL, " occupancy ");
	if (sw > 0)
		draw_spark(&t->trend, r.y + 1, r.x + 11, sw);
	screen_text(r.y + 1, r.x + 12 + sw, r.w - 12 - sw, 0,
	    sn->dup || sn->ooo || sn->empties ? P_BAD : P_FREE,
	    "dup %llu ooo %llu",
	    (unsigned long long)sn->dup, (unsigned long long)sn->ooo);
}

void
view_log_draw(const struct evlog *l, int64_t start, struct rect r)
{
	for (int i = 0; i < r.h; i++) {
		/* Newest at the bottom. */
		const struct evlog_entry *e = evlog_get(l, (unsigned)(r.h - 1 - i));

		if (e == NULL) {
			screen_text(r.y + i, r.x, r.w, 1, P_NORMAL, " ");
			continue;
		}
		if (e->repeat > 1)
			screen_text(r.y + i, r.x, r.w, 1, P_NORMAL,
			    " %7.1fs  %s (x%u)", (double)(e->t - start) / 1e9,
			    e->text, e->repeat);
		else
			screen_text(r.y + i, r.x, r.w, 1, P_NORMAL, " %7.1fs  %s",
			    (double)(e->t - start) / 1e9, e->text);
	}
}

void
view_keys_draw(struct rect r)
{
	int x = r.x;

	screen_text(r.y, r.x, r.w, 1, P_TITLE, " ");
	for (unsigned i = 0; i < nkeys; i++) {
		int n;

		if (keys[i].bar == NULL)
			continue;
		n = (int)strlen(keys[i].bar);
		screen_text(r.y, x + 1, n, 0, P_TITLE, "%s", keys[i].bar);
		screen_text(r.y, x + 2 + n, (int)strlen(keys[i].barlabel) + 1, 0,
		    P_TITLE, "%s", keys[i].barlabel);
		x += n + (int)strlen(keys[i].barlabel) + 3;
	}
}

static const char *const legend[] = {
	"head   next slot a producer fills (written by producers)",
	"tail   next slot a consumer empties (written by consumers)",
	"count  items as the workers count them: count++ and count--",
	"fill   (head - tail) mod capacity: the slots really in use",
	"empty  semaphore: free slots; full: semaphore: items ready",
	"shmviz only reads the ring: its attachment is SHM_RDONLY.",
};

void
view_help_draw(struct rect r)
{
	const struct glyphs *g = screen_glyphs();
	int h = (int)nkeys + 6 + (int)(sizeof(legend) / sizeof(legend[0]));
	int w = 70, y0 = r.y + (r.h - h) / 2, x0 = r.x + (r.w - w) / 2, y;

	for (y = 0; y < h; y++)
		screen_text(y0 + y, x0, w, 1, P_NORMAL, " ");
	for (int x = 1; x < w - 1; x++) {
		screen_glyph(y0, x0 + x, P_KEY, g->hline);
		screen_glyph(y0 + h - 1, x0 + x, P_KEY, g->hline);
	}
	for (y = 1; y < h - 1; y++) {
		screen_glyph(y0 + y, x0, P_KEY, g->vline);
		screen_glyph(y0 + y, x0 + w - 1, P_KEY, g->vline);
	}
	screen_glyph(y0, x0, P_KEY, g->corner[0]);
	screen_glyph(y0, x0 + w - 1, P_KEY, g->corner[1]);
	screen_glyph(y0 + h - 1, x0, P_KEY, g->corner[2]);
	screen_glyph(y0 + h - 1, x0 + w - 1, P_KEY, g->corner[3]);
	screen_text(y0, x0 + 2, 20, 0, P_KEY, " shmviz keys ");
	y = y0 + 2;
	for (unsigned i = 0; i < nkeys; i++, y++) {
		screen_text(y, x0 + 3, 12, 0, P_KEY, "%s", keys[i].names);
		screen_text(y, x0 + 16, w - 18, 0, P_NORMAL, "%s", keys[i].help);
	}
	y++;
	for (unsigned i = 0; i < sizeof(legend) / sizeof(legend[0]); i++, y++)
		screen_text(y, x0 + 3, w - 5, 0, P_FREE, "%s", legend[i]);
	screen_text(y0 + h - 1, x0 + w - 24, 22, 0, P_KEY, " any key closes ");
}

void
view_small_draw(int rows, int cols)
{
	char a[64], b[64];
	int y = rows / 2 - 1;

	erase();
	snprintf(a, sizeof(a), "shmviz needs %dx%d; this terminal is %dx%d.",
	    SCREEN_MIN_COLS, SCREEN_MIN_ROWS, cols, rows);
	snprintf(b, sizeof(b), "Enlarge it, or press q to quit.");
	screen_text(y, (cols - (int)strlen(a)) / 2 > 0 ? (cols - (int)strlen(a)) / 2 : 0,
	    cols, 0, P_WARN, "%s", a);
	screen_text(y + 1, (cols - (int)strlen(b)) / 2 > 0 ? (cols - (int)strlen(b)) / 2 : 0,
	    cols, 0, P_NORMAL, "%s", b);
}
