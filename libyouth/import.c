/*
 * The import engine: reads a `libyouth/1` file into a registry.
 *
 * A file is one mapping: `format`, then sections (each a list of flat records), then the
 * trailer `end: {records: N}`.  The modules describe their own sections (youth__section: the
 * field table, how references are written, the import function); this file walks the
 * document, resolves references, and keeps the modes (atomic, keep-going, dry run, upsert) and
 * the rejects report.  Records are imported through each module's public functions, so a file
 * can never put into the registry what the C API would refuse.
 *
 * Memory is bounded by the records in flight: libyaml's event API reads the input in 16 KiB
 * pieces and each record read is kept in one reusable buffer (one, or a bounded queue of them
 * when a second thread reads).  This is the top of the library's layers, beside export.c:
 * everything below it is called, nothing below calls it.
 */
#include "private_names.h"
#include "private.h"
#include "private_crypt.h"

#include <errno.h>
#include <fcntl.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROGRESS_EVERY 4096
#define WRITEBACK_EVERY 2048
/*
 * The memory of an import: its page cache and its two memos of persons (the persons it added,
 * by UUID, person_memo_load(); their facts for the eligibility rules, rules.c), shared out when
 * the first section that names persons begins (split_memory()).  Until then the page cache has
 * all of it; from then on the memos take what the registry's persons need and the cache keeps
 * the rest, at least a quarter.  A fixed sum, whatever the file's size: the peak of an import
 * is the same for 100 000 persons as for a million (docs/benchmarks.md, "The twelfth pass").
 *
 * The cache is there for the index pages (table pages are written once and never read again).
 * Since the persons' and the large sections' UUID indexes are built once at the end of their
 * section (defer_indexes()), its size hardly shows: a million persons with their services (v4)
 * ran in the same time with 8, 16 and 32 MiB within this host's swing.  Before that (every
 * key at a random place of an index far larger than the cache), a million persons took 18.0 s
 * with 8 MiB and 9.7 s with 32 MiB.  48 MiB: a million persons' facts (11.8 MiB) and UUIDs
 * (23.8 MiB) leave the cache 12.4 MiB.
 */
#ifndef YOUTH__IMPORT_MEMORY_KIB
#define YOUTH__IMPORT_MEMORY_KIB (48 * 1024)
#endif
size_t youth__import_memory_kib = YOUTH__IMPORT_MEMORY_KIB;
/* per thread: imports of other registries may run side by side */
_Thread_local youth__memory_split youth__import_split;
/*
 * Helper threads of SQLite's sorter while an import builds an index after its last record (the
 * name index, the last section's bulk indexes): the reader thread has finished by then and its
 * core is free.  At
 * a million persons the name index's CREATE INDEX took 3.5 s with none, 2.3 s with two; the
 * other statements of an import do not sort.  Each thread sorts in its own buffer of the
 * sort's page cache (youth__sort_cache_kib): 4 MiB more at the peak.
 */
#define YOUTH__SORT_THREADS 2
int youth__sort_cache_kib = 4 * 1024;
/* Between two sections the memos are still held: one helper thread there, which sorts a run
 * while the writer fills the next one, the core of the waiting reader then busy too.  Two
 * helpers raised the peak of a million-person import by 6 MiB; one, with the page cache's
 * freed memory given back first (give_back()), by 2 MiB (docs/benchmarks.md, "The thirteenth
 * pass"). */
#define YOUTH__MID_SORT_THREADS 1

/* ---- input sources ----------------------------------------------------------------------- */

enum source_type { SRC_FILE, SRC_BUFFER, SRC_CALLBACK };

typedef struct source {
	enum source_type type;
	FILE *file;
	const char *data;
	size_t size, pos;
	youth_read_fn fn;
	void *ctx;
	int64_t bytes;
	bool failed;
	int err_no;
	off_t start; /* of a seekable file, where reading began; -1 otherwise */
} source;

/* Where libyaml's reader found a byte it refuses: the input read again up to there (a buffer,
 * a file that can seek; a pipe or a read callback cannot, and keep the byte offset). */
static int locate_source(void *ctx, size_t offset, size_t *line, size_t *col)
{
	source *s = ctx;
	if (s->type == SRC_BUFFER)
		return youth__yaml_locate_in(s->data, s->size, offset, line, col);
	if (s->type != SRC_FILE || s->start < 0 || fseeko(s->file, s->start, SEEK_SET) != 0)
		return -1;
	return youth__yaml_locate_file(s->file, offset, line, col);
}

/* libyaml's read handler: counts bytes for the progress callback and notes read errors so
 * that they are reported as I/O errors rather than as malformed YAML. */
static int read_source(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
	source *s = data;
	size_t n = 0;
	switch (s->type) {
	case SRC_FILE:
		n = fread(buffer, 1, size, s->file);
		if (n == 0 && ferror(s->file)) {
			s->err_no = errno;
			s->failed = true;
			return 0;
		}
		break;
	case SRC_BUFFER:
		n = s->size - s->pos < size ? s->size - s->pos : size;
		memcpy(buffer, s->data + s->pos, n);
		s->pos += n;
		break;
	case SRC_CALLBACK: {
		long got = s->fn(s->ctx, (char *)buffer, size);
		if (got < 0 || (size_t)got > size) {
			s->err_no = got < 0 ? EIO : EOVERFLOW;
			s->failed = true;
			return 0;
		}
		n = (size_t)got;
		break;
	}
	}
	__atomic_add_fetch(&s->bytes, (int64_t)n, __ATOMIC_RELAXED); /* read by the writer */
	*size_read = n;
	return 1;
}

/* ---- import state ------------------------------------------------------------------------ */

/*
 * What the reader hands to the writer: one record read whole (ITEM_RECORD), one refused while
 * reading (ITEM_BAD, keep-going mode), or the end of the document (ITEM_END, with the
 * reader's result).  Errors cross as copies: error state is per thread.
 */
enum { ITEM_RECORD, ITEM_BAD, ITEM_END };
#define PREPARED_REFS 8
typedef struct item {
	int kind;
	const youth__section *sec;
	int64_t number; /* of the record in the file, from 1; for ITEM_END, records read */
	youth__yaml_rec r;
	/* What prepare() made of r on the reader's side, so that the writer only writes: the
	 * record struct with every field set from its text (references left to the writer), the
	 * pairs whose text the field refused (bit i: kv[i]), and each reference written as a UUID,
	 * checked and in lower case (bit r of ref_uuid: uuid[r] holds the reference r), with the
	 * bits the memos look it up by (bits[r]): work the reader does so that the writer need not. */
	youth__buf rec;
	uint32_t field_bad;
	uint8_t ref_uuid;
	char uuid[PREPARED_REFS][YOUTH_UUID_LEN + 1];
	uint32_t bits[PREPARED_REFS][4]; /* uuid[r] as a 128-bit number (uuid_bits()) */
	int code;
	char field[64];
	char message[700];
} item;

/* Large inputs are read on a second thread while this one writes: parsing YAML and writing
 * SQLite cost about the same, and the two overlap. */
#define QUEUE_SLOTS 512
#define QUEUE_BATCH 64
#define QUEUE_TAKE 16
#define THREAD_MIN_BYTES (256 * 1024)

/* One import: the source, the reader and writer sides, the modes and the rejects report. */
typedef struct importer {
	youth_registry *reg;
	youth__imp view; /* what a section's import function sees (youth__imp_value()) */
	youth__yaml y;
	source src;
	youth_import_options opt;
	youth_interchange_summary sum;
	/* the writer's view: the record being imported */
	const youth__section *sec;
	youth__yaml_rec *r;
	int64_t number;
	/* the reader's side */
	const youth__section *rsec;
	int64_t nread;
	item single; /* the one item of a read on this thread */
	bool threaded;
	pthread_t reader;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	item *slots;
	int head, count; /* next item to import, items ready */
	bool stop;       /* the writer failed: the reader ends */
	/* Each side sleeps until the other has done a batch of work, not one record: waking a
	 * thread per record made the two take turns instead of running side by side. */
	bool reader_waits, writer_waits;
	/* Indexes dropped for the length of a section (see defer_indexes()): their CREATE
	 * statements, to run again when the section ends. */
	const youth__section *added_sec; /* the section imp->added counts */
	int64_t added;
	const youth__section *deferred_sec;
	char *deferred_sql[4];
	int n_deferred;
	/* The table of the unique index among them, if any (see duplicate_uuid()) */
	char *uuid_table;
	/* the WAL, opened again to ask the kernel to write it back early (see writeback_hint()) */
	int wal_fd;
	bool wal_unknown;
	/* UUID references already resolved (see resolve()): allocated at the first one */
	struct ref_memo *memo;
	/* The persons this import added, by UUID (see person_memo_load()) */
	struct person_memo *persons;
	bool persons_loaded; /* person_memo_load() ran, or a merges section forbade it */
	bool split;          /* split_memory() ran */
	int cache_kib;       /* the import's page cache, KiB (see split_memory()) */
	/* The struct field of each reference of ref_sec (apply()), found once per section rather
	 * than by name for every reference of every record. */
	const youth__section *ref_sec;
	const youth__field *ref_field[8];
	/* The section prefetch_item() last saw, and its reference to a person (-1: none) */
	const youth__section *prefetch_sec;
	int prefetch_ref;
	/* the rejects report */
	FILE *rej;
	bool own_rej;
	youth__outfile rej_file; /* at rejects_path: named only when records were rejected */
	const youth__section *rej_sec;
	youth__buf out;
} importer;

