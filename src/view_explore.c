/* view_explore.c: e: the outcomes of every interleaving, and its progress */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "explore.h"
#include "screen.h"
#include "sync.h"
#include "tui.h"

void
view_explore_progress(struct rect r, const char *what, double frac,
    uint64_t schedules, uint64_t states)
{
	int h = 6, w = r.w - 8 < 70 ? r.w - 8 : 70, barw;
	struct rect b = { r.y + (r.h - h) / 2, r.x + (r.w - w) / 2, h, w };
	int filled;

	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	view_frame(b, "e: every interleaving", NULL);
	screen_text(b.y + 1, b.x + 2, b.w - 4, 0, P_NORMAL, "%s", what);
	barw = b.w - 6;
	filled = (int)(frac * barw + 0.5);
	screen_text(b.y + 3, b.x + 2, 1, 0, P_KEY, "[");
	for (int x = 0; x < barw; x++)
		screen_text(b.y + 3, b.x + 3 + x, 1, 0, x < filled ? P_OK : P_FREE,
		    "%s", x < filled ? "#" : ".");
	screen_text(b.y + 3, b.x + 3 + barw, 1, 0, P_KEY, "]");
	screen_text(b.y + 4, b.x + 2, b.w - 4, 0, P_FREE, "%llu schedules run, "
	    "%llu states so far", (unsigned long long)schedules,
	    (unsigned long long)states);
}

void
view_explore_draw(const struct tui *t, struct rect r)
{
	const struct explore_result *x = t->explored;
	char name[96], num[48];
	int y = r.y + 1, w = r.w - 4, namew = w - 35;

	view_frame(r, "e: every interleaving, run on these processes",
	    "Up Down: choose   Enter: watch it on a fresh ring   e: close");
	screen_text(y++, r.x + 2, w, 0, P_NORMAL, "%s", t->explored_what);
	screen_text(y++, r.x + 2, w, 0, x->stop != EXPLORE_DONE ? P_WARN :
	    P_NORMAL, "%s%s interleavings%s", x->saturated ? "at least " : "",
	    explore_n_text(x->interleavings, num, sizeof(num)),
	    x->stop == EXPLORE_SIGNAL ? ", INCOMPLETE: interrupted" :
	    x->stop != EXPLORE_DONE ? ", INCOMPLETE: out of time or runs" :
	    x->bounded ?
	    ", those with at most 2 preemptions" : ": every one");
	screen_text(y++, r.x + 2, w, 0, P_FREE, "%llu schedules run on the "
	    "real workers, %llu end states, %.1f s",
	    (unsigned long long)x->schedules, (unsigned long long)x->end_states,
	    x->elapsed_s);
	if (namew < 10)
		namew = 10;
	screen_text(y++, r.x + 2, w, 0, P_KEY, "  %-*s %14s %7s  %s", namew - 2,
	    "outcome", "interleavings", "share", "verdict");
	for (unsigned k = 0; k < x->n && y < r.y + r.h - 3; k++, y++) {
		const struct explore_outcome *e = &x->out[k];
		double share = explore_share(x, e->count);
		int sel = k == t->explored_row;

		screen_text(y, r.x + 2, w, 1, sel ? P_SELECT : e->mask ? P_BAD :
		    P_OK, "%s %-*.*s %14s %6.2f%%  %s", sel ? ">" : " ", namew - 2,
		    namew - 2, explore_outcome_name(e->mask, name, sizeof(name)),
		    explore_n_text(e->count, num, sizeof(num)), share,
		    e->mask ? "FORBIDDEN" : "ok");
	}
	if (x->n > 0 && t->explored_row < x->n) {
		const struct explore_outcome *e = &x->out[t->explored_row];

		y = r.y + r.h - 3;
		screen_text(y++, r.x + 2, w, 0, P_FREE, "the shortest (%u steps):",
		    e->length);
		screen_text(y, r.x + 2, w, 0, P_KEY, "%s", e->shortest ?
		    e->shortest : "");
	}
}
