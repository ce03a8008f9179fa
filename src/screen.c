/* screen.c: the terminal: ncurses set-up, colours, glyphs, restoring it */
#include "screen.h"

#include <langinfo.h>
#include <wchar.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "opts.h"
#include "sig.h"

static SCREEN *screen;          /* NULL when the terminal is ours no more */
static struct termios saved_tty;/* the terminal as shmviz found it */
static int have_saved_tty;
static char reset_seq[128];     /* what puts the screen back: normal cursor,
                                   plain attributes, the main screen */
static size_t reset_len;
static attr_t paints[P_COUNT];
static const struct glyphs *glyphs;

static const struct glyphs utf8_glyphs = {
	.full = "\u2588", .free = "\u00b7",
	.spark = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	    "\u2587", "\u2588" },
	.ellipsis = "\u2026",
	.hline = "\u2500", .vline = "\u2502",
	.corner = { "\u250c", "\u2510", "\u2514", "\u2518" },
	.check = "\u2713", .unknown = "?", .cross = "\u2717",
	.arrow = "\u25b6",
	.braille = 1,
};

static const struct glyphs ascii_glyphs = {
	.full = "#", .free = ".",
	.spark = { "_", "_", ".", "-", "=", "+", "*", "#" },
	.ellipsis = "~",
	.hline = "-", .vline = "|",
	.corner = { "+", "+", "+", "+" },
	/* words that no one reads as arithmetic */
	.check = "ok", .unknown = "??", .cross = "NO", .arrow = ">",
	.braille = 0,
};

/* Colour pairs, by paint: foreground, background (-1 = the terminal's). */
static const short pair_colours[P_COUNT][2] = {
	[P_TITLE] = { COLOR_BLACK, COLOR_CYAN },
	[P_FULL] = { COLOR_GREEN, -1 },
	[P_FREE] = { -1, -1 },
	[P_HEAD] = { COLOR_BLACK, COLOR_YELLOW },
	[P_TAIL] = { COLOR_BLACK, COLOR_MAGENTA },
	[P_PROD] = { COLOR_YELLOW, -1 },
	[P_CONS] = { COLOR_MAGENTA, -1 },
	[P_OK] = { COLOR_GREEN, -1 },
	[P_WARN] = { COLOR_YELLOW, -1 },
	[P_BAD] = { COLOR_RED, -1 },
	[P_KEY] = { COLOR_CYAN, -1 },
	[P_BANNER] = { COLOR_WHITE, COLOR_RED },
	[P_SELECT] = { COLOR_BLACK, COLOR_WHITE },
};

/* Without colour (NO_COLOR, or a monochrome terminal): attributes only. */
static const attr_t mono_attrs[P_COUNT] = {
	[P_TITLE] = A_REVERSE,
	[P_FULL] = A_BOLD,
	[P_FREE] = A_DIM,
	[P_HEAD] = A_REVERSE | A_BOLD,
	[P_TAIL] = A_REVERSE | A_UNDERLINE,
	[P_PROD] = A_BOLD,
	[P_CONS] = A_BOLD,
	[P_WARN] = A_BOLD,
	[P_BAD] = A_BOLD | A_UNDERLINE,
	[P_KEY] = A_BOLD,
	[P_BANNER] = A_REVERSE | A_BOLD,
	[P_SELECT] = A_REVERSE,
};

static void
screen_colours(void)
{
	const char *no = getenv("NO_COLOR");
	int colour = has_colors() && (no == NULL || no[0] == '\0');

	if (colour && start_color() == OK) {
		use_default_colors();
		for (int p = 1; p < P_COUNT; p++) {
			init_pair((short)p, pair_colours[p][0], pair_colours[p][1]);
			paints[p] = COLOR_PAIR(p);
		}
		paints[P_FREE] |= A_DIM;
		paints[P_TITLE] |= A_BOLD;
		paints[P_KEY] |= A_BOLD;
		paints[P_BAD] |= A_BOLD;
		paints[P_BANNER] |= A_BOLD;
		/* the selected process: reverse video, unmistakable on a
		 * projector whatever its colours */
		paints[P_SELECT] = A_REVERSE | A_BOLD;
		return;
	}
	memcpy(paints, mono_attrs, sizeof(paints));
}

