/* session.c: one ring, its workers, and their lifecycle */
#include "session.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pace.h"
#include "seg.h"
#include "sync.h"
#include "worker.h"

/* How long stopped workers get before SIGKILL. */
#define STOP_GRACE_NS (2 * PACE_NS_PER_S)

static int
session_fork(struct session *s, struct ring *rw, enum role role,
    unsigned index)
{
	unsigned slot = s->nprocs;
	struct proc *p = &s->procs[slot];
	pid_t parent = getpid(), pid;

	fflush(NULL);   /* the child must not write out the parent's buffers */
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		/* One started later (rw NULL) keeps nothing the supervisor has
		 * opened since the first were forked, the viewers' page among
		 * them, and attaches the ring itself: the supervisor holds it
		 * read-only, and Linux lets a segment marked for removal be
		 * attached by its id while it lives. */
		if (rw == NULL) {
			close_range(3, ~0u, 0);
			if ((rw = seg_attach(s->shmid, 0)) == NULL)
				_exit(1);
		}
		worker_main(rw, s->ring, s->ctl, slot, role, index, parent);
	}
	setpgid(pid, pid);  /* as the child does: whichever runs first */
	p->pid = pid;
	p->role = role;
	p->index = index;
	p->alive = 1;
	p->status = 0;
	s->nprocs++;
	return 0;
}

int
session_start(struct session *s, const struct opts *o, char *err,
    size_t errlen)
{
	struct ring *rw = NULL;
	const char *what;

	memset(s, 0, sizeof(*s));
	s->opts = *o;
	s->shmid = -1;
	s->size = ring_size(o->capacity);
	what = "mmap";
	if ((s->ctl = ctl_create(o->producers, o->consumers, o->items,
	    o->sync)) == NULL)
		goto fail;
	what = "shmget";
	if ((s->shmid = seg_create(s->size)) == -1)
		goto fail;
	what = "shmat";
	if ((rw = seg_attach(s->shmid, 0)) == NULL ||
	    (s->ring = seg_attach(s->shmid, 1)) == NULL)
		goto fail;
	/* Marked for removal at once: the attachments keep it alive, the
	 * children inherit them, and it vanishes with the last one, however
	 * the processes end. */
	what = "shmctl";
	if (seg_remove(s->shmid) == -1)
		goto fail;
	what = "sem_init";
	if (ring_init(rw, o->capacity, sync_ring_flags(o->sync)) == -1)
		goto fail;
	/* Armed before any worker runs: a free run erases its first update
	 * within microseconds. */
	atomic_store(&s->ctl->freeze, (uint32_t)(o->freeze != 0));
	/* A schedule starts with everything paused: only it moves anyone. */
	s->paused[ROLE_PRODUCER] = s->paused[ROLE_CONSUMER] =
	    o->schedule != NULL || o->random || o->start_paused;
	what = "fork";
	for (unsigned i = 0; i < o->producers + o->consumers; i++) {
		enum role role = i < o->producers ? ROLE_PRODUCER : ROLE_CONSUMER;

		atomic_store(&s->ctl->w[i].rate, role == ROLE_PRODUCER ?
		    o->prod_rate : o->cons_rate);
		atomic_store(&s->ctl->w[i].run, s->paused[role] ? RUN_PAUSED :
		    RUN_FREE);
		if (session_fork(s, rw, role, role == ROLE_PRODUCER ? i :
		    i - o->producers) == -1)
			goto fail;
	}
	seg_detach(rw);
	s->start_ns = pace_now();
	return 0;

fail:
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	if (s->nprocs > 0)
		session_stop(s);
	if (rw != NULL)
		seg_detach(rw);
	if (s->shmid != -1)
		seg_remove(s->shmid);   /* again, if the first mark failed */
	session_end(s);
	return -1;
}

