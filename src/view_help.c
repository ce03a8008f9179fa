/* view_help.c: the help overlay: every key, and every mark on the screen */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "screen.h"
#include "tui.h"

/*
 * What the screen shows, a line each.  A line starting with '%' takes the
 * mark glyphs (holds, not known, broken) in turn, so that the words match
 * what is drawn in a UTF-8 or a plain locale.
 */
static const char *const legend[] = {
	"%  proven to hold: all still (paused, blocked, asleep), nothing moved "
	"since",
	"%  not known while the ring moves: checked whenever everything stops",
	"%  proven broken; the log says how, and by which step",
	"H T    head: next slot producers fill; tail: next consumers empty; "
	"* both",
	"[ 7]   bright: an item not yet taken; dim: taken (a read leaves it "
	"there)",
	"P2#1   item 1 of P2 (2:14, 2:...345 when short); 1-8 in a cell: "
	"whose item",
	"r=     the register of count++ and count--: r = count; r = r + 1; "
	"count = r;",
	"count  the workers' count; fill: slots from tail to head; they "
	"should agree",
	"drift  count less what the workers' changes to it add up to: "
	"updates lost",
	"sem    empty: free slots; full: items; mutex: the lock; waiting: "
	"blocked",
	"dest   the segment is marked for removal: it goes with its last "
	"process",
	"lost dup ooo empty  items never taken, taken twice, out of order; "
	"empty read",
	"#",    /* the cells, in the glyphs of this locale */
	"A schedule: space pauses it, s takes its next step; r and m play it "
	"again.",
};

#define NLEGEND (sizeof(legend) / sizeof(legend[0]))
#define KEY_NAME_W 15

/* The keys the help names, in two columns. */
static unsigned
help_keys(const struct key **out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nkeys; i++)
		if (keys[i].names != NULL)
			out[n++] = &keys[i];
	return n;
}

void
view_frame(struct rect r, const char *title, const char *foot)
{
	const struct glyphs *g = screen_glyphs();

	for (int y = 0; y < r.h; y++)
		screen_text(r.y + y, r.x, r.w, 1, P_NORMAL, " ");
	for (int x = 1; x < r.w - 1; x++) {
		screen_glyph(r.y, r.x + x, P_KEY, g->hline);
		screen_glyph(r.y + r.h - 1, r.x + x, P_KEY, g->hline);
	}
	for (int y = 1; y < r.h - 1; y++) {
		screen_glyph(r.y + y, r.x, P_KEY, g->vline);
		screen_glyph(r.y + y, r.x + r.w - 1, P_KEY, g->vline);
	}
	screen_glyph(r.y, r.x, P_KEY, g->corner[0]);
	screen_glyph(r.y, r.x + r.w - 1, P_KEY, g->corner[1]);
	screen_glyph(r.y + r.h - 1, r.x, P_KEY, g->corner[2]);
	screen_glyph(r.y + r.h - 1, r.x + r.w - 1, P_KEY, g->corner[3]);
	screen_text(r.y, r.x + 2, r.w - 4, 0, P_KEY, " %s ", title);
	if (foot != NULL) {
		int w = screen_width(foot) + 2;

		screen_text(r.y + r.h - 1, r.x + (r.w - w - 3 > 2 ? r.w - w - 3 :
		    2), r.w - 4, 0, P_KEY, " %s ", foot);
	}
}

void
view_help_draw(struct rect r)
{
	const struct glyphs *g = screen_glyphs();
	const char *marks[3] = { g->check, g->unknown, g->cross };
	const struct key *k[32];
	unsigned n = help_keys(k), half = (n + 1) / 2, m = 0;
	int colw = (r.w - 4) / 2, y;

	/* the whole screen: nothing beneath shows through */
	view_frame(r, "shmviz: keys and marks", "any key closes this help, q too");
	y = r.y + 1;
	for (unsigned i = 0; i < half; i++, y++)
		for (unsigned c = 0; c < 2; c++) {
			unsigned at = i + c * half;
			int x = r.x + 2 + (int)c * colw;

			if (at >= n)
				continue;
			screen_text(y, x, KEY_NAME_W, 0, P_KEY, "%s", k[at]->names);
			screen_text(y, x + KEY_NAME_W, colw - KEY_NAME_W - 1, 0,
			    P_NORMAL, "%s", k[at]->brief);
		}
	for (unsigned i = 0; i < NLEGEND && y < r.y + r.h - 1; i++, y++) {
		if (legend[i][0] == '#') {
			screen_text(y, r.x + 2, r.w - 4, 0, P_FREE, "%s %s :  full, "
			    "free, part full%s; P1,P2 P1-P3 +2: names on a line",
			    g->full, g->free, g->braille ? "; \u28ff 8 slots" : "");
		} else if (strstr(legend[i], "...") != NULL) {
			const char *at = strstr(legend[i], "...");

			/* the ellipsis as the ring draws it */
			screen_text(y, r.x + 2, r.w - 4, 0, P_FREE, "%.*s%s%s",
			    (int)(at - legend[i]), legend[i], g->ellipsis, at + 3);
		} else if (legend[i][0] == '%') {
			screen_text(y, r.x + 2, 3, 0, i == 0 ? P_OK : i == 1 ? P_WARN :
			    P_BAD, "%s", marks[m++ % 3]);
			screen_text(y, r.x + 5, r.w - 7, 0, P_FREE, "%s",
			    legend[i] + 3);
		} else
			screen_text(y, r.x + 2, r.w - 4, 0, P_FREE, "%s", legend[i]);
	}
}
