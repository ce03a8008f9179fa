/* view_status.c: the bars, the numbers, the marks, the banner and the log */
#include "view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "evlog.h"
#include "judge.h"
#include "pace.h"
#include "screen.h"
#include "snap.h"
#include "sync.h"
#include "tui.h"
#include "worker.h"

static const char *
session_state(const struct tui *t)
{
	/* a viewer shows the state the session itself names */
	if (t->viewer[0])
		return t->viewer;
	return watch_states[watch_state(&t->w)].label;
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
	const char *state = session_state(t);
	char left[160] = "";
	int sw = (int)strlen(state) + 2, room = r.w - sw;

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
	screen_text(r.y, r.x + r.w - sw + 1, sw - 1, 1, P_TITLE, "%s", state);
}

/* The workers blocked on a semaphore, and (for the mutex) who holds it. */
static unsigned
blocked_on(const struct snap *sn, enum wsem which, unsigned *who)
{
	unsigned n = 0;

	/* only those the semaphore really holds: at 0, the worker asleep */
	for (unsigned i = 0; i < sn->nworkers; i++)
		if (sn->w[i].blocked_on == which && judge_blocked(sn, i))
			who[n++] = i;
	return n;
}

static unsigned
mutex_holders(const struct snap *sn, unsigned *who)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *w = &sn->w[i];
		const struct step *t;
		unsigned steps;

		if (!w->alive)
			continue;
		t = steps_table(sn->sync, w->role, &steps);
		if (steps_holds_mutex(t, w->step < steps ? w->step : 0,
		    w->cv_phase))
			who[n++] = i;
	}
	return n;
}

/* "P1 P2": names for a sentence on the numbers row. */
static const char *
names_spaced(const struct snap *sn, const unsigned *who, unsigned n,
    char *buf, size_t len)
{
	view_names(sn, who, n, -1, 48, buf, len);
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = ' ';
	return buf;
}

/* One semaphore: its value and, since sem_getvalue never goes below 0,
 * who waits on it; the mutex also says who holds it. */
static void
numbers_sem(struct flow *f, const struct snap *sn, enum wsem which,
    const char *label, int value, int how)
{
	unsigned who[2 * CTL_MAX_WORKERS], n = blocked_on(sn, which, who), nh = 0;
	char names[64];

	flow_put(f, 2, P_NORMAL, "%s %d", label, value);
	if (how & VIEW_BRIEF)
		return;
	if ((which == SEM_MUTEX || which == SEM_M) &&
	    (nh = mutex_holders(sn, who + n)) > 0) {
		flow_put(f, 1, P_WARN, "held by %s%s", names_spaced(sn, who + n,
		    nh, names, sizeof(names)), n > 0 ? "," : "");
	}
	if (n > 0)
		flow_put(f, 1, P_WARN, "waiting: %s", names_spaced(sn, who, n,
		    names, sizeof(names)));
}

/* m: free or held, by whom (a dead owner named), and who waits for it. */
static void
numbers_m(struct flow *f, const struct snap *sn, int how)
{
	unsigned who[CTL_MAX_WORKERS], n = blocked_on(sn, SEM_M, who);
	unsigned dead[CTL_MAX_WORKERS], nd = 0;
	char names[64];

	/* a holder that died: a plain m stays taken, a robust one is free
	 * (until a repair has been made for it) */
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *d = &sn->w[i];
		const struct step *t;
		unsigned steps;

		if (d->alive || ((snap_repaired(sn) >> i) & 1))
			continue;
		t = steps_table(sn->sync, d->role, &steps);
		if (steps_holds_mutex(t, d->step % steps, d->cv_phase))
			dead[nd++] = i;
	}
	if (sn->m_free) {
		flow_put(f, 2, P_NORMAL, "m free");
		if (nd > 0 && !(how & VIEW_BRIEF))
			flow_put(f, 1, P_WARN, "(its owner %s died)", names_spaced(sn,
			    dead, nd, names, sizeof(names)));
	} else {
		unsigned held[CTL_MAX_WORKERS], k = mutex_holders(sn, held);

		flow_put(f, 2, P_NORMAL, "m held");
		if (!(how & VIEW_BRIEF) && k > 0)
			flow_put(f, 1, P_WARN, "by %s%s", names_spaced(sn, held, k,
			    names, sizeof(names)), n > 0 ? "," : "");
		else if (!(how & VIEW_BRIEF) && nd > 0)
			flow_put(f, 1, P_BAD, "by %s (dead)%s", names_spaced(sn, dead,
			    nd, names, sizeof(names)), n > 0 ? "," : "");
	}
	if (n > 0 && !(how & VIEW_BRIEF))
		flow_put(f, 1, P_WARN, "waiting: %s", names_spaced(sn, who, n,
		    names, sizeof(names)));
}