int
session_add_producer(struct session *s, char *err, size_t errlen)
{
	unsigned index;
	int slot;

	if (s->ctl == NULL || (slot = ctl_add_producer(s->ctl, &index)) == -1) {
		snprintf(err, errlen, "there are already %u producers, the most a "
		    "ring takes", CTL_MAX_PRODUCERS);
		return -1;
	}
	atomic_store(&s->ctl->w[slot].rate, session_rate(s, ROLE_PRODUCER));
	atomic_store(&s->ctl->w[slot].run, s->paused[ROLE_PRODUCER] ?
	    RUN_PAUSED : RUN_FREE);
	s->ctl->w[slot].tutorial_start = 1;
	if (session_fork(s, NULL, ROLE_PRODUCER, index) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		/* nobody else writes them: the slot is given back */
		atomic_store(&s->ctl->nworkers, (uint32_t)slot);
		atomic_store(&s->ctl->nprod, index);
		return -1;
	}
	return slot;
}

unsigned
session_count(const struct session *s, enum role role)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->nprocs; i++)
		n += s->procs[i].role == role;
	return n;
}

int
session_reap(struct session *s,
    void (*on_exit)(const struct proc *p, void *arg), void *arg)
{
	int n = 0;

	for (unsigned i = 0; i < s->nprocs; i++) {
		struct proc *p = &s->procs[i];
		int status;

		if (!p->alive || waitpid(p->pid, &status, WNOHANG) != p->pid)
			continue;
		p->alive = 0;
		p->status = status;
		atomic_store(&s->ctl->w[i].gone, 1);
		n++;
		if (on_exit != NULL)
			on_exit(p, arg);
	}
	return n;
}

unsigned
session_live(const struct session *s, int role)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].alive && (role < 0 || (int)s->procs[i].role == role))
			n++;
	return n;
}

/* Wait up to `ns` for a child to change state. */
static void
session_wait_child(int64_t ns)
{
	struct timespec ts = { ns / PACE_NS_PER_S, ns % PACE_NS_PER_S };
	sigset_t chld, old;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	/* A SIGCHLD taken here is not lost to the caller: the caller reaps
	 * through session_reap, and session_stop reaps every worker itself. */
	sigtimedwait(&chld, NULL, &ts);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
session_stop(struct session *s)
{
	int64_t deadline = pace_now() + STOP_GRACE_NS;

	if (s->ctl == NULL)
		return;
	ctl_stop(s->ctl);
	session_reap(s, NULL, NULL);
	while (session_live(s, -1) > 0) {
		int late = pace_now() > deadline;

		for (unsigned i = 0; i < s->nprocs; i++)
			if (s->procs[i].alive)
				/* SIGUSR1 cuts a blocking sem_wait short. */
				kill(s->procs[i].pid, late ? SIGKILL : SIGUSR1);
		session_wait_child(10 * INT64_C(1000000));
		session_reap(s, NULL, NULL);
	}
	if (s->end_ns == 0)
		s->end_ns = pace_now();
}

void
session_end(struct session *s)
{
	if (s->ring != NULL)
		seg_detach(s->ring);
	s->ring = NULL;
	ctl_destroy(s->ctl);
	s->ctl = NULL;
}

void
session_set_rate(struct session *s, enum role role, uint64_t rate)
{
	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].role == role)
			ctl_set_rate(s->ctl, i, rate);
}

uint64_t
session_rate(const struct session *s, enum role role)
{
	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].role == role)
			return atomic_load(&s->ctl->w[i].rate);
	return PACE_MAX;
}

void
session_pause(struct session *s, enum role role, int paused)
{
	s->paused[role] = paused;
	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].role == role)
			ctl_set_run(s->ctl, i, paused ? RUN_PAUSED : RUN_FREE);
}

const char *
session_name(const struct proc *p, char *buf, size_t len)
{
	return ctl_name(p->role, p->index, buf, len);
}

const char *
session_how(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(WTERMSIG(status)));
	else
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	return buf;
}
