/* bench.h: shmviz bench: moving items between processes, measured */
#ifndef SHMVIZ_BENCH_H
#define SHMVIZ_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What one run of one case measured. */
struct bench_run {
	double seconds;         /* first item sent to last item received */
	double cpu_s;           /* user + system, every process in the case */
	double ctxsw;           /* context switches, every process */
	int ok;                 /* every item arrived once, in order */
	char why[96];           /* if not, what went wrong */
};

/* A case moves `items` integers from one process to another. */
typedef int (*bench_fn)(uint64_t items, uint32_t capacity,
    struct bench_run *r);

/* A ping-pong: `trips` round trips; seconds is their total. */
typedef int (*bench_trip_fn)(uint64_t trips, struct bench_run *r);

/* The transports, in src/bench_cases.c. */
int bench_pipe(uint64_t items, uint32_t capacity, struct bench_run *r);
int bench_pipe_batched(uint64_t items, uint32_t capacity, struct bench_run *r);
int bench_lockfree(uint64_t items, uint32_t capacity, struct bench_run *r);
int bench_sem_bare(uint64_t items, uint32_t capacity, struct bench_run *r);
int bench_trip_pipe(uint64_t trips, struct bench_run *r);
int bench_trip_sem(uint64_t trips, struct bench_run *r);
int bench_trip_lockfree(uint64_t trips, struct bench_run *r);

/* The shmviz ring itself, in src/bench.c: real workers, real segment. */
int bench_ring(uint64_t items, uint32_t capacity, unsigned sync,
    int observer, struct bench_run *r);

/* Run `shmviz bench ARGS`; returns the exit status. */
int bench_main(int argc, char *argv[]);

#endif
