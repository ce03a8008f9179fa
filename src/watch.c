/* watch.c: the supervisor's look at its session, shared by screen and headless */
#include "watch.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pace.h"
#include "sig.h"
#include "snap.h"
#include "status.h"
#include "sync.h"
#include "worker.h"

#define BLOCK_LOG_NS (2 * INT64_C(1000000000))
#define ODD_LOG_NS (2 * INT64_C(1000000000))

/* How long a worker must be seen asleep in sem_wait, with the semaphore
 * above 0 and its attempts unchanged, to be claimed forgotten: a post
 * wakes a sleeper the semaphore knows of within a scheduling delay. */
#define FORGOTTEN_NS (1 * INT64_C(1000000000))

static void
watch_welcome(struct watch *w)
{
	const struct session *s = &w->s;
	char p[24], c[24];

	evlog_add(&w->log, s->start_ns, "%u producer%s and %u consumer%s share "
	    "shmid %d: %u slot%s, %s mode", s->opts.producers,
	    s->opts.producers == 1 ? "" : "s", s->opts.consumers,
	    s->opts.consumers == 1 ? "" : "s", s->shmid, s->opts.capacity,
	    s->opts.capacity == 1 ? "" : "s", sync_name(s->opts.sync));
	evlog_add(&w->log, s->start_ns, "producers write at head, %s; "
	    "consumers read at tail, %s; ? for help",
	    pace_format(s->opts.prod_rate, p, sizeof(p)),
	    pace_format(s->opts.cons_rate, c, sizeof(c)));
}


/* The workers freeze everyone themselves at a store that erases an
 * update, until one has: count stays broken, and resuming runs free. */
static void
watch_arm(struct watch *w)
{
	uint32_t on = w->freeze && !judge_violated(w->judge, INV_COUNT);

	if (w->s.ctl != NULL && atomic_load(&w->s.ctl->freeze) != on)
		atomic_store(&w->s.ctl->freeze, on);
}

/* Should shmviz itself crash, these are the workers it stops first. */
static void
watch_crash_list(const struct watch *w)
{
	pid_t pids[CTL_MAX_WORKERS];

	for (unsigned i = 0; i < w->s.nprocs; i++)
		pids[i] = w->s.procs[i].pid;
	sig_crash_workers(pids, w->s.nprocs);
}

const struct watch_state_info watch_states[WATCH_STATES] = {
	[WATCH_RUNNING] = { "RUNNING", NULL, 0 },
	[WATCH_PRODUCER_PAUSED] = { "PRODUCER PAUSED", NULL, 0 },
	[WATCH_CONSUMER_PAUSED] = { "CONSUMER PAUSED", NULL, 0 },
	[WATCH_PAUSED] = { "PAUSED", NULL, 0 },
	[WATCH_GONE] = { "ALL WORKERS GONE", NULL, 0 },
	[WATCH_STEPPING] = { "STEPPING", NULL, 0 },
	[WATCH_FROZEN] = { "FROZEN", "frozen", 0 },
	[WATCH_STALLED] = { "HANG", "stalled", 1 },
	[WATCH_SPIN] = { "HANG", "spin", 3 },
	[WATCH_DEADLOCK] = { "DEADLOCK", "deadlock", 3 },
	[WATCH_ASLEEP] = { "ALL ASLEEP", "deadlock", 3 },
	[WATCH_FINISHED] = { "FINISHED", "drained", 0 },
	[WATCH_DURATION] = { "ENDED", "duration", 0 },
	[WATCH_SIGNAL] = { "ENDED", "signal", -1 },
	[WATCH_SCHEDULE] = { "ENDED", "schedule", 0 },
	[WATCH_STEPS] = { "ENDED", "steps", 0 },
};