/* The key a section accepts for @tag (fields that a file may set, then references, then extra
 * keys), or NULL. */
static const char *section_tag_key(const youth__section *s, int tag)
{
	int nf = (int)s->kind->n_fields;
	if (tag < 0)
		return NULL;
	if (tag < nf) {
		const youth__field *f = &s->kind->fields[tag];
		return f->type != YF_ID && f->type != YF_REF ? f->name : NULL;
	}
	if (tag < nf + s->n_refs)
		return s->refs[tag - nf].key;
	int i = nf + s->n_refs;
	for (const char *const *e = s->extra_keys; e && *e; e++, i++)
		if (i == tag)
			return *e;
	return NULL;
}

/* The keys a section accepts: its fields (references under their file name, not as ids) and
 * its extra keys.  Tags: field index, then n_fields + ref index, then extras after the refs. */
static int section_key(const void *ctx, const char *key, int guess, const char **name)
{
	const youth__section *s = ctx;
	const char *k = section_tag_key(s, guess);
	if (k && strcmp(k, key) == 0) {
		*name = k;
		return guess;
	}
	int nf = (int)s->kind->n_fields;
	const youth__field *f = youth__rec_find(s->kind, key);
	if (f && f->type != YF_ID && f->type != YF_REF) {
		*name = f->name;
		return (int)(f - s->kind->fields);
	}
	for (int i = 0; i < s->n_refs; i++)
		if (strcmp(s->refs[i].key, key) == 0) {
			*name = s->refs[i].key;
			return nf + i;
		}
	int i = 0;
	for (const char *const *e = s->extra_keys; e && *e; e++, i++)
		if (strcmp(*e, key) == 0) {
			*name = *e;
			return nf + s->n_refs + i;
		}
	return -1;
}

/* Blames the field named by the current error: the API names `person_id`, the file `person`. */
static void blame(importer *imp)
{
	const youth_error *err = youth_error_last();
	const char *field = err->field;
	const youth__ref *ref = field ? youth__section_ref(imp->sec, field) : NULL;
	size_t line = imp->r->line, col = 1;
	for (int i = 0; field && i < imp->r->n; i++) {
		const char *k = imp->r->b.data + imp->r->kv[i].key;
		if (strcmp(k, field) == 0 || (ref && strcmp(k, ref->key) == 0))
			line = imp->r->kv[i].line, col = imp->r->kv[i].col;
	}
	youth__error_prefix("%s:%zu:%zu: %s %lld", imp->y.name, line, col, imp->sec->what,
	                    (long long)imp->number);
}

/*
 * References by UUID resolved earlier in the import, in a small direct-mapped table: most of a
 * services file's references point to a parent just written or just looked up (the cohort of
 * a run of enrollments, the session of its participants, the plan of its disbursements), and
 * each look-up through the UUID index is a statement step and a B-tree descent.  Bounded
 * (REF_MEMO_SLOTS entries, 256 KiB, whatever the file's size); a collision replaces the
 * older entry.  Only UUIDs are kept: a record's UUID and id never change, while an upsert may
 * change a natural key (a code, a national ID).  Every entry names a row of a record imported
 * (committed, in keep-going mode) before the record being read, because a record's references
 * are resolved before anything of it is written; a rejected record rolls back only its own
 * rows, so no entry can outlive its row.
 */
#define REF_MEMO_SLOTS 8192
struct ref_memo {
	const char *sql; /* the reference's sql_uuid: which table */
	int64_t id;
	uint32_t key[4]; /* the UUID (uuid_bits()) */
};

/* @norm: a checked, lower-case UUID */
static void uuid_bits(const char *norm, uint32_t k[4])
{
	k[0] = k[1] = k[2] = k[3] = 0;
	for (int i = 0, d = 0; i < YOUTH_UUID_LEN; i++) {
		char c = norm[i];
		if (c == '-')
			continue;
		uint32_t v = c <= '9' ? (uint32_t)(c - '0') : (uint32_t)(c - 'a' + 10);
		k[d / 8] = k[d / 8] << 4 | v;
		d++;
	}
}

/* The 128 bits of a UUID mixed into 64, for the memos' slots: the high bits depend on all. */
static uint64_t uuid_hash(const uint32_t k[4])
{
	uint64_t h = ((uint64_t)k[0] << 32 | k[1]) ^ (((uint64_t)k[2] << 32 | k[3]) *
	                                             0x9E3779B97F4A7C15ULL);
	return h * 0xC2B2AE3D27D4EB4FULL;
}

/* @k: the UUID as a 128-bit number (uuid_bits()) */
static struct ref_memo *memo_slot(importer *imp, const youth__ref *ref, const uint32_t k[4])
{
	if (!imp->memo && !(imp->memo = youth__calloc(REF_MEMO_SLOTS, sizeof *imp->memo)))
		return NULL; /* no memory for it: look every reference up */
	/* the table's SQL text address tells tables apart */
	uint64_t h = uuid_hash(k) ^ (uint64_t)(uintptr_t)ref->sql_uuid * 0x9E3779B97F4A7C15ULL;
	return &imp->memo[(h >> 32) % REF_MEMO_SLOTS];
}

/*
 * The persons added by this import, by UUID, for the references of the services that follow
 * them: a services file names a person in most of its records, and with random (v4) UUIDs each
 * look-up through the person UUID index lands on a random page of it (184 000 look-ups of
 * 100 000 persons).  An open-addressing table of the UUIDs as 128-bit numbers with their 32-bit
 * ids, one 20-byte slot each (a probe finds key and id side by side, not in two arrays),
 * at most four fifths full and sized once, when it is loaded, for the persons the import added:
 * 24 MiB for a million.  Its size comes out of the import's memory (see split_memory()); the
 * persons it has no room for are looked up in the registry as before.  Loaded from the
 * registry when the first section that names persons begins, not filled while the persons are
 * added: a census (persons only) never needs it, and the persons section has the whole of the
 * import's memory for its page cache.  A person's UUID and id never change while an import
 * runs, except by a merge (the merged person's row goes, its UUID then names the one kept):
 * the merges section empties the table, and it is not loaded again after one.
 */
size_t youth__person_memo_max = SIZE_MAX;
struct person_slot {
	uint32_t key[4]; /* the UUID's 32 hex digits as four numbers */
	uint32_t id;     /* 0: a free slot */
};
struct person_memo {
	struct person_slot *slot;
	size_t cap, n, most; /* slots, entries, entries it takes at most */
};

/* Where the probe for @k starts. */
static size_t person_home(const struct person_memo *m, const uint32_t k[4])
{
	/* the top 32 bits scaled to [0, cap): any capacity, not only powers of two */
	return (size_t)(((uuid_hash(k) >> 32) * (uint64_t)m->cap) >> 32);
}

/* The slot of @k, or the free slot where it would go.  The table is never full (four fifths
 * at most), so the probe ends. */
static size_t person_slot(const struct person_memo *m, const uint32_t k[4])
{
	size_t i = person_home(m, k);
	for (;;) {
		const struct person_slot *e = &m->slot[i];
		if (!e->id || (e->key[0] == k[0] && e->key[1] == k[1] && e->key[2] == k[2] &&
		               e->key[3] == k[3]))
			return i;
		i = i + 1 == m->cap ? 0 : i + 1;
	}
}

static void person_memo_free(importer *imp)
{
	if (imp->persons) {
		youth__free(imp->persons->slot);
		youth__free(imp->persons);
		imp->persons = NULL;
	}
}

/* Remembers that the person of UUID @uuid has id @id; false when the table is full. */
static bool person_memo_put(importer *imp, const char *uuid, int64_t id)
{
	if (id <= 0 || id > (int64_t)UINT32_MAX || !youth__uuid_valid(uuid))
		return true; /* not one the table can hold: looked up in the registry */
	struct person_memo *m = imp->persons;
	if (m->n == m->most)
		return false;
	char norm[YOUTH_UUID_LEN + 1];
	memcpy(norm, uuid, sizeof norm);
	youth__uuid_norm(norm);
	uint32_t k[4];
	uuid_bits(norm, k);
	struct person_slot *e = &m->slot[person_slot(m, k)];
	if (!e->id)
		m->n++;
	memcpy(e->key, k, sizeof e->key);
	e->id = (uint32_t)id;
	return true;
}

