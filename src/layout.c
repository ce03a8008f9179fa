/* layout.c: a ring's fields, from the tutorial's structure or a program's
 * debug information, and the roles shmviz gives them */
#include "layout.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const role_names[R_ROLES] = {
	[R_HEAD] = "head", [R_TAIL] = "tail", [R_COUNT] = "count",
	[R_BUFFER] = "buffer", [R_EMPTY] = "empty", [R_FULL] = "full",
};

const char *
layout_role_name(enum role_of r)
{
	return r < R_ROLES ? role_names[r] : "?";
}

/* The tutorial's structure, laid out by this compiler. */
struct seed_struct {
	sem_t sem_producer;
	sem_t sem_consumer;
	int buffer[1024];
	int head, tail, count;
};

static void
add(struct layout *l, const char *name, size_t off, size_t size,
    enum ftype type, int is_signed, size_t elem, size_t count)
{
	struct field *f;

	if (l->n >= LAYOUT_FIELDS)
		return;
	f = &l->f[l->n++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->off = off;
	f->size = size;
	f->type = type;
	f->is_signed = is_signed;
	f->elem = elem;
	f->count = count;
}

void
layout_seed(struct layout *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "shared_data");
	l->size = sizeof(struct seed_struct);
	add(l, "sem_producer", offsetof(struct seed_struct, sem_producer),
	    sizeof(sem_t), F_SEM, 0, 0, 0);
	add(l, "sem_consumer", offsetof(struct seed_struct, sem_consumer),
	    sizeof(sem_t), F_SEM, 0, 0, 0);
	add(l, "buffer", offsetof(struct seed_struct, buffer),
	    sizeof(((struct seed_struct *)0)->buffer), F_ARRAY, 1, sizeof(int),
	    1024);
	add(l, "head", offsetof(struct seed_struct, head), sizeof(int), F_INT, 1,
	    0, 0);
	add(l, "tail", offsetof(struct seed_struct, tail), sizeof(int), F_INT, 1,
	    0, 0);
	add(l, "count", offsetof(struct seed_struct, count), sizeof(int), F_INT,
	    1, 0, 0);
	layout_guess(l);
}

/* --- DWARF ---------------------------------------------------------------- */

/* The type a DIE's DW_AT_type names; 0 if it has none. */
static int
type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_type, &a) != NULL &&
	    dwarf_formref_die(&a, out) != NULL;
}

/* Through const, volatile and typedefs, but stopping at the typedefs that
 * name what shmviz knows: sem_t, pthread_mutex_t, pthread_cond_t. */
static enum ftype
known_typedef(const char *name)
{
	if (name == NULL)
		return F_BYTES;
	if (strcmp(name, "sem_t") == 0)
		return F_SEM;
	if (strcmp(name, "pthread_mutex_t") == 0)
		return F_MUTEX;
	if (strcmp(name, "pthread_cond_t") == 0)
		return F_COND;
	return F_BYTES;
}

static int
strip(Dwarf_Die *t, enum ftype *known)
{
	*known = F_BYTES;
	for (int depth = 0; depth < 16; depth++) {
		int tag = dwarf_tag(t);

		if (tag == DW_TAG_typedef &&
		    (*known = known_typedef(dwarf_diename(t))) != F_BYTES)
			return 0;
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_atomic_type)
			return 0;
		if (!type_of(t, t))
			return -1;
	}
	return -1;
}

static int
base_int(Dwarf_Die *t, size_t *size, int *is_signed)
{
	Dwarf_Attribute a;
	Dwarf_Word enc;
	int bytes;

	if (dwarf_tag(t) == DW_TAG_enumeration_type) {
		if ((bytes = dwarf_bytesize(t)) <= 0)
			return 0;
		*size = (size_t)bytes;
		*is_signed = 1;
		return 1;
	}
	if (dwarf_tag(t) != DW_TAG_base_type ||
	    dwarf_attr(t, DW_AT_encoding, &a) == NULL ||
	    dwarf_formudata(&a, &enc) != 0 || (bytes = dwarf_bytesize(t)) <= 0 ||
	    bytes > 8)
		return 0;
	switch (enc) {
	case DW_ATE_signed:
	case DW_ATE_signed_char:
		*is_signed = 1;
		break;
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
	case DW_ATE_boolean:
		*is_signed = 0;
		break;
	default:
		return 0;
	}
	*size = (size_t)bytes;
	return 1;
}

