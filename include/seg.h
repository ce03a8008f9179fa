/* seg.h: System V shared memory segments, created private and mode 0600 */
#ifndef SHMVIZ_SEG_H
#define SHMVIZ_SEG_H

#include <stddef.h>
#include <sys/types.h>

/* What `ipcs -m` would say of a segment. */
struct seg_info {
	int id;                 /* shmid */
	unsigned mode;          /* permission bits, e.g. 0600 */
	size_t size;            /* bytes */
	unsigned long nattch;   /* processes attached */
	int removed;            /* marked IPC_RMID: gone once nattch reaches 0 */
};

/* Create a new private segment of `size` bytes, mode 0600; -1 on error. */
int seg_create(size_t size);

/* Attach segment `id`, read-only when `rdonly`; NULL on error. */
void *seg_attach(int id, int rdonly);

int seg_detach(const void *addr);

/* Mark the segment for removal: it disappears with its last attachment. */
int seg_remove(int id);

int seg_stat(int id, struct seg_info *info);

#endif
