/* check.h: the consumers' record of which items arrived */
#ifndef SHMVIZ_CHECK_H
#define SHMVIZ_CHECK_H

#include <stdatomic.h>
#include <stdint.h>

/*
 * One record per producer, in shared memory, written by every consumer with
 * lock-free atomic operations, so that checking never adds synchronisation
 * between the workers that the lesson does not have.
 *
 * A bit per sequence number marks it seen.  The bits cover a window that
 * slides forward: when an item arrives half a window past `base`, the oldest
 * numbers are settled, and those never seen are counted in `lost`.  An item
 * would have to arrive more than CHECK_WINDOW / 2 numbers late to be
 * misjudged; a ring holds at most RING_MAX_CAPACITY items.
 */
#define CHECK_WINDOW (UINT64_C(1) << 20)
#define CHECK_WORDS (CHECK_WINDOW / 64)

struct check {
	_Atomic uint64_t base;              /* numbers below base are settled */
	_Atomic uint64_t lost;              /* settled numbers that were never seen */
	_Atomic uint64_t bits[CHECK_WORDS]; /* seen marks, indexed by seq mod window */
};

enum check_result {
	CHECK_NEW,      /* first arrival */
	CHECK_DUP,      /* this number was seen before */
};

/* Zeroed memory is a fresh record: nothing seen, base 0. */
/* Mark `seq` seen; says whether it had been seen before. */
enum check_result check_item(struct check *c, uint64_t seq);

/* Whether `seq` (at or above base) has been seen. */
int check_seen(const struct check *c, uint64_t seq);

/* Numbers below `produced` never seen: settled ones and those in the window. */
uint64_t check_unseen(const struct check *c, uint64_t produced);

#endif
