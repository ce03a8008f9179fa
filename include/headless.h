/* headless.h: a session without a terminal, ending in a summary */
#ifndef SHMVIZ_HEADLESS_H
#define SHMVIZ_HEADLESS_H

#include "opts.h"

/* Run the session o describes; returns the exit status. */
int headless_run(const struct opts *o);

#endif