/* Kept for a crash, when ncurses can no longer be called. */
static void
screen_save_reset(void)
{
	const char *caps[] = { "sgr0", "cnorm", "rmcup" };

	reset_len = 0;
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *v = tigetstr(caps[i]);
		size_t n;

		/* (char *)-1: not a string capability */
		if (v == NULL || v == (char *)-1)  // NOLINT(performance-no-int-to-ptr)
			continue;
		n = strlen(v);
		if (reset_len + n < sizeof(reset_seq)) {
			memcpy(reset_seq + reset_len, v, n);
			reset_len += n;
		}
	}
}

void
screen_restore_raw(void)
{
	if (reset_len > 0 && write(STDOUT_FILENO, reset_seq, reset_len) < 0)
		reset_len = 0;
	if (have_saved_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

int
screen_init(char *err, size_t len)
{
	const char *cs = nl_langinfo(CODESET);

	have_saved_tty = tcgetattr(STDIN_FILENO, &saved_tty) == 0;

	glyphs = strcmp(cs, "UTF-8") == 0 ? &utf8_glyphs : &ascii_glyphs;
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		const char *term = getenv("TERM");
		char q[64];

		if (term == NULL)
			term = "";
		snprintf(err, len, "cannot use terminal type '%s'",
		    opts_quote(term, strlen(term), q, sizeof(q)));
		return -1;
	}
	screen_save_reset();
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	screen_colours();
	return 0;
}

void
screen_done(void)
{
	if (screen == NULL)
		return;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
}

void
screen_suspend(void)
{
	if (screen != NULL)
		endwin();
}

void
screen_resume(void)
{
	if (screen == NULL)
		return;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

void
screen_resize(void)
{
	struct winsize ws;

	if (screen == NULL || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1)
		return;
	if (ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

const struct glyphs *
screen_glyphs(void)
{
	return glyphs;
}

/* Bytes of s that take at most `cols` columns; *shown says how many. */
static size_t
utf8_cut(const char *s, size_t n, int cols, int *shown)
{
	size_t i = 0;
	int c = 0;

	while (i < n) {
		size_t k = 1;

		while (i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k++;
		if (c == cols)
			break;
		i += k;
		c++;
	}
	*shown = c;
	return i;
}

int
screen_width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int
screen_text(int y, int x, int w, int pad, enum paint p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n, shown;
	size_t bytes;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	bytes = utf8_cut(buf, (size_t)n, w, &shown);
	attrset(paints[p]);
	mvaddnstr(y, x, buf, (int)bytes);
	for (n = shown; pad && n < w; n++)
		addch(' ');
	attrset(A_NORMAL);
	return shown;
}

size_t
screen_break(const char *text, int w, size_t *next)
{
	size_t len = strlen(text), fit, cut;
	int shown;

	if (w < 1)
		w = 1;
	fit = utf8_cut(text, len, w, &shown);
	if (fit == len) {
		*next = len;
		return len;
	}
	/* the last space within the line, if the line has one */
	for (cut = fit; cut > 0 && text[cut] != ' '; cut--)
		;
	if (cut == 0) {
		*next = fit;
		return fit;
	}
	*next = cut;
	while (text[*next] == ' ')
		(*next)++;
	while (cut > 0 && text[cut - 1] == ' ')
		cut--;
	return cut;
}

void
flow_init(struct flow *f, int y, int x, int w, int h, int draw)
{
	f->y = y;
	f->x = x;
	f->w = w;
	f->h = h;
	f->row = f->col = 0;
	f->draw = draw;
}

void
flow_newline(struct flow *f)
{
	f->row++;
	f->col = 0;
}

void
flow_keep(struct flow *f, int gap, int cols)
{
	if (f->col > 0 && f->col + gap + cols > f->w)
		flow_newline(f);
}

static void
flow_text(struct flow *f, int gap, enum paint p, const char *text)
{
	int cols = screen_width(text);
	size_t at = 0;

	flow_keep(f, gap, cols);
	if (f->col > 0)
		f->col += gap;
	/* wider than a line: broken where it must be */
	while (text[at] != '\0') {
		size_t next, n = screen_break(text + at, f->w - f->col, &next);
		char part[1024];

		if (n >= sizeof(part))
			n = sizeof(part) - 1;
		memcpy(part, text + at, n);
		part[n] = '\0';
		if (f->draw && f->row < f->h)
			screen_text(f->y + f->row, f->x + f->col, f->w - f->col, 0,
			    p, "%s", part);
		f->col += screen_width(part);
		at += next;
		if (text[at] != '\0')
			flow_newline(f);
	}
}

void
flow_put(struct flow *f, int gap, enum paint p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	flow_text(f, gap, p, buf);
}

void
flow_words(struct flow *f, int gap, enum paint p, const char *text)
{
	char word[1024];

	while (*text == ' ')
		text++;
	while (*text) {
		size_t n = strcspn(text, " ");

		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, text, n);
		word[n] = '\0';
		flow_text(f, gap, p, word);
		gap = 1;
		text += n;
		while (*text == ' ')
			text++;
	}
}

int
flow_rows(const struct flow *f)
{
	return f->row + (f->col > 0);
}

void
screen_glyph(int y, int x, enum paint p, const char *g)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	attrset(paints[p]);
	mvaddstr(y, x, g);
	attrset(A_NORMAL);
}

const char *
screen_braille(unsigned dots, char buf[4])
{
	unsigned cp = 0x2800 + (dots & 0xff);

	buf[0] = (char)(0xe0 | (cp >> 12));
	buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[2] = (char)(0x80 | (cp & 0x3f));
	buf[3] = '\0';
	return buf;
}

/* An SGR sequence for a cell's attributes and colours. */
static size_t
sgr(attr_t a, short pair, char *buf, size_t len)
{
	short fg = -1, bg = -1;
	size_t n;

	if (pair > 0)
		pair_content(pair, &fg, &bg);
	n = (size_t)snprintf(buf, len, "\033[0%s%s%s%s", a & A_BOLD ? ";1" : "",
	    a & A_DIM ? ";2" : "", a & A_UNDERLINE ? ";4" : "", a & A_REVERSE ?
	    ";7" : "");
	if (fg >= 0 && fg < 8 && n < len)
		n += (size_t)snprintf(buf + n, len - n, ";%d", 30 + fg);
	if (bg >= 0 && bg < 8 && n < len)
		n += (size_t)snprintf(buf + n, len - n, ";%d", 40 + bg);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "m");
	return n < len ? n : len - 1;
}

const char *
screen_row(int y, char *buf, size_t len)
{
	size_t off;
	attr_t last_a = (attr_t)-1;
	short last_p = -1;

	off = (size_t)snprintf(buf, len, "\033[%d;1H", y + 1);
	for (int x = 0; x < COLS && off + 40 < len; x++) {
		cchar_t c;
		wchar_t wch[CCHARW_MAX + 1];
		attr_t a;
		short pair;
		mbstate_t mb;
		size_t k;

		if (mvwin_wch(stdscr, y, x, &c) == ERR ||
		    getcchar(&c, wch, &a, &pair, NULL) == ERR)
			wch[0] = L' ', wch[1] = L'\0', a = 0, pair = 0;
		a &= A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE;
		if (a != last_a || pair != last_p) {
			off += sgr(a, pair, buf + off, len - off);
			last_a = a;
			last_p = pair;
		}
		memset(&mb, 0, sizeof(mb));
		k = wcrtomb(buf + off, wch[0] ? wch[0] : L' ', &mb);
		off += k == (size_t)-1 ? (buf[off] = '?', 1) : k;
	}
	snprintf(buf + off, len - off, "\033[0m");
	return buf;
}

int
screen_follow_signals(void)
{
	int redraw = 0;

	if (sig_winch) {
		sig_winch = 0;
		screen_resize();
		redraw = 1;
	}
	if (sig_tstp) {
		sig_tstp = 0;
		screen_suspend();
		sig_suspend_self();
		sig_cont = 0;
		screen_resume();
		redraw = 1;
	}
	if (sig_cont) {
		sig_cont = 0;
		screen_resume();
		redraw = 1;
	}
	return redraw;
}