enum watch_state
watch_state(const struct watch *w)
{
	const struct session *s = &w->s;

	/* the judge's drained is the finish, told in the same look */
	if (w->finished || judge_stuck(w->judge) == STUCK_DRAINED)
		return WATCH_FINISHED;
	switch (judge_stuck(w->judge)) {
	case STUCK_DEADLOCK:
		return judge_asleep(w->judge) ? WATCH_ASLEEP : WATCH_DEADLOCK;
	case STUCK_HANG:
		return WATCH_STALLED;
	case STUCK_SPIN:
		return WATCH_SPIN;
	default:
		break;
	}
	if (w->frozen)
		return WATCH_FROZEN;
	if (stepper_running(w->stepper))
		return WATCH_STEPPING;
	if (session_live(s, -1) == 0)
		return WATCH_GONE;
	if (s->paused[ROLE_PRODUCER] && s->paused[ROLE_CONSUMER])
		return WATCH_PAUSED;
	if (s->paused[ROLE_PRODUCER])
		return WATCH_PRODUCER_PAUSED;
	if (s->paused[ROLE_CONSUMER])
		return WATCH_CONSUMER_PAUSED;
	return WATCH_RUNNING;
}

int
watch_start(struct watch *w, const struct opts *o, char *err, size_t len)
{
	int64_t t0 = w->t0;
	unsigned starts = w->starts, rewinds = w->rewinds;
	uint64_t rewound_to = w->rewound_to;
	struct evlog log = w->log;

	watch_free(w);
	memset(w, 0, sizeof(*w));
	w->starts = starts + 1;
	w->rewinds = rewinds;
	w->rewound_to = rewound_to;
	w->log = log;
	w->t0 = t0;
	w->cur = &w->snaps[0];
	w->prev = &w->snaps[1];
	if ((w->judge = judge_new()) == NULL ||
	    (w->stepper = stepper_new()) == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	w->freeze = o->freeze;
	if (o->schedule != NULL) {
		/* checked when the options were read; parsed for use here */
		if (schedule_parse(o->schedule, o->producers, o->consumers,
		    &w->replay, err, len) == -1)
			return -1;
		w->has_replay = 1;
		stepper_plan(w->stepper, &w->replay);
	}
	if (o->random)
		stepper_random(w->stepper, o->seed, o->steps);
	if (session_start(&w->s, o, err, len) == -1)
		return -1;
	watch_crash_list(w);
	watch_arm(w);
	if (w->t0 == 0)
		w->t0 = w->s.start_ns;  /* the log's times run from the first start */
	watch_welcome(w);
	snap_take(&w->s, w->prev);
	status_open(w);
	return 0;
}

void
watch_unreplayable(struct watch *w, const char *why)
{
	if (w->unreplayable == NULL)
		w->unreplayable = why;
}

void
watch_set_freeze(struct watch *w, int on)
{
	w->freeze = on;
	watch_arm(w);
}

void
watch_end(struct watch *w)
{
	session_stop(&w->s);
	sig_crash_workers(NULL, 0);
	session_end(&w->s);
}

void
watch_free(struct watch *w)
{
	status_close(w);
	schedule_free(&w->replay);
	stepper_free(w->stepper);
	w->stepper = NULL;
	judge_free(w->judge);
	w->judge = NULL;
	schedule_free(&w->history);
	trace_free(&w->trace);
}

void
watch_done(struct watch *w)
{
	watch_end(w);
	watch_free(w);
}

int
watch_restart(struct watch *w, unsigned m, char *err, size_t len)
{
	struct opts o = w->s.opts;

	o.prod_rate = session_rate(&w->s, ROLE_PRODUCER);
	o.cons_rate = session_rate(&w->s, ROLE_CONSUMER);
	o.freeze = w->freeze;
	o.sync = m;
	/* everything paused: the fresh ring starts paused too, to be stepped
	 * from its start (and stepped back) */
	o.start_paused = w->s.paused[ROLE_PRODUCER] && w->s.paused[ROLE_CONSUMER];
	watch_end(w);
	return watch_start(w, &o, err, len);
}

int
watch_play(struct watch *w, const char *schedule, uint64_t items, char *err,
    size_t len)
{
	struct opts o = w->s.opts;

	o.prod_rate = session_rate(&w->s, ROLE_PRODUCER);
	o.cons_rate = session_rate(&w->s, ROLE_CONSUMER);
	o.freeze = w->freeze;
	o.schedule = schedule;
	o.schedule_file = NULL;
	o.random = 0;
	o.items = items;
	watch_end(w);
	return watch_start(w, &o, err, len);
}

void
watch_pause(struct watch *w, enum role role, int paused)
{
	/* Held in front of a sem_wait, a side let run goes into it itself. */
	if (!paused)
		stepper_unhold(&w->s, (int)role);
	session_pause(&w->s, role, paused);
	if (paused)
		return;
	/* Running again: no longer frozen, and a plan of steps (which needs
	 * everyone paused) is over. */
	w->frozen = 0;
	if (stepper_playing(w->stepper)) {
		char where[64];

		evlog_add(&w->log, pace_now(), "the %s is dropped at %s: running "
		    "free", stepper_noun(w->stepper),
		    stepper_where(w->stepper, where, sizeof(where)));
	}
	stepper_cancel(w->stepper);
}

int
watch_add_producer(struct watch *w, char *err, size_t len)
{
	struct session *s = &w->s;
	char name[8];
	int slot;

	if (s->opts.sync != SYNC_SEED) {
		snprintf(err, len, "n: a producer started the tutorial's way is "
		    "seed mode's lesson; m until the mode is seed");
		return -1;
	}
	if (w->finished || session_live(s, -1) == 0) {
		snprintf(err, len, "n: the workers have stopped; r for a fresh ring");
		return -1;
	}
	if (judge_stuck(w->judge) != STUCK_NO) {
		snprintf(err, len, "n: the session is stuck (%s), and is judged "
		    "so for good; r for a fresh ring", judge_stuck_name(
		    judge_stuck(w->judge)));
		return -1;
	}
	if ((slot = session_add_producer(s, err, len)) == -1)
		return -1;
	watch_crash_list(w);
	w->tutorial_starts++;
	w->tutorial_untold |= 1u << slot;
	watch_unreplayable(w, "a producer was started with n");
	evlog_add(&w->log, pace_now(), "n: %s (pid %d) starts as the tutorial's "
	    "producer does, on the live ring: sem_init(&empty, 1, %u); "
	    "sem_init(&full, 1, 0); head = tail = count = 0;",
	    session_name(&s->procs[slot], name, sizeof(name)),
	    (int)s->procs[slot].pid, s->opts.capacity);
	return slot;
}

/* Everyone where they are: free runners at their next gate, a step let
 * through but not begun taken back. */
static void
watch_halt(struct watch *w)
{
	for (unsigned i = 0; i < w->s.nprocs; i++)
		ctl_halt(w->s.ctl, i);
	w->s.paused[ROLE_PRODUCER] = w->s.paused[ROLE_CONSUMER] = 1;
}

static void
watch_on_exit(const struct proc *p, void *arg)
{
	struct watch *w = arg;
	char name[8], how[48];

	session_name(p, name, sizeof(name));
	if (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0) {
		evlog_add(&w->log, pace_now(), "%s (pid %d) finished", name,
		    (int)p->pid);
		return;
	}
	evlog_add(&w->log, pace_now(), "%s (pid %d) %s", name, (int)p->pid,
	    session_how(p->status, how, sizeof(how)));
}

/* What each killed worker took with it, once it is known. */
static void
watch_took(struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		char took[80];
		int r;

		if (w->cur->w[i].alive || w->took_told[i] ||
		    (WIFEXITED(w->cur->w[i].status) &&
		    WEXITSTATUS(w->cur->w[i].status) == 0))
			continue;
		if ((r = judge_took(w->judge, w->cur, i, 0, took, sizeof(took))) < 0)
			continue;
		w->took_told[i] = 1;
		if (r == 1) {
			char name[8];

			evlog_add(&w->log, w->cur->t, "%s took %s with it: %s",
			    session_name(&w->s.procs[i], name, sizeof(name)), took,
			    strcmp(took, "m") == 0 ? "nobody can lock m again" :
			    "the post it owed will never come");
		}
	}
}

