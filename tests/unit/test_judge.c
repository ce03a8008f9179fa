/* test_judge.c: what the judge proves from snapshots, and what it will not */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "check.h"
#include "judge.h"
#include "ring.h"
#include "session.h"
#include "snap.h"
#include "sync.h"

#define MS (INT64_C(1000000))

struct fixture {
	struct session s;
	struct snap sn;
	struct judge *j;
};

/* One producer and one consumer, paused at the top of their loops, on an
 * empty ring of four slots in `mode`: a quiet moment where all holds. */
static struct fixture *
fixture(enum sync_mode mode)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->j = judge_new();
	assert_non_null(f->j);
	f->s.opts.producers = f->s.opts.consumers = 1;
	f->s.opts.sync = mode;
	f->sn.t = 1000 * MS;
	f->sn.sync = mode;
	f->sn.capacity = 4;
	f->sn.sem_empty = 4;
	f->sn.sem_mutex = 1;
	f->sn.nworkers = 2;
	for (unsigned i = 0; i < 2; i++) {
		struct snap_worker *w = &f->sn.w[i];

		w->role = i == 0 ? ROLE_PRODUCER : ROLE_CONSUMER;
		w->alive = 1;
		w->run = RUN_PAUSED;
		w->state = WS_PAUSED;
	}
	return f;
}

static void
done(struct fixture *f)
{
	judge_free(f->j);
	free(f);
}

static void
look(struct fixture *f, const char *last_step)
{
	judge_look(f->j, &f->s, &f->sn, last_step, 0);
}

static void
a_quiet_moment_that_adds_up_holds(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* one item made and in the ring, P1 back at the top of its loop */
	f->sn.count = 1;
	f->sn.fill = 1;
	f->sn.head = 1;
	f->sn.sem_empty = 3;
	f->sn.sem_full = 1;
	f->sn.changes[ROLE_PRODUCER] = f->sn.changes_after[ROLE_PRODUCER] = 1;
	look(f, NULL);
	assert_true(judge_quiescent(f->j) && judge_checked(f->j));
	for (int i = 0; i < INV_COUNT_ALL; i++) {
		assert_int_equal(judge_mark(f->j, &f->sn, (enum inv)i), MARK_HOLDS);
		assert_false(judge_violated(f->j, (enum inv)i));
	}
	done(f);
}

static void
a_moving_ring_is_not_known(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* P1 running, mid-step: count 0 fits the live bounds, fill 1 does
	 * not fit count, but nothing can be proven while it moves */
	f->sn.w[0].state = WS_RUNNING;
	f->sn.w[0].run = RUN_FREE;
	f->sn.fill = 1;
	look(f, NULL);
	assert_false(judge_quiescent(f->j));
	assert_int_equal(judge_mark(f->j, &f->sn, INV_COUNT), MARK_UNKNOWN);
	assert_int_equal(judge_mark(f->j, &f->sn, INV_FILL), MARK_UNKNOWN);
	assert_int_equal(judge_fresh(f->j), 0);
	done(f);
}

static void
a_lost_update_at_a_quiet_moment_is_proven_by_the_step_named(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* one item made and one taken, yet count says 1 */
	f->sn.count = 1;
	f->sn.head = f->sn.tail = 1;
	f->sn.changes[ROLE_PRODUCER] = f->sn.changes_after[ROLE_PRODUCER] = 1;
	f->sn.changes[ROLE_CONSUMER] = f->sn.changes_after[ROLE_CONSUMER] = 1;
	look(f, "P1 count = r;");
	assert_true(judge_violated(f->j, INV_COUNT));
	assert_true(judge_fresh(f->j) & (1u << INV_COUNT));
	assert_int_equal(judge_fresh_inv(f->j), INV_COUNT);
	assert_string_equal(judge_detail(f->j, INV_COUNT),
	    "count 1, produced 1 - consumed 1 = 0");
	assert_string_equal(judge_breaker(f->j, INV_COUNT), "P1 count = r;");
	assert_int_equal(judge_mark(f->j, &f->sn, INV_COUNT), MARK_BROKEN);
	/* proven once: the next look says nothing new */
	look(f, NULL);
	assert_int_equal(judge_fresh(f->j), 0);
	assert_true(judge_violated(f->j, INV_COUNT));
	done(f);
}

