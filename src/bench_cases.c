/* bench_cases.c: the transports shmviz bench compares the ring with */
#include "bench.h"

#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pace.h"
#include "ring.h"

#define BATCH_BYTES 4096
#define LF_CAPACITY 1024u       /* a power of two: index & (LF_CAPACITY - 1) */
#define LF_PUBLISH 64           /* items between publications of an index */
#define SPINS_BEFORE_YIELD 4096

/* What the children of a case share with the parent.  The padding is the
 * point: each index on its own cache line. */
struct shared {  // NOLINT(clang-analyzer-optin.performance.Padding)
	_Atomic int ready;              /* children at the start line */
	_Atomic int64_t start_ns;       /* when both were there */
	_Atomic int64_t end_ns;         /* when the receiver got the last item */
	_Atomic int bad;                /* the receiver saw a wrong item */
	_Atomic uint64_t bad_at, bad_got;
	/* the lock-free ring: each index on its own cache line */
	alignas(64) _Atomic uint64_t head;  /* written by the producer */
	alignas(64) _Atomic uint64_t tail;  /* written by the consumer */
	alignas(64) uint64_t slots[LF_CAPACITY];
	/* ping-pong */
	alignas(64) _Atomic uint64_t ping;
	alignas(64) _Atomic uint64_t pong;
	sem_t s1, s2;
	struct ring *ring;              /* sem-bare: the shmviz ring's layout */
};

static struct shared *
shared_new(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		return NULL;
	if (sem_init(&sh->s1, 1, 0) == -1 || sem_init(&sh->s2, 1, 0) == -1) {
		munmap(sh, sizeof(*sh));
		return NULL;
	}
	return sh;
}

static void
bad_item(struct shared *sh, uint64_t at, uint64_t got)
{
	atomic_store(&sh->bad_at, at);
	atomic_store(&sh->bad_got, got);
	atomic_store(&sh->bad, 1);
}

/* Children of a case: each runs fn(arg) and exits with its status. */
typedef int (*child_fn)(struct shared *sh, uint64_t n, int fd_in, int fd_out);

static pid_t
spawn(child_fn fn, struct shared *sh, uint64_t n, int fd_in, int fd_out,
    const int *close_fds, int nclose)
{
	pid_t pid, parent = getpid();

	fflush(NULL);
	if ((pid = fork()) != 0)
		return pid;
	/* A spinning child must not outlive an interrupted bench. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	for (int i = 0; i < nclose; i++)
		close(close_fds[i]);
	/* Both at the start line before the clock starts: forking is not
	 * what is measured. */
	atomic_fetch_add(&sh->ready, 1);
	while (atomic_load(&sh->ready) < 2)
		sched_yield();
	{
		int64_t zero = 0;

		atomic_compare_exchange_strong(&sh->start_ns, &zero, pace_now());
	}
	_exit(fn(sh, n, fd_in, fd_out));
}

static void
usage_of_children(struct rusage *ru)
{
	getrusage(RUSAGE_CHILDREN, ru);
}

static double
tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Run two children to completion and fill r from what they did. */
static int
run_pair(child_fn sender, child_fn receiver, uint64_t n, int use_pipes,
    struct ring *ring, struct bench_run *r)
{
	struct shared *sh = shared_new();
	struct rusage before, after;
	int p[2] = { -1, -1 }, q[2] = { -1, -1 }, status, ok = 1;
	pid_t a, b, first;

