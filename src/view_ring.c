/* view_ring.c: every slot of the ring, with head and tail marked */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "screen.h"
#include "snap.h"

/*
 * The ring is drawn in the roomiest way that shows every slot: each slot's
 * value in a box while there is space, then one cell per slot, then (past
 * one cell per slot) several slots packed into each cell.
 */
enum ring_mode {
	RM_VALUES_INDEXED,      /* index row, value row, marker row */
	RM_VALUES,              /* value row, marker row */
	RM_CELLS,               /* one cell a slot */
	RM_PACKED,              /* eight slots a braille cell, or several a
	                           character of density */
};

#define VALUE_W 6               /* columns of a slot in the value modes */
#define VALUE_W_NAMED 8         /* the same, naming producers: "[P2#13]" */
#define WRAP_W 4                /* the mark after the last box: "->0" */

struct ring_layout {
	enum ring_mode mode;
	int value_w;            /* columns of a box */
	int per_row;            /* slots a row of the screen holds */
	int rows;               /* screen rows used */
	int per_cell;           /* RM_PACKED without braille: slots per cell */
};

/* With several producers an item says whose it is. */
static int
named(const struct snap *sn)
{
	unsigned np = 0;

	for (unsigned i = 0; i < sn->nworkers; i++)
		np += sn->w[i].role == ROLE_PRODUCER;
	return np > 1;
}

static int
div_up(int a, int b)
{
	return (a + b - 1) / b;
}

static void
ring_layout(const struct snap *sn, int w, int h, struct ring_layout *l)
{
	uint32_t cap = sn->capacity;
	int bands;

	l->per_cell = 1;
	l->value_w = named(sn) ? VALUE_W_NAMED : VALUE_W;
	/* Boxes: as many a row as fit, spread evenly over the rows, with room
	 * for the wrap-around mark after the last one. */
	l->per_row = (w - WRAP_W) / l->value_w;
	bands = l->per_row > 0 ? div_up((int)cap, l->per_row) : h + 1;
	if (bands * 2 <= h)
		l->per_row = div_up((int)cap, bands);
	if (bands * 3 <= h) {
		l->mode = RM_VALUES_INDEXED;
		l->rows = bands * 3;
	} else if (bands * 2 <= h) {
		l->mode = RM_VALUES;
		l->rows = bands * 2;
	} else if (div_up((int)cap, w) <= h) {
		l->mode = RM_CELLS;
		l->per_row = w;
		l->rows = div_up((int)cap, w);
	} else if (screen_glyphs() != NULL && screen_glyphs()->braille &&
	    div_up((int)cap, w * 8) <= h) {
		l->mode = RM_PACKED;
		l->per_cell = 8;        /* eight slots to a braille cell */
		l->per_row = w * l->per_cell;
		l->rows = div_up((int)cap, l->per_row);
	} else {
		l->mode = RM_PACKED;
		l->per_cell = div_up((int)cap, w * h);
		l->per_row = w * l->per_cell;
		l->rows = div_up((int)cap, l->per_row);
	}
}

int
view_ring_rows(const struct snap *sn, int width, int max_rows, int *quality)
{
	struct ring_layout l;

	ring_layout(sn, width, max_rows > 0 ? max_rows : 1, &l);
	*quality = l.mode == RM_VALUES_INDEXED ? 3 : l.mode == RM_VALUES ? 2 :
	    l.mode == RM_CELLS ? 1 : 0;
	return l.rows < max_rows ? l.rows : max_rows;
}

static int
slot_full(const struct snap *sn, uint32_t i)
{
	return (i + sn->capacity - sn->tail % sn->capacity) % sn->capacity <
	    sn->fill;
}

/*
 * An item in a box of `inner` columns: its number (counting from 1), the
 * last digits when it is long; with several producers, whose it is too:
 * "P2#13", shortened to "2:1234", then "2:" and the last digits.
 */
static void
value_text(uint64_t token, int inner, int whose, char *buf, size_t len,
    int *cut)
{
	unsigned long long seq = ring_item_seq(token) + 1;
	unsigned p = ring_item_producer(token) + 1;
	char num[32];

	*cut = 0;
	if (token == 0) {
		snprintf(buf, len, "%*s", inner, "");
		return;
	}
	if (!whose) {
		snprintf(num, sizeof(num), "%llu", seq);
		if ((int)strlen(num) <= inner)
			snprintf(buf, len, "%*s", inner, num);
		else {
			*cut = 1;       /* an ellipsis, then the last digits */
			snprintf(buf, len, "%0*llu", inner - 1, seq % 1000);
		}
		return;
	}
	snprintf(buf, len, "P%u#%llu", p, seq);
	if ((int)strlen(buf) <= inner) {
		snprintf(num, sizeof(num), "%s", buf);
		snprintf(buf, len, "%*s", inner, num);
		return;
	}
	snprintf(buf, len, "%u:%llu", p, seq);
	if ((int)strlen(buf) <= inner)
		return;
	*cut = 1;
	snprintf(buf, len, "%u:%0*llu", p, inner - 3, seq % 1000);
}