static void
a_store_that_saw_its_erase_proves_it_while_running(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	f->sn.w[1].state = WS_RUNNING;
	f->sn.w[1].run = RUN_FREE;
	f->sn.w[1].overwrites = 1;
	f->sn.w[1].ow_loaded = 1;
	f->sn.w[1].ow_found = 2;
	f->sn.w[1].ow_stored = 0;
	look(f, NULL);
	assert_false(judge_quiescent(f->j));
	assert_true(judge_violated(f->j, INV_COUNT));
	assert_string_equal(judge_detail(f->j, INV_COUNT), "C1 read count 1, found it "
	    "2 when it stored 0: the change between was erased");
	assert_string_equal(judge_breaker(f->j, INV_COUNT), "C1 count = r;");
	done(f);
}

static void
count_outside_the_live_bounds_is_proven_while_running(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	f->sn.w[0].state = f->sn.w[1].state = WS_RUNNING;
	f->sn.w[0].run = f->sn.w[1].run = RUN_FREE;
	/* 10 increments and 10 decrements: one worker of each side may be
	 * one change ahead of its counter, so count lies in [-1, 1] */
	f->sn.changes[0] = f->sn.changes_after[0] = 10;
	f->sn.changes[1] = f->sn.changes_after[1] = 10;
	f->sn.count = 1;
	look(f, NULL);
	assert_false(judge_violated(f->j, INV_COUNT));
	f->sn.count = 3;
	look(f, NULL);
	assert_true(judge_violated(f->j, INV_COUNT));
	assert_string_equal(judge_detail(f->j, INV_COUNT),
	    "count 3, produced - consumed between -1 and 1");
	done(f);
}

static void
a_permit_held_is_counted_and_named(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* P1 past sem_wait(&empty), paused before it writes */
	f->sn.w[0].step = 2;
	f->sn.sem_empty = 3;
	look(f, NULL);
	assert_int_equal(judge_mark(f->j, &f->sn, INV_PERMITS), MARK_HOLDS);
	assert_string_equal(judge_permits_note(f->j), "P1 holds an empty permit");
	/* a permit that went nowhere: empty 3 + full 0 + 0 held */
	f->sn.w[0].step = 0;
	look(f, "P1 sem_post(&full);");
	assert_int_equal(judge_mark(f->j, &f->sn, INV_PERMITS), MARK_BROKEN);
	assert_string_equal(judge_detail(f->j, INV_PERMITS),
	    "empty 3 + full 0 + 0 held != 4");
	done(f);
}

static void
no_semaphores_no_permits_to_judge(void **state)
{
	struct fixture *f = fixture(SYNC_NONE);

	(void)state;
	f->sn.sem_empty = 0;
	look(f, NULL);
	assert_int_equal(judge_mark(f->j, &f->sn, INV_PERMITS), MARK_NA);
	assert_int_equal(judge_mark(f->j, &f->sn, INV_COUNT), MARK_HOLDS);
	done(f);
}

/* Both asleep in the kernel on semaphores at 0, the mutex taken in the
 * wrong order: the classic deadlock. */
static void
deadlocked(struct fixture *f)
{
	struct snap_worker *p = &f->sn.w[0], *c = &f->sn.w[1];

	f->sn.sem_empty = 0;
	f->sn.sem_full = 4;
	f->sn.sem_mutex = 0;
	f->sn.count = f->sn.fill = 4;
	f->sn.changes[0] = f->sn.changes_after[0] = 4;
	p->state = c->state = WS_BLOCKED;
	p->run = c->run = RUN_FREE;
	p->kstate = c->kstate = 'S';
	p->step = 2;            /* after sem_wait(&mutex), in sem_wait(&empty) */
	p->blocked_on = SEM_EMPTY;
	c->step = 1;            /* in sem_wait(&mutex) */
	c->blocked_on = SEM_MUTEX;
	p->steps = 33;
	c->steps = 40;
}

