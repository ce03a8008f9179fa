/* keys.c: what each key does, as one table */
#include <ctype.h>
#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "history.h"
#include "pace.h"
#include "screen.h"
#include "snap.h"
#include "stepper.h"
#include "sync.h"
#include "tui.h"
#include "view.h"

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

/* Space: a playing schedule is held and resumed where it stopped;
 * otherwise everything pauses or resumes. */
static void
pause_all(struct tui *t)
{
	const struct session *s = &t->w.s;
	struct stepper *st = t->w.stepper;
	int paused = !(s->paused[ROLE_PRODUCER] && s->paused[ROLE_CONSUMER]);

	if (stepper_playing(st)) {
		char where[64];

		stepper_hold(st, !stepper_held(st));
		stepper_where(st, where, sizeof(where));
		evlog_add(&t->w.log, pace_now(), stepper_held(st) ? "%s paused at %s: "
		    "space resumes it, s takes its next step" : "%s resumed at %s",
		    stepper_noun(st), where);
		t->dirty = 1;
		return;
	}
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

/* A key that leaves a playing schedule says so. */
static void
leave_schedule(struct tui *t, const char *why)
{
	char where[64];

	if (!stepper_playing(t->w.stepper))
		return;
	evlog_add(&t->w.log, pace_now(), "the %s is dropped at %s: %s",
	    stepper_noun(t->w.stepper),
	    stepper_where(t->w.stepper, where, sizeof(where)), why);
	stepper_drop(t->w.stepper);
}

/* One step, or up to the next item, of the selected worker.  While a
 * schedule plays, s on the process it names next takes exactly that
 * step and holds the schedule there. */
static void
step(struct tui *t, int whole_item)
{
	struct watch *w = &t->w;
	const struct snap_worker *sw = &w->cur->w[t->selected];
	char name[8], why[64];

	session_name(&w->s.procs[t->selected], name, sizeof(name));
	if (!whole_item && stepper_playing(w->stepper) &&
	    stepper_next_slot(w->stepper, &w->s) == (int)t->selected) {
		if (!stepper_held(w->stepper)) {
			char where[64];

			evlog_add(&w->log, pace_now(), "%s paused at %s: s takes "
			    "its next step, space resumes it", stepper_noun(w->stepper),
			    stepper_where(w->stepper, where, sizeof(where)));
		}
		stepper_next_once(w->stepper);
		t->dirty = 1;
		return;
	}
	if (w->finished || !w->s.procs[t->selected].alive) {
		evlog_add(&w->log, pace_now(), "%s has exited: select another "
		    "with Tab", name);
		return;
	}
	if (sw->cv_phase == CVP_WAITING || sw->cv_phase == CVP_SLEEPING) {
		evlog_add(&w->log, pace_now(), "%s waits on %s, m let go: only a "
		    "pthread_cond_signal(&%s) wakes it", name,
		    ctl_sem_name(sw->cv_on), ctl_sem_name(sw->cv_on));
		return;
	}
	if (sw->state == WS_BLOCKED && ((w->forgotten >> t->selected) & 1)) {
		evlog_add(&w->log, pace_now(), "%s sleeps in sem_wait(&%s), "
		    "forgotten: nothing wakes it; r for a fresh ring", name,
		    ctl_sem_name(sw->blocked_on));
		return;
	}
	if (sw->state == WS_BLOCKED || sw->waits != SEM_NONE) {
		if (sw->blocked_on == SEM_M)
			evlog_add(&w->log, pace_now(), "%s waits for m: step the "
			    "process that holds it to its unlock", name);
		else
			evlog_add(&w->log, pace_now(), "%s is blocked in "
			    "sem_wait(&%s): step another process to release it",
			    name, ctl_sem_name(sw->blocked_on));
		return;
	}
	snprintf(why, sizeof(why), "%s %s by hand", whole_item ?
	    "running" : "stepping", name);
	leave_schedule(t, why);
	if (whole_item)
		stepper_item(w->stepper, &w->s, t->selected);
	else
		stepper_one(w->stepper, &w->s, t->selected);
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
	evlog_add(&t->w.log, pace_now(), "mode %s: %s; fresh ring, new "
	    "workers%s", sync_name(m), sync_lesson(m), t->w.has_replay ?
	    "; the same schedule plays again" : "");
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
	watch_unreplayable(w, "a worker was killed");
	t->dirty = 1;
}

/* n, in seed: one more producer, started the tutorial's way. */
static void
add_producer(struct tui *t)
{
	char err[160];

	if (watch_add_producer(&t->w, err, sizeof(err)) == -1)
		evlog_add(&t->w.log, pace_now(), "%s", err);
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
	    "ring (shmid %d)%s", t->w.s.shmid, t->w.has_replay ?
	    "; the schedule plays again" : "");
	t->selected = 0;
	t->dirty = 1;
}

