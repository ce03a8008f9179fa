/* worker.c: a forked producer or consumer walking its table of steps */
#include "worker.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "pace.h"
#include "seg.h"

/* SIGUSR1 only interrupts a blocking sem_wait so the worker sees a stop. */
static void
worker_on_signal(int sig)
{
	(void)sig;
}

/* Undo what the child inherited from the supervisor's signal setup. */
static void
worker_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = worker_on_signal; /* no SA_RESTART: sem_wait returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Whether the gate should let the worker leave instead of stepping. */
static int
worker_leaving(struct worker *w, uint32_t step)
{
	if (!atomic_load(&w->ctl->stop))
		return 0;
	/* Free-running workers finish the item they are in; paused ones and
	 * those whose wait was cut short hold nothing half-done that matters. */
	return step == 0 || w->interrupted ||
	    atomic_load(&w->me->run) == RUN_PAUSED;
}

/* Whether a freeze lets the worker on: not at all after an erased update;
 * only to its store when it holds a copy of count and an erase is coming. */
static int
worker_may_go(const struct worker *w)
{
	switch (atomic_load_explicit(&w->ctl->frozen, memory_order_relaxed)) {
	case FROZEN_NO:
		return 1;
	case FROZEN_COMING:
		return steps_in_window(w->steps, w->nsteps, w->at);
	default:
		return 0;
	}
}

/*
 * The supervisor raised the epoch: start afresh, at the top of the loop
 * with nothing made, as if just forked; worker 0 also empties the ring
 * (everyone is paused at a gate, so no one is in the middle of a step).
 */
static void
worker_reset(struct worker *w)
{
	struct wctl *me = w->me;
	unsigned slot = (unsigned)(me - w->ctl->w);
	uint32_t epoch = atomic_load(&w->ctl->epoch);

	if (slot == 0) {
		ring_init(w->ring, w->ring->capacity, sync_ring_flags(w->ctl->sync));
		atomic_store(&w->ctl->cv_tickets, 0);
	}
	worker_init(w, w->ring, w->ctl, slot, w->role, w->index);
	w->epoch = epoch;
	w->resync = 1;
	atomic_store(&me->step, 0);
	atomic_store(&me->blocked_on, SEM_NONE);
	atomic_store(&me->spin_on, SPIN_NONE);
	atomic_store(&me->r, 0);
	atomic_store(&me->slot, 0);
	atomic_store(&me->window, 0);
	atomic_store(&me->ow_loaded, 0);
	atomic_store(&me->ow_found, 0);
	atomic_store(&me->ow_stored, 0);
	atomic_store(&me->empty_slot, 0);
	atomic_store(&me->clobber_slot, 0);
	atomic_store(&me->io_slot, 0);
	atomic_store(&me->io_item, 0);
	atomic_store(&me->steps, 0);
	atomic_store(&me->changes, 0);
	atomic_store(&me->overwrites, 0);
	atomic_store(&me->done, 0);
	atomic_store(&me->moved, 0);
	atomic_store(&me->dup, 0);
	atomic_store(&me->ooo, 0);
	atomic_store(&me->empties, 0);
	atomic_store(&me->clobbers, 0);
	atomic_store(&me->clobbered, 0);
	atomic_store(&me->clobber_by, 0);
	atomic_store(&me->first_ns, 0);
	atomic_store(&me->last_ns, 0);
	atomic_store(&me->attempts, 0);
	atomic_store(&me->cv_phase, CVP_NONE);
	atomic_store(&me->cv_on, SEM_NONE);
	atomic_store(&me->cv_ticket, 0);
	atomic_store(&me->woke, 0);
	atomic_store(&me->woken_read, 0);
	atomic_store(&me->owner_dead, 0);
	atomic_store(&me->repair_from, 0);
	atomic_store(&me->repair_to, 0);
	atomic_store(&me->repaired, 0);
	atomic_store(&me->dead_owner, 0);
	atomic_store(&me->repaired_for, 0);
	atomic_store(&me->consistent, 0);
	atomic_store(&me->epoch_seen, epoch);
}