/* Log a worker seen newly blocked: at most every BLOCK_LOG_NS each, so
 * that a fast ring does not flood the log. */
static void
watch_blocks(struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		const struct snap_worker *c = &w->cur->w[i], *o = &w->prev->w[i];
		int now = c->state == WS_BLOCKED || c->waits != SEM_NONE ||
		    c->cv_phase == CVP_WAITING;
		int before = o->state == WS_BLOCKED || o->waits != SEM_NONE ||
		    o->cv_phase == CVP_WAITING;
		char name[8];

		if (c->state == WS_FINISHED && o->state != WS_FINISHED && c->alive)
			evlog_add(&w->log, w->cur->t, "%s (pid %d) finished: all its "
			    "items made", ctl_name(c->role, c->index, name,
			    sizeof(name)), (int)c->pid);
		if (now == before || !now || !c->alive)
			continue;
		if (w->cur->t - w->block_logged[i] < BLOCK_LOG_NS)
			continue;
		w->block_logged[i] = w->cur->t;
		session_name(&w->s.procs[i], name, sizeof(name));
		if (CTL_IS_CV(c->blocked_on)) {
			evlog_add(&w->log, w->cur->t, "%s waits on %s: it let m go, "
			    "and sleeps until a pthread_cond_signal(&%s)", name,
			    ctl_sem_name(c->blocked_on), ctl_sem_name(c->blocked_on));
			continue;
		}
		if (c->blocked_on == SEM_M) {
			evlog_add(&w->log, w->cur->t, "%s waits for m: another "
			    "process holds it", name);
			continue;
		}
		evlog_add(&w->log, w->cur->t, "%s seen waiting in sem_wait(&%s)%s",
		    name, ctl_sem_name(c->blocked_on),
		    c->blocked_on == SEM_EMPTY ? ": no free slot, the ring is full" :
		    c->blocked_on == SEM_FULL ? ": no item, the ring is empty" : "");
	}
}