/* Each condition variable and who sleeps on it; a condition variable has
 * no value, only its waiters. */
static void
numbers_cv(struct flow *f, const struct snap *sn, int how)
{
	static const unsigned both[] = { SEM_CV_EMPTY, SEM_CV_FILL };
	static const unsigned one[] = { SEM_CV };
	const unsigned *cvs = sn->sync == SYNC_ONE_CV_WHILE ? one : both;
	unsigned ncv = sn->sync == SYNC_ONE_CV_WHILE ? 1 : 2;

	for (unsigned c = 0; c < ncv; c++) {
		unsigned who[CTL_MAX_WORKERS], n = blocked_on(sn, cvs[c], who);
		char names[64];

		if (n == 0 || (how & VIEW_BRIEF)) {
			flow_put(f, 2, P_NORMAL, "%s: %s", ctl_sem_name(cvs[c]),
			    n ? "waiters" : "nobody waits");
			continue;
		}
		flow_put(f, 2, P_WARN, "%s: %s %s", ctl_sem_name(cvs[c]),
		    names_spaced(sn, who, n, names, sizeof(names)),
		    n == 1 ? "waits" : "wait");
	}
}

int
view_numbers(const struct snap *sn, struct rect r, int how)
{
	char head[24], tail[24];
	struct flow f;

	flow_init(&f, r.y, r.x + 1, r.w - 1, r.h, how & VIEW_DRAW);
	snprintf(head, sizeof(head), " head %u", sn->head);
	snprintf(tail, sizeof(tail), " tail %u", sn->tail);
	flow_keep(&f, 0, 1 + (int)strlen(head));
	flow_put(&f, 0, P_HEAD, "H");
	flow_put(&f, 0, P_NORMAL, "%s", head);
	flow_keep(&f, 2, 1 + (int)strlen(tail));
	flow_put(&f, 2, P_TAIL, "T");
	flow_put(&f, 0, P_NORMAL, "%s", tail);
	/* count apart from fill: a difference worth a glance */
	flow_put(&f, 2, sn->count == (int32_t)sn->fill ? P_NORMAL : P_WARN,
	    "count %d", sn->count);
	flow_put(&f, 2, P_NORMAL, "fill %u", sn->fill);
	if (sync_has_cv(sn->sync)) {
		numbers_m(&f, sn, how);
		numbers_cv(&f, sn, how);
		return flow_rows(&f);
	}
	if (!sync_has_sems(sn->sync)) {
		flow_put(&f, 2, P_FREE, "no semaphores");
		return flow_rows(&f);
	}
	numbers_sem(&f, sn, SEM_EMPTY, "sem empty", sn->sem_empty, how);
	numbers_sem(&f, sn, SEM_FULL, "full", sn->sem_full, how);
	if (sync_has_mutex(sn->sync))
		numbers_sem(&f, sn, SEM_MUTEX, "mutex", sn->sem_mutex, how);
	if (sync_has_m(sn->sync))
		numbers_m(&f, sn, how);
	return flow_rows(&f);
}