/* e: how long the screen waits for a search, at most. */
#define EXPLORE_SCREEN_NS (3 * PACE_NS_PER_S)

static void
explore_bar(void *arg, uint64_t schedules, uint64_t states, double elapsed_s)
{
	struct tui *t = arg;

	view_explore_progress((struct rect){ 0, 0, LINES, COLS },
	    t->explored_what, elapsed_s / ((double)EXPLORE_SCREEN_NS / 1e9),
	    schedules, states);
	refresh();
}

static void
explore_close(struct tui *t)
{
	if (t->explored != NULL)
		explore_result_free(t->explored);
	free(t->explored);
	t->explored = NULL;
	t->dirty = 1;
}

/* e: every interleaving of this mode, these workers and items, for a few
 * seconds at most; the table stays up until closed. */
static void
explore_now(struct tui *t)
{
	const struct opts *so = &t->w.s.opts;
	struct explore_opts *o = t->explored_opts;
	char err[256];

	if (t->explored != NULL) {
		explore_close(t);
		return;
	}
	if (o == NULL && (o = t->explored_opts = calloc(1, sizeof(*o))) == NULL)
		return;
	memset(o, 0, sizeof(*o));
	o->sync = (enum sync_mode)so->sync;
	o->producers = so->producers;
	o->consumers = so->consumers;
	o->capacity = so->capacity;
	o->items = so->items == 0 ? 2 : so->items > 64 ? 64 : so->items;
	o->preemptions = 2;
	o->max_schedules = 1000000;
	o->time_limit_ns = EXPLORE_SCREEN_NS;
	o->progress = explore_bar;
	o->progress_arg = t;
	snprintf(t->explored_what, sizeof(t->explored_what), "%s, %u producer%s, "
	    "%u consumer%s, %u slot%s, %llu item%s each", sync_name(o->sync), o->producers,
	    o->producers == 1 ? "" : "s", o->consumers, o->consumers == 1 ? "" :
	    "s", o->capacity, o->capacity == 1 ? "" : "s",
	    (unsigned long long)o->items, o->items == 1 ? "" : "s");
	if (t->w.tutorial_starts > 0)
		evlog_add(&t->w.log, pace_now(), "e: explores the session as it "
		    "was started, %u producer%s: not the producer%s started with n",
		    o->producers, o->producers == 1 ? "" : "s",
		    t->w.tutorial_starts == 1 ? "" : "s");
	erase();
	explore_bar(t, 0, 0, 0);
	if ((t->explored = calloc(1, sizeof(*t->explored))) == NULL)
		return;
	if (explore_run(o, t->explored, err, sizeof(err)) == -1) {
		free(t->explored);
		t->explored = NULL;
		evlog_add(&t->w.log, pace_now(), "e: %s", err);
	} else {
		char num[48];

		t->explored_row = 0;
		evlog_add(&t->w.log, pace_now(), "e: %s%s interleavings of %s, "
		    "in %.1f s", t->explored->saturated ? "at least " : "",
		    explore_n_text(t->explored->interleavings, num, sizeof(num)),
		    t->explored_what, t->explored->elapsed_s);
	}
	t->dirty = 1;
}

/* Enter on a row: its shortest schedule, played on a fresh ring. */
static void
explore_play(struct tui *t)
{
	const struct explore_outcome *e;
	char *sched, name[96];
	uint64_t items = t->explored_opts->items;
	unsigned length;

	if (t->explored_row >= t->explored->n)
		return;
	e = &t->explored->out[t->explored_row];
	if (e->shortest == NULL || (sched = strdup(e->shortest)) == NULL)
		return;
	explore_outcome_name(e->mask, name, sizeof(name));
	length = e->length;
	explore_close(t);
	if (watch_play(&t->w, sched, items, t->fail, sizeof(t->fail)) == -1) {
		free(sched);
		t->quit = 1;
		return;
	}
	/* the session's options now point at this one, not the last */
	free(t->explored_sched);
	t->explored_sched = sched;
	evlog_add(&t->w.log, pace_now(), "e: the shortest order whose outcome "
	    "is %s, %u steps, plays on a fresh ring (shmid %d): space pauses "
	    "it, r plays it again", name, length, t->w.s.shmid);
	t->selected = 0;
	t->dirty = 1;
}

