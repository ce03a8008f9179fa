/* test_ring.c: ring arithmetic, items, and the step tables moving items */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/time.h>

#include "ctl.h"
#include "ring.h"
#include "worker.h"

static struct ring *
new_ring(uint32_t cap)
{
	struct ring *r = calloc(1, ring_size(cap));

	assert_non_null(r);
	assert_int_equal(ring_init(r, cap, 0), 0);
	return r;
}

static void
size_grows_by_one_slot_per_item(void **state)
{
	(void)state;
	assert_int_equal(ring_size(2) - ring_size(1), sizeof(uint64_t));
	assert_int_equal(ring_size(4096) - ring_size(0), 4096 * sizeof(uint64_t));
}

static void
next_wraps_at_capacity(void **state)
{
	(void)state;
	assert_int_equal(ring_next(0, 1), 0);
	assert_int_equal(ring_next(0, 2), 1);
	assert_int_equal(ring_next(1, 2), 0);
	assert_int_equal(ring_next(1022, 1024), 1023);
	assert_int_equal(ring_next(1023, 1024), 0);
	assert_int_equal(ring_next(4095, 4096), 0);
}

static void
fill_counts_slots_from_tail_to_head(void **state)
{
	(void)state;
	assert_int_equal(ring_fill(5, 2, 16, 3), 3);
	/* head wrapped past the end, tail not yet */
	assert_int_equal(ring_fill(2, 14, 16, 4), 4);
	assert_int_equal(ring_fill(0, 1023, 1024, 1), 1);
	assert_int_equal(ring_fill(1023, 0, 1024, 1023), 1023);
}

static void
fill_tells_empty_from_full_when_indices_meet(void **state)
{
	(void)state;
	assert_int_equal(ring_fill(7, 7, 16, 0), 0);
	assert_int_equal(ring_fill(7, 7, 16, 16), 16);
	assert_int_equal(ring_fill(0, 0, 1, 0), 0);
	assert_int_equal(ring_fill(0, 0, 1, 1), 1);
	assert_int_equal(ring_fill(3, 3, 4096, 4096), 4096);
}

static void
init_sets_semaphores_to_capacity_and_zero(void **state)
{
	struct ring *r = new_ring(1024);

	(void)state;
	assert_int_equal(ring_sem_value(&r->empty), 1024);
	assert_int_equal(ring_sem_value(&r->full), 0);
	assert_int_equal(ring_sem_value(&r->mutex), 1);
	assert_int_equal(r->capacity, 1024);
	assert_int_equal(atomic_load(&r->head), 0);
	assert_int_equal(atomic_load(&r->tail), 0);
	assert_int_equal(atomic_load(&r->count), 0);
	free(r);
}

