/* cast.h: the screen session recorded as an asciicast v2 file */
#ifndef SHMVIZ_CAST_H
#define SHMVIZ_CAST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* An open recording: a header line, then one JSON array an event. */
struct cast {
	FILE *f;
	int64_t t0;             /* CLOCK_MONOTONIC ns of the header */
	char pend[4];           /* the start of a UTF-8 character cut by a write */
	size_t npend;
	int failed;             /* a write failed: nothing more is recorded */
};

/*
 * Create the file (mode 0644, refused if it exists) and write the header;
 * -1 with the reason in err.
 */
int cast_open(struct cast *c, const char *path, int width, int height,
    const char *title, char *err, size_t len);

/* What the screen was sent: an "o" event (whole UTF-8 characters only are
 * written; a cut one waits for the rest). */
void cast_output(struct cast *c, const char *buf, size_t n);

/* The terminal's new size: an "r" event, "80x24". */
void cast_resize(struct cast *c, int width, int height);

/* A marker a player can stop at: an "m" event with its label. */
void cast_mark(struct cast *c, const char *label);

/* Close it; -1 if something could not be written. */
int cast_close(struct cast *c);

#endif