/* Entries person_memo_load() has put in the table, over the process's imports (read by the
 * tests). */
int64_t youth__person_memo_loaded;

#define MEMO_FULL 1 /* person_memo_row(): stop, the table is full (not an error) */

static int person_memo_row(void *ctx, sqlite3_stmt *st)
{
	importer *imp = ctx;
	const char *uuid = (const char *)sqlite3_column_text(st, 1);
	if (!uuid || sqlite3_column_bytes(st, 1) != YOUTH_UUID_LEN)
		return YOUTH_OK;
	if (!person_memo_put(imp, uuid, sqlite3_column_int64(st, 0)))
		return MEMO_FULL;
	__atomic_add_fetch(&youth__person_memo_loaded, 1, __ATOMIC_RELAXED);
	return YOUTH_OK;
}

/* The table's slots for @n persons: five fourths of them, so that it is never full. */
static size_t person_memo_slots(size_t n)
{
	return n ? n + n / 4 + 1 : 0;
}

/* The persons the table can take of those this import added (ids @from to @last, from the
 * first id the import could give) in at most @bytes. */
static size_t person_memo_fit(int64_t from, int64_t last, size_t bytes)
{
	if (from <= 0 || last < from)
		return 0; /* the file added no person */
	size_t n = (size_t)(last - from + 1);
	if (n > youth__person_memo_max)
		n = youth__person_memo_max;
	size_t slots = bytes / sizeof(struct person_slot);
	size_t fit = slots > 1 ? (slots - 1) * 4 / 5 : 0; /* person_memo_slots(fit) <= slots */
	return n < fit ? n : fit;
}

/* Fills the table with @n of the persons this import has added, from id @from on: 0.3 s for a
 * million, read in id order.  Sized once for all of them (ids are dense): growing on the way
 * would hold the old and the new arrays at once.  No memory for it only costs look-ups. */
static int person_memo_load(importer *imp, int64_t from, size_t n)
{
	static const char sql[] = "SELECT id, uuid FROM person WHERE id >= ?1";
	imp->persons_loaded = true;
	if (!n)
		return YOUTH_OK;
	struct person_memo *m = youth__calloc(1, sizeof *m);
	if (!m)
		return YOUTH_OK;
	m->most = n;
	m->cap = person_memo_slots(n);
	if (!(m->slot = youth__calloc(m->cap, sizeof *m->slot))) {
		youth__free(m);
		return YOUTH_OK;
	}
	imp->persons = m;
	int rc = youth__query_each(imp->reg->db, sql, "remembering the persons of the file", NULL,
	                           from, person_memo_row, imp);
	return rc == MEMO_FULL ? YOUTH_OK : rc;
}

static bool person_memo_get(const importer *imp, const uint32_t k[4], int64_t *id)
{
	const struct person_memo *m = imp->persons;
	if (!m || !m->n)
		return false;
	const struct person_slot *e = &m->slot[person_slot(m, k)];
	if (!e->id)
		return false;
	*id = e->id;
	return true;
}

/* @norm: @text checked as a UUID and in lower case (prepare()), or NULL when it is not one;
 * @k: then its 128 bits (uuid_bits()). */