static void
a_deadlock_needs_two_looks_100_ms_apart_with_no_step_between(void **state)
{
	struct fixture *f = fixture(SYNC_WRONG_ORDER);

	(void)state;
	deadlocked(f);
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	f->sn.t += 60 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	/* a step in between: the wait starts again */
	f->sn.w[1].steps++;
	f->sn.t += 60 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	f->sn.t += 60 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	f->sn.t += 60 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_DEADLOCK);
	assert_string_equal(judge_stuck_name(judge_stuck(f->j)), "deadlock");
	assert_string_equal(judge_stuck_text(f->j),
	    "P1 waits on empty, holds mutex; C1 waits on mutex");
	done(f);
}

static void
a_semaphore_above_0_is_no_deadlock(void **state)
{
	struct fixture *f = fixture(SYNC_WRONG_ORDER);

	(void)state;
	deadlocked(f);
	f->sn.sem_mutex = 1;    /* C1 is about to wake */
	look(f, NULL);
	f->sn.t += 200 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	assert_false(judge_blocked(&f->sn, 1));
	assert_true(judge_blocked(&f->sn, 0));
	done(f);
}

static void
waiters_after_a_death_hang(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);
	struct snap_worker *c = &f->sn.w[1];

	(void)state;
	f->sn.w[0].alive = 0;
	f->sn.w[0].status = SIGKILL;    /* a wait status: killed */
	c->state = WS_BLOCKED;
	c->kstate = 'S';
	c->step = 1;
	c->blocked_on = SEM_FULL;
	look(f, NULL);
	f->sn.t += 150 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_HANG);
	assert_string_equal(judge_stuck_text(f->j), "C1 waits on full");
	done(f);
}

/* No semaphores, the producer done with its 4 items, 3 of them taken:
 * the consumers spin on count 0.  The last item is still in slot 3, or
 * (taken) it is not. */
static void
spinning_consumers(struct fixture *f, int taken_all)
{
	f->s.opts.items = 4;
	f->s.opts.consumers = 2;
	f->s.ctl = ctl_create(1, 2, 4, SYNC_NONE);
	assert_non_null(f->s.ctl);
	for (uint64_t seq = 0; seq < (taken_all ? 4u : 3u); seq++)
		check_item(&f->s.ctl->check[0], seq);
	f->sn.nworkers = 3;
	f->sn.w[2] = f->sn.w[1];
	f->sn.w[2].index = 1;
	f->sn.w[0].state = WS_FINISHED;
	f->sn.w[0].done = 4;
	f->sn.slots[3] = ring_item(0, 3);
	f->sn.fill = 1;         /* a lost update of tail: it says 1 either way */
	f->sn.count = 0;
	for (unsigned i = 1; i < 3; i++) {
		f->sn.w[i].state = WS_SPINNING;
		f->sn.w[i].run = RUN_FREE;
		f->sn.w[i].step = 1;
		f->sn.w[i].spin_on = SPIN_ITEM;
	}
}

static void
consumers_spinning_beside_an_item_left_hang(void **state)
{
	struct fixture *f = fixture(SYNC_NONE);

	(void)state;
	spinning_consumers(f, 0);
	look(f, NULL);
	f->sn.t += 150 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_SPIN);
	assert_string_equal(judge_stuck_name(judge_stuck(f->j)), "spin");
	assert_string_equal(judge_stuck_text(f->j),
	    "C1,C2 spin while count == 0, 1 item still in the ring");
	ctl_destroy(f->s.ctl);
	done(f);
}

static void
consumers_spinning_with_nothing_left_drained_it(void **state)
{
	struct fixture *f = fixture(SYNC_NONE);

	(void)state;
	spinning_consumers(f, 1);
	look(f, NULL);
	f->sn.t += 150 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_DRAINED);
	ctl_destroy(f->s.ctl);
	done(f);
}

