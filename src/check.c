/* check.c: the consumers' record of which items arrived */
#include "check.h"

/* Settle the 64 oldest numbers: whoever moves base counts their misses. */
static void
check_settle(struct check *c, uint64_t base)
{
	uint64_t seen;

	if (!atomic_compare_exchange_strong(&c->base, &base, base + 64))
		return;
	seen = atomic_exchange(&c->bits[(base / 64) % CHECK_WORDS], 0);
	atomic_fetch_add(&c->lost, 64 - (uint64_t)__builtin_popcountll(seen));
}

enum check_result
check_item(struct check *c, uint64_t seq)
{
	uint64_t base, bit, old;

	/* Keep base half a window behind the newest arrival, so the words being
	 * settled are never the ones current items are marked in. */
	while (seq >= (base = atomic_load(&c->base)) + CHECK_WINDOW / 2)
		check_settle(c, base);
	if (seq < base)
		return CHECK_DUP;
	bit = UINT64_C(1) << (seq % 64);
	old = atomic_fetch_or(&c->bits[(seq / 64) % CHECK_WORDS], bit);
	return (old & bit) ? CHECK_DUP : CHECK_NEW;
}

int
check_seen(const struct check *c, uint64_t seq)
{
	uint64_t w = atomic_load_explicit(&c->bits[(seq / 64) % CHECK_WORDS],
	    memory_order_relaxed);

	return (w >> (seq % 64)) & 1;
}

uint64_t
check_unseen(const struct check *c, uint64_t produced)
{
	uint64_t base = atomic_load(&c->base);
	uint64_t n = atomic_load(&c->lost);

	for (uint64_t s = base; s < produced; s++) {
		if (s % 64 == 0 && s + 64 <= produced) {
			uint64_t w = atomic_load_explicit(
			    &c->bits[(s / 64) % CHECK_WORDS], memory_order_relaxed);
			n += 64 - (uint64_t)__builtin_popcountll(w);
			s += 63;
		} else if (!check_seen(c, s)) {
			n++;
		}
	}
	return n;
}
