/* seg.c: System V shared memory segments, created private and mode 0600 */
#include "seg.h"

#include <sys/ipc.h>
#include <sys/shm.h>

int
seg_create(size_t size)
{
	/* IPC_PRIVATE: no ftok key to collide with; 0600: no other user. */
	return shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
}

void *
seg_attach(int id, int rdonly)
{
	void *p = shmat(id, NULL, rdonly ? SHM_RDONLY : 0);

	/* (void *)-1 is how shmat(2) says it failed. */
	return p == (void *)-1 ? NULL : p;  // NOLINT(performance-no-int-to-ptr)
}

int
seg_detach(const void *addr)
{
	return shmdt(addr);
}

int
seg_remove(int id)
{
	return shmctl(id, IPC_RMID, NULL);
}

int
seg_stat(int id, struct seg_info *info)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) == -1)
		return -1;
	info->id = id;
	info->mode = ds.shm_perm.mode & 0777;
	info->size = ds.shm_segsz;
	info->nattch = ds.shm_nattch;
	info->removed = (ds.shm_perm.mode & SHM_DEST) != 0;
	return 0;
}
