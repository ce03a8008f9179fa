/* view_status.c: the bars, the numbers, the workers and the trends */
#include "view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pace.h"
#include "screen.h"
#include "judge.h"
#include "snap.h"
#include "sync.h"
#include "tui.h"

static const char *
session_state(const struct tui *t, enum paint *p)
{
	const struct session *s = &t->w.s;

	*p = P_TITLE;
	if (t->w.finished)
		return "FINISHED";
	if (t->w.judge.stuck == STUCK_DEADLOCK)
		return "DEADLOCK";
	if (t->w.judge.stuck == STUCK_HANG)
		return "HANG";
	if (t->w.frozen)
		return "FROZEN";
	if (t->w.stepper.active || t->w.stepper.waiting)
		return "STEPPING";
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

/* Append a field to the title if it still fits in `room` columns. */
static void
title_add(char *buf, size_t len, int room, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
title_add(char *buf, size_t len, int room, const char *fmt, ...)
{
	char field[64];
	size_t have = strlen(buf), n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	n = strlen(field);
	if ((int)(have + n) <= room && have + n < len)
		memcpy(buf + have, field, n + 1);
}

void
view_title_draw(const struct tui *t, struct rect r)
{
	const struct seg_info *g = &t->w.cur->seg;
	const char *state;
	enum paint p;
	char left[160] = "";
	int sw, room;

	state = session_state(t, &p);
	sw = (int)strlen(state) + 2;
	room = r.w - sw;
	/* The mode, the ring, and the segment as ipcs shows it; what does
	 * not fit gives way. */
	title_add(left, sizeof(left), room, " %s", sync_name(t->w.s.opts.sync));
	title_add(left, sizeof(left), room, "  %u slot%s", t->w.cur->capacity,
	    t->w.cur->capacity == 1 ? "" : "s");
	title_add(left, sizeof(left), room, "  shmid %d", g->id);
	title_add(left, sizeof(left), room, " perms %o", g->mode);
	title_add(left, sizeof(left), room, " bytes %zu", g->size);
	title_add(left, sizeof(left), room, " nattch %lu", g->nattch);
	if (g->removed)
		title_add(left, sizeof(left), room, " dest");
	title_add(left, sizeof(left), room, "   shmviz");
	screen_text(r.y, r.x, r.w, 1, P_TITLE, "%s", left);
	screen_text(r.y, r.x + r.w - sw + 1, sw - 1, 1, p, "%s", state);
}

void
view_numbers_draw(const struct snap *sn, struct rect r)
{
	char buf[96];
	int x = r.x + 1;

	screen_text(r.y, r.x, r.w, 1, P_NORMAL, " ");
	screen_glyph(r.y, x, P_HEAD, "H");
	x += screen_text(r.y, x + 1, 12, 0, P_NORMAL, " head %u", sn->head) + 3;
	screen_glyph(r.y, x, P_TAIL, "T");
	x += screen_text(r.y, x + 1, 12, 0, P_NORMAL, " tail %u", sn->tail) + 3;
	x += screen_text(r.y, x, 6, 0, P_NORMAL, "count ");
	/* count apart from fill: a difference worth a glance */
	x += screen_text(r.y, x, 12, 0, sn->count == (int32_t)sn->fill ?
	    P_NORMAL : P_WARN, "%d", sn->count) + 2;
	x += screen_text(r.y, x, 12, 0, P_NORMAL, "fill %u", sn->fill) + 2;
	if (!sync_has_sems(sn->sync))
		snprintf(buf, sizeof(buf), "no semaphores");
	else if (sync_has_mutex(sn->sync))
		snprintf(buf, sizeof(buf), "sem empty %d full %d mutex %d",
		    sn->sem_empty, sn->sem_full, sn->sem_mutex);
	else
		snprintf(buf, sizeof(buf), "sem empty %d full %d", sn->sem_empty,
		    sn->sem_full);
	screen_text(r.y, x, r.x + r.w - x, 0, sync_has_sems(sn->sync) ?
	    P_NORMAL : P_FREE, "%s", buf);
}

/* Each invariant with its mark: held until proven violated. */
void
view_judge_draw(const struct tui *t, struct rect r)
{
	const struct glyphs *g = screen_glyphs();
	const struct judge *j = &t->w.judge;
	int x = r.x + 1;

	screen_text(r.y, r.x, r.w, 1, P_NORMAL, " ");
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		const char *name = judge_inv_name((enum inv)i);
		int na = i == INV_PERMITS && !sync_has_sems(t->w.cur->sync);
		int n = (int)strlen(name);

		if (na)
			screen_text(r.y, x, 2, 0, P_FREE, "-");
		else
			screen_glyph(r.y, x, j->violated[i] ? P_BAD : P_OK,
			    j->violated[i] ? g->cross : g->check);
		screen_text(r.y, x + 2, n, 0, na ? P_FREE : j->violated[i] ?
		    P_BAD : P_NORMAL, "%s", name);
		x += n + 4;
	}
}

/* The line that names a frozen violation, a deadlock or a hang. */
int
view_banner_draw(const struct tui *t, struct rect r)
{
	const struct watch *w = &t->w;
	const struct judge *j = &w->judge;
	char text[600];

	if (w->frozen)
		snprintf(text, sizeof(text), "FROZEN: %s violated: %s%s%s. "
		    "Space resumes.", judge_inv_name(w->frozen_inv),
		    j->detail[w->frozen_inv], j->breaker[w->frozen_inv][0] ?
		    "; broken by " : "", j->breaker[w->frozen_inv]);
	else if (j->stuck == STUCK_DEADLOCK)
		snprintf(text, sizeof(text), "DEADLOCK: %s. m: next mode, q: quit.",
		    j->stuck_text);
	else if (j->stuck == STUCK_HANG)
		snprintf(text, sizeof(text), "HANG: a worker died; %s, forever.",
		    j->stuck_text);
	else
		return 0;
	/* Two lines at most, broken at a space. */
	int cut = (int)strlen(text), rows = 1;

	if (cut > r.w - 2 && r.h > 1) {
		cut = r.w - 2;
		while (cut > 0 && text[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = r.w - 2;
		rows = 2;
	}
	screen_text(r.y, r.x, r.w, 1, P_BANNER, " %.*s", cut, text);
	if (rows == 2)
		screen_text(r.y + 1, r.x, r.w, 1, P_BANNER, " %s",
		    text + cut + (text[cut] == ' '));
	return rows;
}

static void
draw_spark(const struct trend *tr, int y, int x, int w)
{
	const struct glyphs *g = screen_glyphs();

	/* Newest at the right; an empty ring is a blank, not the lowest bar. */
	for (int i = 0; i < w; i++) {
		float v = trend_spark(tr, (unsigned)(w - 1 - i));
		int level = v <= 0 ? -1 : (int)(v * 7.999f);

		if (level < 0)
			screen_glyph(y, x + i, P_FREE, v < 0 ? " " : g->free);
		else
			screen_glyph(y, x + i, P_FULL, g->spark[level]);
	}
}

/* Items per second in at most 9 columns. */
static const char *
rate_text(double r, char *buf, size_t len)
{
	if (r < 1000)
		snprintf(buf, len, "%.1f/s", r);
	else if (r < 1e6)
		snprintf(buf, len, "%.0f/s", r);
	else
		snprintf(buf, len, "%.2fM/s", r / 1e6);
	return buf;
}

void
view_trend_draw(const struct tui *t, struct rect r)
{
	const struct snap *sn = t->w.cur;
	char in[16], out[16], left[80], right[80], checks[80];
	int rw, cw, sw;

	snprintf(right, sizeof(right), "produced %llu  consumed %llu ",
	    (unsigned long long)sn->produced, (unsigned long long)sn->consumed);
	rw = (int)strlen(right);
	rate_text(trend_rate(&t->w.trend, 0), in, sizeof(in));
	rate_text(trend_rate(&t->w.trend, 1), out, sizeof(out));
	/* "(last 3 s)" gives way before the numbers do */
	snprintf(left, sizeof(left), " throughput in %s out %s (last 3 s)", in,
	    out);
	if ((int)strlen(left) + rw + 1 > r.w)
		left[strlen(left) - 11] = '\0';
	screen_text(r.y, r.x, r.w, 1, P_NORMAL, "%s", left);
	screen_text(r.y, r.x + r.w - rw, rw, 0, P_NORMAL, "%s", right);

	snprintf(checks, sizeof(checks), "lost %llu  dup %llu  ooo %llu  "
	    "empty %llu ", (unsigned long long)t->w.judge.lost,
	    (unsigned long long)sn->dup, (unsigned long long)sn->ooo,
	    (unsigned long long)sn->empties);
	cw = (int)strlen(checks);
	sw = r.w - 12 - cw - 1;
	screen_text(r.y + 1, r.x, r.w, 1, P_NORMAL, " occupancy ");
	if (sw > 0)
		draw_spark(&t->w.trend, r.y + 1, r.x + 11, sw);
	screen_text(r.y + 1, r.x + r.w - cw, cw, 0, t->w.judge.lost || sn->dup ||
	    sn->ooo || sn->empties ? P_BAD : P_FREE, "%s", checks);
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
	int x = r.x + 1, end = r.x + r.w;

	screen_text(r.y, r.x, r.w, 1, P_TITLE, " ");
	/* From the left while there is room; the last ones (help, quit)
	 * are kept at the right. */
	for (unsigned i = 0; i < nkeys; i++) {
		const struct key *k = &keys[i];
		int n;

		if (k->bar == NULL)
			continue;
		n = (int)strlen(k->bar) + 1 + (int)strlen(k->barlabel);
		if (k->act == keys[nkeys - 1].act || strcmp(k->bar, "?") == 0)
			continue;
		if (x + n + 2 > end - 14)
			break;
		screen_text(r.y, x, n, 0, P_TITLE, "%s %s", k->bar, k->barlabel);
		x += n + 2;
	}
	screen_text(r.y, end - 15, 15, 0, P_TITLE, "? help  q quit");
}

static const char *const legend[] = {
	"head, tail   next slot producers fill, consumers empty; fill: slots between",
	"count        items as the workers count them, with count++ and count--",
	"empty, full  semaphores: free slots, items ready to take",
	"lost         items never taken and gone from the ring (known when all stop)",
	"dup ooo empty  items taken twice, after a newer one, from a never-used slot",
	"A mark turns to a cross only when a violation is proven.",
};

void
view_help_draw(struct rect r)
{
	const struct glyphs *g = screen_glyphs();
	int nl = (int)(sizeof(legend) / sizeof(legend[0])), shown = 0, h, w, y0,
	    x0, y;

	for (unsigned i = 0; i < nkeys; i++)
		shown += keys[i].names != NULL;
	h = shown + nl + 5;
	w = r.w < 78 ? r.w : 78;
	y0 = r.y + (r.h - h) / 2;
	x0 = r.x + (r.w - w) / 2;
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
	y = y0 + 1;
	for (unsigned i = 0; i < nkeys; i++) {
		if (keys[i].names == NULL)
			continue;
		screen_text(y, x0 + 2, 15, 0, P_KEY, "%s", keys[i].names);
		screen_text(y++, x0 + 17, w - 19, 0, P_NORMAL, "%s", keys[i].help);
	}
	y++;
	for (int i = 0; i < nl; i++, y++)
		screen_text(y, x0 + 2, w - 4, 0, P_FREE, "%s", legend[i]);
	screen_text(y0 + h - 1, x0 + w - 20, 18, 0, P_KEY, " any key closes ");
}

void
view_small_draw(int rows, int cols)
{
	char need[40], have[40];
	const char *lines[4];
	int n = 0, y;

	erase();
	snprintf(need, sizeof(need), "shmviz needs %dx%d;",
	    SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
	snprintf(have, sizeof(have), "this terminal is %dx%d.", cols, rows);
	/* One line if it fits, else a line a phrase. */
	if (cols >= (int)(strlen(need) + strlen(have)) + 2) {
		static char both[80];
		snprintf(both, sizeof(both), "%s %s", need, have);
		lines[n++] = both;
	} else {
		if ((int)strlen(have) > cols)
			snprintf(have, sizeof(have), "this one is %dx%d.", cols,
			    rows);
		lines[n++] = need;
		lines[n++] = have;
	}
	lines[n++] = cols >= 31 ? "Enlarge it, or press q to quit." :
	    "Enlarge it; q quits.";
	y = rows / 2 - n / 2;
	for (int i = 0; i < n; i++) {
		int len = (int)strlen(lines[i]), x = (cols - len) / 2;

		screen_text(y + i, x > 0 ? x : 0, cols, 0, i < n - 1 ? P_WARN :
		    P_NORMAL, "%s", lines[i]);
	}
}
