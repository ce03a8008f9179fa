/* history.h: a stepped session's steps, stepped back and forth, and saved */
#ifndef SHMVIZ_HISTORY_H
#define SHMVIZ_HISTORY_H

#include <stddef.h>

struct watch;

/*
 * Step back one step: the workers start again on a fresh ring, and the
 * history so far, less its last step, is replayed there; the step taken
 * back comes first in what is to come (held: U or s takes it again, space
 * plays on).  -1 with the reason in err when it cannot be done now (the
 * session ran free, or has no step yet); the session is then as it was.
 * A session that could not be started again: -2, and err says why.
 */
int history_back(struct watch *w, char *err, size_t len);

/*
 * Write the history as a schedule to a new file in the current directory,
 * never over one that exists: its name in name.  -1 with err on failure.
 */
int history_save(const struct watch *w, char *name, size_t nlen, char *err,
    size_t len);

#endif