/* Pass the gate before a step: at once if free, else by permit. */
static int
worker_gate(struct worker *w)
{
	struct wctl *me = w->me;

	for (;;) {
		if (worker_leaving(w, w->at))
			return -1;
		/* A store that erased an update, or is about to have its own
		 * erased, stops everyone here, within a step, until the
		 * supervisor has paused them all; but one holding a copy of
		 * count goes on to its store. */
		if (worker_may_go(w) &&
		    (atomic_load(&me->run) == RUN_FREE ||
		    w->attempts < atomic_load(&me->permit)))
			break;
		worker_stamp(w);
		atomic_store(&me->state, WS_PAUSED);
		w->resync = 1;
		sem_post(&me->ack);     /* here: a step let through is over */
		while (sem_wait(&me->gate) == -1 && errno == EINTR &&
		    !atomic_load(&w->ctl->stop))
			;
		/* only a paused worker is ever sent back to the start */
		if (atomic_load_explicit(&w->ctl->epoch, memory_order_acquire) !=
		    w->epoch)
			worker_reset(w);
	}
	if (atomic_load_explicit(&me->state, memory_order_relaxed) != WS_RUNNING)
		atomic_store(&me->state, WS_RUNNING);
	return 0;
}

void
worker_stamp(struct worker *w)
{
	if (!w->stamp_due)
		return;
	w->stamp_due = 0;
	atomic_store_explicit(&w->me->last_ns, pace_now(), memory_order_relaxed);
}

/*
 * An item is complete when the worker reaches the last step of its loop.
 * Its time is read at once, but for an unpaced worker running free, where
 * reading the clock would be the dearest thing it does: then every 64th
 * item, and whenever it stops or waits (worker_stamp), a few steps after
 * its latest item at most.
 */
static void
worker_item_done(struct worker *w)
{
	struct wctl *me = w->me;
	uint64_t done = atomic_load_explicit(&me->done, memory_order_relaxed);
	int lazy = atomic_load_explicit(&me->rate, memory_order_relaxed) ==
	    PACE_MAX && atomic_load_explicit(&me->run, memory_order_relaxed) ==
	    RUN_FREE;

	if (w->role == ROLE_PRODUCER)
		w->seq++;
	if (done == 0 || !lazy || (done + 1) % 64 == 0) {
		int64_t now = pace_now();

		if (done == 0)
			atomic_store_explicit(&me->first_ns, now,
			    memory_order_relaxed);
		atomic_store_explicit(&me->last_ns, now, memory_order_relaxed);
		w->stamp_due = 0;
	} else
		w->stamp_due = 1;
	atomic_store_explicit(&me->done, done + 1, memory_order_relaxed);
}

enum step_result
worker_step(struct worker *w)
{
	struct wctl *me = w->me;
	enum step_result res;

	/* The last step hands the item on (a post, or in none mode the count
	 * change) and always succeeds.  Counting the item first means that a
	 * worker killed between the two leaves the tally exact: the item is
	 * counted and still in the ring, or counted and its permit lost. */
	if (w->at == w->nsteps - 1)
		worker_item_done(w);
	res = w->steps[w->at].run(w);
	if (res == STEP_NEXT) {
		w->interrupted = 0;
		if (atomic_load_explicit(&me->spin_on, memory_order_relaxed))
			atomic_store(&me->spin_on, SPIN_NONE);
		/* back from a wait, it holds m again until its next line */
		if (w->cv_mode && !(w->steps[w->at].flags & SF_CV_WAIT) &&
		    atomic_load_explicit(&me->cv_phase, memory_order_relaxed) ==
		    CVP_AGAIN)
			atomic_store(&me->cv_phase, CVP_NONE);
		atomic_store_explicit(&me->steps, ++w->steps_done,
		    memory_order_release);
		if (w->jump >= 0) {
			w->at = (unsigned)w->jump;
			w->jump = -1;
		} else if (++w->at == w->nsteps)
			w->at = 0;
		atomic_store_explicit(&me->step, w->at, memory_order_release);
	}
	/* Published last: a supervisor that sees the attempt counted sees
	 * everything the step did.  The fence keeps what the next step does
	 * after it, so that a supervisor that reads attempts again after the
	 * ring, and finds them unchanged, read no part of a later step. */
	if (res == STEP_NEXT || res == STEP_AGAIN) {
		atomic_store_explicit(&me->attempts, ++w->attempts,
		    memory_order_release);
		atomic_thread_fence(memory_order_release);
	}
	return res;
}

/* All its items made: it waits at its gate until it is stopped, so that
 * the session can still look at it (and a stepper hears it is done); 1
 * when it is to start afresh instead. */