static void
a_spinner_with_a_live_other_side_is_not_stuck(void **state)
{
	struct fixture *f = fixture(SYNC_NONE);

	(void)state;
	spinning_consumers(f, 0);
	f->sn.w[0].state = WS_SLEEPING;         /* the producer still makes items */
	look(f, NULL);
	f->sn.t += 500 * MS;
	look(f, NULL);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	ctl_destroy(f->s.ctl);
	done(f);
}

static void
the_semaphores_say_what_a_killed_worker_took(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);
	char took[64];

	(void)state;
	/* killed with sem_wait(&empty) next: had it taken the permit? */
	f->sn.w[0].alive = 0;
	f->sn.w[0].status = SIGKILL;
	f->sn.w[0].state = WS_RUNNING;
	f->sn.w[0].step = 1;
	assert_int_equal(judge_took(f->j, &f->sn, 0, 0, took, sizeof(took)), -1);
	f->sn.sem_empty = 3;    /* it had: empty 3 + full 0 + 1 == 4 */
	look(f, NULL);
	assert_false(judge_violated(f->j, INV_PERMITS));
	assert_int_equal(judge_took(f->j, &f->sn, 0, 0, took, sizeof(took)), 1);
	assert_string_equal(took, "an empty permit");
	done(f);
}

static void
a_worker_killed_before_its_sem_wait_took_nothing(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);
	char took[64];

	(void)state;
	f->sn.w[0].alive = 0;
	f->sn.w[0].status = SIGKILL;
	f->sn.w[0].state = WS_RUNNING;
	f->sn.w[0].step = 1;    /* empty 4: it had not */
	look(f, NULL);
	assert_int_equal(judge_took(f->j, &f->sn, 0, 0, took, sizeof(took)), 0);
	done(f);
}

static void
a_torn_read_of_the_counters_is_no_violation(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	f->sn.w[0].state = f->sn.w[1].state = WS_RUNNING;
	f->sn.w[0].run = f->sn.w[1].run = RUN_FREE;
	/* the producers' counter moved from 10 to 12 while count was read:
	 * count 2 is more than 10 - 10 + 1, but the producers may have made
	 * both changes before count was read */
	f->sn.changes[0] = 10;
	f->sn.changes_after[0] = 12;
	f->sn.changes[1] = f->sn.changes_after[1] = 10;
	f->sn.count = 2;
	look(f, NULL);
	assert_false(judge_violated(f->j, INV_COUNT));
	assert_int_equal(judge_fresh(f->j), 0);
	done(f);
}

static void
a_step_taken_while_the_snapshot_was_read_proves_nothing(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* everyone says paused, but an attempt was made while the snapshot
	 * was read: head says one item, count and the semaphores none */
	f->sn.attempts = 5;
	f->sn.attempts_after = 6;
	f->sn.head = 1;
	f->sn.fill = 1;
	look(f, NULL);
	look(f, NULL);
	assert_false(judge_quiescent(f->j));
	for (int i = 0; i < INV_COUNT_ALL; i++)
		assert_false(judge_violated(f->j, (enum inv)i));
	done(f);
}

static void
fill_apart_from_count_at_a_quiet_moment_is_proven(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* an item in the ring that count and the semaphores know nothing of */
	f->sn.head = 1;
	f->sn.fill = 1;
	look(f, NULL);
	look(f, NULL);
	assert_true(judge_quiescent(f->j));
	assert_true(judge_violated(f->j, INV_FILL));
	assert_false(judge_violated(f->j, INV_COUNT));
	assert_int_equal(judge_mark(f->j, &f->sn, INV_FILL), MARK_BROKEN);
	assert_true(judge_detail(f->j, INV_FILL)[0] != '\0');
	done(f);
}

static void
permits_that_do_not_add_up_at_a_quiet_moment_are_proven(void **state)
{
	struct fixture *f = fixture(SYNC_SEED);

	(void)state;
	/* four slots, nobody holds a permit: empty 4 + full 1 is one too many */
	f->sn.sem_full = 1;
	look(f, NULL);
	look(f, NULL);
	assert_true(judge_quiescent(f->j));
	assert_true(judge_violated(f->j, INV_PERMITS));
	assert_int_equal(judge_mark(f->j, &f->sn, INV_PERMITS), MARK_BROKEN);
	assert_true(judge_detail(f->j, INV_PERMITS)[0] != '\0');
	done(f);
}

