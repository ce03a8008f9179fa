/* sig.h: signals as flags, delivered only where the main loop waits */
#ifndef SHMVIZ_SIG_H
#define SHMVIZ_SIG_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

extern volatile sig_atomic_t sig_quit;  /* SIGINT, SIGTERM, SIGHUP, SIGQUIT: its number */
extern volatile sig_atomic_t sig_chld;  /* a worker changed state */
extern volatile sig_atomic_t sig_winch; /* the terminal was resized */
extern volatile sig_atomic_t sig_tstp;  /* ^Z: suspend */
extern volatile sig_atomic_t sig_cont;  /* resumed after a stop */

/*
 * Install the handlers and block their signals, so they arrive only inside
 * sig_wait.  `tty` also takes over SIGTSTP, SIGCONT and SIGWINCH.
 */
void sig_init(int tty);

/*
 * Wait until fd (if >= 0) is readable, a signal arrives, or timeout_ns
 * passes.  Returns 1 when fd is readable, -1 when it hung up, else 0.
 */
int sig_wait(int fd, int64_t timeout_ns);

/* Let a pending ^Z take its default effect: stop this process. */
void sig_suspend_self(void);

/*
 * A crash of shmviz itself (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT):
 * `restore` (async-signal-safe, or NULL) puts the terminal back, the
 * workers last named are killed, and shmviz dies by the signal.
 */
void sig_crash_init(void (*restore)(void));
void sig_crash_workers(const pid_t *pids, unsigned n);

/* After cleaning up, end as the signal would have: the caller sees it. */
void sig_reraise(int sig) __attribute__((noreturn));

#endif