static int resolve(importer *imp, const youth__ref *ref, const char *text, const char *norm,
                   const uint32_t k[4], int64_t *id)
{
	bool uuid = norm != NULL;
	if (!uuid && !ref->sql_natural)
		return youth__error(YOUTH_EINVAL, ref->key, "%s \"%.40s\": not a UUID", ref->key, text);
	struct ref_memo *m = NULL;
	if (uuid) {
		text = norm;
		if (strcmp(ref->key, "person") == 0 && person_memo_get(imp, k, id))
			return YOUTH_OK;
		m = memo_slot(imp, ref, k);
		if (m && m->sql == ref->sql_uuid && memcmp(m->key, k, sizeof m->key) == 0) {
			*id = m->id;
			return YOUTH_OK;
		}
	}
	sqlite3_stmt *st;
	int rc = youth__stmt(imp->reg, uuid ? ref->sql_uuid : ref->sql_natural, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	bool found;
	rc = youth__step_row(imp->reg, st, &found, "resolving a reference");
	if (rc)
		return rc;
	if (found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* A person merged into another (merge.c) is found as the one kept. */
	if (!found && uuid && strcmp(ref->key, "person") == 0 &&
	    youth__alias_of(imp->reg, text, id) == YOUTH_OK && *id)
		found = true;
	if (!found)
		return youth__error(YOUTH_ENOTFOUND, ref->key,
		                    "%s \"%.40s\": no such %s %s (neither in the registry nor earlier in "
		                    "the file)", ref->key, text, ref->key,
		                    uuid ? "UUID" : ref->natural);
	if (m) {
		m->sql = ref->sql_uuid;
		m->id = *id;
		memcpy(m->key, k, sizeof m->key);
	}
	return YOUTH_OK;
}

/* The field a reference of the current section sets, found once per section rather than by
 * name for every reference of every record. */
static const youth__field *ref_field(importer *imp, int r)
{
	const youth__section *s = imp->sec;
	if (r >= (int)YOUTH__N_OF(imp->ref_field))
		return youth__rec_find(s->kind, s->refs[r].field);
	if (imp->ref_sec != s) {
		memset(imp->ref_field, 0, sizeof imp->ref_field);
		imp->ref_sec = s;
	}
	if (!imp->ref_field[r])
		imp->ref_field[r] = youth__rec_find(s->kind, s->refs[r].field);
	return imp->ref_field[r];
}

/*
 * The reader's share of a record (either thread may run it: it reads nothing of the registry):
 * the record struct filled from the text through the kind's text interface, and the references
 * written as UUIDs checked and put in lower case.  A refused value is only noted: the writer
 * sets it again, in file order, so that the record's first mistake is the one reported, with
 * its message, whether it is a value or a reference.
 */
static int prepare(item *it)
{
	const youth__section *s = it->sec;
	const youth__kind *k = s->kind;
	int nf = (int)k->n_fields;
	it->field_bad = 0;
	it->ref_uuid = 0;
	it->rec.len = 0;
	int rc = youth__buf_grow(&it->rec, k->struct_size);
	if (rc)
		return rc;
	memset(it->rec.data, 0, k->struct_size);
	for (int i = 0; i < it->r.n; i++) {
		int tag = it->r.kv[i].tag;
		const char *val = it->r.b.data + it->r.kv[i].val;
		if (tag >= nf && tag < nf + s->n_refs) {
			int r = tag - nf;
			if (r < PREPARED_REFS && youth__uuid_valid(val)) {
				memcpy(it->uuid[r], val, YOUTH_UUID_LEN + 1);
				youth__uuid_norm(it->uuid[r]);
				uuid_bits(it->uuid[r], it->bits[r]);
				it->ref_uuid |= (uint8_t)(1u << r);
			}
		} else if (tag >= 0 && tag < nf && !(k->fields[tag].flags & YOUTH__F_READONLY) &&
		           youth__rec_set(k, it->rec.data, &k->fields[tag], val) != YOUTH_OK) {
			it->field_bad |= 1u << i; /* YOUTH__YAML_MAX_KEYS is 32 */
		}
	}
	return YOUTH_OK;
}

/* The writer's share: references resolved to ids, in file order with the values prepare()
 * refused, so that the first mistake of the record is the one reported.  Read-only and extra
 * keys are left to the section. */
static int apply(importer *imp, item *it)
{
	const youth__section *s = imp->sec;
	void *rec = it->rec.data;
	int nf = (int)s->kind->n_fields;
	for (int i = 0; i < it->r.n; i++) {
		int tag = it->r.kv[i].tag;
		const char *val = it->r.b.data + it->r.kv[i].val;
		int rc = YOUTH_OK;
		if (tag >= nf && tag < nf + s->n_refs) {
			int r = tag - nf;
			const youth__field *f = ref_field(imp, r);
			const char *norm = NULL;
			const uint32_t *k = NULL;
			char own[YOUTH_UUID_LEN + 1];
			uint32_t own_k[4];
			if (r < PREPARED_REFS) {
				if (it->ref_uuid & (1u << r)) {
					norm = it->uuid[r];
					k = it->bits[r];
				}
			} else if (youth__uuid_valid(val)) {
				memcpy(own, val, sizeof own);
				youth__uuid_norm(own);
				uuid_bits(own, own_k);
				norm = own;
				k = own_k;
			}
			int64_t id = 0;
			if (*val)
				rc = resolve(imp, &s->refs[r], val, norm, k, &id);
			if (rc == YOUTH_OK)
				*(int64_t *)((char *)rec + f->offset) = id;
		} else if (it->field_bad & (1u << i)) {
			/* set again on this thread: its message is this thread's error */
			rc = youth__rec_set(s->kind, rec, &s->kind->fields[tag], val);
			if (rc == YOUTH_OK) /* cannot be: the text is the same */
				rc = youth__error(YOUTH_ERROR, s->kind->fields[tag].name, "%s: refused, then "
				                  "accepted", s->kind->fields[tag].name);
		}
		if (rc)
			return rc;
	}
	return YOUTH_OK;
}

/* ---- the rejects report ------------------------------------------------------------------ */

static int rej_flush(importer *imp)
{
	if (imp->out.len && fwrite(imp->out.data, 1, imp->out.len, imp->rej) != imp->out.len)
		return youth__error(YOUTH_EIO, NULL, "rejects report: %s", strerror(errno));
	imp->out.len = 0;
	return YOUTH_OK;
}

/* Writes the record just refused, as read, under a comment giving the reason. */
static int rej_record(importer *imp, const char *reason)
{
	if (!imp->rej)
		return YOUTH_OK;
	youth__buf *b = &imp->out;
	int rc = YOUTH_OK;
	if (imp->sum.rejected == 1)
		rc = youth__yaml_put_begin(b);
	if (rc == YOUTH_OK && imp->rej_sec != imp->sec) {
		imp->rej_sec = imp->sec;
		rc = youth__buf_printf(b, "%s:\n", imp->sec->name);
	}
	/* The reason on one comment line: a message never holds a newline, but be sure. */
	if (rc == YOUTH_OK)
		rc = youth__buf_puts(b, "  # ");
	for (const char *c = reason; rc == YOUTH_OK && *c; c++)
		rc = youth__buf_put(b, *c == '\n' || *c == '\r' ? " " : c, 1);
	if (rc == YOUTH_OK)
		rc = youth__buf_puts(b, "\n");
	bool first = true;
	for (int i = 0; rc == YOUTH_OK && i < imp->r->n; i++) {
		const youth__yaml_kv *kv = &imp->r->kv[i];
		const char *key = imp->r->b.data + kv->key;
		const char *val = imp->r->b.data + kv->val;
		rc = youth__yaml_put_key(b, key, &first);
		if (rc == YOUTH_OK)
			rc = kv->flow ? youth__buf_puts(b, val) /* YAML text as read */
			     : youth__yaml_list_key(imp->sec->list_keys, key) ? youth__yaml_put_list(b, val)
			                                                      : youth__yaml_put_scalar(b, val, true);
		if (rc == YOUTH_OK)
			rc = youth__buf_puts(b, "\n");
	}
	if (rc == YOUTH_OK && imp->r->n == 0)
		rc = youth__buf_puts(b, "  - {}\n");
	return rc ? rc : rej_flush(imp);
}

static int rej_finish(importer *imp)
{
	if (!imp->rej || imp->sum.rejected == 0)
		return YOUTH_OK;
	int rc = youth__yaml_put_end(&imp->out, imp->sum.rejected);
	if (rc == YOUTH_OK)
		rc = rej_flush(imp);
	if (rc == YOUTH_OK && fflush(imp->rej) != 0)
		rc = youth__error(YOUTH_EIO, NULL, "rejects report: %s", strerror(errno));
	/* Named before the import commits: a report that cannot be written fails the import. */
	if (rc == YOUTH_OK && imp->own_rej) {
		rc = youth__outfile_commit(&imp->rej_file);
		imp->own_rej = false;
		imp->rej = NULL;
	}
	return rc;
}

/* ---- reading a file ---------------------------------------------------------------------- */

static int progress(importer *imp)
{
	if (imp->opt.progress &&
	    imp->opt.progress(imp->opt.progress_ctx, imp->number,
	                      __atomic_load_n(&imp->src.bytes, __ATOMIC_RELAXED)) != 0)
		return youth__error(YOUTH_ECANCELLED, NULL, "%s: import stopped by the progress "
		                    "callback after %lld records", imp->y.name, (long long)imp->number);
	return YOUTH_OK;
}

/* After a refused record in keep-going mode: consume the rest of its mapping. */
static int skip_rest(importer *imp, int depth)
{
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && imp->y.depth >= depth)
		rc = youth__yaml_next(&imp->y);
	return rc;
}

static void keep_error(item *it, int code)
{
	const youth_error *e = youth_error_last();
	it->code = code;
	snprintf(it->field, sizeof it->field, "%s", e->field ? e->field : "");
	snprintf(it->message, sizeof it->message, "%s", e->message);
}

/* The reader: one record of the current section into @it.  A record-level mistake (unknown
 * key, a list where a value goes) becomes ITEM_BAD in keep-going mode; anything else that
 * fails is the end of reading. */
static int read_record(importer *imp, item *it)
{
	const youth__section *s = imp->rsec;
	it->sec = s;
	it->number = ++imp->nread;
	it->kind = ITEM_RECORD;
	int depth = imp->y.depth; /* of the record's mapping, once entered */
	bool in_map = youth__yaml_is(&imp->y, YAML_MAPPING_START_EVENT);
	int rc = youth__yaml_read_map(&imp->y, &it->r, section_key, s, s->what, s->list_keys);
	if (rc == YOUTH_OK)
		return prepare(it);
	if (rc == YOUTH_EINVAL) {
		/* A bad key or value shape: the record is refused, the document is still whole. */
		youth__error_prefix("%s %lld", s->what, (long long)it->number);
		if ((imp->opt.flags & YOUTH_IMPORT_KEEP_GOING) && in_map) {
			/* read whole (y.whole_records): every key and value as read is in it->r */
			keep_error(it, rc);
			it->kind = ITEM_BAD;
			return skip_rest(imp, depth);
		}
	}
	return rc;
}

/* ---- bulk indexes ------------------------------------------------------------------------ */

/* Up to a few hundred thousand persons the index fits the page cache beside the table, the
 * writer waits for the reader anyway, and building it again at the end would only add to the
 * import (a 100 000-person load took 1.11 s deferring after 25 000, 1.07 s not deferring).
 * A load just past the threshold pays one rebuild that saves it little; at a million the
 * deferral saves about 1.5 s. */
int64_t youth__bulk_index_after = 200000;

static void forget_deferred(importer *imp)
{
	for (int i = 0; i < imp->n_deferred; i++)
		youth__free(imp->deferred_sql[i]);
	imp->n_deferred = 0;
	imp->deferred_sec = NULL;
	youth__free(imp->uuid_table);
	imp->uuid_table = NULL;
}

/* The section's records gave one UUID to two rows, which its UUID index, built again, refused:
 * says which UUID (a file can be searched for it) and whether the registry already had it.
 * Ids are given in order, so the section's imp->added rows are the table's last ones. */
static int duplicate_uuid(importer *imp)
{
	const youth__section *s = imp->deferred_sec;
	char *sql = sqlite3_mprintf("SELECT uuid, min(id), (SELECT max(id) FROM \"%w\") FROM \"%w\""
	                            " GROUP BY uuid HAVING count(*) > 1 LIMIT 1", imp->uuid_table,
	                            imp->uuid_table);
	sqlite3_stmt *st = NULL;
	int rc = YOUTH_OK;
	int q = sql ? sqlite3_prepare_v2(imp->reg->db, sql, -1, &st, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (q == SQLITE_OK)
		q = sqlite3_step(st);
	if (q == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		char uuid[YOUTH_UUID_LEN + 1];
		youth__col_text(st, 0, uuid, sizeof uuid);
		int64_t first = sqlite3_column_int64(st, 1);
		if (first <= sqlite3_column_int64(st, 2) - imp->added)
			rc = youth__error(YOUTH_EEXISTS, "uuid", "%s: section %s: uuid %s: already used by "
			                  "%s %lld of the registry (found when the section's UUID index was "
			                  "built again after its last record; nothing was imported)",
			                  imp->y.name, s->name, uuid, s->what, (long long)first);
		else
			rc = youth__error(YOUTH_EEXISTS, "uuid", "%s: section %s: uuid %s: given to more "
			                  "than one %s; a UUID names one record (found when the section's "
			                  "UUID index was built again after its last record; nothing was "
			                  "imported)", imp->y.name, s->name, uuid, s->what);
	} else if (q == SQLITE_NOMEM) {
		rc = youth__oom();
	} else {
		rc = youth__sqlite_error(imp->reg->db, q == SQLITE_ROW ? SQLITE_CORRUPT : q,
		                         "finding the repeated uuid");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Sets the page cache of the import's connection to @kib KiB. */
static int set_cache(importer *imp, int kib)
{
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", -kib);
	return youth__exec(imp->reg, pragma);
}

/* After the page cache shrank: the allocator keeps what the cache freed for later reuse, while
 * what comes next (a memo, a sort's runs) takes fresh pages.  Without this the peak of a
 * million persons was the whole budget and the memo (92.2 MiB instead of 69.4). */
static void give_back(void)
{
#ifdef HAVE_MALLOC_TRIM
	if (youth__alloc_is_default())
		malloc_trim(0);
#endif
}

/* Builds the indexes defer_indexes() dropped, each with its own CREATE statement, sorted in one
 * pass instead of updated record by record; @mid: between two sections, the import going on. */
static int rebuild_indexes(importer *imp, bool mid)
{
	if (!imp->n_deferred)
		return YOUTH_OK;
	/* CREATE INDEX sorts in memory up to the size of the page cache before it spills sorted
	 * runs to temporary files: with the import's cache that would raise its peak memory from
	 * 42 to 73 MiB at a million persons; with 4 MiB it is 45 MiB, and no slower.  Between two
	 * sections the memos are still held, and each sorter thread fills its own runs: there
	 * the sort has YOUTH__MID_SORT_THREADS, not YOUTH__SORT_THREADS. */
	int rc = set_cache(imp, youth__sort_cache_kib);
	if (rc == YOUTH_OK)
		give_back();
	if (rc == YOUTH_OK && mid) {
		char threads[32];
		snprintf(threads, sizeof threads, "PRAGMA threads = %d", YOUTH__MID_SORT_THREADS);
		rc = youth__exec(imp->reg, threads);
	}
	for (int i = 0; i < imp->n_deferred && rc == YOUTH_OK; i++) {
		rc = youth__exec(imp->reg, imp->deferred_sql[i]);
		if (rc && imp->uuid_table &&
		    sqlite3_extended_errcode(imp->reg->db) == SQLITE_CONSTRAINT_UNIQUE)
			rc = duplicate_uuid(imp);
	}
	if (rc == YOUTH_OK && mid) {
		char threads[32];
		snprintf(threads, sizeof threads, "PRAGMA threads = %d", YOUTH__SORT_THREADS);
		rc = youth__exec(imp->reg, threads);
	}
	if (rc == YOUTH_OK)
		rc = set_cache(imp, imp->cache_kib);
	forget_deferred(imp); /* on failure the rollback brings the indexes back */
	return rc;
}

/*
 * Drops the section's bulk indexes once an import has added youth__bulk_index_after of its
 * records, when the table held no more rows than that before: a non-unique index filled in
 * random order costs each insert a B-tree search and a page split somewhere in the middle,
 * while CREATE INDEX at the end sorts once.  The drop is part of the import's transaction, so
 * any failure or rollback restores the index and other connections never see it missing.
 * Skipped, not failed, while a statement of the caller is still reading (SQLite refuses a
 * schema change then).
 */
static int defer_indexes(importer *imp, const youth__section *s)
{
	static const char find[] = "SELECT sql, tbl_name FROM sqlite_schema "
	                           "WHERE type = 'index' AND name = ?1 AND sql IS NOT NULL";
	youth_registry *reg = imp->reg;
	int max = (int)(sizeof imp->deferred_sql / sizeof imp->deferred_sql[0]);
	for (int i = 0; s->bulk_indexes[i] && imp->n_deferred < max; i++) {
		sqlite3_stmt *st;
		bool found;
		int rc = youth__stmt(reg, find, &st);
		if (rc == YOUTH_OK) {
			sqlite3_bind_text(st, 1, s->bulk_indexes[i], -1, SQLITE_STATIC);
			rc = youth__step_row(reg, st, &found, "finding an index");
		}
		if (rc)
			return rc;
		if (!found)
			continue; /* not in this registry: nothing to defer */
		char *sql = youth__strdup((const char *)sqlite3_column_text(st, 0));
		/* A unique index finds a repeated key only when it is built again, for the section as
		 * a whole: an import that keeps the good records (keep-going), looks records up by
		 * UUID (upsert) or must report every conflict without writing (dry run) keeps it. */
		bool unique = sql && strncmp(sql, "CREATE UNIQUE ", 14) == 0;
		if (unique && (imp->opt.flags & (YOUTH_IMPORT_KEEP_GOING | YOUTH_IMPORT_UPSERT |
		                                 YOUTH_IMPORT_DRY_RUN))) {
			sqlite3_reset(st);
			youth__free(sql);
			continue;
		}
		char *table = unique ? youth__strdup((const char *)sqlite3_column_text(st, 1)) : NULL;
		if (unique && !table) {
			sqlite3_reset(st);
			youth__free(sql);
			return youth__oom();
		}
		/* A table that already held more rows than the import adds is cheaper to update in
		 * place than to index again whole. */
		char *count = sqlite3_mprintf("SELECT count(*) > %lld FROM \"%w\"",
		                              (long long)(2 * imp->added),
		                              (const char *)sqlite3_column_text(st, 1));
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", s->bulk_indexes[i]);
		sqlite3_reset(st);
		sqlite3_stmt *cs = NULL;
		int s_rc = sql && count && drop ? sqlite3_prepare_v2(reg->db, count, -1, &cs, NULL)
		                                : SQLITE_NOMEM;
		if (s_rc == SQLITE_OK) {
			s_rc = sqlite3_step(cs);
			if (s_rc == SQLITE_ROW)
				s_rc = sqlite3_column_int(cs, 0) ? SQLITE_DONE : SQLITE_OK;
		}
		sqlite3_finalize(cs);
		/* LOCKED: a statement of the caller is still reading; SQLite refuses a schema change
		 * then, and the import goes on with the index in place. */
		if (s_rc == SQLITE_OK && ((s_rc = sqlite3_exec(reg->db, drop, NULL, NULL, NULL)) &
		                          0xff) == SQLITE_LOCKED)
			s_rc = SQLITE_DONE;
		sqlite3_free(count);
		sqlite3_free(drop);
		if (s_rc != SQLITE_OK) {
			youth__free(sql);
			youth__free(table);
			if (s_rc == SQLITE_DONE)
				continue;
			return s_rc == SQLITE_NOMEM ? youth__oom()
			                            : youth__sqlite_error(reg->db, s_rc, "deferring an index");
		}
		if (unique)
			imp->uuid_table = table;
		imp->deferred_sql[imp->n_deferred++] = sql;
		imp->deferred_sec = s;
	}
	return YOUTH_OK;
}

/* Counts the records a section adds in a row, and defers its bulk indexes when they are many. */
static int count_added(importer *imp, const youth__section *s)
{
	if (imp->added_sec != s) {
		imp->added_sec = s;
		imp->added = 0;
	}
	if (!s->bulk_indexes || ++imp->added != youth__bulk_index_after || imp->n_deferred)
		return YOUTH_OK;
	return defer_indexes(imp, s);
}

/* ---- early write-back ---------------------------------------------------------------------- */

int64_t youth__writeback_hints;

/*
 * Asks the kernel to start writing the WAL (in a first load, the registry file) to disk now,
 * without waiting for it.  SQLite spills the pages of a large import to the WAL (the file) as
 * the import runs, but the kernel keeps them in
 * memory until the commit's fsync, which then waits for all of them at once: 0.11 of the 0.98 s
 * of a 100 000-person load, about a second of a million.  Started early, that writing overlaps
 * parsing and inserting.  Only a hint: durability is still the commit's own fsync, and any
 * failure here (no WAL yet, an in-memory registry, no sync_file_range) changes nothing.  The
 * file is opened again by name; write-back is per file, not per descriptor.
 */
static void writeback_hint(importer *imp)
{
#if defined(HAVE_SYNC_FILE_RANGE) && defined(SYNC_FILE_RANGE_WRITE)
	if (imp->wal_unknown)
		return;
	if (imp->wal_fd < 0) {
		const char *db = sqlite3_db_filename(imp->reg->db, "main");
		/* a first load spills its pages into the registry itself (registry.c) */
		const char *wal = db && *db ? (imp->reg->first_load ? db : sqlite3_filename_wal(db))
		                            : NULL;
		if (!wal || !*wal) {
			imp->wal_unknown = true; /* in memory, or a temporary database */
			return;
		}
		imp->wal_fd = open(wal, O_RDONLY | O_CLOEXEC);
		if (imp->wal_fd < 0) {
			imp->wal_unknown = errno != ENOENT; /* not written yet: try again later */
			return;
		}
	}
	if (sync_file_range(imp->wal_fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0)
		__atomic_add_fetch(&youth__writeback_hints, 1, __ATOMIC_RELAXED);
	else
		imp->wal_unknown = true;
#else
	YOUTH__UNUSED(imp);
#endif
}

/* Shares out the import's memory (youth__import_memory_kib) once, when the first section that
 * names persons begins: the facts of the registry's persons first (rules.c, bounded by a
 * million persons of its own), then the persons this import added, by UUID (unless a merges
 * section came first), and the page cache the rest.  The cache keeps a quarter at least:
 * the memos then hold fewer persons, and those they lack are read from the registry. */
static int split_memory(importer *imp)
{
	imp->split = true;
	int64_t last = 0;
	bool found;
	int rc = youth__query_ints(&last, 1, &found, imp->reg, "SELECT max(id) FROM person", NULL,
	                           0, "sharing out the import's memory");
	if (rc)
		return rc;
	size_t total = youth__import_memory_kib * 1024, room = total - total / 4;
	size_t facts = youth__rules_memo_bound(imp->reg, last, room);
	int64_t from = imp->reg->names_deferred_from;
	size_t n = imp->persons_loaded ? 0 : person_memo_fit(from, last, room - facts);
	size_t memo = person_memo_slots(n) * sizeof(struct person_slot);
	imp->cache_kib = (int)((total - facts - memo) / 1024);
	youth__import_split = (youth__memory_split){imp->cache_kib, memo, facts};
	/* The cache gives its pages back before the memo takes its own. */
	rc = set_cache(imp, imp->cache_kib);
	if (rc == YOUTH_OK)
		give_back();
	if (rc == YOUTH_OK)
		rc = person_memo_load(imp, from, n); /* n is 0 after a merges section */
	return rc;
}

/*
 * Asks the CPU for the memory the writer will read of the items after the current one, while
 * it imports that one.  The reader wrote each item on the other core, and the persons memo is
 * tens of MiB read at random places: the writer otherwise stalled on each first touch, in
 * apply() and the memo probe (with v4 UUIDs about 2 of its 42 CPU seconds at a million
 * persons, docs/benchmarks.md, "The thirteenth pass").  Two steps ahead the item's head, which
 * says where the rest is; one step ahead the rest: its keys and text, its record struct and
 * the memo slot of its person.  Only hints: nothing is read that the import does not read.
 */
static void prefetch_item(importer *imp, const item *next, const item *after)
{
	if (after) {
		__builtin_prefetch(after);
		__builtin_prefetch(&after->r.n);
		__builtin_prefetch(&after->ref_uuid);
		__builtin_prefetch(&after->bits);
	}
	if (!next || next->kind != ITEM_RECORD)
		return;
	for (const char *p = (const char *)next->r.kv; p < (const char *)&next->r.kv[next->r.n];
	     p += 64)
		__builtin_prefetch(p);
	for (size_t at = 0; at < next->r.b.len && at < 512; at += 64)
		__builtin_prefetch(next->r.b.data + at);
	const youth__section *s = next->sec;
	for (size_t at = 0; at < s->kind->struct_size; at += 64)
		__builtin_prefetch(next->rec.data + at);
	if (imp->prefetch_sec != s) {
		imp->prefetch_sec = s;
		imp->prefetch_ref = -1;
		for (int r = 0; r < s->n_refs && r < PREPARED_REFS; r++)
			if (strcmp(s->refs[r].key, "person") == 0) {
				imp->prefetch_ref = r;
				break;
			}
	}
	int r = imp->prefetch_ref;
	const struct person_memo *m = imp->persons;
	if (r >= 0 && m && m->n && (next->ref_uuid & (1u << r)))
		__builtin_prefetch(&m->slot[person_home(m, next->bits[r])]);
}

/* The writer: imports the record of @it (this thread holds the registry). */
static int import_record(importer *imp, item *it)
{
	const youth__section *s = it->sec;
	bool keep_going = imp->opt.flags & YOUTH_IMPORT_KEEP_GOING;
	if (imp->n_deferred && s != imp->deferred_sec) {
		int rc = rebuild_indexes(imp, true);
		if (rc)
			return rc;
	}
	if (s != imp->sec) {
		/* the persons' name keys written out before a later section may rename or merge */
		if (imp->sec) {
			int rc = youth__names_settle(imp->reg);
			if (rc)
				return rc;
		}
		imp->view.aliases_known = false; /* a merges section may have written some */
		if (strcmp(s->name, "merges") == 0) {
			person_memo_free(imp); /* a merged person's UUID names the one kept from here on */
			imp->persons_loaded = true;
		}
		if (!imp->split && youth__section_ref(s, "person_id")) {
			int rc = split_memory(imp);
			if (rc)
				return rc;
		}
	}
	imp->sec = s;
	imp->r = &it->r;
	imp->view.r = &it->r;
	imp->number = it->number;
	imp->sum.records = it->number;
	if (it->kind == ITEM_BAD) {
		imp->sum.rejected++;
		return rej_record(imp, it->message);
	}
	int rc;
	if (keep_going && (rc = youth_registry_begin(imp->reg)))
		return rc;
	int done = 0;
	imp->reg->bulk_failed = false;
	rc = apply(imp, it);
	if (rc == YOUTH_OK)
		rc = s->import ? s->import(&imp->view, it->rec.data, &done)
		               : youth__imp_upsert(&imp->view, s->upsert, it->rec.data, NULL, &done);
	if (rc == YOUTH_OK && imp->reg->bulk_failed)
		rc = youth__error(YOUTH_ERROR, NULL, "a write of this record failed although the record "
		                  "was reported imported; refused rather than kept half-written");
	if (rc)
		blame(imp);
	if (keep_going) {
		if (rc == YOUTH_OK) {
			rc = youth_registry_commit(imp->reg);
		} else if (rc != YOUTH_ENOMEM && rc != YOUTH_EIO && rc != YOUTH_EFULL &&
		           rc != YOUTH_EBUSY && rc != YOUTH_ECORRUPT && rc != YOUTH_EREADONLY) {
			char reason[700];
			snprintf(reason, sizeof reason, "%s", youth_error_last()->message);
			youth_registry_rollback(imp->reg);
			imp->sum.rejected++;
			return rej_record(imp, reason);
		} else {
			/* The storage failed, not the record: nothing after it can be trusted. */
			char saved[700], field[64];
			snprintf(saved, sizeof saved, "%s", youth_error_last()->message);
			snprintf(field, sizeof field, "%s",
			         youth_error_last()->field ? youth_error_last()->field : "");
			youth_registry_rollback(imp->reg);
			return youth__error(rc, field[0] ? field : NULL, "%s", saved);
		}
	}
	if (rc)
		return rc;
	if (done == YOUTH__IMP_ADDED) {
		imp->sum.imported++;
		if ((rc = count_added(imp, s)) || (rc = youth__names_bulk_grown(imp->reg)))
			return rc;
	} else if (done == YOUTH__IMP_UPDATED)
		imp->sum.updated++;
	else
		imp->sum.unchanged++;
	if (imp->number % WRITEBACK_EVERY == 0)
		writeback_hint(imp);
	if (imp->number % PROGRESS_EVERY == 0)
		return progress(imp);
	return YOUTH_OK;
}

/* ---- the reader thread -------------------------------------------------------------------- */

/* The slot the reader fills next: its own single item, or a free slot of the queue. */
static item *acquire(importer *imp)
{
	if (!imp->threaded)
		return &imp->single;
	pthread_mutex_lock(&imp->lock);
	while (imp->count == QUEUE_SLOTS && !imp->stop) {
		imp->reader_waits = true;
		pthread_cond_wait(&imp->emptied, &imp->lock);
	}
	imp->reader_waits = false;
	item *it = imp->stop ? NULL : &imp->slots[(imp->head + imp->count) % QUEUE_SLOTS];
	pthread_mutex_unlock(&imp->lock);
	return it;
}

/* Hands @it over: imported at once on one thread, queued for the writer on two.  A stopped
 * writer (it failed) makes the reader stop too; the writer's error is the one reported. */
static int emit(importer *imp, item *it)
{
	if (!imp->threaded)
		return import_record(imp, it);
	pthread_mutex_lock(&imp->lock);
	bool stop = imp->stop;
	if (!stop)
		imp->count++;
	if (imp->writer_waits && imp->count >= QUEUE_BATCH)
		pthread_cond_signal(&imp->filled);
	pthread_mutex_unlock(&imp->lock);
	return stop ? YOUTH_ECANCELLED : YOUTH_OK;
}

static int read_one(importer *imp)
{
	item *it = acquire(imp);
	if (!it)
		return YOUTH_ECANCELLED;
	int rc = read_record(imp, it);
	return rc ? rc : emit(imp, it);
}

static int unknown_section(importer *imp, const char *name)
{
	char known[400] = "";
	for (size_t i = 0; i < youth__n_sections; i++)
		snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
		         youth__sections[i]->name);
	return youth__yaml_error(&imp->y, YOUTH_EPARSE, NULL,
	                         "unknown section `%.40s` (known: %s, and end)", name, known);
}

/* `withheld: [identifiers, contacts]` after `format`: what the export left out
 * (docs/format.md), so that an upsert keeps those fields as stored instead of clearing them. */
static int read_withheld(importer *imp)
{
	youth__yaml *y = &imp->y;
	int rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_SEQUENCE_START_EVENT, "a list: [identifiers, contacts]");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "identifiers or contacts")))
			break;
		const char *v = youth__yaml_scalar(y);
		if (strcmp(v, "identifiers") == 0)
			imp->view.withheld |= YOUTH_FIELD_IDENTIFYING;
		else if (strcmp(v, "contacts") == 0)
			imp->view.withheld |= YOUTH_FIELD_CONTACT;
		else
			rc = youth__yaml_error(y, YOUTH_EPARSE, "withheld", "withheld \"%.40s\": expected "
			                       "identifiers or contacts", v);
	}
	return rc;
}