static void
init_refuses_capacity_zero_and_above_4096(void **state)
{
	struct ring *r = calloc(1, ring_size(4097));

	(void)state;
	errno = 0;
	assert_int_equal(ring_init(r, 0, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ring_init(r, 4097, 0), -1);
	free(r);
}

static void
item_token_names_producer_and_sequence(void **state)
{
	(void)state;
	for (unsigned p = 0; p < CTL_MAX_PRODUCERS; p++) {
		uint64_t seqs[] = { 0, 1, 99, (UINT64_C(1) << 56) - 1 };
		for (unsigned i = 0; i < 4; i++) {
			uint64_t t = ring_item(p, seqs[i]);
			assert_int_not_equal(t, 0);
			assert_int_equal(ring_item_producer(t), p);
			assert_int_equal(ring_item_seq(t), seqs[i]);
		}
	}
}

/* Run one worker's steps until it completes an item. */
static void
one_item(struct worker *w)
{
	uint64_t before = atomic_load(&w->me->done);

	do
		assert_int_equal(worker_step(w), STEP_NEXT);
	while (w->at != 0);
	assert_int_equal(atomic_load(&w->me->done), before + 1);
}

struct pair {
	struct ring *r;
	struct ctl *c;
	struct worker p, k;
};

static void
pair_init(struct pair *x, uint32_t cap, enum sync_mode mode)
{
	x->r = new_ring(cap);
	x->c = ctl_create(1, 1, 0, mode);
	assert_non_null(x->c);
	worker_init(&x->p, x->r, x->c, 0, ROLE_PRODUCER, 0);
	worker_init(&x->k, x->r, x->c, 1, ROLE_CONSUMER, 0);
	atomic_store(&x->c->w[0].rate, 0);     /* max: no pacing */
	atomic_store(&x->c->w[1].rate, 0);
}

static void
pair_free(struct pair *x)
{
	ctl_destroy(x->c);
	free(x->r);
}

/* Every mode with semaphores moves items around a ring of two, laps on
 * end, each item arriving once and in order. */
static void
step_tables_move_items_around_a_ring_of_two(void **state)
{
	(void)state;
	for (int m = 0; m < SYNC_COUNT; m++) {
		struct pair x;

		if (!sync_has_sems((enum sync_mode)m))
			continue;
		pair_init(&x, 2, (enum sync_mode)m);
		for (int lap = 0; lap < 5; lap++) {
			one_item(&x.p);
			one_item(&x.p);
			assert_int_equal(ring_sem_value(&x.r->empty), 0);
			assert_int_equal(ring_sem_value(&x.r->full), 2);
			assert_int_equal(atomic_load(&x.r->count), 2);
			assert_int_equal(atomic_load(&x.r->head),
			    atomic_load(&x.r->tail));
			one_item(&x.k);
			one_item(&x.k);
			assert_int_equal(atomic_load(&x.r->count), 0);
		}
		assert_int_equal(atomic_load(&x.c->w[1].done), 10);
		assert_int_equal(atomic_load(&x.c->w[1].dup), 0);
		assert_int_equal(atomic_load(&x.c->w[1].ooo), 0);
		assert_int_equal(check_unseen(&x.c->check[0], 10), 0);
		pair_free(&x);
	}
}

static void
the_seed_table_is_the_tutorials_loop_with_count_split_in_three(void **state)
{
	unsigned n;
	const struct step *t = steps_table(SYNC_SEED, ROLE_PRODUCER, &n);
	static const char *const code[] = {
		"wait_for_next_deadline();", "sem_wait(&empty);",
		"slots[head] = item;", "head = (head + 1) % capacity;",
		"r = count;", "r = r + 1;", "count = r;", "sem_post(&full);",
	};

	(void)state;
	assert_int_equal(n, 8);
	for (unsigned i = 0; i < n; i++)
		assert_string_equal(t[i].code, code[i]);
}

/* The lost update, in one process: a consumer's whole item lands between
 * the producer's r = count and count = r. */
static void
interleaving_inside_count_plus_plus_loses_an_update(void **state)
{
	struct pair x;

	(void)state;
	pair_init(&x, 4, SYNC_SEED);
	one_item(&x.p);                             /* count = 1 */
	for (int i = 0; i < 6; i++)                 /* pace .. r = r + 1 */
		assert_int_equal(worker_step(&x.p), STEP_NEXT);
	assert_string_equal(x.p.steps[x.p.at].code, "count = r;");
	one_item(&x.k);                             /* count = 0 */
	assert_int_equal(worker_step(&x.p), STEP_NEXT); /* count = r = 2 */
	assert_int_equal(atomic_load(&x.r->count), 2);
	/* two items in, one out: count should be 1; the store saw it move */
	assert_int_equal(atomic_load(&x.c->w[0].overwrites), 1);
	pair_free(&x);
}

static void
holding_follows_the_table(void **state)
{
	unsigned n;
	const struct step *t = steps_table(SYNC_MUTEX, ROLE_PRODUCER, &n);
	struct holding h;

	(void)state;
	steps_holding(t, 0, &h);
	assert_false(h.permit || h.mutex || h.advanced);
	steps_holding(t, 3, &h);            /* after sem_wait(&mutex) */
	assert_true(h.permit && h.mutex && !h.advanced);
	steps_holding(t, 5, &h);            /* after the head advance */
	assert_true(h.advanced);
	steps_holding(t, 8, &h);            /* after count = r */
	assert_true(h.permit && h.mutex && !h.advanced);
	steps_holding(t, 9, &h);            /* after sem_post(&mutex) */
	assert_true(h.permit && !h.mutex);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
a_wait_that_would_block_says_on_what_it_waits(void **state)
{
	struct pair x;
	struct sigaction sa = { .sa_handler = on_alarm };
	/* repeating: a signal that comes before sem_wait sleeps is not lost */
	struct itimerval it = { .it_value = { 0, 20000 },
	    .it_interval = { 0, 20000 } }, off = { { 0, 0 }, { 0, 0 } };

	(void)state;
	pair_init(&x, 1, SYNC_SEED);
	assert_int_equal(worker_step(&x.k), STEP_NEXT);    /* pace */
	/* A stop request and a signal (as the supervisor sends) make the
	 * blocking wait give up: nothing is taken. */
	sigaction(SIGALRM, &sa, NULL);      /* no SA_RESTART */
	atomic_store(&x.c->stop, 1);
	setitimer(ITIMER_REAL, &it, NULL);
	assert_string_equal(x.k.steps[x.k.at].name, "wait full");
	assert_int_equal(worker_step(&x.k), STEP_AGAIN);
	setitimer(ITIMER_REAL, &off, NULL);
	assert_int_equal(atomic_load(&x.c->w[1].blocked_on), SEM_FULL);
	assert_int_equal(ring_sem_value(&x.r->full), 0);
	assert_int_equal(x.k.at, 1);
	pair_free(&x);
}

static void
atomic_mode_fills_slots_in_any_order_without_losing_one(void **state)
{
	struct ring *r = new_ring(2);
	struct ctl *c = ctl_create(2, 1, 0, SYNC_ATOMIC);
	struct worker p1, p2, k;

	(void)state;
	worker_init(&p1, r, c, 0, ROLE_PRODUCER, 0);
	worker_init(&p2, r, c, 1, ROLE_PRODUCER, 1);
	worker_init(&k, r, c, 2, ROLE_CONSUMER, 0);
	for (int i = 0; i < 3; i++) {           /* P1: pace, wait, claim slot 0 */
		assert_int_equal(worker_step(&p1), STEP_NEXT);
		assert_int_equal(worker_step(&p2), STEP_NEXT); /* P2: slot 1 */
	}
	one_item(&p2);                          /* P2 fills slot 1 first */
	for (int i = 0; i < 3; i++)             /* C1 claims slot 0: empty */
		assert_int_equal(worker_step(&k), STEP_NEXT);
	assert_int_equal(worker_step(&k), STEP_AGAIN);
	assert_int_equal(atomic_load(&c->w[2].spin_on), SPIN_SLOT_FULL);
	one_item(&p1);                          /* now slot 0 holds P1's item */
	one_item(&k);
	one_item(&k);
	assert_int_equal(atomic_load(&c->w[2].done), 2);
	assert_int_equal(atomic_load(&c->w[2].dup), 0);
	assert_int_equal(atomic_load(&c->w[2].empties), 0);
	assert_int_equal(check_unseen(&c->check[0], 1), 0);
	assert_int_equal(check_unseen(&c->check[1], 1), 0);
	assert_int_equal(atomic_load(&r->count), 0);
	ctl_destroy(c);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_grows_by_one_slot_per_item),
		cmocka_unit_test(next_wraps_at_capacity),
		cmocka_unit_test(fill_counts_slots_from_tail_to_head),
		cmocka_unit_test(fill_tells_empty_from_full_when_indices_meet),
		cmocka_unit_test(init_sets_semaphores_to_capacity_and_zero),
		cmocka_unit_test(init_refuses_capacity_zero_and_above_4096),
		cmocka_unit_test(item_token_names_producer_and_sequence),
		cmocka_unit_test(step_tables_move_items_around_a_ring_of_two),
		cmocka_unit_test(the_seed_table_is_the_tutorials_loop_with_count_split_in_three),
		cmocka_unit_test(interleaving_inside_count_plus_plus_loses_an_update),
		cmocka_unit_test(holding_follows_the_table),
		cmocka_unit_test(a_wait_that_would_block_says_on_what_it_waits),
		cmocka_unit_test(atomic_mode_fills_slots_in_any_order_without_losing_one),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
