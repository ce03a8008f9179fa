/* tutring.c: a producer or a consumer with the tutorial's layout, for the
 * tests of shmviz attach and shmviz ls.  It shares one System V segment,
 * found with ftok(PATH, PROJ), mode 0666 as the tutorial's is, and makes
 * the tutorial's mistakes on purpose: the producer initialises the
 * semaphores and the indices every time it starts, and nobody removes
 * the segment.
 *
 *   tutring produce PATH PROJ ITEMS PER_SECOND
 *   tutring consume PATH PROJ ITEMS PER_SECOND
 *
 * Built with -g, so that its debug information describes the layout.
 */
#define _GNU_SOURCE
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>

struct tut_ring {
	sem_t free_slots;       /* producers wait: room in the buffer */
	sem_t items;            /* consumers wait: something to take */
	int buffer[1024];
	int head;
	int tail;
	int count;
};

/* The layout is used: keep it in the debug information whatever the
 * compiler makes of the code. */
struct tut_ring tut_ring_layout;

static void
pause_for(double per_second)
{
	struct timespec ts;
	double s;

	if (per_second <= 0)
		return;
	s = 1.0 / per_second;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

int
main(int argc, char *argv[])
{
	struct tut_ring *r;
	key_t key;
	int id, n, producer;
	double rate;

	if (argc != 6 || (strcmp(argv[1], "produce") != 0 &&
	    strcmp(argv[1], "consume") != 0)) {
		fprintf(stderr, "usage: tutring produce|consume PATH PROJ ITEMS "
		    "PER_SECOND\n");
		return 2;
	}
	producer = strcmp(argv[1], "produce") == 0;
	n = atoi(argv[4]);
	rate = atof(argv[5]);
	if ((key = ftok(argv[2], atoi(argv[3]))) == -1) {
		perror("ftok");
		return 1;
	}
	id = shmget(key, sizeof(*r), producer ? IPC_CREAT | 0666 : 0666);
	if (id == -1) {
		perror("shmget");
		return 1;
	}
	if ((r = shmat(id, NULL, 0)) == (void *)-1) {
		perror("shmat");
		return 1;
	}
	if (producer) {
		/* the mistake: on a live ring too */
		sem_init(&r->free_slots, 1, 1024);
		sem_init(&r->items, 1, 0);
		r->head = r->tail = r->count = 0;
	}
	printf("%d\n", id);
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		if (producer) {
			sem_wait(&r->free_slots);
			r->buffer[r->head] = i + 1;
			r->head = (r->head + 1) % 1024;
			r->count++;
			sem_post(&r->items);
		} else {
			sem_wait(&r->items);
			(void)r->buffer[r->tail];
			r->tail = (r->tail + 1) % 1024;
			r->count--;
			sem_post(&r->free_slots);
		}
		pause_for(rate);
	}
	shmdt(r);
	return 0;
}
