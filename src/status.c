/* status.c: a session's view, published for viewers of the same user */
#include "status.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "judge.h"
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
	munmap(w->status, w->status_len);
	close(w->status_fd);
	w->status = NULL;
	w->status_fd = -1;
	w->status_shmid = -1;
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
	w->status = p;
	w->status_len = len;
	w->status_fd = fd;
	w->status_shmid = w->s.shmid;
	memcpy(w->status->magic, STATUS_MAGIC, sizeof(STATUS_MAGIC));
	w->status->ring_shmid = w->s.shmid;
	w->status->supervisor = (int32_t)getpid();
	w->status->judge_len = judge_size();
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
	snprintf(p->state, sizeof(p->state), "%s",
	    watch_states[watch_state(w)].label);
	p->nprocs = s->nprocs;
	memcpy(p->procs, s->procs, sizeof(p->procs));
	p->t0 = w->t0;
	memcpy(&p->snap, w->cur, sizeof(p->snap));
	memcpy(&p->log, &w->log, sizeof(p->log));
	memcpy(&p->trend, &w->trend, sizeof(p->trend));
	judge_save(w->judge, p->judge);
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&p->seq, seq + 2, memory_order_relaxed);
}

const struct status_page *
status_find(int shmid, size_t *len)
{
	char want[64];
	DIR *d = opendir("/proc");
	struct dirent *e;
	const struct status_page *found = NULL;

	if (d == NULL)
		return NULL;
	snprintf(want, sizeof(want), "/memfd:shmviz-status-%d (deleted)", shmid);
	while (found == NULL && (e = readdir(d)) != NULL) {
		char path[64];
		DIR *fds;
		struct dirent *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/fd", e->d_name);
		/* only a process of this user lets its fds be looked at */
		if ((fds = opendir(path)) == NULL)
			continue;
		while (found == NULL && (f = readdir(fds)) != NULL) {
			char link[400], to[128];
			ssize_t n;
			int fd;
			void *p;

			snprintf(link, sizeof(link), "%s/%.200s", path, f->d_name);
			if ((n = readlink(link, to, sizeof(to) - 1)) <= 0)
				continue;
			to[n] = '\0';
			if (strcmp(to, want) != 0)
				continue;
			if ((fd = open(link, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			*len = sizeof(struct status_page) + judge_size();
			p = mmap(NULL, *len, PROT_READ, MAP_SHARED, fd, 0);
			close(fd);
			if (p == MAP_FAILED)
				continue;
			if (memcmp(p, STATUS_MAGIC, sizeof(STATUS_MAGIC)) != 0 ||
			    ((const struct status_page *)p)->ring_shmid != shmid) {
				munmap(p, *len);
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