/* One member of the struct: its offset, size and what it is. */
static void
member(struct layout *l, Dwarf_Die *m)
{
	Dwarf_Attribute a;
	Dwarf_Word off = 0;
	Dwarf_Die t;
	Dwarf_Word total = 0;
	enum ftype known;
	const char *name = dwarf_diename(m);
	size_t size = 0, elem;
	int is_signed = 0;

	if (dwarf_attr(m, DW_AT_data_member_location, &a) == NULL ||
	    dwarf_formudata(&a, &off) != 0 || !type_of(m, &t) ||
	    strip(&t, &known) == -1)
		return;
	if (dwarf_aggregate_size(&t, &total) == 0)
		size = (size_t)total;
	if (known != F_BYTES) {
		add(l, name ? name : "?", off, size, known, 0, 0, 0);
		return;
	}
	if (base_int(&t, &elem, &is_signed)) {
		add(l, name ? name : "?", off, elem, F_INT, is_signed, 0, 0);
		return;
	}
	if (dwarf_tag(&t) == DW_TAG_array_type) {
		Dwarf_Die e;

		if (type_of(&t, &e) && strip(&e, &known) == 0 && known == F_BYTES &&
		    base_int(&e, &elem, &is_signed) && size > 0) {
			add(l, name ? name : "?", off, size, F_ARRAY, is_signed, elem,
			    size / elem);
			return;
		}
	}
	add(l, name ? name : "?", off, size, F_BYTES, 0, 0, 0);
}