/* Pause everything where it is and say why. */
static void
watch_freeze(struct watch *w, enum inv inv)
{
	if (w->frozen)
		return;
	watch_halt(w);
	w->frozen = 1;
	w->frozen_inv = inv;
	if (stepper_unfinished(w->stepper))
		evlog_add(&w->log, w->cur->t, "frozen: the rest of the plan of "
		    "steps is dropped");
	stepper_cancel(w->stepper);
}

/* Whether a worker running free holds a copy of count it has yet to
 * store: the workers let it through to its store. */
static int
watch_in_window(const struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		const struct snap_worker *k = &w->cur->w[i];

		if (k->alive && k->run == RUN_FREE && k->window)
			return 1;
	}
	return 0;
}

/*
 * The workers stopped at their gates (a store erased an update, or was
 * about to be erased).  Frozen already, the flag goes.  Otherwise, once
 * any store that was let through has been made: frozen if the judge
 * proved the update lost, else nothing was lost, and they go on.
 */
static void
watch_stopped(struct watch *w)
{
	if (w->cur->frozen == FROZEN_NO)
		return;
	if (!w->frozen && w->cur->frozen == FROZEN_COMING && watch_in_window(w))
		return;
	atomic_store(&w->s.ctl->frozen, 0);
	if (!w->frozen)
		for (unsigned i = 0; i < w->s.nprocs; i++)
			ctl_wake(w->s.ctl, i);
}

/* Whether a line about worker i's writes over unread items or empty
 * reads may go to the log now: the first at once, then at most one every
 * ODD_LOG_NS, the rest counted into it. */
static int
watch_odd_due(struct watch *w, unsigned i, uint64_t n)
{
	if (w->odd_logged[i] != 0 && w->cur->t - w->odd_logged[i] < ODD_LOG_NS) {
		w->odd_unlogged[i] += n;
		return 0;
	}
	w->odd_logged[i] = w->cur->t;
	return 1;
}

/* " (and 3 more since 1.2s)": the ones folded into this line. */
static const char *
watch_more(struct watch *w, unsigned i, uint64_t more, char *buf, size_t len)
{
	more += w->odd_unlogged[i];
	w->odd_unlogged[i] = 0;
	if (more == 0)
		buf[0] = '\0';
	else
		snprintf(buf, len, " (and %llu more before it)",
		    (unsigned long long)more);
	return buf;
}

/* A producer wrote over an item that no consumer had taken. */
static void
watch_clobber(struct watch *w, unsigned i, uint64_t more)
{
	const struct snap_worker *p = &w->cur->w[i];
	char name[8], more_text[48];

	if (!watch_odd_due(w, i, more + 1))
		return;
	evlog_add(&w->log, w->cur->t, "%s overwrote P%u#%llu in slot %u before "
	    "anyone read it%s", ctl_name(p->role, p->index, name, sizeof(name)),
	    ring_item_producer(p->clobbered) + 1,
	    (unsigned long long)ring_item_seq(p->clobbered) + 1, p->clobber_slot,
	    watch_more(w, i, more, more_text, sizeof(more_text)));
}