/* Condition variables: two looks 150 ms apart, as for any deadlock. */
static void
look_twice(struct fixture *f)
{
	look(f, NULL);
	f->sn.t += 150 * MS;
	look(f, NULL);
}

/* two-cvs-while, one slot: P1 waits on empty with the ring full, C1 on
 * fill; each let m go at its gate (stepped). */
static void
asleep(struct fixture *f)
{
	struct snap_worker *p = &f->sn.w[0], *c = &f->sn.w[1];

	f->sn.capacity = 1;
	f->sn.count = f->sn.fill = 1;
	f->sn.changes[0] = f->sn.changes_after[0] = 1;
	f->sn.m_free = 1;
	p->step = c->step = 3;          /* pthread_cond_wait(&..., &m); */
	p->cv_phase = c->cv_phase = CVP_WAITING;
	p->blocked_on = p->cv_on = SEM_CV_EMPTY;
	c->blocked_on = c->cv_on = SEM_CV_FILL;
}

static void
everyone_waiting_on_condition_variables_is_all_asleep(void **state)
{
	struct fixture *f = fixture(SYNC_TWO_CVS_WHILE);

	(void)state;
	asleep(f);
	look_twice(f);
	assert_int_equal(judge_stuck(f->j), STUCK_DEADLOCK);
	assert_true(judge_asleep(f->j));
	assert_string_equal(judge_stuck_text(f->j),
	    "P1 waits on empty, C1 waits on fill; nobody left to signal");
	/* no semaphores to judge, m and the condition variables instead */
	assert_int_equal(judge_mark(f->j, &f->sn, INV_PERMITS), MARK_NA);
	done(f);
}

static void
a_woken_waiter_with_m_free_is_not_stuck(void **state)
{
	struct fixture *f = fixture(SYNC_TWO_CVS_WHILE);

	(void)state;
	asleep(f);
	f->sn.w[1].cv_phase = CVP_WOKEN;    /* signalled: it takes m next */
	f->sn.w[1].blocked_on = SEM_M;
	look_twice(f);
	assert_int_equal(judge_stuck(f->j), STUCK_NO);
	assert_false(judge_asleep(f->j));
	assert_false(judge_blocked(&f->sn, 1));
	/* m held instead: it can never take it again */
	f->sn.m_free = 0;
	look_twice(f);
	assert_int_equal(judge_stuck(f->j), STUCK_DEADLOCK);
	assert_false(judge_asleep(f->j));
	assert_string_equal(judge_stuck_text(f->j),
	    "P1 waits on empty; C1 waits on m");
	done(f);
}

static void
a_lock_of_m_held_by_the_dead_hangs(void **state)
{
	struct fixture *f = fixture(SYNC_TWO_CVS_WHILE);
	struct snap_worker *p = &f->sn.w[0], *c = &f->sn.w[1];

	(void)state;
	/* P1 killed at its gate past head = ..., m still locked by it */
	p->alive = 0;
	p->status = SIGKILL;
	p->step = 6;                    /* count++; */
	f->sn.head = 1;
	f->sn.fill = 1;
	f->sn.m_free = 0;
	c->state = WS_BLOCKED;          /* in pthread_mutex_lock, asleep */
	c->kstate = 'S';
	c->step = 1;
	c->blocked_on = SEM_M;
	look_twice(f);
	assert_int_equal(judge_stuck(f->j), STUCK_HANG);
	assert_string_equal(judge_stuck_text(f->j), "C1 waits on m");
	/* the count the dead one never changed is allowed for */
	assert_false(judge_violated(f->j, INV_FILL));
	done(f);
}

