/* ctl.c: the control channel between the supervisor and its workers */
#include "ctl.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>

/* Room for the most producers, so that one can be added: the pages of
 * checks nobody uses are never touched, and cost nothing. */
static size_t
ctl_size(void)
{
	return sizeof(struct ctl) + CTL_MAX_PRODUCERS * sizeof(struct check);
}

struct ctl *
ctl_create(uint32_t nprod, uint32_t ncons, uint64_t items, uint32_t sync)
{
	struct ctl *c;

	if (nprod > CTL_MAX_PRODUCERS || ncons > CTL_MAX_CONSUMERS) {
		errno = EINVAL;
		return NULL;
	}
	c = mmap(NULL, ctl_size(), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	/* The mapping arrives zeroed, which is what the checks and most
	 * fields start as: only the rest is set, and untouched pages of the
	 * check bitmaps cost nothing until items arrive. */
	c->nworkers = nprod + ncons;
	c->nprod = nprod;
	c->items = items;
	c->sync = sync;
	for (uint32_t i = 0; i < CTL_MAX_WORKERS; i++) {
		c->w[i].role = i < nprod ? ROLE_PRODUCER : ROLE_CONSUMER;
		if (sem_init(&c->w[i].gate, 1, 0) == -1 ||
		    sem_init(&c->w[i].wake, 1, 0) == -1 ||
		    sem_init(&c->w[i].ack, 1, 0) == -1) {
			int e = errno;
			munmap(c, ctl_size());
			errno = e;
			return NULL;
		}
	}
	return c;
}

void
ctl_destroy(struct ctl *c)
{
	if (c != NULL)
		munmap(c, ctl_size());
}

int64_t
ctl_moved(const struct ctl *c)
{
	int64_t moved = 0;

	for (unsigned k = 0; k < atomic_load(&c->nworkers); k++)
		moved += (ctl_role(c, k) == ROLE_PRODUCER ? 1 : -1) *
		    (int64_t)atomic_load(&c->w[k].moved);
	return moved;
}

int
ctl_add_producer(struct ctl *c, unsigned *index)
{
	uint32_t slot = atomic_load(&c->nworkers);

	if (atomic_load(&c->nprod) >= CTL_MAX_PRODUCERS ||
	    slot >= CTL_MAX_WORKERS) {
		errno = EBUSY;
		return -1;
	}
	c->w[slot].role = ROLE_PRODUCER;
	*index = atomic_load(&c->nprod);
	/* The producer count first: a consumer that reads the new producer's
	 * first item must know its number. */
	atomic_store(&c->nprod, *index + 1);
	atomic_store(&c->nworkers, slot + 1);
	return (int)slot;
}

void
ctl_set_rate(struct ctl *c, unsigned w, uint64_t rate)
{
	atomic_store(&c->w[w].rate, rate);
	sem_post(&c->w[w].wake);
}

void
ctl_set_run(struct ctl *c, unsigned w, enum run run)
{
	/* A worker being paused stops at its next gate: the permit is what it
	 * has tried.  One paused already keeps its permit, and so a step it
	 * was just let through. */
	if (atomic_load(&c->w[w].run) != RUN_PAUSED)
		atomic_store(&c->w[w].permit, atomic_load(&c->w[w].attempts));
	atomic_store(&c->w[w].run, run);
	sem_post(&c->w[w].gate);
	sem_post(&c->w[w].wake);
}

void
ctl_clear_checks(struct ctl *c, uint64_t items)
{
	uint64_t words = (items + 63) / 64;

	if (words > CHECK_WORDS)
		words = CHECK_WORDS;
	for (uint32_t p = 0; p < c->nprod; p++) {
		atomic_store(&c->check[p].base, 0);
		atomic_store(&c->check[p].lost, 0);
		for (uint64_t k = 0; k < words; k++)
			atomic_store(&c->check[p].bits[k], 0);
	}
}

void
ctl_step(struct ctl *c, unsigned w)
{
	atomic_store(&c->w[w].permit, atomic_load(&c->w[w].attempts) + 1);
	sem_post(&c->w[w].gate);
}

void
ctl_halt(struct ctl *c, unsigned w)
{
	atomic_store(&c->w[w].run, RUN_PAUSED);
	atomic_store(&c->w[w].permit, atomic_load(&c->w[w].attempts));
	sem_post(&c->w[w].gate);
	sem_post(&c->w[w].wake);
}

void
ctl_wake(struct ctl *c, unsigned w)
{
	sem_post(&c->w[w].gate);
}

void
ctl_stop(struct ctl *c)
{
	atomic_store(&c->stop, 1);
	for (uint32_t i = 0; i < c->nworkers; i++) {
		sem_post(&c->w[i].gate);
		sem_post(&c->w[i].wake);
	}
}

const char *
ctl_name(enum role role, unsigned index, char *buf, size_t len)
{
	snprintf(buf, len, "%c%u", role == ROLE_PRODUCER ? 'P' : 'C', index + 1);
	return buf;
}

const char *
ctl_sem_name(enum wsem s)
{
	switch (s) {
	case SEM_EMPTY:
		return "empty";
	case SEM_FULL:
		return "full";
	case SEM_MUTEX:
		return "mutex";
	case SEM_M:
		return "m";
	case SEM_CV_EMPTY:
		return "empty";
	case SEM_CV_FILL:
		return "fill";
	case SEM_CV:
		return "cv";
	default:
		return "?";
	}
}

const char *
ctl_spin_name(enum wspin s)
{
	switch (s) {
	case SPIN_ROOM:
		return "count == capacity";
	case SPIN_ITEM:
		return "count == 0";
	case SPIN_SLOT_FREE:
		return "its slot still holds an item";
	case SPIN_SLOT_FULL:
		return "its slot holds no item yet";
	default:
		return "?";
	}
}