static int read_document(importer *imp)
{
	youth__yaml *y = &imp->y;
	bool ended = false;
	unsigned seen = 0;
	int rc = youth__yaml_begin_document(y);
	while (rc == YOUTH_OK && !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a section name")))
			break;
		const char *name = youth__yaml_scalar(y);
		if (ended) {
			rc = youth__yaml_error(y, YOUTH_EPARSE, NULL,
			                       "`%.40s` after `end`: the trailer must come last", name);
			break;
		}
		if (strcmp(name, "end") == 0) {
			ended = true;
			rc = youth__yaml_read_end(y, imp->nread);
		} else if (strcmp(name, "withheld") == 0 && !seen && !imp->view.withheld) {
			rc = read_withheld(imp);
		} else {
			size_t index = youth__section_find(name);
			if (index == youth__n_sections) {
				rc = unknown_section(imp, name);
				break;
			}
			const youth__section *s = youth__sections[index];
			unsigned bit = 1u << index;
			if (seen & bit) {
				rc = youth__yaml_error(y, YOUTH_EPARSE, NULL,
				                       "section `%s` given twice; put its records in one list",
				                       name);
				break;
			}
			seen |= bit;
			imp->rsec = s;
			if ((rc = youth__yaml_next(y)))
				break;
			if (youth__yaml_is(y, YAML_SCALAR_EVENT) && !*youth__yaml_scalar(y) &&
			    y->event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
				/* `persons:` with nothing under it: an empty section. */
			} else if ((rc = youth__yaml_expect(y, YAML_SEQUENCE_START_EVENT,
			                                    "a list of records")) == YOUTH_OK) {
				while ((rc = youth__yaml_next(y)) == YOUTH_OK &&
				       !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT))
					if ((rc = read_one(imp)))
						break;
			}
		}
		if (rc == YOUTH_OK)
			rc = youth__yaml_next(y);
	}
	if (rc == YOUTH_OK && !ended)
		rc = youth__yaml_error(y, YOUTH_EPARSE, "end",
		                       "no `end: {records: N}` trailer: the file is cut short, or was "
		                       "not written as libyouth/1 interchange");
	if (rc == YOUTH_OK)
		rc = youth__yaml_end_document(y);
	return rc;
}