static void
a_robust_repair_takes_the_dead_owners_change_on_itself(void **state)
{
	struct fixture *f = fixture(SYNC_ROBUST);
	struct snap_worker *p = &f->sn.w[0], *c = &f->sn.w[1];

	(void)state;
	/* P1 made one item, C1 took its permit; P1 died holding m in its
	 * second, past head = ..., before count++: fill 2, count 1 */
	p->alive = 0;
	p->status = SIGKILL;
	p->step = 7;                    /* count++; */
	f->sn.head = 2;
	f->sn.fill = 2;
	f->sn.count = 1;
	f->sn.changes[0] = f->sn.changes_after[0] = 1;
	f->sn.sem_empty = 2;            /* P1 holds the other */
	f->sn.sem_full = 0;             /* C1 holds it */
	f->sn.m_free = 1;               /* robust: the owner's death freed it */
	c->step = 2;                    /* at its lock */
	look(f, NULL);
	assert_true(judge_checked(f->j));
	assert_false(judge_violated(f->j, INV_FILL));
	assert_false(judge_violated(f->j, INV_COUNT));
	assert_false(judge_violated(f->j, INV_PERMITS));
	/* C1 took m with EOWNERDEAD and set count from the indices: the
	 * change is its repair's now, and P1 holds none */
	c->step = 4;                    /* pthread_mutex_consistent(&m); */
	c->owner_dead = 1;
	c->repaired = 1;
	f->sn.count = 2;
	f->sn.changes[0] = f->sn.changes_after[0] = 2;
	f->sn.t += 10 * MS;
	/* a repair for some other dead owner would not cover P1's change */
	c->repaired_for = 0;
	look(f, NULL);
	assert_true(judge_violated(f->j, INV_FILL));
	judge_free(f->j);
	f->j = judge_new();
	assert_non_null(f->j);
	c->repaired_for = 1u << 0;      /* the repair was for P1 */
	look(f, NULL);
	assert_true(judge_checked(f->j));
	assert_false(judge_violated(f->j, INV_FILL));
	assert_false(judge_violated(f->j, INV_COUNT));
	assert_false(judge_violated(f->j, INV_PERMITS));
	done(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_quiet_moment_that_adds_up_holds),
		cmocka_unit_test(a_moving_ring_is_not_known),
		cmocka_unit_test(
		    a_lost_update_at_a_quiet_moment_is_proven_by_the_step_named),
		cmocka_unit_test(a_store_that_saw_its_erase_proves_it_while_running),
		cmocka_unit_test(
		    count_outside_the_live_bounds_is_proven_while_running),
		cmocka_unit_test(a_torn_read_of_the_counters_is_no_violation),
		cmocka_unit_test(
		    a_step_taken_while_the_snapshot_was_read_proves_nothing),
		cmocka_unit_test(fill_apart_from_count_at_a_quiet_moment_is_proven),
		cmocka_unit_test(
		    permits_that_do_not_add_up_at_a_quiet_moment_are_proven),
		cmocka_unit_test(a_permit_held_is_counted_and_named),
		cmocka_unit_test(no_semaphores_no_permits_to_judge),
		cmocka_unit_test(
		    a_deadlock_needs_two_looks_100_ms_apart_with_no_step_between),
		cmocka_unit_test(a_semaphore_above_0_is_no_deadlock),
		cmocka_unit_test(waiters_after_a_death_hang),
		cmocka_unit_test(consumers_spinning_beside_an_item_left_hang),
		cmocka_unit_test(consumers_spinning_with_nothing_left_drained_it),
		cmocka_unit_test(a_spinner_with_a_live_other_side_is_not_stuck),
		cmocka_unit_test(the_semaphores_say_what_a_killed_worker_took),
		cmocka_unit_test(a_worker_killed_before_its_sem_wait_took_nothing),
		cmocka_unit_test(
		    everyone_waiting_on_condition_variables_is_all_asleep),
		cmocka_unit_test(a_woken_waiter_with_m_free_is_not_stuck),
		cmocka_unit_test(a_lock_of_m_held_by_the_dead_hangs),
		cmocka_unit_test(
		    a_robust_repair_takes_the_dead_owners_change_on_itself),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