/* While the table is up, the keys are its own. */
static void
explore_key(struct tui *t, int key)
{
	switch (key) {
	case KEY_UP:
	case 'k':
		if (t->explored_row > 0)
			t->explored_row--;
		break;
	case KEY_DOWN:
	case 'j':
		if (t->explored_row + 1 < t->explored->n)
			t->explored_row++;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		explore_play(t);
		return;
	case 'e':
	case 'q':
	case 27:
		explore_close(t);
		return;
	default:
		return;
	}
	t->dirty = 1;
}

/* u: one step back, on a fresh ring with the history replayed. */
static void
step_back(struct tui *t)
{
	char err[200];
	int r = history_back(&t->w, err, sizeof(err));

	if (r == -2) {
		snprintf(t->fail, sizeof(t->fail), "%s", err);
		t->quit = 1;
		return;
	}
	if (r == -1)
		evlog_add(&t->w.log, pace_now(), "%s", err);
	if (t->selected >= t->w.s.nprocs)
		t->selected = 0;
	t->dirty = 1;
}

/* U: the step taken back, again (or the next of what is to come). */
static void
step_forward(struct tui *t)
{
	struct stepper *st = t->w.stepper;

	if (!stepper_active(st) || stepper_keyed(st) ||
	    stepper_plan_length(st) == 0) {
		evlog_add(&t->w.log, pace_now(), "U: no step taken back to take "
		    "again");
		return;
	}
	stepper_next_once(st);
	t->dirty = 1;
}

/* w: the history, as a schedule, to a new file here. */
static void
write_history(struct tui *t)
{
	char name[64], err[200];

	if (history_save(&t->w, name, sizeof(name), err, sizeof(err)) == -1)
		evlog_add(&t->w.log, pace_now(), "%s", err);
	else
		evlog_add(&t->w.log, pace_now(), "w: the %llu steps so far are in "
		    "%s: --schedule-file %s plays them", (unsigned long long)
		    t->w.nsteps, name, name);
	t->dirty = 1;
}

static void
toggle_trace(struct tui *t)
{
	t->trace = !t->trace;
	t->trace_back = 0;
	t->dirty = 1;
}

#define TRACE_PAGE 10           /* rows PgUp and PgDn scroll the trace */

static void
trace_scroll(struct tui *t, int rows)
{
	long back = (long)t->trace_back + rows, most = (long)t->w.trace.n - 1;

	if (!t->trace)
		return;
	if (back > most)
		back = most;
	if (back < 0)
		back = 0;
	t->trace_back = (int)back;
	t->dirty = 1;
}

static void
trace_older(struct tui *t)
{
	trace_scroll(t, TRACE_PAGE);
}

static void
trace_newer(struct tui *t)
{
	trace_scroll(t, -TRACE_PAGE);
}

