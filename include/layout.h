/* layout.h: where a ring's fields are in a segment shmviz did not make */
#ifndef SHMVIZ_LAYOUT_H
#define SHMVIZ_LAYOUT_H

#include <stddef.h>

#define LAYOUT_FIELDS 64

enum ftype {
	F_INT,          /* an integer of any width */
	F_ARRAY,        /* an array of integers */
	F_SEM,          /* sem_t */
	F_MUTEX,        /* pthread_mutex_t */
	F_COND,         /* pthread_cond_t */
	F_BYTES,        /* anything else: shown as bytes */
};

struct field {
	char name[64];
	size_t off, size;       /* bytes */
	enum ftype type;
	int is_signed;          /* integers, and an array's elements */
	size_t elem, count;     /* an array: element size, and how many */
};

/* The roles shmviz gives fields, each the index of a field or -1. */
enum role_of {
	R_HEAD, R_TAIL, R_COUNT, R_BUFFER, R_EMPTY, R_FULL, R_ROLES
};

struct layout {
	char name[64];          /* the struct's */
	size_t size;
	unsigned n;
	struct field f[LAYOUT_FIELDS];
	int role[R_ROLES];
};

/* The tutorial's structure as this machine's compiler lays it out. */
void layout_seed(struct layout *l);

/* The structure NAME from PROGRAM's debug information (DWARF); -1 with the
 * reason in err. */
int layout_from_binary(struct layout *l, const char *program,
    const char *name, char *err, size_t len);

/* Give the fields their roles by name (and the semaphores by type); then
 * ROLE=FIELD overrides, each from --map; -1 with the reason in err. */
void layout_guess(struct layout *l);
int layout_map(struct layout *l, const char *spec, char *err, size_t len);

/* A role's name: "head", "empty". */
const char *layout_role_name(enum role_of r);

/* An integer field's value (an array's element k) at base; 0 for other
 * types. */
long long layout_int(const struct layout *l, const void *base, int field,
    size_t k);

#endif
