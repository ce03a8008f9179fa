/* status.c: a session's view, published for viewers of the same user */
#include "status.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "judge.h"
#include "seg.h"
#include "watch.h"

static size_t
page_len(void)
{
	return sizeof(struct status_page) + judge_size();
}

void
status_close(struct watch *w)
{
	/* a watch zeroed and never opened has nothing to close, fd 0 aside */
	if (w->status == NULL)
		return;
	/* viewers still holding it go on to the next one, if there is one */
	atomic_store(&w->status->closed, 1);
	if (w->status_fd >= 0) {
		munmap(w->status, w->status_len);
		close(w->status_fd);
	} else
		seg_detach(w->status);
	w->status = NULL;
	w->status_fd = -1;
	w->status_shmid = -1;
}

/* A page just mapped: whose it is, for a viewer to recognise. */
static void
status_begin(struct watch *w, void *p, size_t len, int fd)
{
	/* a worker forked later (n) does not get it: only the supervisor
	 * has it writable */
	madvise(p, len, MADV_DONTFORK);
	w->status = p;
	w->status_len = len;
	w->status_fd = fd;
	w->status_shmid = w->s.shmid;
	memcpy(w->status->magic, STATUS_MAGIC, sizeof(STATUS_MAGIC));
	w->status->ring_shmid = w->s.shmid;
	w->status->supervisor = (int32_t)getpid();
	w->status->judge_len = judge_size();
}

/*
 * --share GROUP: a System V segment of mode 0640, the group's, which only
 * this supervisor attaches read-write (it is not the ring: the ring stays
 * 0600), marked for removal at once, so that it goes with the session.
 */
static void
status_open_shared(struct watch *w, size_t len)
{
	struct shmid_ds ds;
	void *p;
	int id = seg_create(len);

	if (id == -1)
		return;
	if (shmctl(id, IPC_STAT, &ds) == -1)
		goto fail;
	ds.shm_perm.gid = (gid_t)w->s.opts.share_gid;
	ds.shm_perm.mode = 0640;
	if (shmctl(id, IPC_SET, &ds) == -1 || (p = seg_attach(id, 0)) == NULL)
		goto fail;
	seg_remove(id);
	status_begin(w, p, len, -1);
	return;
fail:
	seg_remove(id);
}

void
status_open(struct watch *w)
{
	char name[48];
	size_t len = page_len();
	void *p;
	int fd;

	if (w->status != NULL && w->status_shmid == w->s.shmid)
		return;
	status_close(w);
	if (w->s.opts.share) {
		status_open_shared(w, len);
		return;
	}
	/* its name says whose ring it is: a viewer looks for it by that */
	snprintf(name, sizeof(name), "shmviz-status-%d", w->s.shmid);
	if ((fd = memfd_create(name, MFD_CLOEXEC)) == -1)
		return;
	if (ftruncate(fd, (off_t)len) == -1 ||
	    (p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) ==
	    MAP_FAILED) {
		close(fd);
		return;
	}
	status_begin(w, p, len, fd);
}

/* The trace, its newest rows, and the steps so far as a schedule, when
 * short enough to show (as the session's own trace shows them). */
static void
status_trace(const struct watch *w, struct status_page *p)
{
	size_t n = w->trace.n, from = 0;
	char *sched = NULL;

	if (n > STATUS_TRACE_ROWS) {
		from = n - STATUS_TRACE_ROWS;
		n = STATUS_TRACE_ROWS;
	}
	/* the history grows only with a step, and each ring has a page of
	 * its own, made zeroed: formatted again only after a step */
	if (p->nsteps != w->nsteps) {
		p->nsteps = w->nsteps;
		p->history[0] = '\0';
		if (w->history.n * 3 <= TRACE_HISTORY_MAX &&
		    (sched = schedule_format(&w->history)) != NULL &&
		    strlen(sched) <= TRACE_HISTORY_MAX)
			memcpy(p->history, sched, strlen(sched) + 1);
		free(sched);
	}
	p->trace_n = (unsigned)n;
	if (w->trace.rows != NULL)
		memcpy(p->trace, w->trace.rows + from, n * sizeof(p->trace[0]));
}

void
status_publish(struct watch *w)
{
	struct status_page *p = w->status;
	const struct session *s = &w->s;
	uint64_t seq;

	if (p == NULL)
		return;
	seq = atomic_load_explicit(&p->seq, memory_order_relaxed);
	atomic_store_explicit(&p->seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	p->producers = s->opts.producers;
	p->consumers = s->opts.consumers;
	p->sync = s->opts.sync;
	p->capacity = s->opts.capacity;
	p->items = s->opts.items;
	p->paused[0] = s->paused[0];
	p->paused[1] = s->paused[1];
	p->finished = w->finished;
	p->frozen = w->frozen;
	p->frozen_inv = (int)w->frozen_inv;
	p->forgotten = w->forgotten;
	snprintf(p->state, sizeof(p->state), "%s",
	    watch_states[watch_state(w)].label);
	p->nprocs = s->nprocs;
	memcpy(p->procs, s->procs, sizeof(p->procs));
	p->t0 = w->t0;
	memcpy(&p->snap, w->cur, sizeof(p->snap));
	memcpy(&p->log, &w->log, sizeof(p->log));
	memcpy(&p->trend, &w->trend, sizeof(p->trend));
	stepper_text(w->stepper, s, w->cur, w->has_replay, &p->plan);
	status_trace(w, p);
	judge_save(w->judge, p->judge);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&p->seq, seq + 2, memory_order_relaxed);
}