/* Robust: a lock that found m's owner dead, and the repair after it. */
static void
watch_owner_dead(struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		const struct snap_worker *c = &w->cur->w[i], *o = &w->prev->w[i];
		char name[8];

		ctl_name(c->role, c->index, name, sizeof(name));
		if (c->owner_dead > o->owner_dead) {
			char dead[16] = "its owner";

			if (c->dead_owner > 0 && c->dead_owner <= w->cur->nworkers)
				ctl_name(w->cur->w[c->dead_owner - 1].role,
				    w->cur->w[c->dead_owner - 1].index, dead,
				    sizeof(dead));
			evlog_add(&w->log, w->cur->t, "EOWNERDEAD: %s died holding "
			    "m; %s's lock got m, and must repair what was left half "
			    "done", dead, name);
		}
		if (c->consistent > o->consistent)
			evlog_add(&w->log, w->cur->t, "%s set count = fill(head, "
			    "tail) = %d (it was %d) and made m consistent: the ring "
			    "runs on; the dead one's permit is gone for good",
			    name, c->repair_to, c->repair_from);
	}
}

/* Who took the item a woken consumer found gone: the consumer that moved
 * tail last before it, if the steps say so. */
static void
watch_takers(struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++)
		if (w->cur->w[i].role == ROLE_CONSUMER &&
		    w->cur->w[i].moved > w->prev->w[i].moved)
			w->last_taker = (int)i + 1;
}

/* A consumer read a slot that no producer has written: its own sight. */
static void
watch_empty_reads(struct watch *w)
{
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		const struct snap_worker *c = &w->cur->w[i];
		uint64_t n = c->empties - w->prev->w[i].empties;
		char name[8], more[48];

		if (c->role != ROLE_CONSUMER || c->empties <= w->prev->w[i].empties ||
		    !watch_odd_due(w, i, n))
			continue;
		if (c->woken_read) {
			char other[24] = "another consumer";

			/* stepped, each step is looked at: the taker is known */
			if (w->last_taker > 0 && w->last_taker != (int)i + 1 &&
			    w->s.paused[ROLE_PRODUCER] && w->s.paused[ROLE_CONSUMER])
				ctl_name(ROLE_CONSUMER, w->cur->w[w->last_taker - 1].index,
				    other, sizeof(other));
			evlog_add(&w->log, w->cur->t, "%s read slot %u with nothing "
			    "in it: it was woken, but %s took the item first%s",
			    ctl_name(c->role, c->index, name, sizeof(name)),
			    c->empty_slot, other, watch_more(w, i, n - 1, more,
			    sizeof(more)));
			continue;
		}
		evlog_add(&w->log, w->cur->t, "%s read slot %u with nothing in "
		    "it: no producer wrote it%s", ctl_name(c->role, c->index,
		    name, sizeof(name)), c->empty_slot,
		    watch_more(w, i, n - 1, more, sizeof(more)));
	}
}

/* A producer started with n has done its sem_init and reset: say what it
 * found, and so what it did to the items in the ring and to the waiters. */