static void
draw_values(const struct snap *sn, struct rect r, const struct ring_layout *l)
{
	const struct glyphs *g = screen_glyphs();
	int indexed = l->mode == RM_VALUES_INDEXED;
	uint32_t head = sn->head % sn->capacity, tail = sn->tail % sn->capacity;

	int vw = l->value_w, inner = vw - 2, whose = named(sn);

	for (uint32_t i = 0; i < sn->capacity; i++) {
		int band = (int)i / l->per_row, col = (int)i % l->per_row;
		int y = r.y + band * (indexed ? 3 : 2) + indexed;
		int x = r.x + col * vw;
		int full = slot_full(sn, i), cut;
		enum paint p = full ? P_FULL : P_FREE;
		char v[32];

		if (indexed)
			screen_text(y - 1, x, vw, 1, P_FREE, " %u", i);
		value_text(sn->slots[i], inner, whose, v, sizeof(v), &cut);
		screen_text(y, x, 1, 0, P_FREE, "[");
		if (cut && !whose) {
			screen_glyph(y, x + 1, p, g->ellipsis);
			screen_text(y, x + 2, inner - 1, 0, p, "%s", v);
		} else if (cut) {
			/* "2:" then the ellipsis and the last digits */
			screen_text(y, x + 1, 2, 0, p, "%.2s", v);
			screen_glyph(y, x + 3, p, g->ellipsis);
			screen_text(y, x + 4, inner - 3, 0, p, "%s", v + 2);
		} else
			screen_text(y, x + 1, inner, 0, p, "%s", v);
		screen_text(y, x + vw - 1, 1, 0, P_FREE, "]");
		if (i == head && i == tail)
			screen_text(y + 1, x, vw, 1, P_HEAD, " h=t");
		else if (i == head)
			screen_text(y + 1, x, vw, 1, P_HEAD, " head");
		else if (i == tail)
			screen_text(y + 1, x, vw, 1, P_TAIL, " tail");
		else
			screen_text(y + 1, x, vw, 1, P_NORMAL, " ");
		if (i == sn->capacity - 1)
			screen_text(y, x + vw, WRAP_W, 0, P_FREE, "->0");
	}
}

static void
draw_cells(const struct snap *sn, struct rect r, const struct ring_layout *l)
{
	const struct glyphs *g = screen_glyphs();
	uint32_t head = sn->head % sn->capacity, tail = sn->tail % sn->capacity;
	int whose = named(sn);

	for (uint32_t i = 0; i < sn->capacity; i++) {
		int y = r.y + (int)i / l->per_row, x = r.x + (int)i % l->per_row;

		if (i == head && i == tail)
			screen_glyph(y, x, P_HEAD, "*");
		else if (i == head)
			screen_glyph(y, x, P_HEAD, "H");
		else if (i == tail)
			screen_glyph(y, x, P_TAIL, "T");
		else if (slot_full(sn, i) && whose && sn->slots[i] != 0) {
			char d[2] = { (char)('1' + ring_item_producer(sn->slots[i])),
			    '\0' };

			/* whose item: the producer's number */
			screen_glyph(y, x, P_FULL, d);
		} else if (slot_full(sn, i))
			screen_glyph(y, x, P_FULL, g->full);
		else
			screen_glyph(y, x, P_FREE, g->free);
	}
}

/* Eight consecutive slots to a braille cell: down the left column of dots,
 * then down the right, so a cell fills as the ring does. */
static unsigned
braille_bit(int k)
{
	static const unsigned char bits[8] = { 0, 1, 2, 6, 3, 4, 5, 7 };

	return 1u << bits[k];
}

static void
draw_packed(const struct snap *sn, struct rect r, const struct ring_layout *l)
{
	const struct glyphs *g = screen_glyphs();
	uint32_t head = sn->head % sn->capacity, tail = sn->tail % sn->capacity;
	int per = l->per_cell, braille = g->braille && per == 8;

	for (int c = 0; c * per < (int)sn->capacity; c++) {
		int y = r.y + c / r.w, x = r.x + c % r.w, n = 0, has = 0, mark = 0;
		unsigned dots = 0;
		enum paint p;
		char buf[4];

		for (int k = 0; k < per && c * per + k < (int)sn->capacity; k++) {
			uint32_t i = (uint32_t)(c * per + k);

			has++;
			if (slot_full(sn, i)) {
				n++;
				dots |= braille_bit(k < 8 ? k : 7);
			}
			/* 1 tail, 2 head, 3 both in this cell */
			if (i == head)
				mark |= 2;
			if (i == tail)
				mark |= 1;
		}
		p = mark >= 2 ? P_HEAD : mark == 1 ? P_TAIL : n ? P_FULL : P_FREE;
		if (mark)       /* a letter: readable without colour */
			screen_glyph(y, x, p, mark == 3 ? "*" : mark == 2 ? "H" : "T");
		else if (n == 0)
			screen_glyph(y, x, p, g->free);
		else if (braille)
			screen_glyph(y, x, p, screen_braille(dots, buf));
		else
			screen_glyph(y, x, p, n == has ? g->full : ":");
	}
}

void
view_ring_draw(const struct snap *sn, struct rect r)
{
	struct ring_layout l;

	if (sn->capacity == 0 || r.w <= 0 || r.h <= 0)
		return;
	ring_layout(sn, r.w, r.h, &l);
	if (l.mode == RM_VALUES_INDEXED || l.mode == RM_VALUES)
		draw_values(sn, r, &l);
	else if (l.mode == RM_CELLS)
		draw_cells(sn, r, &l);
	else
		draw_packed(sn, r, &l);
}