static int
worker_park(struct worker *w)
{
	worker_stamp(w);
	atomic_store(&w->me->state, WS_FINISHED);
	sem_post(&w->me->ack);
	while (!atomic_load(&w->ctl->stop)) {
		if (atomic_load_explicit(&w->ctl->epoch,
		    memory_order_acquire) != w->epoch) {
			worker_reset(w);
			return 1;       /* back to its gate, afresh */
		}
		while (sem_wait(&w->me->gate) == -1 && errno == EINTR &&
		    !atomic_load(&w->ctl->stop))
			;
	}
	return 0;
}

int
worker_run(struct worker *w)
{
	w->resync = 1;
	for (;;) {
		if (worker_gate(w) == -1)
			return 0;
		switch (worker_step(w)) {
		case STEP_NEXT:
		case STEP_AGAIN:
			break;
		case STEP_FINISH:
			if (worker_park(w))
				break;
			return 0;
		case STEP_FAIL:
			return 1;
		}
	}
}

void
worker_init(struct worker *w, struct ring *ring, struct ctl *ctl,
    unsigned slot, enum role role, unsigned index)
{
	memset(w, 0, sizeof(*w));
	w->ring = ring;
	w->ctl = ctl;
	w->me = &ctl->w[slot];
	w->role = role;
	w->index = index;
	w->steps = steps_table(ctl->sync, role, &w->nsteps);
	w->cv_mode = sync_has_cv(ctl->sync);
	w->jump = -1;
	w->dead_owner = -1;
	/* Only where nothing keeps two producers off one slot is an item
	 * ever written over unread; elsewhere the look it takes is saved.  In
	 * seed, a producer started later (n) makes a second writer of head. */
	if (role == ROLE_PRODUCER && (ctl->sync == SYNC_NONE ||
	    (ctl->sync == SYNC_SEED && atomic_load(&ctl->nprod) > 1)))
		w->check_writes = 2;
	else
		w->check_writes = role == ROLE_PRODUCER && ctl->sync == SYNC_SEED;
}

/*
 * n, in seed: start as the tutorial's producer does, whatever the ring
 * holds and whoever waits on it: sem_init on both live semaphores, then
 * head = tail = count = 0.  What it finds there first is published, so
 * that the supervisor can say what the start did to it.
 */
static void
worker_tutorial_start(struct worker *w)
{
	struct ring *r = w->ring;
	struct wctl *me = w->me;
	uint32_t cap = r->capacity, head = atomic_load(&r->head) % cap;
	uint32_t tail = atomic_load(&r->tail) % cap, n;
	int32_t count = atomic_load(&r->count);
	int empty = ring_sem_value(&r->empty), full = ring_sem_value(&r->full);
	int64_t moved;

	me->init_was[0] = (int32_t)head;
	me->init_was[1] = (int32_t)tail;
	me->init_was[2] = count;
	me->init_was[3] = empty;
	me->init_was[4] = full;
	/* equal indices: full if anything says there are items */
	n = (head + cap - tail) % cap;
	if (n == 0 && (full > 0 || count > 0))
		n = cap;
	me->init_n = n;
	for (uint32_t k = 0; k < 4; k++)
		me->init_items[k] = k < n ?
		    atomic_load(&r->slots[(tail + k) % cap]) : 0;
	moved = ctl_moved(w->ctl);
	sem_init(&r->empty, 1, cap);
	sem_init(&r->full, 1, 0);
	atomic_store(&r->head, 0);
	atomic_store(&r->tail, 0);
	atomic_store(&r->count, 0);
	atomic_store(&w->ctl->moved_base, moved);
	atomic_store_explicit(&me->init_done, 1, memory_order_release);
}

void
worker_main(struct ring *ring, const void *ro, struct ctl *ctl,
    unsigned slot, enum role role, unsigned index, pid_t parent)
{
	struct worker w;
	int status;

	/* Die with the supervisor, even if it is killed with SIGKILL. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* Its own process group: the terminal's ^C and ^Z reach only the
	 * supervisor, which decides what the workers do. */
	setpgid(0, 0);
	worker_signals();
	if (ro != NULL)
		seg_detach(ro);

	worker_init(&w, ring, ctl, slot, role, index);
	w.epoch = atomic_load(&ctl->epoch);
	atomic_store(&w.me->epoch_seen, w.epoch);
	atomic_store(&w.me->pid, (int32_t)getpid());
	if (w.me->tutorial_start)
		worker_tutorial_start(&w);

	status = worker_run(&w);
	worker_stamp(&w);
	atomic_store(&w.me->state, WS_DONE);
	_exit(status);
}
