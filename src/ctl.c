/* ctl.c: the control channel between the supervisor and its workers */
#include "ctl.h"

#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

struct ctl *
ctl_create(uint32_t nworkers, uint64_t items)
{
	struct ctl *c;
	uint32_t i;

	if (nworkers > CTL_MAX_WORKERS) {
		errno = EINVAL;
		return NULL;
	}
	c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	/* The mapping arrives zeroed: only what is not zero needs setting. */
	c->nworkers = nworkers;
	c->items = items;
	for (i = 0; i < nworkers; i++) {
		if (sem_init(&c->w[i].gate, 1, 0) == -1 ||
		    sem_init(&c->w[i].wake, 1, 0) == -1) {
			int e = errno;
			munmap(c, sizeof(*c));
			errno = e;
			return NULL;
		}
	}
	for (i = 0; i < CTL_MAX_PRODUCERS; i++)
		check_init(&c->check[i]);
	return c;
}

void
ctl_destroy(struct ctl *c)
{
	if (c != NULL)
		munmap(c, sizeof(*c));
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
	/* A paused worker stops at its next gate; the permit is what it has. */
	atomic_store(&c->w[w].permit, atomic_load(&c->w[w].steps));
	atomic_store(&c->w[w].run, run);
	sem_post(&c->w[w].gate);
	sem_post(&c->w[w].wake);
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
ctl_sem_name(enum wsem s)
{
	switch (s) {
	case SEM_EMPTY:
		return "empty";
	case SEM_FULL:
		return "full";
	case SEM_MUTEX:
		return "mutex";
	default:
		return "?";
	}
}