static void *reader_main(void *arg)
{
	importer *imp = arg;
	int rc = read_document(imp);
	if (rc && rc != YOUTH_ECANCELLED && imp->src.failed)
		rc = youth__error(YOUTH_EIO, NULL, "%s: read error after %lld bytes: %s", imp->y.name,
		                  (long long)imp->src.bytes, strerror(imp->src.err_no));
	pthread_mutex_lock(&imp->lock);
	/* The end needs a slot like any record; without the flag the writer would never be told
	 * to wake this thread, and would itself wait on an empty queue. */
	while (imp->count == QUEUE_SLOTS && !imp->stop) {
		imp->reader_waits = true;
		pthread_cond_wait(&imp->emptied, &imp->lock);
	}
	imp->reader_waits = false;
	if (!imp->stop) {
		item *it = &imp->slots[(imp->head + imp->count) % QUEUE_SLOTS];
		it->kind = ITEM_END;
		it->number = imp->nread;
		it->code = rc;
		if (rc)
			keep_error(it, rc);
		imp->count++;
		pthread_cond_signal(&imp->filled);
	}
	pthread_mutex_unlock(&imp->lock);
	return NULL;
}

/* The writer's side of a threaded read: imports items in file order until the end, or until
 * one fails (then the reader is stopped).  The first failure in file order is reported, as on
 * one thread. */
