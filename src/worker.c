/* worker.c: a forked producer or consumer walking its table of steps */
#include "worker.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

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

/* Pass the gate before a step: at once if free, else by permit. */
static int
worker_gate(struct worker *w, uint32_t step, uint64_t steps)
{
	struct wctl *me = w->me;

	for (;;) {
		if (worker_leaving(w, step))
			return -1;
		if (atomic_load(&me->run) == RUN_FREE ||
		    steps < atomic_load(&me->permit))
			break;
		atomic_store(&me->state, WS_PAUSED);
		w->resync = 1;
		while (sem_wait(&me->gate) == -1 && errno == EINTR &&
		    !atomic_load(&w->ctl->stop))
			;
	}
	if (atomic_load_explicit(&me->state, memory_order_relaxed) != WS_RUNNING)
		atomic_store(&me->state, WS_RUNNING);
	return 0;
}

int
worker_run(struct worker *w)
{
	struct wctl *me = w->me;
	uint64_t steps = 0;
	uint32_t i = 0;

	w->resync = 1;
	for (;;) {
		atomic_store_explicit(&me->step, i, memory_order_relaxed);
		if (worker_gate(w, i, steps) == -1)
			return 0;
		switch (w->steps[i].run(w)) {
		case STEP_NEXT:
			w->interrupted = 0;
			atomic_store_explicit(&me->steps, ++steps, memory_order_release);
			i = (i + 1) % w->nsteps;
			break;
		case STEP_AGAIN:
			break;
		case STEP_FINISH:
			return 0;
		case STEP_FAIL:
			return 1;
		}
	}
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

	memset(&w, 0, sizeof(w));
	w.ring = ring;
	w.ctl = ctl;
	w.me = &ctl->w[slot];
	w.role = role;
	w.index = index;
	w.steps = steps_table(role, &w.nsteps);
	atomic_store(&w.me->pid, (int32_t)getpid());

	status = worker_run(&w);
	atomic_store(&w.me->state, WS_DONE);
	_exit(status);
}