static void
watch_tutorial_tell(struct watch *w, unsigned k)
{
	const struct wctl *c = &w->s.ctl->w[k];
	const int32_t *was = c->init_was;
	uint32_t cap = w->s.opts.capacity, n = c->init_n;
	char name[8], item[32], items[96];
	struct trace_row row;
	size_t off = 0;

	session_name(&w->s.procs[k], name, sizeof(name));
	evlog_add(&w->log, w->cur->t, "%s's sem_init found empty at %d and full "
	    "at %d, and its reset found head %d, tail %d, count %d: now empty "
	    "is %u, full 0, head, tail and count 0", name, was[3], was[4], was[0],
	    was[1], was[2], cap);
	items[0] = '\0';
	for (unsigned i = 0; i < 4 && i < n && off < sizeof(items); i++)
		off += (size_t)snprintf(items + off, sizeof(items) - off, "%s%s",
		    i ? ", " : "", trace_item(c->init_items[i], item,
		    sizeof(item)));
	if (n > 0)
		evlog_add(&w->log, w->cur->t, "the %u item%s in the ring (%s%s, "
		    "from slot %d) %s forgotten: full and count say the ring is "
		    "empty, and the producers will write from slot 0 again, over "
		    "them",
		    n, n == 1 ? "" : "s", items, n > 4 ? ", ..." : "", was[1],
		    n == 1 ? "is" : "are");
	for (unsigned i = 0; i < w->cur->nworkers; i++) {
		const struct snap_worker *o = &w->cur->w[i];

		if (i == k || !o->alive || o->state != WS_PAUSED ||
		    (o->waits != SEM_EMPTY && o->waits != SEM_FULL))
			continue;
		evlog_add(&w->log, w->cur->t, "%s waits in front of sem_wait(&%s), "
		    "held at its gate by shmviz, not asleep in the kernel: no "
		    "sem_init can forget it (run free before n to see a sleeper "
		    "forgotten)", ctl_name(o->role, o->index, name, sizeof(name)),
		    ctl_sem_name(o->waits));
	}
	evlog_add(&w->log, w->cur->t, "sem_init on a semaphore someone sleeps on "
	    "is undefined: glibc sets its count of sleepers to 0, and then no "
	    "sem_post wakes them");
	memset(&row, 0, sizeof(row));
	row.kind = TR_RESET;
	row.role = (uint8_t)w->s.procs[k].role;
	row.index = (uint8_t)w->s.procs[k].index;
	row.v.sem_empty = (int)cap;
	if (trace_add(&w->trace, &row) == 0)
		w->reset_row = w->trace.n - 1;
	/* what the judge proves broken before the next step, it broke; run
	 * free, others' steps are in between */
	if (!w->free_now)
		snprintf(w->breaker_note, sizeof(w->breaker_note), "%s's sem_init "
		    "and head = tail = count = 0", session_name(&w->s.procs[k],
		    name, sizeof(name)));
}

/* Tell the starts that are done; how many. */
static int
watch_tutorial(struct watch *w)
{
	int told = 0;

	for (unsigned k = 0; w->tutorial_untold != 0 && k < w->s.nprocs; k++) {
		if (!((w->tutorial_untold >> k) & 1))
			continue;
		if (atomic_load_explicit(&w->s.ctl->w[k].init_done,
		    memory_order_acquire)) {
			watch_tutorial_tell(w, k);
			told++;
		} else if (w->s.procs[k].alive)
			continue;
		w->tutorial_untold &= ~(1u << k);
	}
	return told;
}

/*
 * After a start the tutorial's way: a worker the kernel has asleep in
 * sem_wait while the semaphore is above 0, look after look, nothing it
 * does moving, for FORGOTTEN_NS, is one no post will wake.  Told once, and
 * again if it wakes after all (another sleeper counted anew, and woken in
 * its place's stead, can do that).
 */
static void
watch_forgotten(struct watch *w)
{
	const struct snap *sn = w->cur;

	if (w->tutorial_starts == 0)
		return;
	for (unsigned i = 0; i < sn->nworkers; i++) {
		const struct snap_worker *o = &sn->w[i];
		int v = snap_sem(sn, o->blocked_on);
		uint32_t bit = 1u << i;
		char name[8];

		ctl_name(o->role, o->index, name, sizeof(name));
		if (!o->alive || o->state != WS_BLOCKED || o->kstate != 'S' ||
		    (o->blocked_on != SEM_EMPTY && o->blocked_on != SEM_FULL) ||
		    v <= 0 || o->attempts != w->asleep_attempts[i]) {
			if ((w->forgotten & bit) && o->attempts != w->asleep_attempts[i])
				evlog_add(&w->log, sn->t, "%s woke from its sem_wait "
				    "after all", name);
			if (o->attempts != w->asleep_attempts[i] || !o->alive)
				w->forgotten &= ~bit;
			w->asleep_since[i] = 0;
			w->asleep_attempts[i] = o->attempts;
			continue;
		}
		if (w->asleep_since[i] == 0)
			w->asleep_since[i] = sn->t;
		if ((w->forgotten & bit) || sn->t - w->asleep_since[i] < FORGOTTEN_NS)
			continue;
		w->forgotten |= bit;
		evlog_add(&w->log, sn->t, "FORGOTTEN: %s has slept in "
		    "sem_wait(&%s) for %d s with %s at %d, which it would take: "
		    "since the sem_init on the live semaphore, glibc counts fewer "
		    "sleepers on it than there are, and nothing wakes it", name,
		    ctl_sem_name(o->blocked_on), (int)(FORGOTTEN_NS /
		    INT64_C(1000000000)), ctl_sem_name(o->blocked_on), v);
	}
}