static int write_queue(importer *imp)
{
	int rc = YOUTH_OK;
	bool end = false;
	while (!end && rc == YOUTH_OK) {
		pthread_mutex_lock(&imp->lock);
		while (imp->count == 0) {
			imp->writer_waits = true;
			pthread_cond_wait(&imp->filled, &imp->lock);
		}
		imp->writer_waits = false;
		/* A few items per lock, not all: the reader refills the slots as they come free. */
		int n = imp->count < QUEUE_TAKE ? imp->count : QUEUE_TAKE, done = 0;
		pthread_mutex_unlock(&imp->lock);
		while (done < n && rc == YOUTH_OK && !end) {
			item *it = &imp->slots[(imp->head + done) % QUEUE_SLOTS];
			if (it->kind == ITEM_END) {
				if (it->number > imp->sum.records)
					imp->sum.records = it->number;
				if (it->code)
					rc = youth__error(it->code, it->field[0] ? it->field : NULL, "%s",
					                  it->message);
				end = true;
			} else {
				const item *next = done + 1 < n ? &imp->slots[(imp->head + done + 1) %
				                                              QUEUE_SLOTS] : NULL;
				const item *after = done + 2 < n ? &imp->slots[(imp->head + done + 2) %
				                                               QUEUE_SLOTS] : NULL;
				prefetch_item(imp, next, after);
				rc = import_record(imp, it);
			}
			done++;
		}
		pthread_mutex_lock(&imp->lock);
		imp->head = (imp->head + done) % QUEUE_SLOTS;
		imp->count -= done;
		imp->stop = rc != YOUTH_OK;
		if (imp->stop || (imp->reader_waits && imp->count <= QUEUE_SLOTS / 2))
			pthread_cond_signal(&imp->emptied);
		pthread_mutex_unlock(&imp->lock);
	}
	pthread_join(imp->reader, NULL);
	return rc;
}

/* Reads on a second thread when that pays and is safe: a large input, no callback that
 * expects the caller's thread, no caller allocator (it need not be thread-safe). */
static int read_and_import(importer *imp)
{
	bool big = imp->src.type == SRC_FILE ||
	           (imp->src.type == SRC_BUFFER && imp->src.size >= THREAD_MIN_BYTES);
	if (big && youth__alloc_is_default()) {
		imp->slots = youth__calloc(QUEUE_SLOTS, sizeof *imp->slots);
		if (imp->slots && pthread_mutex_init(&imp->lock, NULL) == 0) {
			if (pthread_cond_init(&imp->filled, NULL) == 0) {
				if (pthread_cond_init(&imp->emptied, NULL) == 0) {
					/* Set before the thread starts: it reads the flag at once. */
					imp->threaded = true;
					if (pthread_create(&imp->reader, NULL, reader_main, imp) != 0)
						imp->threaded = false;
					if (!imp->threaded)
						pthread_cond_destroy(&imp->emptied);
				}
				if (!imp->threaded)
					pthread_cond_destroy(&imp->filled);
			}
			if (!imp->threaded)
				pthread_mutex_destroy(&imp->lock);
		}
		if (!imp->threaded) {
			/* No thread to be had: read on this one, as for small inputs. */
			youth__free(imp->slots);
			imp->slots = NULL;
		}
	}
	if (imp->threaded) {
		int rc = write_queue(imp);
		pthread_cond_destroy(&imp->emptied);
		pthread_cond_destroy(&imp->filled);
		pthread_mutex_destroy(&imp->lock);
		for (int i = 0; i < QUEUE_SLOTS; i++) {
			youth__buf_free(&imp->slots[i].r.b);
			youth__buf_free(&imp->slots[i].rec);
		}
		youth__free(imp->slots);
		imp->slots = NULL;
		return rc;
	}
	int rc = read_document(imp);
	if (imp->nread > imp->sum.records)
		imp->sum.records = imp->nread;
	if (rc && imp->src.failed)
		rc = youth__error(YOUTH_EIO, NULL, "%s: read error after %lld bytes: %s", imp->y.name,
		                  (long long)imp->src.bytes, strerror(imp->src.err_no));
	return rc;
}

/* The value of a pragma that reads as one integer; 0 if it cannot be read. */
static int pragma_int(youth_registry *reg, const char *sql)
{
	int v = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* Sets pragma @name to @value, best effort: a connection that refuses keeps its own. */
static void pragma_set(youth_registry *reg, const char *name, int value)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA %s = %d", name, value);
	sqlite3_exec(reg->db, sql, NULL, NULL, NULL);
}

