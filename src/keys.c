/* keys.c: what each key does, as one table */
#include <curses.h>

#include "pace.h"
#include "tui.h"

static void
rate_step(struct tui *t, enum role role, int dir)
{
	uint64_t old = session_rate(&t->s, role), rate = pace_ladder(old, dir);
	char a[24], b[24];

	if (rate == old)
		return;
	session_set_rate(&t->s, role, rate);
	evlog_add(&t->log, pace_now(), "%s rate %s -> %s",
	    role == ROLE_PRODUCER ? "producer" : "consumer",
	    pace_format(old, a, sizeof(a)), pace_format(rate, b, sizeof(b)));
	t->dirty = 1;
}

static void prod_up(struct tui *t) { rate_step(t, ROLE_PRODUCER, 1); }
static void prod_down(struct tui *t) { rate_step(t, ROLE_PRODUCER, -1); }
static void cons_up(struct tui *t) { rate_step(t, ROLE_CONSUMER, 1); }
static void cons_down(struct tui *t) { rate_step(t, ROLE_CONSUMER, -1); }

static void
pause_side(struct tui *t, enum role role, int paused)
{
	if (t->s.paused[role] == paused)
		return;
	session_pause(&t->s, role, paused);
	evlog_add(&t->log, pace_now(), "%s %s",
	    role == ROLE_PRODUCER ? "producer" : "consumer",
	    paused ? "paused" : "resumed");
	t->dirty = 1;
}

static void
pause_all(struct tui *t)
{
	int paused = !(t->s.paused[ROLE_PRODUCER] && t->s.paused[ROLE_CONSUMER]);

	pause_side(t, ROLE_PRODUCER, paused);
	pause_side(t, ROLE_CONSUMER, paused);
}

static void pause_prod(struct tui *t)
{
	pause_side(t, ROLE_PRODUCER, !t->s.paused[ROLE_PRODUCER]);
}

static void pause_cons(struct tui *t)
{
	pause_side(t, ROLE_CONSUMER, !t->s.paused[ROLE_CONSUMER]);
}

static void
toggle_help(struct tui *t)
{
	t->help = !t->help;
	t->dirty = 1;
}

static void
quit(struct tui *t)
{
	t->quit = 1;
}

static void
redraw(struct tui *t)
{
	clearok(curscr, TRUE);
	t->dirty = 1;
}

const struct key keys[] = {
	{ { '+', '=', KEY_UP }, "+ = Up", "+/-", "producer",
	    "producer faster (1-2-5 steps, then max)", prod_up },
	{ { '-', '_', KEY_DOWN }, "- _ Down", NULL, NULL,
	    "producer slower", prod_down },
	{ { '>', '.', KEY_RIGHT }, "> . Right", "</>", "consumer",
	    "consumer faster", cons_up },
	{ { '<', ',', KEY_LEFT }, "< , Left", NULL, NULL,
	    "consumer slower", cons_down },
	{ { ' ' }, "space", "space", "pause",
	    "pause or resume both sides", pause_all },
	{ { 'p' }, "p", "p/c", "pause one",
	    "pause or resume the producer", pause_prod },
	{ { 'c' }, "c", NULL, NULL,
	    "pause or resume the consumer", pause_cons },
	{ { '?', 'h', KEY_F(1) }, "? h F1", "?", "help",
	    "show or hide this help", toggle_help },
	{ { 12 }, "^L", NULL, NULL,
	    "redraw the screen", redraw },
	{ { 'q', 'Q' }, "q", "q", "quit",
	    "quit: stop the workers; the segment goes with them", quit },
};
const unsigned nkeys = sizeof(keys) / sizeof(keys[0]);

void
keys_handle(struct tui *t, int key)
{
	for (unsigned i = 0; i < nkeys; i++) {
		for (unsigned j = 0; j < 4 && keys[i].codes[j]; j++) {
			if (keys[i].codes[j] != key)
				continue;
			/* With the help up, any key but quit just closes it. */
			if (t->help && keys[i].act != quit &&
			    keys[i].act != toggle_help)
				toggle_help(t);
			else
				keys[i].act(t);
			return;
		}
	}
	if (t->help && key != KEY_RESIZE)
		toggle_help(t);
}
