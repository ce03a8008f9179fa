/* sig.c: signals as flags, delivered only where the main loop waits */
#include "sig.h"

#include <string.h>
#include <unistd.h>
#include <poll.h>

#include "pace.h"

volatile sig_atomic_t sig_quit, sig_chld, sig_winch, sig_tstp, sig_cont;

static sigset_t sig_waitmask;   /* the mask while waiting: ours unblocked */
static sigset_t sig_blocked;    /* the mask elsewhere: ours blocked */

static void
sig_on(int sig)
{
	switch (sig) {
	case SIGCHLD:
		sig_chld = 1;
		break;
	case SIGWINCH:
		sig_winch = 1;
		break;
	case SIGTSTP:
		sig_tstp = 1;
		break;
	case SIGCONT:
		sig_cont = 1;
		break;
	default:
		sig_quit = sig;
		break;
	}
}

void
sig_init(int tty)
{
	static const int quiet[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
	static const int ttysigs[] = { SIGWINCH, SIGTSTP, SIGCONT };
	struct sigaction sa;
	sigset_t ours;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = sig_on;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&ours);
	for (unsigned i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		sigaction(quiet[i], &sa, NULL);
		sigaddset(&ours, quiet[i]);
	}
	for (unsigned i = 0; tty && i < sizeof(ttysigs) / sizeof(ttysigs[0]); i++) {
		sigaction(ttysigs[i], &sa, NULL);
		sigaddset(&ours, ttysigs[i]);
	}
	sigprocmask(SIG_BLOCK, &ours, &sig_waitmask);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&ours, s))
			sigdelset(&sig_waitmask, s);
}

int
sig_wait(int fd, int64_t timeout_ns)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts;
	int n;

	if (timeout_ns < 0)
		timeout_ns = 0;
	ts.tv_sec = timeout_ns / PACE_NS_PER_S;
	ts.tv_nsec = timeout_ns % PACE_NS_PER_S;
	n = ppoll(&pfd, fd >= 0 ? 1 : 0, &ts, &sig_waitmask);
	if (n <= 0)
		return 0;
	/* ppoll that returns ready restores the mask without delivering
	 * what is pending: open it for a moment, or a terminal that is
	 * always readable (a held key, a hangup) would starve the signals. */
	sigprocmask(SIG_SETMASK, &sig_waitmask, &sig_blocked);
	sigprocmask(SIG_SETMASK, &sig_blocked, NULL);
	if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1;
	return 1;
}

/* What the crash handler needs, set from the main loop: the one place
 * where a handler does more than set a flag, since after a crash there is
 * no main loop to act on one. */
#define CRASH_MAX_WORKERS 64
static void (*crash_restore)(void);
static volatile sig_atomic_t crash_n;
static volatile pid_t crash_pids[CRASH_MAX_WORKERS];

static void
sig_on_crash(int sig)
{
	for (sig_atomic_t i = 0; i < crash_n; i++)
		if (crash_pids[i] > 0)
			kill(crash_pids[i], SIGKILL);
	if (crash_restore != NULL)
		crash_restore();
	/* SA_RESETHAND put the default back: pending until this returns,
	 * then it ends the process (a real fault also recurs). */
	raise(sig);
}

void
sig_crash_init(void (*restore)(void))
{
	static const int crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	crash_restore = restore;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigfillset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++)
		sigaction(crashes[i], &sa, NULL);
}

void
sig_crash_workers(const pid_t *pids, unsigned n)
{
	crash_n = 0;
	for (unsigned i = 0; i < n && i < CRASH_MAX_WORKERS; i++)
		crash_pids[i] = pids[i];
	crash_n = (sig_atomic_t)(n < CRASH_MAX_WORKERS ? n : CRASH_MAX_WORKERS);
}

void
sig_suspend_self(void)
{
	struct sigaction sa, old;
	sigset_t tstp;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	raise(SIGTSTP);         /* pending: the default action needs it unblocked */
	/* raise() returns here: SIGTSTP is blocked, so it is only pending. */
	// cppcheck-suppress unreachableCode
	sigprocmask(SIG_UNBLOCK, &tstp, NULL);
	/* Stopped here until SIGCONT. */
	sigprocmask(SIG_BLOCK, &tstp, NULL);
	sigaction(SIGTSTP, &old, NULL);
}

void
sig_reraise(int sig)
{
	struct sigaction sa;
	sigset_t one;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	/* Not a core dump for ^\: the terminal is already restored. */
	if (sig == SIGQUIT)
		_exit(128 + sig);
	raise(sig);
	/* raise() returns here: the signal is blocked, so it is only pending
	 * until this unblocks it, and then ends the process. */
	// cppcheck-suppress unreachableCode
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	_exit(128 + sig);
}
