/* tui.c: the interactive screen: one loop, one wait */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <term.h>
#include <unistd.h>

#include "pace.h"
#include "screen.h"
#include "sig.h"
#include "snap.h"
#include "view.h"

#define LOG_MIN_ROWS 3

int
tui_usable(char *why, size_t len)
{
	const char *term = getenv("TERM");
	const char *cup;
	int err = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, len, "standard %s is not a terminal",
		    isatty(STDIN_FILENO) ? "output" : "input");
		return -1;
	}
	if (term == NULL || term[0] == '\0') {
		snprintf(why, len, "TERM is not set");
		return -1;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		snprintf(why, len, "terminal type '%s' is unknown", term);
		return -1;
	}
	cup = tigetstr("cup");
	del_curterm(cur_term);
	if (cup == NULL || cup == (char *)-1) {
		snprintf(why, len, "terminal type '%s' cannot move the cursor",
		    term);
		return -1;
	}
	return 0;
}

static void
tui_on_exit(const struct proc *p, void *arg)
{
	struct tui *t = arg;
	char name[8], how[48];

	session_name(p, name, sizeof(name));
	if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0)
		evlog_add(&t->log, pace_now(), "%s (pid %d) finished", name,
		    (int)p->pid);
	else
		evlog_add(&t->log, pace_now(), "%s (pid %d) %s", name,
		    (int)p->pid, session_how(p->status, how, sizeof(how)));
	t->dirty = 1;
}

/* Log what changed between the last frame and this one. */
static void
tui_events(struct tui *t)
{
	for (unsigned i = 0; i < t->cur->nworkers; i++) {
		const struct snap_worker *w = &t->cur->w[i], *o = &t->prev->w[i];
		char name[8];

		if (w->state == o->state || w->state != WS_BLOCKED || !w->alive)
			continue;
		session_name(&t->s.procs[i], name, sizeof(name));
		evlog_add(&t->log, t->cur->t, "%s waits in sem_wait(&%s): %s",
		    name, ctl_sem_name(w->blocked_on),
		    w->blocked_on == SEM_EMPTY ? "no free slot, the ring is full" :
		    w->blocked_on == SEM_FULL ? "no item, the ring is empty" : "");
	}
}

/* Whether every producer finished its --items. */
static int
tui_producers_finished(const struct tui *t)
{
	for (unsigned i = 0; i < t->s.nprocs; i++) {
		const struct proc *p = &t->s.procs[i];

		if (p->role == ROLE_PRODUCER && (p->alive ||
		    !WIFEXITED(p->status) || WEXITSTATUS(p->status) != 0))
			return 0;
	}
	return 1;
}

/* --items done and the ring drained: the consumers are let go. */
static void
tui_drain(struct tui *t)
{
	if (t->drained || t->s.opts.items == 0 || !tui_producers_finished(t) ||
	    !snap_settled(t->cur))
		return;
	session_stop(&t->s);
	t->drained = 1;
	evlog_add(&t->log, pace_now(), "all %llu items consumed; the ring is "
	    "drained (q quits)", (unsigned long long)t->cur->consumed);
	snap_take(&t->s, t->cur);
}

static void
tui_draw(struct tui *t)
{
	int rows = LINES, cols = COLS, fixed, ringh, gap, y, logh;
	struct rect r;

	erase();
	if (rows < SCREEN_MIN_ROWS || cols < SCREEN_MIN_COLS) {
		view_small_draw(rows, cols);
		return;
	}
	/* title, numbers, workers, two trend rows, key bar, and the log */
	fixed = 1 + 1 + (int)t->cur->nworkers + 2 + 1;
	ringh = view_ring_rows(t->cur->capacity, cols - 2,
	    rows - fixed - LOG_MIN_ROWS);
	gap = rows - fixed - ringh - LOG_MIN_ROWS >= 2 ? 1 : 0;
	view_title_draw(t, (struct rect){ 0, 0, 1, cols });
	y = 1 + gap;
	view_ring_draw(t->cur, (struct rect){ y, 1, ringh, cols - 2 });
	y += ringh + gap;
	view_numbers_draw(t->cur, (struct rect){ y++, 0, 1, cols });
	r = (struct rect){ y, 0, (int)t->cur->nworkers, cols };
	view_procs_draw(t, r);
	y += r.h;
	view_trend_draw(t, (struct rect){ y, 0, 2, cols });
	y += 2;
	logh = rows - 1 - y;
	view_log_draw(&t->log, t->s.start_ns, (struct rect){ y, 0, logh, cols });
	view_keys_draw((struct rect){ rows - 1, 0, 1, cols });
	if (t->help)
		view_help_draw((struct rect){ 0, 0, rows, cols });
}