int
view_judge(const struct tui *t, struct rect r, int how)
{
	const struct glyphs *g = screen_glyphs();
	const struct judge *j = t->w.judge;
	struct flow f;

	flow_init(&f, r.y, r.x + 1, r.w - 1, r.h, how & VIEW_DRAW);
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		enum mark m = judge_mark(j, t->w.cur, (enum inv)i);
		const char *name = judge_inv_name((enum inv)i);
		const char *glyph = m == MARK_HOLDS ? g->check :
		    m == MARK_BROKEN ? g->cross : g->unknown;

		if (m == MARK_NA)
			continue;
		flow_keep(&f, 2, screen_width(glyph) + 1 + (int)strlen(name));
		flow_put(&f, 2, m == MARK_HOLDS ? P_OK : m == MARK_BROKEN ? P_BAD :
		    P_WARN, "%s", glyph);
		flow_put(&f, 1, m == MARK_BROKEN ? P_BAD : P_NORMAL, "%s", name);
		if (i == INV_PERMITS && m == MARK_HOLDS && judge_permits_note(j)[0] &&
		    !(how & VIEW_BRIEF)) {
			char note[200];

			snprintf(note, sizeof(note), "(%s)", judge_permits_note(j));
			flow_words(&f, 1, P_FREE, note);
		}
	}
	return flow_rows(&f);
}

/* "broken by P1 at count = r;": the breaking step, name and line. */
static const char *
breaker_text(const char *step, char *buf, size_t len)
{
	const char *sp = strchr(step, ' ');

	if (sp == NULL)
		snprintf(buf, len, " (broken by %s)", step);
	else
		snprintf(buf, len, " (broken by %.*s at %s)", (int)(sp - step),
		    step, sp + 1);
	return buf;
}

/* What the frozen screen shows, once it is still: the numbers to check
 * the banner's against. */
static const char *
frozen_now(const struct watch *w, char *buf, size_t len)
{
	const struct snap *sn = w->cur;
	long long made = (long long)sn->changes[ROLE_PRODUCER] -
	    (long long)sn->changes[ROLE_CONSUMER];

	if (!judge_quiescent(w->judge)) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, len, " Now count %d, produced - consumed %lld: drift %lld.",
	    sn->count, made, (long long)sn->count - made);
	return buf;
}

int
view_banner(const struct tui *t, struct rect r, int draw)
{
	const struct watch *w = &t->w;
	const struct judge *j = w->judge;
	const char *breaker = judge_breaker(j, w->frozen_inv);
	enum stuck stuck = judge_stuck(j);
	char text[900];
	struct flow f;
	int rows;

	if (w->frozen) {
		char by[120], now[120];

		snprintf(text, sizeof(text), "FROZEN: %s violated: %s%s.%s Space "
		    "resumes.", judge_inv_name(w->frozen_inv),
		    judge_detail(j, w->frozen_inv), breaker[0] ?
		    breaker_text(breaker, by, sizeof(by)) : "",
		    frozen_now(w, now, sizeof(now)));
	} else if (stuck == STUCK_DEADLOCK)
		snprintf(text, sizeof(text), "%s: %s. m: next mode, q: quit.",
		    judge_asleep(j) ? "ALL ASLEEP" : "DEADLOCK", judge_stuck_text(j));
	else if (stuck == STUCK_HANG)
		snprintf(text, sizeof(text), "HANG: a worker died; %s, forever.",
		    judge_stuck_text(j));
	else if (stuck == STUCK_SPIN)
		snprintf(text, sizeof(text), "HANG: %s, and nobody left can "
		    "change it. m: next mode, q: quit.", judge_stuck_text(j));
	else
		return 0;
	flow_init(&f, r.y, r.x + 1, r.w - 2, r.h, 0);
	flow_words(&f, 0, P_BANNER, text);
	rows = flow_rows(&f);
	if (!draw)
		return rows;
	for (int k = 0; k < rows && k < r.h; k++)
		screen_text(r.y + k, r.x, r.w, 1, P_BANNER, " ");
	flow_init(&f, r.y, r.x + 1, r.w - 2, r.h, 1);
	flow_words(&f, 0, P_BANNER, text);
	return rows;
}