/* The struct (or typedef of one) named `name` that is a definition. */
static int
find_struct(Dwarf *dw, const char *name, Dwarf_Die *out)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) != NULL &&
		    dwarf_child(&cu, &child) == 0) {
			do {
				int tag = dwarf_tag(&child);
				const char *n = dwarf_diename(&child);
				Dwarf_Die t = child;

				if (n == NULL || strcmp(n, name) != 0)
					continue;
				if (tag == DW_TAG_typedef) {
					enum ftype known;

					if (!type_of(&child, &t) || strip(&t, &known) == -1)
						continue;
				}
				if (dwarf_tag(&t) == DW_TAG_structure_type &&
				    !dwarf_hasattr(&t, DW_AT_declaration)) {
					*out = t;
					return 0;
				}
			} while (dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	return -1;
}

int
layout_from_binary(struct layout *l, const char *program, const char *name,
    char *err, size_t len)
{
	Dwarf *dw;
	Dwarf_Die st, m;
	int fd, bytes;

	memset(l, 0, sizeof(*l));
	if ((fd = open(program, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, len, "--binary: %s: %s", program, strerror(errno));
		return -1;
	}
	if ((dw = dwarf_begin(fd, DWARF_C_READ)) == NULL) {
		snprintf(err, len, "--binary: %s has no debug information: build "
		    "it with -g", program);
		close(fd);
		return -1;
	}
	if (find_struct(dw, name, &st) == -1) {
		snprintf(err, len, "--struct: %s's debug information has no struct "
		    "%s (is it built with -g, and is the struct used?)", program, name);
		dwarf_end(dw);
		close(fd);
		return -1;
	}
	snprintf(l->name, sizeof(l->name), "%s", name);
	if ((bytes = dwarf_bytesize(&st)) > 0)
		l->size = (size_t)bytes;
	if (dwarf_child(&st, &m) == 0) {
		do {
			if (dwarf_tag(&m) == DW_TAG_member)
				member(l, &m);
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	dwarf_end(dw);
	close(fd);
	layout_guess(l);
	return 0;
}

/* --- roles -------------------------------------------------------------- */

static int
named(const char *name, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(name, *words) == 0)
			return 1;
	return 0;
}

static int
contains(const char *name, const char *const *words)
{
	for (; *words; words++)
		if (strcasestr(name, *words) != NULL)
			return 1;
	return 0;
}

void
layout_guess(struct layout *l)
{
	static const char *const heads[] = { "head", "in", "fill", "fill_ptr",
	    "write", "wr", NULL };
	static const char *const tails[] = { "tail", "out", "use", "use_ptr",
	    "read", "rd", NULL };
	static const char *const counts[] = { "count", "num_full", "n", "size",
	    "used", NULL };
	static const char *const frees[] = { "empty", "free", "space", "slots",
	    "producer", NULL };
	static const char *const fulls[] = { "full", "item", "consumer", "data",
	    NULL };
	int sems[2] = { -1, -1 }, nsem = 0;

	for (int r = 0; r < R_ROLES; r++)
		l->role[r] = -1;
	for (unsigned i = 0; i < l->n; i++) {
		const struct field *f = &l->f[i];

		if (f->type == F_INT) {
			if (l->role[R_HEAD] < 0 && named(f->name, heads))
				l->role[R_HEAD] = (int)i;
			else if (l->role[R_TAIL] < 0 && named(f->name, tails))
				l->role[R_TAIL] = (int)i;
			else if (l->role[R_COUNT] < 0 && named(f->name, counts))
				l->role[R_COUNT] = (int)i;
		} else if (f->type == F_ARRAY && (l->role[R_BUFFER] < 0 ||
		    f->count > l->f[l->role[R_BUFFER]].count))
			l->role[R_BUFFER] = (int)i;
		else if (f->type == F_SEM && nsem < 2)
			sems[nsem++] = (int)i;
	}
	/* the semaphores by name if they say, else in order: free slots
	 * first, as the tutorial has them */
	for (int k = 0; k < nsem; k++) {
		const char *n = l->f[sems[k]].name;

		if (l->role[R_EMPTY] < 0 && contains(n, frees))
			l->role[R_EMPTY] = sems[k];
		else if (l->role[R_FULL] < 0 && contains(n, fulls))
			l->role[R_FULL] = sems[k];
	}
	for (int k = 0; k < nsem; k++)
		if (sems[k] != l->role[R_EMPTY] && sems[k] != l->role[R_FULL]) {
			if (l->role[R_EMPTY] < 0)
				l->role[R_EMPTY] = sems[k];
			else if (l->role[R_FULL] < 0)
				l->role[R_FULL] = sems[k];
		}
}

int
layout_map(struct layout *l, const char *spec, char *err, size_t len)
{
	const char *eq = strchr(spec, '=');
	int role = -1;

	if (eq == NULL) {
		snprintf(err, len, "--map: '%s' is not ROLE=FIELD", spec);
		return -1;
	}
	for (int r = 0; r < R_ROLES; r++)
		if (strlen(role_names[r]) == (size_t)(eq - spec) &&
		    strncmp(spec, role_names[r], (size_t)(eq - spec)) == 0)
			role = r;
	if (role < 0) {
		snprintf(err, len, "--map: '%.*s' is not a role; give head, tail, "
		    "count, buffer, empty or full", (int)(eq - spec), spec);
		return -1;
	}
	for (unsigned i = 0; i < l->n; i++) {
		const struct field *f = &l->f[i];
		int fits = role == R_BUFFER ? f->type == F_ARRAY : role == R_EMPTY ||
		    role == R_FULL ? f->type == F_SEM : f->type == F_INT;

		if (strcmp(f->name, eq + 1) != 0)
			continue;
		if (!fits) {
			snprintf(err, len, "--map: %s cannot be the %s: %s", f->name,
			    role_names[role], role == R_BUFFER ? "it is no array of "
			    "integers" : role == R_EMPTY || role == R_FULL ?
			    "it is no sem_t" : "it is no integer");
			return -1;
		}
		l->role[role] = (int)i;
		return 0;
	}
	snprintf(err, len, "--map: struct %s has no field '%s'", l->name, eq + 1);
	return -1;
}

long long
layout_int(const struct layout *l, const void *base, int field, size_t k)
{
	const struct field *f;
	const unsigned char *p;
	size_t size;

	if (field < 0 || (unsigned)field >= l->n)
		return 0;
	f = &l->f[field];
	if (f->type == F_INT)
		size = f->size;
	else if (f->type == F_ARRAY && k < f->count)
		size = f->elem;
	else
		return 0;
	p = (const unsigned char *)base + f->off + (f->type == F_ARRAY ?
	    k * f->elem : 0);
	/* one relaxed load of the field's width: the workers may be writing */
	switch (size) {
	case 1:
		return f->is_signed ? (long long)(signed char)__atomic_load_n(p,
		    __ATOMIC_RELAXED) : (long long)__atomic_load_n(p,
		    __ATOMIC_RELAXED);
	case 2: {
		const unsigned short *q = (const void *)p;
		unsigned short v = __atomic_load_n(q, __ATOMIC_RELAXED);

		return f->is_signed ? (long long)(short)v : (long long)v;
	}
	case 4: {
		const unsigned *q = (const void *)p;
		unsigned v = __atomic_load_n(q, __ATOMIC_RELAXED);

		return f->is_signed ? (long long)(int)v : (long long)v;
	}
	case 8: {
		const unsigned long long *q = (const void *)p;

		return (long long)__atomic_load_n(q, __ATOMIC_RELAXED);
	}
	default:
		return 0;
	}
}