/* Say what the judge found, once each, and freeze if asked to. */
static void
watch_verdicts(struct watch *w)
{
	const struct judge *j = w->judge;
	unsigned fresh = judge_fresh(j);
	enum stuck stuck = judge_stuck(j);
	uint64_t more, lost = judge_lost(j);
	int clobber;

	for (int i = 0; i < INV_COUNT_ALL; i++)
		if (fresh & (1u << i))
			evlog_add(&w->log, w->cur->t, "VIOLATED %s: %s%s%s",
			    judge_inv_name((enum inv)i), judge_detail(j, (enum inv)i),
			    judge_breaker(j, (enum inv)i)[0] ? "; by " : "",
			    judge_breaker(j, (enum inv)i));
	if (fresh && w->freeze)
		watch_freeze(w, judge_fresh_inv(j));
	if ((clobber = judge_fresh_clobber(j, &more)) != 0)
		watch_clobber(w, (unsigned)clobber - 1, more);
	if (judge_fresh_lost(j))
		evlog_add(&w->log, w->cur->t, "LOST: %llu item%s, the latest "
		    "P%u#%llu: never taken, gone from the ring",
		    (unsigned long long)lost, lost == 1 ? "" : "s",
		    ring_item_producer(judge_lost_item(j)) + 1,
		    (unsigned long long)ring_item_seq(judge_lost_item(j)) + 1);
	if (stuck != w->stuck_told) {
		w->stuck_told = stuck;
		if (stuck == STUCK_DEADLOCK)
			evlog_add(&w->log, w->cur->t, "%s: %s", judge_asleep(j) ?
			    "ALL ASLEEP" : "DEADLOCK", judge_stuck_text(j));
		else if (stuck == STUCK_HANG)
			evlog_add(&w->log, w->cur->t, "HANG: %s, forever",
			    judge_stuck_text(j));
		else if (stuck == STUCK_SPIN)
			evlog_add(&w->log, w->cur->t, "HANG: %s, and nobody left "
			    "can change it", judge_stuck_text(j));
	}
}

/* Scheduled steps that could not be taken, as they happen. */
static void
watch_skips(struct watch *w)
{
	const struct stepper *st = w->stepper;

	for (unsigned i = 0; i < stepper_nskips(st); i++) {
		uint32_t n;
		const char *why = stepper_skip_line(st, i, &n);

		for (; w->skips_told[i] < n; w->skips_told[i]++)
			evlog_add(&w->log, w->cur->t, "not taken: %s", why);
	}
}

/* --items made and the ring drained: the consumers are let go. */
static void
watch_drained(struct watch *w)
{
	if (w->finished || judge_stuck(w->judge) != STUCK_DRAINED)
		return;
	session_stop(&w->s);
	w->finished = 1;
	evlog_add(&w->log, pace_now(), "all %llu items consumed; the ring is "
	    "drained", (unsigned long long)w->cur->consumed);
	snap_take(&w->s, w->cur);
}

/* A new snapshot, the one before kept. */
static void
watch_snap(struct watch *w)
{
	struct snap *sw = w->prev;

	w->prev = w->cur;
	w->cur = sw;
	snap_take(&w->s, w->cur);
}

/* What the stepper just did goes into the history and the trace. */
static void
watch_record(struct watch *w)
{
	unsigned nev;
	const struct stepper_event *ev = stepper_events(w->stepper, &nev);

	for (unsigned k = 0; k < nev; k++) {
		const struct stepper_event *e = &ev[k];
		const struct proc *p = &w->s.procs[e->slot];
		struct trace_row row;

		if (e->what != SW_RELEASED) {
			w->nsteps++;
			if (schedule_push(&w->history, p->role, p->index) == -1)
				watch_unreplayable(w, "the history is too long to keep");
		}
		memset(&row, 0, sizeof(row));
		row.n = w->nsteps;
		row.kind = e->what == SW_RELEASED ? TR_RELEASED : TR_STEP;
		row.what = (uint8_t)e->what;
		row.why = (uint8_t)e->why;
		row.sem = (uint8_t)e->sem;
		row.role = (uint8_t)p->role;
		row.index = (uint8_t)p->index;
		row.line = (uint8_t)e->line;
		row.keyed = (uint8_t)e->keyed;
		row.v = e->v;
		trace_add(&w->trace, &row);
	}
}