static void
tui_frame(struct tui *t, int force)
{
	static uint64_t drawn_trend, drawn_log;
	struct snap *sw;

	snap_take(&t->s, t->cur);
	tui_events(t);
	trend_add(&t->trend, t->cur);
	tui_drain(t);
	/* Only what changed reaches the terminal: nothing at all when the
	 * ring, the trends and the log stand still. */
	if (force || t->dirty || !snap_equal(t->cur, t->prev) ||
	    t->trend.gen != drawn_trend || t->log.gen != drawn_log) {
		tui_draw(t);
		refresh();
		drawn_trend = t->trend.gen;
		drawn_log = t->log.gen;
		t->dirty = 0;
	}
	sw = t->prev;
	t->prev = t->cur;
	t->cur = sw;
}

/* ^Z: the workers pause while the supervisor is stopped, then go on. */
static void
tui_suspend(struct tui *t)
{
	int was[2] = { t->s.paused[ROLE_PRODUCER], t->s.paused[ROLE_CONSUMER] };

	session_pause(&t->s, ROLE_PRODUCER, 1);
	session_pause(&t->s, ROLE_CONSUMER, 1);
	screen_suspend();
	sig_suspend_self();
	sig_cont = 0;
	screen_resume();
	session_pause(&t->s, ROLE_PRODUCER, was[ROLE_PRODUCER]);
	session_pause(&t->s, ROLE_CONSUMER, was[ROLE_CONSUMER]);
	evlog_add(&t->log, pace_now(), "resumed after a suspend (^Z)");
	t->dirty = 1;
}

/* The first lines of the log say what is moving and why. */
static void
tui_welcome(struct tui *t)
{
	char p[24], c[24];

	evlog_add(&t->log, t->s.start_ns, "P1 (pid %d) and C1 (pid %d) share "
	    "shmid %d: %u slots", (int)t->s.procs[0].pid,
	    (int)t->s.procs[1].pid, t->s.shmid, t->s.opts.capacity);
	evlog_add(&t->log, t->s.start_ns, "P1 writes at head, %s; C1 reads "
	    "at tail, %s; ? explains the keys",
	    pace_format(t->s.opts.prod_rate, p, sizeof(p)),
	    pace_format(t->s.opts.cons_rate, c, sizeof(c)));
}

static void
tui_loop(struct tui *t)
{
	int64_t period = PACE_NS_PER_S / t->s.opts.fps;
	int64_t next = pace_now();

	while (!t->quit && !sig_quit) {
		int64_t now = pace_now();
		int force = 0, key, ready;

		if (sig_chld) {
			sig_chld = 0;
			session_reap(&t->s, tui_on_exit, t);
		}
		if (sig_winch) {
			sig_winch = 0;
			screen_resize();
			force = 1;
		}
		if (sig_tstp) {
			sig_tstp = 0;
			tui_suspend(t);
			force = 1;
		}
		if (sig_cont) {
			sig_cont = 0;
			screen_resume();
			force = 1;
		}
		if (force || now >= next) {
			tui_frame(t, force);
			next += period;
			if (next <= now)
				next = now + period;
		}
		ready = sig_wait(STDIN_FILENO, next - pace_now());
		if (ready < 0) {
			/* The terminal is gone, as with SIGHUP. */
			sig_quit = SIGHUP;
			break;
		}
		if (ready)
			while (!t->quit && (key = getch()) != ERR)
				keys_handle(t, key);
	}
}

int
tui_run(const struct opts *o)
{
	static struct snap snaps[2];
	static struct tui t;
	char err[256];

	sig_init(1);
	t.cur = &snaps[0];
	t.prev = &snaps[1];
	if (session_start(&t.s, o, err, sizeof(err)) == -1) {
		fprintf(stderr, "shmviz: %s\n", err);
		return 1;
	}
	if (screen_init(err, sizeof(err)) == -1) {
		session_stop(&t.s);
		session_end(&t.s);
		fprintf(stderr, "shmviz: %s\n", err);
		return 1;
	}
	tui_welcome(&t);
	tui_loop(&t);
	session_stop(&t.s);
	screen_done();
	session_end(&t.s);
	return sig_quit ? 128 + sig_quit : 0;
}
