/* keys.c: what each key does, as one table */
#include <curses.h>
#include <signal.h>
#include <stdio.h>

#include "pace.h"
#include "snap.h"
#include "sync.h"
#include "tui.h"

static void
rate_step(struct tui *t, enum role role, int dir)
{
	struct session *s = &t->w.s;
	uint64_t old = session_rate(s, role), rate = pace_ladder(old, dir);
	char a[24], b[24];

	if (rate == old)
		return;
	session_set_rate(s, role, rate);
	evlog_add(&t->w.log, pace_now(), "%s rate %s -> %s",
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
	if (t->w.s.paused[role] == paused)
		return;
	watch_pause(&t->w, role, paused);
	evlog_add(&t->w.log, pace_now(), "%s %s",
	    role == ROLE_PRODUCER ? "producers" : "consumers",
	    paused ? "paused" : "resumed");
	t->dirty = 1;
}

static void
pause_all(struct tui *t)
{
	const struct session *s = &t->w.s;
	int paused = !(s->paused[ROLE_PRODUCER] && s->paused[ROLE_CONSUMER]);

	pause_side(t, ROLE_PRODUCER, paused);
	pause_side(t, ROLE_CONSUMER, paused);
}

static void pause_prod(struct tui *t)
{
	pause_side(t, ROLE_PRODUCER, !t->w.s.paused[ROLE_PRODUCER]);
}

static void pause_cons(struct tui *t)
{
	pause_side(t, ROLE_CONSUMER, !t->w.s.paused[ROLE_CONSUMER]);
}

static void
select_next(struct tui *t)
{
	t->selected = (t->selected + 1) % t->w.s.nprocs;
	t->dirty = 1;
}

static void
select_prev(struct tui *t)
{
	t->selected = (t->selected + t->w.s.nprocs - 1) % t->w.s.nprocs;
	t->dirty = 1;
}

/* One step, or up to the next item, of the selected worker. */
static void
step(struct tui *t, int whole_item)
{
	struct watch *w = &t->w;

	const struct snap_worker *sw = &w->cur->w[t->selected];
	char name[8];

	session_name(&w->s.procs[t->selected], name, sizeof(name));
	if (w->finished || !w->s.procs[t->selected].alive) {
		evlog_add(&w->log, pace_now(), "%s has exited: select another "
		    "with Tab", name);
		return;
	}
	if (sw->state == WS_BLOCKED) {
		evlog_add(&w->log, pace_now(), "%s is blocked in sem_wait(&%s): "
		    "step another process to release it", name,
		    ctl_sem_name(sw->blocked_on));
		return;
	}
	if (w->stepper.active && !w->stepper.keyed)
		evlog_add(&w->log, pace_now(), "the schedule is dropped: "
		    "stepping by hand");
	if (whole_item)
		stepper_item(&w->stepper, &w->s, t->selected);
	else
		stepper_one(&w->stepper, &w->s, t->selected);
	t->dirty = 1;
}

static void step_one(struct tui *t) { step(t, 0); }
static void step_item(struct tui *t) { step(t, 1); }

static void
next_mode(struct tui *t)
{
	unsigned m = (t->w.s.opts.sync + 1) % SYNC_COUNT;
	if (watch_restart(&t->w, m, t->fail, sizeof(t->fail)) == -1) {
		t->quit = 1;
		return;
	}
	evlog_add(&t->w.log, pace_now(), "mode %s: %s; fresh ring, new workers",
	    sync_name(m), sync_lesson(m));
	t->selected = 0;
	t->dirty = 1;
}

/* Kill the selected worker, wherever it is in its loop. */
static void
kill_selected(struct tui *t)
{
	struct watch *w = &t->w;
	const struct proc *p = &w->s.procs[t->selected];
	char name[8];

	session_name(p, name, sizeof(name));
	if (!p->alive) {
		evlog_add(&w->log, pace_now(), "%s has exited already", name);
		return;
	}
	evlog_add(&w->log, pace_now(), "k: SIGKILL to %s (pid %d)", name,
	    (int)p->pid);
	kill(p->pid, SIGKILL);
	t->dirty = 1;
}

static void
restart(struct tui *t)
{
	unsigned m = t->w.s.opts.sync;

	if (watch_restart(&t->w, m, t->fail, sizeof(t->fail)) == -1) {
		t->quit = 1;
		return;
	}
	evlog_add(&t->w.log, pace_now(), "r: restarted: new workers, fresh "
	    "ring (shmid %d)", t->w.s.shmid);
	t->selected = 0;
	t->dirty = 1;
}

static void
toggle_freeze(struct tui *t)
{
	t->w.freeze = !t->w.freeze;
	evlog_add(&t->w.log, pace_now(), "freeze on violation %s",
	    t->w.freeze ? "on" : "off");
	t->dirty = 1;
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

/* A key with NULL names is shown in the help with the one before it. */
const struct key keys[] = {
	{ { '+', '=', KEY_UP }, "+ - Up Down", "+/-", "producer",
	    "producers faster, slower (1-2-5 steps, then max)", prod_up },
	{ { '-', '_', KEY_DOWN }, NULL, NULL, NULL, NULL, prod_down },
	{ { '>', '.', KEY_RIGHT }, "> < Right Left", "</>", "consumer",
	    "consumers faster, slower", cons_up },
	{ { '<', ',', KEY_LEFT }, NULL, NULL, NULL, NULL, cons_down },
	{ { ' ' }, "space", "space", "pause",
	    "pause or resume everything", pause_all },
	{ { 'p' }, "p c", NULL, NULL,
	    "pause or resume the producers, the consumers", pause_prod },
	{ { 'c' }, NULL, NULL, NULL, NULL, pause_cons },
	{ { '\t' }, "Tab 1-9", NULL, NULL,
	    "select a process (a digit picks the pane with it)", select_next },
	{ { KEY_BTAB }, NULL, NULL, NULL, NULL, select_prev },
	{ { 's' }, "s", "s", "step",
	    "one step of the selected process (pauses everything)", step_one },
	{ { 'S' }, "S", NULL, NULL,
	    "run it until it blocks or finishes an item", step_item },
	{ { 'm' }, "m", "m", "mode",
	    "next sync mode: new workers on a fresh ring", next_mode },
	{ { 'f' }, "f", NULL, NULL,
	    "freeze on violation, on or off", toggle_freeze },
	{ { 'k' }, "k", NULL, NULL,
	    "kill the selected process (SIGKILL), wherever it is", kill_selected },
	{ { 'r' }, "r", NULL, NULL,
	    "restart: new workers on a fresh ring, same mode", restart },
	{ { '?', 'h', KEY_F(1) }, "? h F1", "?", "help",
	    "show or hide this help", toggle_help },
	{ { 12 }, "^L", NULL, NULL, "redraw the screen", redraw },
	{ { 'q', 'Q' }, "q", "q", "quit",
	    "quit: stop the workers; the segment goes with them", quit },
};
const unsigned nkeys = sizeof(keys) / sizeof(keys[0]);

void
keys_handle(struct tui *t, int key)
{
	if (t->help && key != 'q' && key != 'Q' && key != KEY_RESIZE) {
		toggle_help(t);
		return;
	}
	if (key >= '1' && key <= '9') {
		if ((unsigned)(key - '1') < t->w.s.nprocs) {
			t->selected = (unsigned)(key - '1');
			t->dirty = 1;
		}
		return;
	}
	for (unsigned i = 0; i < nkeys; i++)
		for (unsigned j = 0; j < 4 && keys[i].codes[j]; j++)
			if (keys[i].codes[j] == key) {
				keys[i].act(t);
				return;
			}
}