/* Free running begins or ends: the trace says so. */
static void
watch_free_mark(struct watch *w)
{
	int now = !(w->s.paused[ROLE_PRODUCER] && w->s.paused[ROLE_CONSUMER]);
	struct trace_row row;

	if (now == w->free_now)
		return;
	w->free_now = now;
	if (now) {
		watch_unreplayable(w, "the session ran free before these steps");
		w->breaker_note[0] = '\0';
	}
	memset(&row, 0, sizeof(row));
	row.kind = now ? TR_FREE_BEGAN : TR_FREE_ENDED;
	trace_add(&w->trace, &row);
}

/* Judge the snapshot, and log what it shows; `quiet` after a step of the
 * plan, which st->last names. */
static void
watch_judge(struct watch *w, int quiet)
{
	struct trace_row *last;
	unsigned nev;
	char both[200];
	const char *breaker = quiet ? stepper_last(w->stepper) : NULL;
	int told, note;

	watch_record(w);
	/*
	 * A start the tutorial's way broke what the judge proves broken at its
	 * first quiet moment since: alone, if no step came between; with the
	 * step, if one did (or came in the same look), both named.
	 */
	told = watch_tutorial(w);
	note = w->breaker_note[0] != '\0';
	if (note && quiet) {
		snprintf(both, sizeof(both), "%s, %s %s", w->breaker_note, told ?
		    "with" : "then", breaker);
		breaker = both;
	} else if (note)
		breaker = w->breaker_note;
	judge_look(w->judge, &w->s, w->cur, breaker, quiet);
	if (note && judge_fresh(w->judge) && w->reset_row < w->trace.n &&
	    w->trace.rows[w->reset_row].kind == TR_RESET)
		w->trace.rows[w->reset_row].broke |= (uint8_t)judge_fresh(w->judge);
	/* the step just taken broke what this look proved broken */
	if (quiet && judge_fresh(w->judge) && stepper_events(w->stepper,
	    &nev) != NULL && nev > 0 &&
	    (last = trace_last_step(&w->trace)) != NULL)
		last->broke |= (uint8_t)judge_fresh(w->judge);
	/* a quiet moment judged: what breaks later, later steps broke */
	if (note && (quiet || judge_quiescent(w->judge)))
		w->breaker_note[0] = '\0';
	watch_forgotten(w);
	watch_blocks(w);
	watch_empty_reads(w);
	watch_takers(w);
	watch_owner_dead(w);
	watch_skips(w);
	watch_took(w);
	watch_verdicts(w);
}

/* How long a look may take steps the fast way before the screen or the
 * headless loop is looked after again. */
#define LOOK_BUDGET_NS (20 * INT64_C(1000000))

void
watch_look(struct watch *w, int64_t delay_ns)
{
	int64_t until;
	int steps = 0, r;

	session_reap(&w->s, watch_on_exit, w);
	watch_free_mark(w);
	watch_snap(w);
	/* a held lock of m, freed by its owner's death (robust) */
	if (stepper_parked(&w->s) && stepper_release(w->stepper, &w->s) > 0) {
		watch_snap(w);
		watch_judge(w, 1);
	}
	/* stopped at their gates: as many steps as are due, each waited
	 * for, each judged */
	until = pace_now() + LOOK_BUDGET_NS;
	while (stepper_parked(&w->s) &&
	    (r = stepper_step(w->stepper, &w->s, pace_now(), delay_ns)) != 0) {
		int was_frozen = w->frozen;

		watch_snap(w);
		watch_judge(w, r == 1);
		steps++;
		/* a freeze stops the plan here, a step after it is asked for */
		if (r < 0 || pace_now() >= until || (w->frozen && !was_frozen))
			break;
	}
	if (steps == 0)
		watch_judge(w, stepper_tick(w->stepper, &w->s, w->cur, delay_ns));
	trend_add(&w->trend, w->cur);
	watch_drained(w);
	watch_stopped(w);
	watch_arm(w);
	status_publish(w);
}