static void
toggle_freeze(struct tui *t)
{
	watch_set_freeze(&t->w, !t->w.freeze);
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
	    "producer rate up, down",
	    "producers faster, slower: 0.1, 0.2, 0.5, 1, 2, 5 ... 100000 items "
	    "a second, then max", prod_up },
	{ { '-', '_', KEY_DOWN }, NULL, NULL, NULL, NULL, NULL, prod_down },
	{ { '>', '.', KEY_RIGHT }, "> < Right Left", "</>", "consumer",
	    "consumer rate up, down", "consumers faster, slower", cons_up },
	{ { '<', ',', KEY_LEFT }, NULL, NULL, NULL, NULL, NULL, cons_down },
	{ { ' ' }, "space p c", "space", "pause", "pause all, or a side",
	    "pause or resume everything (while a schedule plays, pause it and "
	    "resume it where it stopped); p and c, the producers or the "
	    "consumers alone (a schedule playing is dropped)", pause_all },
	{ { 'p' }, NULL, NULL, NULL, NULL, NULL, pause_prod },
	{ { 'c' }, NULL, NULL, NULL, NULL, NULL, pause_cons },
	{ { '\t' }, "Tab 1-9", NULL, NULL, "select a process",
	    "select a process: Tab the next, a digit the one with that number",
	    select_next },
	{ { KEY_BTAB }, NULL, NULL, NULL, NULL, NULL, select_prev },
	{ { 's' }, "s", "s", "step", "one step of it",
	    "one step of the selected process, pausing everything; while a "
	    "schedule plays, s on the process it names next takes that step",
	    step_one },
	{ { 'S' }, "S", NULL, NULL, "run to its next item",
	    "run the selected process until it blocks or finishes an item",
	    step_item },
	{ { 'm' }, "m", "m", "mode", "next sync mode",
	    "next sync mode: new workers on a fresh ring, at the rates set, the "
	    "schedule played again", next_mode },
	{ { 'f' }, "f", NULL, NULL, "freeze on violation",
	    "freeze on violation, on or off", toggle_freeze },
	{ { 'u' }, "u U w", "u", "back", "step back, on; w: save",
	    "step back one step (a fresh ring, the history replayed without it), "
	    "and forward again; w writes the steps so far as a schedule to a new "
	    "file here, for --schedule-file", step_back },
	{ { 'U' }, NULL, NULL, NULL, NULL, NULL, step_forward },
	{ { 'w' }, NULL, NULL, NULL, NULL, NULL, write_history },
	{ { 't' }, "t PgUp PgDn", "t", "trace", "steps so far; scroll",
	    "show or hide the trace: every step taken, a column a process; "
	    "PgUp and PgDn scroll it", toggle_trace },
	{ { KEY_PPAGE }, NULL, NULL, NULL, NULL, NULL, trace_older },
	{ { KEY_NPAGE }, NULL, NULL, NULL, NULL, NULL, trace_newer },
	{ { 'e' }, "e", NULL, NULL, "every interleaving",
	    "explore every interleaving of this mode, these workers and items "
	    "(2 if unlimited) for up to 3 s, and show the outcomes; Up and Down "
	    "choose one, Enter plays its shortest schedule on a fresh ring, e "
	    "closes the table", explore_now },
	{ { 'k' }, "k", NULL, NULL, "kill it (SIGKILL)",
	    "kill the selected process with SIGKILL, wherever it is",
	    kill_selected },
	{ { 'n' }, "n", NULL, NULL, "seed: another producer",
	    "seed mode: one more producer, started as the tutorial's program "
	    "starts, on the live ring: sem_init on both semaphores, then head = "
	    "tail = count = 0; the log says what that did to the items in the "
	    "ring and to a process asleep in sem_wait", add_producer },
	{ { 'r' }, "r", NULL, NULL, "restart, fresh ring",
	    "restart: new workers on a fresh ring, same mode and rates, the "
	    "schedule played again", restart },
	{ { '?', 'h', KEY_F(1) }, "? h F1 ^L", "?", "help", "this help; ^L redraw",
	    "show or hide the help: every key, and what each mark means; ^L "
	    "redraws the screen", toggle_help },
	{ { 12 }, NULL, NULL, NULL, NULL, NULL, redraw },
	{ { 'q', 'Q' }, "q", "q", "quit", "quit",
	    "quit: stop the workers; the segment goes with them", quit },
};
const unsigned nkeys = sizeof(keys) / sizeof(keys[0]);

/* A name the roff source can take as it is: '-' and '\' escaped. */
static void
roff_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '-' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void
keys_print(FILE *f, int roff)
{
	for (unsigned i = 0; i < nkeys; i++) {
		const struct key *k = &keys[i];

		if (k->names == NULL)
			continue;
		if (!roff) {
			const char *at = k->help;

			/* wrapped under itself, within 80 columns */
			fprintf(f, "  %-16s ", k->names);
			while (*at) {
				size_t next, n = screen_break(at, 80 - 19, &next);

				fprintf(f, "%.*s\n", (int)n, at);
				at += next;
				if (*at)
					fprintf(f, "%19s", "");
			}
			continue;
		}
		fputs(".TP\n.B ", f);
		roff_text(f, k->names);
		/* a sentence: capital first */
		fprintf(f, "\n%c", toupper((unsigned char)k->help[0]));
		roff_text(f, k->help + 1);
		fputs(".\n", f);
	}
}

void
keys_view(struct tui *t, int key)
{
	/* what moves only the viewer's own view, done as on the session's
	 * screen; with the help up, any key closes it there too */
	static const int own[] = { '\t', 't', KEY_PPAGE, KEY_NPAGE, '?', 'h',
	    KEY_F(1), 12, 'q', 'Q' };
	int ok = t->help || (key >= '1' && key <= '9');

	for (unsigned i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		ok |= key == own[i];
	if (key == 27)
		quit(t);
	else if (ok && t->w.s.nprocs > 0)
		keys_handle(t, key);
}

void
keys_handle(struct tui *t, int key)
{
	/* any key closes the help, q too: it does not quit from there */
	if (t->help && key != KEY_RESIZE) {
		toggle_help(t);
		return;
	}
	if (t->explored != NULL && key != KEY_RESIZE) {
		explore_key(t, key);
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