	if (sh == NULL || (use_pipes && (pipe(p) == -1 || pipe(q) == -1))) {
		snprintf(r->why, sizeof(r->why), "set-up: %s", strerror(errno));
		return -1;
	}
	sh->ring = ring;
	usage_of_children(&before);
	{
		int ca[] = { p[0], q[1] }, cb[] = { p[1], q[0] };

		/* sender writes p, reads q; receiver reads p, writes q */
		a = spawn(sender, sh, n, q[0], p[1], ca, use_pipes ? 2 : 0);
		b = spawn(receiver, sh, n, p[0], q[1], cb, use_pipes ? 2 : 0);
	}
	if (use_pipes)
		for (int i = 0; i < 2; i++) {
			close(p[i]);
			close(q[i]);
		}
	/* Whichever ends first: if it failed, the other may wait for it for
	 * ever (a sender spinning on a ring nobody empties), so it goes too. */
	first = wait(&status);
	if (first == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ok = 0;
		kill(first == a ? b : a, SIGKILL);
	}
	if (waitpid(first == a ? b : a, &status, 0) == -1 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ok = 0;
	usage_of_children(&after);
	r->seconds = (double)(atomic_load(&sh->end_ns) -
	    atomic_load(&sh->start_ns)) / 1e9;
	r->cpu_s = tv_s(after.ru_utime) - tv_s(before.ru_utime) +
	    tv_s(after.ru_stime) - tv_s(before.ru_stime);
	r->ctxsw = (double)(after.ru_nvcsw - before.ru_nvcsw +
	    after.ru_nivcsw - before.ru_nivcsw);
	r->ok = ok && !atomic_load(&sh->bad);
	if (atomic_load(&sh->bad))
		snprintf(r->why, sizeof(r->why), "item %llu arrived as %llu",
		    (unsigned long long)atomic_load(&sh->bad_at),
		    (unsigned long long)atomic_load(&sh->bad_got));
	else if (!ok)
		snprintf(r->why, sizeof(r->why), "a process of the case failed");
	munmap(sh, sizeof(*sh));
	return r->ok ? 0 : -1;
}

/* read(2) until len bytes are in, or the end. */
static ssize_t
read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int
write_full(int fd, const void *buf, size_t len)
{
	size_t put = 0;

	while (put < len) {
		ssize_t n = write(fd, (const char *)buf + put, len - put);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		put += (size_t)n;
	}
	return 0;
}

/* pipe: one write(2) and one read(2) an item. */
static int
pipe_send(struct shared *sh, uint64_t n, int in, int out)
{
	(void)sh;
	(void)in;
	for (uint64_t i = 0; i < n; i++)
		if (write_full(out, &i, sizeof(i)) == -1)
			return 1;
	return 0;
}

static int
pipe_recv(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t v;

	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		if (read_full(in, &v, sizeof(v)) != sizeof(v))
			return 1;
		if (v != i) {
			bad_item(sh, i, v);
			return 1;
		}
	}
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

int
bench_pipe(uint64_t items, uint32_t capacity, struct bench_run *r)
{
	(void)capacity;
	return run_pair(pipe_send, pipe_recv, items, 1, NULL, r);
}

/* pipe-batched: items gathered into 4 KiB writes, read 4 KiB at a time. */
static int
batch_send(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t buf[BATCH_BYTES / sizeof(uint64_t)];
	size_t k = 0;

	(void)sh;
	(void)in;
	for (uint64_t i = 0; i < n; i++) {
		buf[k++] = i;
		if (k == sizeof(buf) / sizeof(buf[0]) || i + 1 == n) {
			if (write_full(out, buf, k * sizeof(buf[0])) == -1)
				return 1;
			k = 0;
		}
	}
	return 0;
}

static int
batch_recv(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t buf[BATCH_BYTES / sizeof(uint64_t)], i = 0;

	(void)out;
	while (i < n) {
		size_t want = sizeof(buf) / sizeof(buf[0]);

		if (n - i < want)
			want = (size_t)(n - i);
		if (read_full(in, buf, want * sizeof(buf[0])) !=
		    (ssize_t)(want * sizeof(buf[0])))
			return 1;
		for (size_t k = 0; k < want; k++, i++)
			if (buf[k] != i) {
				bad_item(sh, i, buf[k]);
				return 1;
			}
	}
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

int
bench_pipe_batched(uint64_t items, uint32_t capacity, struct bench_run *r)
{
	(void)capacity;
	return run_pair(batch_send, batch_recv, items, 1, NULL, r);
}

/* Spin politely: on a machine with fewer cores than spinners, let the
 * other side run. */
static void
spin_wait(unsigned *spins)
{
	if (++*spins % SPINS_BEFORE_YIELD == 0)
		sched_yield();
#if defined(__x86_64__) || defined(__i386__)
	else
		__builtin_ia32_pause();
#endif
}

/*
 * lockfree: a single-producer, single-consumer ring.  Each side keeps its
 * own index in a register, publishes it every LF_PUBLISH items (or when it
 * must wait), and re-reads the other's only when its cached copy says the
 * ring is full (or empty).
 */
static int
lf_send(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t head = 0, tail_seen = 0;
	unsigned spins = 0;

	(void)in;
	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		while (head - tail_seen == LF_CAPACITY) {
			atomic_store_explicit(&sh->head, head, memory_order_release);
			tail_seen = atomic_load_explicit(&sh->tail,
			    memory_order_acquire);
			if (head - tail_seen == LF_CAPACITY)
				spin_wait(&spins);
		}
		sh->slots[head & (LF_CAPACITY - 1)] = i;
		if (++head % LF_PUBLISH == 0)
			atomic_store_explicit(&sh->head, head, memory_order_release);
	}
	atomic_store_explicit(&sh->head, head, memory_order_release);
	return 0;
}

static int
lf_recv(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t tail = 0, head_seen = 0;
	unsigned spins = 0;

	(void)in;
	(void)out;
	while (tail < n) {
		while (tail == head_seen) {
			atomic_store_explicit(&sh->tail, tail, memory_order_release);
			head_seen = atomic_load_explicit(&sh->head,
			    memory_order_acquire);
			if (tail == head_seen)
				spin_wait(&spins);
		}
		for (; tail < head_seen; tail++) {
			uint64_t v = sh->slots[tail & (LF_CAPACITY - 1)];

			if (v != tail) {
				bad_item(sh, tail, v);
				return 1;
			}
			if ((tail + 1) % LF_PUBLISH == 0)
				atomic_store_explicit(&sh->tail, tail + 1,
				    memory_order_release);
		}
	}
	atomic_store_explicit(&sh->tail, tail, memory_order_release);
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

int
bench_lockfree(uint64_t items, uint32_t capacity, struct bench_run *r)
{
	(void)capacity;
	return run_pair(lf_send, lf_recv, items, 0, NULL, r);
}

/*
 * sem-bare: the tutorial's loop as plain C, in the ring shmviz's workers
 * use: the same semaphores, slots, indices and count++ / count-- as a
 * separate load and store, without a step table, a gate, published steps
 * or the consumers' record of arrivals (the receiver still compares each
 * item with the one it expects, as every case does).
 */
static int
bare_send(struct shared *sh, uint64_t n, int in, int out)
{
	struct ring *r = sh->ring;
	uint32_t cap = r->capacity;

	(void)in;
	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t h;

		while (sem_wait(&r->empty) == -1)
			if (errno != EINTR)
				return 1;
		h = atomic_load_explicit(&r->head, memory_order_relaxed);
		atomic_store_explicit(&r->slots[h], ring_item(0, i),
		    memory_order_relaxed);
		atomic_store_explicit(&r->head, ring_next(h, cap),
		    memory_order_relaxed);
		atomic_store_explicit(&r->count, atomic_load_explicit(&r->count,
		    memory_order_relaxed) + 1, memory_order_relaxed);
		sem_post(&r->full);
	}
	return 0;
}

static int
bare_recv(struct shared *sh, uint64_t n, int in, int out)
{
	struct ring *r = sh->ring;
	uint32_t cap = r->capacity;

	(void)in;
	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t t;
		uint64_t item;

		while (sem_wait(&r->full) == -1)
			if (errno != EINTR)
				return 1;
		t = atomic_load_explicit(&r->tail, memory_order_relaxed);
		item = atomic_load_explicit(&r->slots[t], memory_order_relaxed);
		atomic_store_explicit(&r->tail, ring_next(t, cap),
		    memory_order_relaxed);
		atomic_store_explicit(&r->count, atomic_load_explicit(&r->count,
		    memory_order_relaxed) - 1, memory_order_relaxed);
		sem_post(&r->empty);
		if (item != ring_item(0, i)) {
			bad_item(sh, i, item);
			return 1;
		}
	}
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

int
bench_sem_bare(uint64_t items, uint32_t capacity, struct bench_run *r)
{
	size_t size = ring_size(capacity);
	struct ring *ring = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int rc;

	if (ring == MAP_FAILED || ring_init(ring, capacity, 0) == -1) {
		snprintf(r->why, sizeof(r->why), "set-up: %s", strerror(errno));
		if (ring != MAP_FAILED)
			munmap(ring, size);
		return -1;
	}
	rc = run_pair(bare_send, bare_recv, items, 0, ring, r);
	munmap(ring, size);
	return rc;
}

/* Ping-pong: the sender starts each round trip, the receiver answers. */
static int
trip_pipe_a(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t v;

	for (uint64_t i = 0; i < n; i++)
		if (write_full(out, &i, sizeof(i)) == -1 ||
		    read_full(in, &v, sizeof(v)) != sizeof(v) || v != i)
			return 1;
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

static int
trip_pipe_b(struct shared *sh, uint64_t n, int in, int out)
{
	uint64_t v;

	(void)sh;
	for (uint64_t i = 0; i < n; i++)
		if (read_full(in, &v, sizeof(v)) != sizeof(v) ||
		    write_full(out, &v, sizeof(v)) == -1)
			return 1;
	return 0;
}

static int
trip_sem_a(struct shared *sh, uint64_t n, int in, int out)
{
	(void)in;
	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		sem_post(&sh->s1);
		while (sem_wait(&sh->s2) == -1)
			if (errno != EINTR)
				return 1;
	}
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

static int
trip_sem_b(struct shared *sh, uint64_t n, int in, int out)
{
	(void)in;
	(void)out;
	for (uint64_t i = 0; i < n; i++) {
		while (sem_wait(&sh->s1) == -1)
			if (errno != EINTR)
				return 1;
		sem_post(&sh->s2);
	}
	return 0;
}

static int
trip_lf_a(struct shared *sh, uint64_t n, int in, int out)
{
	unsigned spins = 0;

	(void)in;
	(void)out;
	for (uint64_t i = 1; i <= n; i++) {
		atomic_store_explicit(&sh->ping, i, memory_order_release);
		while (atomic_load_explicit(&sh->pong, memory_order_acquire) != i)
			spin_wait(&spins);
	}
	atomic_store(&sh->end_ns, pace_now());
	return 0;
}

static int
trip_lf_b(struct shared *sh, uint64_t n, int in, int out)
{
	unsigned spins = 0;

	(void)in;
	(void)out;
	for (uint64_t i = 1; i <= n; i++) {
		while (atomic_load_explicit(&sh->ping, memory_order_acquire) != i)
			spin_wait(&spins);
		atomic_store_explicit(&sh->pong, i, memory_order_release);
	}
	return 0;
}

int
bench_trip_pipe(uint64_t trips, struct bench_run *r)
{
	return run_pair(trip_pipe_a, trip_pipe_b, trips, 1, NULL, r);
}

int
bench_trip_sem(uint64_t trips, struct bench_run *r)
{
	return run_pair(trip_sem_a, trip_sem_b, trips, 0, NULL, r);
}

int
bench_trip_lockfree(uint64_t trips, struct bench_run *r)
{
	return run_pair(trip_lf_a, trip_lf_b, trips, 0, NULL, r);
}