int
view_schedule(const struct tui *t, struct rect r, int draw)
{
	const struct watch *w = &t->w;
	struct stepper_text text;
	struct flow f;

	/* a viewer shows the line the session published */
	if (t->viewer[0])
		text = t->viewer_plan;
	else
		stepper_text(w->stepper, &w->s, w->cur, w->has_replay, &text);
	if (text.head[0] == '\0')
		return 0;
	flow_init(&f, r.y, r.x + 1, r.w - 1, r.h, draw);
	flow_put(&f, 0, P_KEY, "%s", text.head);
	if (text.next[0])
		flow_put(&f, 2, P_KEY, "next: %s", text.next);
	/* the hints name the session's keys, which a viewer does not have */
	if (text.hint[0] && !t->viewer[0])
		flow_words(&f, text.hint_gap, P_FREE, text.hint);
	return flow_rows(&f);
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

/* Items per second in at most 7 columns: "9.3/s", "409k/s", "1.25M/s". */
static const char *
rate_text(double r, char *buf, size_t len)
{
	if (r < 1000)
		snprintf(buf, len, "%.1f/s", r);
	else if (r < 1e6)
		snprintf(buf, len, "%.0fk/s", r / 1e3);
	else
		snprintf(buf, len, "%.2fM/s", r / 1e6);
	return buf;
}

/* A count in at most 5 columns: "523", "9999", "62.5k", "409k", "1.23M". */
static const char *
count_text(uint64_t n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%llu", (unsigned long long)n);
	else if (n < 100000)
		snprintf(buf, len, "%.1fk", (double)n / 1e3);
	else if (n < 1000000)
		snprintf(buf, len, "%lluk", (unsigned long long)(n / 1000));
	else if (n < 1000000000)
		snprintf(buf, len, "%.2fM", (double)n / 1e6);
	else
		snprintf(buf, len, "%.2fG", (double)n / 1e9);
	return buf;
}

/* The one-row form: the rates, the counts and the checks, short. */
static void
trend_short(const struct tui *t, char *left, size_t llen, char *checks,
    size_t clen)
{
	const struct snap *sn = t->w.cur;
	char in[16], out[16], a[16], b[16], c[16], d[16];

	rate_text(trend_rate(&t->w.trend, 0), in, sizeof(in));
	rate_text(trend_rate(&t->w.trend, 1), out, sizeof(out));
	snprintf(left, llen, " in %s out %s  produced %s  consumed %s", in, out,
	    count_text(sn->produced, a, sizeof(a)), count_text(sn->consumed, b,
	    sizeof(b)));
	snprintf(checks, clen, "lost %s dup %s ooo %s empty %s ",
	    count_text(judge_lost(t->w.judge), a, sizeof(a)), count_text(sn->dup, b,
	    sizeof(b)), count_text(sn->ooo, c, sizeof(c)),
	    count_text(sn->empties, d, sizeof(d)));
}

int
view_trend_rows(const struct tui *t, int cols)
{
	char left[120], checks[80];

	trend_short(t, left, sizeof(left), checks, sizeof(checks));
	return (int)(strlen(left) + 2 + strlen(checks)) <= cols ? 1 : 2;
}

void
view_trend_draw(const struct tui *t, struct rect r)
{
	const struct snap *sn = t->w.cur;
	char in[16], out[16], left[80], right[80], checks[80];
	int bad = judge_lost(t->w.judge) || sn->dup || sn->ooo || sn->empties;
	int rw, cw, sw;

	rate_text(trend_rate(&t->w.trend, 0), in, sizeof(in));
	rate_text(trend_rate(&t->w.trend, 1), out, sizeof(out));
	snprintf(checks, sizeof(checks), "lost %llu  dup %llu  ooo %llu  "
	    "empty %llu ", (unsigned long long)judge_lost(t->w.judge),
	    (unsigned long long)sn->dup, (unsigned long long)sn->ooo,
	    (unsigned long long)sn->empties);
	cw = (int)strlen(checks);
	if (r.h < 2) {
		/* one row: the numbers, short, and no occupancy history */
		trend_short(t, left, sizeof(left), checks, sizeof(checks));
		cw = (int)strlen(checks);
		screen_text(r.y, r.x, r.w, 1, P_NORMAL, "%s", left);
		screen_text(r.y, r.x + r.w - cw, cw, 0, bad ? P_BAD : P_FREE, "%s",
		    checks);
		return;
	}
	snprintf(right, sizeof(right), "produced %llu  consumed %llu ",
	    (unsigned long long)sn->produced, (unsigned long long)sn->consumed);
	rw = (int)strlen(right);
	/* "(last 3 s)" gives way before the numbers do */
	snprintf(left, sizeof(left), " throughput in %s out %s (last 3 s)", in,
	    out);
	if ((int)strlen(left) + rw + 1 > r.w)
		left[strlen(left) - 11] = '\0';
	screen_text(r.y, r.x, r.w, 1, P_NORMAL, "%s", left);
	screen_text(r.y, r.x + r.w - rw, rw, 0, P_NORMAL, "%s", right);
	sw = r.w - 12 - cw - 1;
	screen_text(r.y + 1, r.x, r.w, 1, P_NORMAL, " occupancy ");
	if (sw > 0)
		draw_spark(&t->w.trend, r.y + 1, r.x + 11, sw);
	screen_text(r.y + 1, r.x + r.w - cw, cw, 0, bad ? P_BAD : P_FREE, "%s",
	    checks);
}

#define LOG_TEXT_X 11           /* "   123.4s  " before each entry */

/* One entry's text, as it is shown. */
static const char *
log_text(const struct evlog_entry *e, char *buf, size_t len)
{
	if (e->repeat > 1)
		snprintf(buf, len, "%s (x%u)", e->text, e->repeat);
	else
		snprintf(buf, len, "%s", e->text);
	return buf;
}

static int
log_rows(const char *text, int w)
{
	int rows = 0;

	do {
		size_t next;

		screen_break(text, w, &next);
		text += next;
		rows++;
	} while (*text);
	return rows;
}

int
view_log_rows(const struct evlog *l, int width, int max_rows)
{
	int used = 0;

	for (unsigned back = 0;; back++) {
		const struct evlog_entry *e = evlog_get(l, back);
		char text[EVLOG_TEXT + 32];
		int rows;

		if (e == NULL)
			return used;
		rows = log_rows(log_text(e, text, sizeof(text)), width - LOG_TEXT_X);
		if (used + rows > max_rows)
			return used;
		used += rows;
	}
}

void
view_log_draw(const struct evlog *l, int64_t start, struct rect r)
{
	int y = r.y + r.h, w = r.w - LOG_TEXT_X;

	/* Newest at the bottom; each entry whole, on as many rows as it
	 * needs, or not at all; but for the newest, which is cut short
	 * rather than not shown. */
	for (unsigned back = 0; y > r.y; back++) {
		const struct evlog_entry *e = evlog_get(l, back);
		char text[EVLOG_TEXT + 32];
		const char *at;
		int rows, shown;

		if (e == NULL)
			break;
		log_text(e, text, sizeof(text));
		rows = shown = log_rows(text, w);
		if (y - rows < r.y && back > 0)
			break;
		if (y - rows < r.y)
			shown = y - r.y;
		y -= shown;
		screen_text(y, r.x, LOG_TEXT_X, 0, P_NORMAL, " %7.1fs",
		    (double)(e->t - start) / 1e9);
		at = text;
		for (int k = 0; k < shown; k++) {
			int cut = k == shown - 1 && shown < rows;
			/* room for the ellipsis, "..." in a plain locale */
			size_t next, n = screen_break(at, cut ? w - 3 : w, &next);

			screen_text(y + k, r.x + LOG_TEXT_X, w, 0, P_NORMAL, "%.*s%s",
			    (int)n, at, cut ? screen_glyphs()->ellipsis : "");
			at += next;
		}
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

void
view_small_draw(int rows, int cols)
{
	char need[40], have[40], both[80];
	const char *lines[4];
	int n = 0, y;

	erase();
	snprintf(need, sizeof(need), "shmviz needs %dx%d;",
	    SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
	snprintf(have, sizeof(have), "this terminal is %dx%d.", cols, rows);
	/* One line if it fits, else a line a phrase. */
	if (cols >= (int)(strlen(need) + strlen(have)) + 2) {
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