static int import_run(youth_registry *reg, source *src, const char *name,
                      const youth_import_options *options, youth_interchange_summary *summary)
{
	importer *imp = youth__calloc(1, sizeof *imp);
	if (!imp)
		return youth__oom();
	imp->wal_fd = -1;
	imp->reg = reg;
	imp->src = *src;
	if (options)
		imp->opt = *options;
	imp->view.reg = reg;
	imp->view.flags = imp->opt.flags;
	int rc = YOUTH_OK;
	unsigned known = YOUTH_IMPORT_KEEP_GOING | YOUTH_IMPORT_DRY_RUN | YOUTH_IMPORT_UPSERT;
	if (imp->opt.flags & ~known)
		rc = youth__error(YOUTH_EINVAL, NULL, "import: unknown flags 0x%x", imp->opt.flags);
	else if ((imp->opt.rejects_path || imp->opt.rejects) &&
	         !(imp->opt.flags & YOUTH_IMPORT_KEEP_GOING))
		rc = youth__error(YOUTH_EINVAL, NULL,
		                  "import: a rejects report needs the keep-going mode");
	else if (imp->opt.rejects_path) {
		/* Personal data (0600), and no file at all unless a record is rejected. */
		rc = youth__outfile_open(&imp->rej_file, imp->opt.rejects_path);
		imp->rej = rc == YOUTH_OK ? imp->rej_file.f : NULL;
		imp->own_rej = rc == YOUTH_OK;
	} else {
		imp->rej = imp->opt.rejects;
	}
	bool began = false;
	/* The import's page cache and sorter threads, restored afterwards. */
	int cache_pages = pragma_int(reg, "PRAGMA cache_size");
	int threads = pragma_int(reg, "PRAGMA threads");
	imp->cache_kib = (int)youth__import_memory_kib;
	pragma_set(reg, "cache_size", -imp->cache_kib);
	pragma_set(reg, "threads", YOUTH__SORT_THREADS);
	if (rc == YOUTH_OK)
		rc = youth__yaml_open_handler(&imp->y, read_source, &imp->src, name);
	if (rc == YOUTH_OK) {
		imp->y.locate = locate_source;
		imp->y.locate_ctx = &imp->src;
		/* a refused record goes to the rejects report whole, to be fixed and imported again */
		imp->y.whole_records = imp->opt.flags & YOUTH_IMPORT_KEEP_GOING;
	}
	/* A registry with nobody in it yet is loaded through a rollback journal: its pages are
	 * written once instead of into the WAL and again by the checkpoint (registry.c). */
	if (rc == YOUTH_OK && !(imp->opt.flags & YOUTH_IMPORT_DRY_RUN))
		youth__first_load_begin(reg);
	if (rc == YOUTH_OK && (rc = youth_registry_begin(reg)) == YOUTH_OK) {
		began = true;
		reg->bulk = true;
		youth__operator_memo_clear(reg); /* read only in bulk mode: from now on */
		/* max(rowid): the last leaf read, where EXISTS would plan a scan */
		int64_t none = 0;
		bool found = false;
		rc = youth__query_ints(&none, 1, &found, reg,
		                       "SELECT max(rowid) IS NULL FROM person_erased", NULL, 0,
		                       "looking for erased persons");
		reg->erased_none = rc == YOUTH_OK && found && none;
		if (rc == YOUTH_OK)
			rc = youth__names_defer_begin(reg, !(imp->opt.flags & (YOUTH_IMPORT_KEEP_GOING |
			                                                      YOUTH_IMPORT_UPSERT |
			                                                      YOUTH_IMPORT_DRY_RUN)));
		if (rc == YOUTH_OK)
			rc = youth__rules_memo_begin(reg);
		/* Audit trail: the switch and the actor checked once; each record's entry names
		 * the import as its operation. */
		if (rc == YOUTH_OK)
			rc = youth__audit_begin(reg, "import");
	}
	if (rc == YOUTH_OK)
		rc = read_and_import(imp);
	/* The references are all resolved: their memos' memory goes back before the index sorts
	 * of the end take theirs (a million persons: 24 MiB less at the peak). */
	person_memo_free(imp);
	youth__free(imp->memo);
	imp->memo = NULL;
	if (rc == YOUTH_OK && !(imp->opt.flags & YOUTH_IMPORT_DRY_RUN))
		rc = rebuild_indexes(imp, false);
	/* The name index of the persons added, sorted once (names.c), with the small cache of a
	 * sort: SQLite's sorter keeps up to the page cache in memory and sorts it as one list, which
	 * with the 32 MiB of the services took 0.78 s for the 895 000 keys of 100 000 persons, and
	 * 64 MiB of memory; with 4 MiB it merges sorted runs, in 0.43 s and 13 MiB. */
	bool names_write = rc == YOUTH_OK && !(imp->opt.flags & YOUTH_IMPORT_DRY_RUN);
	if (names_write && reg->names_deferred_from)
		rc = set_cache(imp, youth__sort_cache_kib);
	int names_rc = youth__names_defer_end(reg, rc == YOUTH_OK && names_write);
	if (rc == YOUTH_OK)
		rc = names_rc;
	forget_deferred(imp); /* a failed or dry run rolls back: the indexes come back with it */
	if (rc == YOUTH_OK)
		rc = progress(imp);
	if (rc == YOUTH_OK)
		rc = rej_finish(imp);
	reg->bulk = false;
	reg->erased_none = false; /* true only inside this import's write transaction */
	youth__rules_memo_end(reg);
	if (began) {
		if (rc == YOUTH_OK && !(imp->opt.flags & YOUTH_IMPORT_DRY_RUN)) {
			rc = youth_registry_commit(reg);
		} else {
			/* The rollback must not cost the caller the message of the failure. */
			char saved[700], field[64];
			int code = youth_error_last()->code;
			snprintf(saved, sizeof saved, "%s", youth_error_last()->message);
			snprintf(field, sizeof field, "%s",
			         youth_error_last()->field ? youth_error_last()->field : "");
			youth_registry_rollback(reg);
			if (rc)
				youth__error(code, field[0] ? field : NULL, "%s", saved);
		}
	}
	youth__first_load_end(reg);
	pragma_set(reg, "cache_size", cache_pages);
	pragma_set(reg, "threads", threads);
	imp->sum.bytes = imp->src.bytes;
	if (rc != YOUTH_OK) /* rolled back: nothing was added or updated after all */
		imp->sum.imported = imp->sum.updated = imp->sum.unchanged = 0;
	if (summary)
		*summary = imp->sum;
	youth__yaml_close(&imp->y);
	if (imp->wal_fd >= 0)
		close(imp->wal_fd);
	if (imp->own_rej) /* not committed by rej_finish(): no rejects, or the import failed */
		youth__outfile_abort(&imp->rej_file);
	youth__buf_free(&imp->single.r.b);
	youth__buf_free(&imp->single.rec);
	youth__free(imp->memo);
	person_memo_free(imp);
	youth__buf_free(&imp->out);
	youth__free(imp);
	return rc;
}

void youth_import_options_init(youth_import_options *o)
{
	if (o)
		memset(o, 0, sizeof *o);
}

static int import_args(youth_registry *reg, const void *input, const char *fn,
                       youth_interchange_summary *summary)
{
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!reg || !input)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL %s", fn, reg ? "input" : "registry");
	if (reg->readonly)
		return youth__error(YOUTH_EREADONLY, NULL, "%s: the registry is open read-only", fn);
	return YOUTH_OK;
}

int youth_import_file(youth_interchange_summary *summary, youth_registry *reg, const char *path,
                      const youth_import_options *options)
{
	int rc = import_args(reg, path, "youth_import_file", summary);
	if (rc)
		return rc;
	FILE *f = fopen(path, "rb");
	if (!f)
		return youth__error(errno == ENOENT ? YOUTH_ENOTFOUND : YOUTH_EIO, NULL, "%s: %s", path,
		                    strerror(errno));
	source src = {.type = SRC_FILE, .file = f, .start = 0};
	/* An encrypted export (crypt.c), recognised by its magic header. */
	if (youth__crypt_sniff(f))
		rc = youth__crypt_import(summary, reg, f, path, options);
	else
		rc = import_run(reg, &src, path, options, summary);
	fclose(f);
	return rc;
}

int youth_import_stream(youth_interchange_summary *summary, youth_registry *reg, FILE *stream,
                        const char *name, const youth_import_options *options)
{
	int rc = import_args(reg, stream, "youth_import_stream", summary);
	if (rc)
		return rc;
	source src = {.type = SRC_FILE, .file = stream, .start = ftello(stream)};
	if (youth__crypt_sniff(stream)) /* a seekable stream only: a pipe is read as YAML */
		return youth__crypt_import(summary, reg, stream, name ? name : "<stream>", options);
	return import_run(reg, &src, name ? name : "<stream>", options, summary);
}

int youth_import_buffer(youth_interchange_summary *summary, youth_registry *reg, const char *data,
                        size_t size, const char *name, const youth_import_options *options)
{
	int rc = import_args(reg, data, "youth_import_buffer", summary);
	if (rc)
		return rc;
	source src = {.type = SRC_BUFFER, .data = data, .size = size, .start = -1};
	return import_run(reg, &src, name ? name : "<buffer>", options, summary);
}

int youth_import_read(youth_interchange_summary *summary, youth_registry *reg, youth_read_fn read,
                      void *ctx, const char *name, const youth_import_options *options)
{
	int rc = import_args(reg, (const void *)read, "youth_import_read", summary);
	if (rc)
		return rc;
	source src = {.type = SRC_CALLBACK, .fn = read, .ctx = ctx, .start = -1};
	return import_run(reg, &src, name ? name : "<input>", options, summary);
}
