/* opts.h: the command line */
#ifndef SHMVIZ_OPTS_H
#define SHMVIZ_OPTS_H

#include <stddef.h>
#include <stdint.h>

/* The tutorial's 3:2 producer:consumer ratio, slow enough to follow. */
#define OPTS_CAPACITY 16
#define OPTS_PRODUCER_RATE 3000     /* milli-items/s */
#define OPTS_CONSUMER_RATE 2000
#define OPTS_FPS 30

#define OPTS_MAX_RATE 1000000       /* items/s; faster is "max" */
#define OPTS_MAX_ITEMS UINT64_C(1000000000000000)
#define OPTS_MAX_FPS 120
#define OPTS_MAX_DURATION (365 * 86400)
#define OPTS_STEP_DELAY_MS 400      /* a schedule played in the TUI */
#define OPTS_MAX_STEPS 10000000     /* --steps */

struct opts {
	uint32_t capacity;      /* -n: slots in the ring */
	uint64_t prod_rate;     /* -r: milli-items/s, 0 = max */
	uint64_t cons_rate;     /* -R: milli-items/s, 0 = max */
	uint64_t items;         /* --items: per producer, 0 = unlimited */
	unsigned fps;           /* --fps: frames per second */
	int64_t duration_ns;    /* --duration: 0 = until done or signalled */
	unsigned producers;     /* -P */
	unsigned consumers;     /* -C */
	unsigned sync;          /* --sync: enum sync_mode */
	const char *schedule;   /* --schedule, or the text of --schedule-file */
	const char *schedule_file; /* --schedule-file, or NULL */
	char *schedule_text;    /* that file's text, which opts_free frees */
	int random;             /* --random given */
	uint64_t seed;          /* --random SEED */
	uint64_t steps;         /* --steps: random steps at most, 0 = no limit */
	int trace;              /* --trace */
	const char *record;     /* --record FILE.cast, or NULL */
	int share;              /* --share GROUP given */
	unsigned share_gid;     /* and the group's id */
	int start_paused;       /* no option: a session that a rewind replays */
	unsigned step_delay_ms; /* --step-delay */
	int freeze;             /* --freeze-on-violation */
	int headless;           /* --headless */
	int json;               /* --json */
	int help;               /* -h, --help */
	int version;            /* -V, --version */
};

void opts_defaults(struct opts *o);

/* What opts_parse allocated. */
void opts_free(struct opts *o);

/*
 * Parse argv into o (which holds the defaults).  On a bad command line,
 * returns -1 with one line for the user in err (without "shmviz: ").
 */
int opts_parse(struct opts *o, int argc, char *const argv[], char *err,
    size_t errlen);

/* The value parsers, each 0 on success and -1 on anything else. */
int opts_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);
int opts_decimal(const char *s, double lo, double hi, double *v); /* <= 3 decimals */
int opts_rate(const char *s, uint64_t *rate);

/* Something the user gave, fit to quote in a one-line message: control
 * characters escaped, cut short if long.  Returns buf. */
const char *opts_quote(const char *s, size_t n, char *buf, size_t len);

/* The usage text for --help. */
extern const char opts_usage[];

#endif
