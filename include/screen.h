/* screen.h: the terminal: ncurses set-up, colours, glyphs, restoring it */
#ifndef SHMVIZ_SCREEN_H
#define SHMVIZ_SCREEN_H

#include <curses.h>
#include <stddef.h>
#include <stdio.h>

#define SCREEN_MIN_COLS 80
#define SCREEN_MIN_ROWS 24

/* What a piece of the screen is; each maps to a colour or, without colour,
 * to an attribute. */
enum paint {
	P_NORMAL,
	P_TITLE,        /* the top and bottom bars */
	P_FULL,         /* a slot holding an item */
	P_FREE,         /* a free slot, and other quiet things */
	P_HEAD,         /* the head marker: where producers write */
	P_TAIL,         /* the tail marker: where consumers read */
	P_PROD,         /* producers */
	P_CONS,         /* consumers */
	P_OK,
	P_WARN,
	P_BAD,
	P_KEY,          /* a key's name */
	P_BANNER,       /* a proven violation, a deadlock */
	P_SELECT,       /* the selected process, the current line of code */
	P_COUNT
};

/* The characters the screen draws with: UTF-8 or plain ASCII. */
struct glyphs {
	const char *full, *free;            /* a slot, one per cell */
	const char *spark[8];               /* lowest to highest */
	const char *ellipsis;
	const char *hline, *vline, *corner[4]; /* box: tl, tr, bl, br */
	const char *check, *unknown, *cross; /* invariant marks: holds, not
	                                        known, broken */
	const char *arrow;                  /* a worker's current line */
	int braille;                        /* can pack 8 slots into a cell */
};

/* Initialise on the terminal; -1 with the reason in err. */
int screen_init(char *err, size_t len);

/*
 * Row y of the screen as it was last drawn, as text a terminal draws the
 * same way: the cursor put at the row's start, then each character with
 * its attributes and colours as SGR sequences.  Returns buf.
 */
const char *screen_row(int y, char *buf, size_t len);

/* Restore the terminal.  Safe to call from every exit path, more than once. */
void screen_done(void);

/* The same after a crash: only what is async-signal-safe (write and
 * tcsetattr with what was saved at screen_init). */
void screen_restore_raw(void);

void screen_suspend(void);
void screen_resume(void);

/* Take the terminal's new size after SIGWINCH. */
void screen_resize(void);

/* A screen that only watches: follow a resize, ^Z and a resume (from the
 * signal flags); 1 if it must be drawn again. */
int screen_follow_signals(void);

const struct glyphs *screen_glyphs(void);

/* Print at (y, x), cut at `w` columns and padded to them when pad is set;
 * returns the columns of text printed.  Text is UTF-8, a column a
 * character. */
int screen_text(int y, int x, int w, int pad, enum paint p,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Columns a UTF-8 string takes. */
int screen_width(const char *s);

/*
 * Text laid out in lines of at most w columns, broken at spaces (a word
 * longer than a line is broken where it must): the bytes of the first line,
 * with *next set to where the one after begins.
 */
size_t screen_break(const char *text, int w, size_t *next);

/*
 * Pieces of text flowed into a rectangle, each kept whole on a line: a
 * piece that does not fit where the line is goes to the next.  With draw
 * off, only measured: f.row + 1 is then the rows the pieces need.
 */
struct flow {
	int y, x, w, h;         /* the rectangle */
	int row, col;           /* where the next piece goes, from its corner */
	int draw;
};

void flow_init(struct flow *f, int y, int x, int w, int h, int draw);

/* Keep the next `cols` columns (and `gap` before them) on one line. */
void flow_keep(struct flow *f, int gap, int cols);

/* A piece, `gap` spaces after what is before it on its line. */
void flow_put(struct flow *f, int gap, enum paint p, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Words, each a piece: a sentence that wraps where it must. */
void flow_words(struct flow *f, int gap, enum paint p, const char *text);

/* Start a new line. */
void flow_newline(struct flow *f);

/* Rows used so far. */
int flow_rows(const struct flow *f);

/* One glyph (which may be several bytes of UTF-8) at (y, x). */
void screen_glyph(int y, int x, enum paint p, const char *g);

/* A braille cell with the given dots (bit 0..7 = dots 1..8) as UTF-8. */
const char *screen_braille(unsigned dots, char buf[4]);

#endif
