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
	assert_int_equal(ring_init(r, cap), 0);
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
	assert_int_equal(ring_init(r, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ring_init(r, 4097), -1);
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

	for (unsigned i = 0; i < w->nsteps; i++)
		assert_int_equal(w->steps[i].run(w), STEP_NEXT);
	assert_int_equal(atomic_load(&w->me->done), before + 1);
}

static void
step_tables_move_items_around_a_ring_of_two(void **state)
{
	struct ring *r = new_ring(2);
	struct ctl *c = ctl_create(2, 0);
	struct worker p = { 0 }, k = { 0 };

	(void)state;
	assert_non_null(c);
	p.ring = k.ring = r;
	p.ctl = k.ctl = c;
	p.me = &c->w[0];
	k.me = &c->w[1];
	p.role = ROLE_PRODUCER;
	k.role = ROLE_CONSUMER;
	p.steps = steps_table(ROLE_PRODUCER, &p.nsteps);
	k.steps = steps_table(ROLE_CONSUMER, &k.nsteps);
	assert_int_equal(p.nsteps, 8);
	assert_string_equal(p.steps[4].code, "r = count;");

	for (int lap = 0; lap < 5; lap++) {
		one_item(&p);
		one_item(&p);
		assert_int_equal(ring_sem_value(&r->empty), 0);
		assert_int_equal(ring_sem_value(&r->full), 2);
		assert_int_equal(atomic_load(&r->count), 2);
		assert_int_equal(atomic_load(&r->head), atomic_load(&r->tail));
		one_item(&k);
		one_item(&k);
		assert_int_equal(atomic_load(&r->count), 0);
	}
	/* Ten items, in order, each seen once. */
	assert_int_equal(atomic_load(&c->w[1].done), 10);
	assert_int_equal(atomic_load(&c->w[1].dup), 0);
	assert_int_equal(atomic_load(&c->w[1].ooo), 0);
	assert_int_equal(check_unseen(&c->check[0], 10), 0);
	ctl_destroy(c);
	free(r);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
a_wait_that_would_block_says_on_what_it_waits(void **state)
{
	struct ring *r = new_ring(1);
	struct ctl *c = ctl_create(2, 0);
	struct worker k = { 0 };

	(void)state;
	k.ring = r;
	k.ctl = c;
	k.me = &c->w[1];
	k.role = ROLE_CONSUMER;
	k.steps = steps_table(ROLE_CONSUMER, &k.nsteps);
	/* A stop request and a signal (as the supervisor sends) make the
	 * blocking wait give up: nothing is taken. */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 20000 } };
	sigaction(SIGALRM, &sa, NULL);      /* no SA_RESTART */
	atomic_store(&c->stop, 1);
	setitimer(ITIMER_REAL, &it, NULL);
	assert_string_equal(k.steps[1].name, "wait full");
	assert_int_equal(k.steps[1].run(&k), STEP_AGAIN);
	assert_int_equal(atomic_load(&c->w[1].blocked_on), SEM_FULL);
	assert_int_equal(ring_sem_value(&r->full), 0);
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
		cmocka_unit_test(a_wait_that_would_block_says_on_what_it_waits),
	};

	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