/* A page mapped read-only is one of a session's: its magic, and the ring
 * it was made for (-1: any ring of the supervisor `sup`). */
static int
page_is(const struct status_page *p, int shmid, int32_t sup)
{
	return memcmp(p, STATUS_MAGIC, sizeof(STATUS_MAGIC)) == 0 &&
	    (shmid >= 0 ? p->ring_shmid == shmid : p->supervisor == sup) &&
	    !atomic_load(&p->closed);
}

/* --share: the segment of the ring's creator (or of supervisor `sup`)
 * that holds its view. */
static const struct status_page *
status_find_shared(int shmid, int32_t sup, size_t len)
{
	struct shm_row *rows;
	size_t n;
	int cpid = shmid >= 0 ? -1 : sup;
	const struct status_page *found = NULL;

	if (shm_rows(&rows, &n) == -1)
		return NULL;
	for (size_t i = 0; i < n && shmid >= 0; i++)
		if (rows[i].id == shmid)
			cpid = rows[i].cpid;
	for (size_t i = 0; i < n && found == NULL && cpid > 0; i++) {
		const struct status_page *p;

		if (rows[i].cpid != cpid || rows[i].id == shmid ||
		    rows[i].size != len ||
		    (p = seg_attach(rows[i].id, 1)) == NULL)
			continue;
		if (page_is(p, shmid, sup))
			found = p;
		else
			seg_detach(p);
	}
	free(rows);
	return found;
}

/* The memory file named for the ring (or any of supervisor `sup`'s), of
 * the size this build gives a page, in the fds of process `pid` (0:
 * every process whose fds may be looked at). */
static const struct status_page *
status_find_memfd(int shmid, int32_t sup, pid_t pid, size_t len)
{
	char want[64];
	DIR *d = opendir("/proc");
	struct dirent *e;
	const struct status_page *found = NULL;

	if (d == NULL)
		return NULL;
	if (shmid >= 0)
		snprintf(want, sizeof(want), "/memfd:shmviz-status-%d (deleted)",
		    shmid);
	else
		snprintf(want, sizeof(want), "/memfd:shmviz-status-");
	while (found == NULL && (e = readdir(d)) != NULL) {
		char path[64];
		DIR *fds;
		struct dirent *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    (pid > 0 && strtol(e->d_name, NULL, 10) != pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/fd", e->d_name);
		/* only a process of this user lets its fds be looked at */
		if ((fds = opendir(path)) == NULL)
			continue;
		while (found == NULL && (f = readdir(fds)) != NULL) {
			char link[400], to[128];
			struct stat st;
			ssize_t n;
			int fd;
			void *p;

			snprintf(link, sizeof(link), "%s/%.200s", path, f->d_name);
			if ((n = readlink(link, to, sizeof(to) - 1)) <= 0)
				continue;
			to[n] = '\0';
			if (shmid >= 0 ? strcmp(to, want) != 0 :
			    strncmp(to, want, strlen(want)) != 0)
				continue;
			if ((fd = open(link, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			/* another build's page is another size: not read */
			if (fstat(fd, &st) == -1 || (size_t)st.st_size != len) {
				close(fd);
				continue;
			}
			p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
			close(fd);
			if (p == MAP_FAILED)
				continue;
			if (!page_is(p, shmid, sup)) {
				munmap(p, len);
				continue;
			}
			found = p;
		}
		closedir(fds);
	}
	closedir(d);
	return found;
}

int
status_open_view(struct status_view *v, int shmid)
{
	v->len = page_len();
	v->sysv = 0;
	if ((v->page = status_find_memfd(shmid, 0, 0, v->len)) == NULL) {
		v->sysv = 1;
		v->page = status_find_shared(shmid, 0, v->len);
	}
	if (v->page == NULL)
		return -1;
	v->supervisor = v->page->supervisor;
	return 0;
}

void
status_close_view(struct status_view *v)
{
	if (v->page == NULL)
		return;
	if (v->sysv)
		seg_detach(v->page);
	else
		munmap((void *)v->page, v->len);
	v->page = NULL;
}

int
status_follow(struct status_view *v)
{
	const struct status_page *next;

	if (!atomic_load(&v->page->closed))
		return 0;
	/* the session went on to a fresh ring (r, m, u): its new page */
	next = v->sysv ? status_find_shared(-1, v->supervisor, v->len) :
	    status_find_memfd(-1, v->supervisor, v->supervisor, v->len);
	if (next == NULL)
		return 0;
	status_close_view(v);
	v->page = next;
	return 1;
}

int
status_read(const struct status_page *p, struct status_page *out, size_t len)
{
	for (int tries = 0; tries < 100; tries++) {
		uint64_t a = atomic_load_explicit(&p->seq, memory_order_acquire), b;

		if (a & 1) {
			usleep(200);
			continue;
		}
		memcpy((char *)out + offsetof(struct status_page, ring_shmid),
		    (const char *)p + offsetof(struct status_page, ring_shmid),
		    len - offsetof(struct status_page, ring_shmid));
		atomic_thread_fence(memory_order_acquire);
		b = atomic_load_explicit(&p->seq, memory_order_relaxed);
		if (a == b)
			return 0;
	}
	return -1;
}
