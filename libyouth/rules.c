/*
 * Eligibility rules of the programmes, kept as data (loaded from YAML, docs/rules.md), and the
 * check that services run before they enrol a person.
 *
 * A programme row holds the scalar rules; the places it serves are rows of programme_place
 * (place ids, so a rule follows the gazetteer), and a person is inside when their place is a
 * rule place or below it: the same path-range scan as the person filters.  A violation is
 * YOUTH_ERULE naming the programme and the rule; a service given an explicit override records
 * one eligibility_override row per rule set aside, inside the service's own write.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

#define CODE_MAX 32
#define TITLE_MAX 120
#define REASON_MAX 500
#define AGE_LIMIT 120
#define LIST_MAX 64 /* places or census rounds of one programme */

/* ---- fields ---------------------------------------------------------------------------- */

/* Programmes are read and written whole (YAML, youth_programme_put()): no text interface. */
YOUTH__RECORD_LIFE(youth_programme, youth__kind_programme)
YOUTH__RECORD_ITER(youth_programme)

/* ---- validation ------------------------------------------------------------------------ */

typedef struct checked {
	char uuid[YOUTH_UUID_LEN + 1];
	int64_t place_ids[LIST_MAX];
	int n_places;
	youth__buf rounds; /* normalised "a, b" */
	int n_rounds;
	youth_registry *reg; /* where the places are looked up, while validating */
} checked;

static int round_item(void *ctx, const char *item, size_t n)
{
	checked *c = ctx;
	if (!youth__round_chars_ok(item, n))
		return youth__error(YOUTH_EINVAL, "census_rounds",
		                    "census_rounds \"%.*s\": a census round is 1-32 letters, digits, '-', "
		                    "'_' or '.'", (int)(n > 40 ? 40 : n), item);
	if (++c->n_rounds > LIST_MAX)
		return youth__error(YOUTH_EINVAL, "census_rounds",
		                    "census_rounds: more than %d rounds", LIST_MAX);
	youth__buf *b = &c->rounds;
	/* Refuse a round given twice: it is a typo, not a rule. */
	for (const char *s = b->data; s && *s;) {
		const char *e = strstr(s, ", ");
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && memcmp(s, item, n) == 0)
			return youth__error(YOUTH_EINVAL, "census_rounds",
			                    "census_rounds \"%.*s\": given twice", (int)n, item);
		s = e ? e + 2 : s + len;
	}
	int rc = b->len ? youth__buf_put(b, ", ", 2) : YOUTH_OK;
	return rc ? rc : youth__buf_put(b, item, n);
}

static int place_item(void *ctx, const char *item, size_t n)
{
	checked *c = ctx;
	if (c->n_places == LIST_MAX)
		return youth__error(YOUTH_EINVAL, "places", "places: more than %d places", LIST_MAX);
	char *text = youth__strndup(item, n);
	if (!text)
		return youth__oom();
	int64_t id = 0;
	int rc = youth__place_resolve(c->reg, text, "places", &id);
	for (int i = 0; rc == YOUTH_OK && i < c->n_places; i++)
		if (c->place_ids[i] == id)
			rc = youth__error(YOUTH_EINVAL, "places", "places \"%.80s\": given twice", text);
	youth__free(text);
	if (rc == YOUTH_OK)
		c->place_ids[c->n_places++] = id;
	return rc;
}

static int validate(youth_registry *reg, const youth_programme *p, checked *c)
{
	int rc;
	memset(c, 0, sizeof *c);
	c->reg = reg;
	if (p->uuid[0]) {
		if (memchr(p->uuid, 0, sizeof p->uuid) == NULL || !youth__uuid_valid(p->uuid))
			return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.36s\": not a UUID", p->uuid);
		memcpy(c->uuid, p->uuid, sizeof c->uuid);
		youth__uuid_norm(c->uuid);
	}
	if ((rc = youth__code_rule("code", p->code, CODE_MAX)) ||
	    (rc = youth__text_rule("title", p->title, TITLE_MAX, true)))
		return rc;
	if (p->age_min < 0 || p->age_min > AGE_LIMIT)
		return youth__error(YOUTH_EINVAL, "age_min", "age_min %d: must be 0-%d (0 = no minimum)",
		                    p->age_min, AGE_LIMIT);
	if (p->age_max < 0 || p->age_max > AGE_LIMIT)
		return youth__error(YOUTH_EINVAL, "age_max", "age_max %d: must be 0-%d (0 = no maximum)",
		                    p->age_max, AGE_LIMIT);
	if (p->age_max && p->age_min > p->age_max)
		return youth__error(YOUTH_EINVAL, "age_min", "age_min %d: above age_max %d", p->age_min,
		                    p->age_max);
	if (p->consent_required != 0 && p->consent_required != 1)
		return youth__error(YOUTH_EINVAL, "consent_required",
		                    "consent_required %d: must be 0 or 1", p->consent_required);
	if (p->women_only != 0 && p->women_only != 1)
		return youth__error(YOUTH_EINVAL, "women_only", "women_only %d: must be 0 or 1",
		                    p->women_only);
	if (p->census_rounds && *p->census_rounds) {
		if ((rc = youth__each_item(p->census_rounds, round_item, c)))
			return rc;
		if (c->rounds.len == 0)
			return youth__error(YOUTH_EINVAL, "census_rounds",
			                    "census_rounds \"%.40s\": names no round (leave it empty to "
			                    "accept every round)", p->census_rounds);
	}
	if (p->places && *p->places) {
		if (!youth__utf8_valid(p->places, strlen(p->places), false))
			return youth__error(YOUTH_EINVAL, "places", "places: not valid UTF-8 text");
		if ((rc = youth__each_item(p->places, place_item, c)))
			return rc;
		if (c->n_places == 0)
			return youth__error(YOUTH_EINVAL, "places",
			                    "places \"%.40s\": names no place (leave it empty to serve "
			                    "every place)", p->places);
	}
	return YOUTH_OK;
}

/* ---- writing --------------------------------------------------------------------------- */

/* Finds the programme with @code: *id (0 when none) and its uuid. */
static int find_code(youth_registry *reg, const char *code, int64_t *id,
                     char uuid[YOUTH_UUID_LEN + 1])
{
	return youth__find_record(reg, NULL, NULL, "SELECT id, uuid FROM programme WHERE code = ?",
	                          code, id, uuid);
}

/* Writes a programme's row with @sql, ?1-?7 its fields and ?8 the row @id it replaces (an
 * update) or, for id 0, the new row's uuid (an insert). */
static int write_programme(youth_registry *reg, const char *sql, const youth_programme *p,
                           const checked *c, int64_t id, const char *what)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	youth__bind_text(st, 1, p->code);
	youth__bind_text(st, 2, p->title);
	sqlite3_bind_int(st, 3, p->age_min);
	sqlite3_bind_int(st, 4, p->age_max);
	if (c->rounds.len)
		sqlite3_bind_text(st, 5, c->rounds.data, (int)c->rounds.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int(st, 6, p->consent_required);
	sqlite3_bind_int(st, 7, p->women_only);
	if (id)
		sqlite3_bind_int64(st, 8, id);
	else
		sqlite3_bind_text(st, 8, c->uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
	return youth__step_done(reg, st, what);
}

static int put_rows(youth__write *w, youth_programme *p, checked *c, int64_t *id_out)
{
	youth_registry *reg = w->reg;
	youth__rules_memo_clear(reg); /* an import's copy of the rules is stale from here on */
	int64_t id;
	char old_uuid[YOUTH_UUID_LEN + 1] = "";
	int rc = find_code(reg, p->code, &id, old_uuid);
	sqlite3_stmt *st;
	if (rc)
		return rc;
	if (id) {
		if (c->uuid[0] && strcmp(c->uuid, old_uuid) != 0)
			return youth__error(YOUTH_EINVAL, "uuid",
			                    "uuid %s: programme \"%s\" has uuid %s; a uuid never changes",
			                    c->uuid, p->code, old_uuid);
		memcpy(c->uuid, old_uuid, sizeof c->uuid);
		static const char upd[] = "UPDATE programme SET code = ?1, title = ?2, age_min = ?3, "
		                          "age_max = ?4, census_rounds = ?5, consent_required = ?6, "
		                          "women_only = ?7 WHERE id = ?8";
		if ((rc = write_programme(reg, upd, p, c, id, "replacing a programme")))
			return rc;
		youth__write_row(w, "programme", id, 'u');
		static const char del[] = "DELETE FROM programme_place WHERE programme_id = ?";
		if ((rc = youth__stmt(reg, del, &st)))
			return rc;
		sqlite3_bind_int64(st, 1, id);
		if ((rc = youth__step_done(reg, st, "replacing a programme's places")))
			return rc;
		for (int n = sqlite3_changes(reg->db); n > 0; n--)
			youth__write_row(w, "programme_place", id, 'd');
	} else {
		if (!c->uuid[0] && (rc = youth__uuid_new(c->uuid)))
			return rc;
		static const char ins[] = "INSERT INTO programme (code, title, age_min, age_max, "
		                          "census_rounds, consent_required, women_only, uuid) "
		                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
		rc = write_programme(reg, ins, p, c, 0, "adding a programme");
		if (rc == YOUTH_EEXISTS)
			return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another programme",
			                    c->uuid);
		if (rc)
			return rc;
		id = sqlite3_last_insert_rowid(reg->db);
		youth__write_row(w, "programme", id, 'c');
	}
	static const char ins_place[] =
		"INSERT INTO programme_place (programme_id, place_id) VALUES (?, ?)";
	for (int i = 0; rc == YOUTH_OK && i < c->n_places; i++) {
		if ((rc = youth__stmt(reg, ins_place, &st)))
			break;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, c->place_ids[i]);
		rc = youth__step_done(reg, st, "storing the places of a programme");
		if (rc == YOUTH_OK)
			youth__write_row(w, "programme_place", id, 'c');
	}
	*id_out = id;
	return rc;
}

int youth_programme_put(youth_registry *reg, youth_programme *p)
{
	if (!reg || !p)
		return youth__null_arg("youth_programme_put", reg, "programme");
	checked c;
	int rc = validate(reg, p, &c);
	youth__write w;
	int64_t id = 0;
	if (rc == YOUTH_OK && (rc = youth__write_begin(&w, reg, "put programme")) == YOUTH_OK) {
		rc = put_rows(&w, p, &c, &id);
		rc = youth__write_end(&w, rc);
		if (rc == YOUTH_OK) {
			p->id = id;
			memcpy(p->uuid, c.uuid, sizeof p->uuid);
		}
	}
	youth__buf_free(&c.rounds);
	return rc;
}

/* ---- reading --------------------------------------------------------------------------- */

/* Column order of the fields table; the places are the canonical paths, in path order. */
#define PROGRAMME_SELECT                                                                       \
	"SELECT p.id, p.uuid, p.code, p.title, p.age_min, p.age_max, "                           \
	"(SELECT group_concat(path, ', ') FROM (SELECT pl.path AS path FROM programme_place pp "  \
	"JOIN place pl ON pl.id = pp.place_id WHERE pp.programme_id = p.id ORDER BY pl.path)), " \
	"p.census_rounds, p.consent_required, p.women_only FROM programme p"

int youth_programme_get(youth_programme **out, youth_registry *reg, const char *code)
{
	return youth__rec_get_text(out, reg, &youth__kind_programme, PROGRAMME_SELECT
	                           " WHERE p.code = ?", code, "youth_programme_get", "code");
}

YOUTH__RECORD_LIST0(youth_programme, youth__kind_programme, "listing programmes",
                    PROGRAMME_SELECT " ORDER BY p.code")

/* ---- purposes of consent (consent.c; docs/rules.md, "Purposes") --------------------------- */

/* The vocabulary lives in the registry (seeded by migration 7 with the five purposes of
 * issue 12) so that every process that opens the file refuses the same unknown purpose; a
 * rules file's `purposes:` adds to it.  A purpose is never removed: rows of consent history
 * name it. */
#define PURPOSE_MAX 32

int youth_purpose_list(char *buf, size_t size, youth_registry *reg)
{
	if (!buf || !size || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_purpose_list: NULL argument");
	buf[0] = 0;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "SELECT code FROM consent_purpose ORDER BY code", &st);
	size_t len = 0;
	int s;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
		                 (const char *)sqlite3_column_text(st, 0));
		if (n < 0 || (size_t)n >= size - len)
			rc = youth__error(YOUTH_ELIMIT, NULL, "youth_purpose_list: the purposes do not "
			                  "fit in %zu bytes", size);
		else
			len += (size_t)n;
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "listing purposes");
	if (st)
		sqlite3_reset(st);
	return rc;
}

int youth_purpose_check(youth_registry *reg, const char *purpose)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_purpose_check: NULL registry");
	if (!purpose || !*purpose)
		return youth__error(YOUTH_EINVAL, "purpose", "purpose: missing (one of the registry's "
		                    "purposes; `youth consent purposes` lists them)");
	sqlite3_stmt *st;
	bool found = false;
	int rc = youth__stmt(reg, "SELECT 1 FROM consent_purpose WHERE code = ?", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, purpose, -1, SQLITE_STATIC);
	rc = youth__step_row(reg, st, &found, "reading purposes");
	sqlite3_reset(st);
	if (rc || found)
		return rc;
	char known[1024];
	youth_purpose_list(known, sizeof known, reg);
	return youth__error(YOUTH_EINVAL, "purpose", "purpose \"%.40s\": not a purpose of this "
	                    "registry (allowed: %s; a rules file adds purposes)", purpose, known);
}

/* One purpose of a rules file: added unless the registry has it. */
static int purpose_put(youth__write *w, const char *code)
{
	int rc = youth__code_rule("purposes", code, PURPOSE_MAX);
	sqlite3_stmt *st;
	if (rc || (rc = youth__stmt(w->reg, "INSERT OR IGNORE INTO consent_purpose (code) "
	                                    "VALUES (?)", &st)))
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if ((rc = youth__step_done(w->reg, st, "adding a purpose")) == YOUTH_OK &&
	    sqlite3_changes(w->reg->db) == 1)
		youth__write_row(w, "consent_purpose", sqlite3_last_insert_rowid(w->reg->db), 'c');
	return rc;
}

/* The value of `purposes`: a list of plain codes. */
static int load_purposes(youth__yaml *y, void *ctx, int64_t *count)
{
	youth__write *w = ((youth__loading *)ctx)->w;
	int rc = youth__yaml_expect(y, YAML_SEQUENCE_START_EVENT, "a list of purposes");
	(void)count; /* the count is of programmes */
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a purpose (a plain code)")))
			break;
		if ((rc = purpose_put(w, youth__yaml_scalar(y))))
			youth__error_prefix("%s:%zu:%zu", y->name, (size_t)y->event.start_mark.line + 1,
			                    (size_t)y->event.start_mark.column + 1);
	}
	return rc;
}

/* ---- loading YAML ---------------------------------------------------------------------- */

/* Keys whose YAML value is a list of plain values. */
static const char *const list_keys[] = {"places", "census_rounds", NULL};

/* Refuses a code defined twice in one file; the load's buffer holds "code\0line\0" pairs. */
static int code_once(youth__yaml *y, void *ctx, const void *rec, const youth__yaml_rec *r)
{
	youth__buf *seen = ((youth__loading *)ctx)->ctx;
	const char *code = ((const youth_programme *)rec)->code;
	size_t line = r->line;
	if (!code)
		return YOUTH_OK;
	for (size_t off = 0; off < seen->len;) {
		const char *c = seen->data + off;
		const char *l = c + strlen(c) + 1;
		if (strcmp(c, code) == 0)
			return youth__error(YOUTH_EINVAL, "code",
			                    "%s:%zu: code \"%s\": defined twice in this file (first at line "
			                    "%s)", y->name, line, code, l);
		off = (size_t)(l - seen->data) + strlen(l) + 1;
	}
	char num[24];
	snprintf(num, sizeof num, "%zu", line);
	int rc = youth__buf_put(seen, code, strlen(code) + 1);
	return rc ? rc : youth__buf_put(seen, num, strlen(num) + 1);
}

static int rules_put(void *ctx, void *rec)
{
	return youth_programme_put(((youth__loading *)ctx)->w->reg, rec);
}

static const youth__yaml_list rules_programmes = {
	&youth__kind_programme, "a list of programmes", "programme", "programme", list_keys,
	.check = code_once, .add = rules_put,
};
static const youth__yaml_file rules_file = {
	"rules", "programmes", "`format`, `programmes` and `purposes`", .once = true,
	.records = &rules_programmes, .key2 = "purposes", .list2 = load_purposes,
};
static const youth__load rules_load = {"youth_rules_load", "load rules", &rules_file};

int youth_rules_load(int64_t *loaded, youth_registry *reg, const char *path)
{
	youth__buf seen = {0};
	int rc = youth__load_file(&rules_load, reg, path, &seen, loaded);
	youth__buf_free(&seen);
	return rc;
}

int youth_rules_load_buffer(int64_t *loaded, youth_registry *reg, const char *data, size_t size,
                            const char *name)
{
	youth__buf seen = {0};
	int rc = youth__load_buffer(&rules_load, reg, data, size, name, &seen, loaded);
	youth__buf_free(&seen);
	return rc;
}

/* ---- eligibility ----------------------------------------------------------------------- */

#define MAX_VIOLATIONS 6

/* Every rule a person breaks, in the order of the programme's fields. */
typedef struct verdict {
	int n;
	struct {
		const char *rule;
		char message[400];
	} v[MAX_VIOLATIONS];
} verdict;

static void violate(verdict *out, const char *rule, const char *fmt, ...) YOUTH__PRINTF(3, 4);
static void violate(verdict *out, const char *rule, const char *fmt, ...)
{
	if (out->n == MAX_VIOLATIONS)
		return;
	out->v[out->n].rule = rule;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->v[out->n].message, sizeof out->v[out->n].message, fmt, ap);
	va_end(ap);
	out->n++;
}

/* The facts about a person that the rules look at. */
typedef struct facts {
	char birth[YOUTH_DATE_LEN + 1];
	int sex;
	char path[512];
	char round[40];
	int consent;
	char consent_date[YOUTH_DATE_LEN + 1];
} facts;


/* Is @path one of the programme's places or below one?  *has_rule = 0 when it lists none. */
static int place_served(youth_registry *reg, int64_t programme_id, const char *path,
                        int *has_rule, int *inside)
{
	static const char sql[] =
		"SELECT count(*), coalesce(max(pl.path = ?2 OR (?2 > pl.path || '/' AND "
		"?2 < pl.path || '0')), 0) FROM programme_place pp JOIN place pl ON pl.id = pp.place_id "
		"WHERE pp.programme_id = ?1";
	sqlite3_stmt *st;
	int64_t v[2] = {0, 0}; /* places listed, whether @path is one of them or below one */
	bool found;
	int rc = youth__stmt_key_texts(&st, reg, sql, programme_id, 1, &path);
	if (rc == YOUTH_OK)
		rc = youth__row_ints(v, 2, &found, reg, st, "reading a programme's places");
	*has_rule = v[0] > 0;
	*inside = (int)v[1];
	return rc;
}

/*
 * An import's copy of the programmes' rules (youth__rules_memo_begin()): every service record
 * of a national file checks the same few programmes, and reading a programme and scanning its
 * places took a tenth of such an import.  Valid for the length of the import's transaction:
 * nothing but the import writes through the handle meanwhile, and youth_programme_put() clears
 * it (a programmes section, an upsert), so a programme is read again after any change.  Place
 * paths never change (gazetteer.c), so the paths kept stay true.
 */
#define MEMO_PROGRAMMES 16
struct memo_programme {
	char code[CODE_MAX + 1];
	bool found; /* false: no such programme, no rules */
	int64_t id;
	int age_min, age_max, consent_required, women_only;
	bool has_rounds, has_places;
	char *rounds; /* "a, b" as stored */
	char **paths; /* the places served */
	int n_paths;
};
/*
 * And the facts of the persons those records name: every service record reads its person's
 * birth date, sex, place, census round and consent, by id, and in a national file the persons
 * come in no order, each read a random page of the person table (at a million persons, a
 * pread for most).  The memo reads FACTS_BLOCK persons of consecutive ids at once, the block
 * holding the one asked for, and keeps them compactly (12 bytes a person, up to
 * FACTS_MAX_BLOCKS blocks: 12 MiB for a million persons, or fewer when the import's memory is
 * short, youth__rules_memo_bound(); past it the registry is read as without a memo).  Valid
 * like the programmes: youth__write_row() tells the memo of every row written (the one write
 * path; reg->memo_written) and a person written loses their block, and
 * a write rolled back forgets them all (youth__memos_forget(), reg->memo_forget), so a block
 * read inside a write that is then undone is not kept.
 */
#define FACTS_BLOCK 64
#define FACTS_MAX_BLOCKS (1 << 14)
#define FACTS_ROUNDS 255
#define FACTS_PLACES (1 << 20) /* place ids beyond: the person is read from the registry */
struct fact {
	uint32_t birth;        /* YYYYMMDD; 0: not known, read the registry */
	uint32_t consent_date; /* YYYYMMDD; 0: none */
	uint32_t packed;       /* place id, index in rounds[], sex, consent: FACT_* below */
};
#define FACT_PLACE(x) ((x) & 0xfffffu) /* place ids below FACTS_PLACES */
#define FACT_ROUND(x) ((x) >> 20 & 0xffu)
#define FACT_SEX(x) ((x) >> 28 & 3u)
#define FACT_CONSENT(x) ((x) >> 30 & 1u)
struct youth__rules_memo {
	struct memo_programme p[MEMO_PROGRAMMES];
	int n;
	struct fact **blocks; /* by (id - 1) / FACTS_BLOCK; NULL: not read */
	size_t n_dir;         /* entries of blocks[] */
	int n_blocks;         /* blocks held */
	int max_blocks;       /* the most it may hold (youth__rules_memo_bound()) */
	char *rounds[FACTS_ROUNDS];
	int n_rounds;
	char **paths; /* by place id, read at their first use */
	size_t n_paths;
};

static void memo_forget(struct youth__rules_memo *m)
{
	for (int i = 0; i < m->n; i++) {
		youth__free_strv(m->p[i].paths, m->p[i].n_paths);
		youth__free(m->p[i].rounds);
	}
	m->n = 0;
}

static void facts_forget(struct youth__rules_memo *m)
{
	for (size_t i = 0; i < m->n_dir; i++)
		youth__free(m->blocks[i]);
	youth__free(m->blocks);
	m->blocks = NULL;
	m->n_dir = 0;
	m->n_blocks = 0;
	for (int i = 0; i < m->n_rounds; i++)
		youth__free(m->rounds[i]);
	m->n_rounds = 0;
	for (size_t i = 0; i < m->n_paths; i++)
		youth__free(m->paths[i]);
	youth__free(m->paths);
	m->paths = NULL;
	m->n_paths = 0;
}

/* reg->memo_written: a person written loses their block. */
static void facts_written(youth_registry *reg, const char *table, int64_t person_id)
{
	struct youth__rules_memo *m = reg->rules_memo;
	if (!m || !m->n_blocks || person_id <= 0 || strcmp(table, "person") != 0)
		return;
	size_t b = (size_t)((person_id - 1) / FACTS_BLOCK);
	if (b < m->n_dir && m->blocks[b]) {
		youth__free(m->blocks[b]);
		m->blocks[b] = NULL;
		m->n_blocks--;
	}
}

/* reg->memo_forget: a write rolled back may have read a block. */
static void facts_clear(youth_registry *reg)
{
	if (reg->rules_memo)
		facts_forget(reg->rules_memo);
}

int youth__rules_memo_begin(youth_registry *reg)
{
	if (!reg->rules_memo && !(reg->rules_memo = youth__calloc(1, sizeof *reg->rules_memo)))
		return youth__oom();
	reg->rules_memo->max_blocks = FACTS_MAX_BLOCKS;
	reg->memo_written = facts_written;
	reg->memo_forget = facts_clear;
	return YOUTH_OK;
}

/* A block's bytes: its facts, the allocator's header, its entry of the directory. */
#define FACTS_BLOCK_BYTES (FACTS_BLOCK * sizeof(struct fact) + 16 + sizeof(struct fact *))

size_t youth__rules_memo_bound(youth_registry *reg, int64_t persons, size_t bytes)
{
	struct youth__rules_memo *m = reg->rules_memo;
	if (!m)
		return 0;
	size_t want = persons > 0 ? (size_t)((persons + FACTS_BLOCK - 1) / FACTS_BLOCK) : 0;
	if (want > bytes / FACTS_BLOCK_BYTES)
		want = bytes / FACTS_BLOCK_BYTES;
	if (want > FACTS_MAX_BLOCKS)
		want = FACTS_MAX_BLOCKS;
	m->max_blocks = (int)want;
	return want * FACTS_BLOCK_BYTES;
}

void youth__rules_memo_clear(youth_registry *reg)
{
	if (reg->rules_memo)
		memo_forget(reg->rules_memo);
}

void youth__rules_memo_end(youth_registry *reg)
{
	youth__rules_memo_clear(reg);
	facts_clear(reg);
	reg->memo_written = NULL;
	reg->memo_forget = NULL;
	youth__free(reg->rules_memo);
	reg->rules_memo = NULL;
}

/* Reads programme @code and the paths of its places into a new memo entry (NULL when the memo
 * is full: the caller reads the programme as without a memo). */
static int memo_load(youth_registry *reg, const char *code, struct memo_programme **out)
{
	struct youth__rules_memo *m = reg->rules_memo;
	*out = NULL;
	if (m->n == MEMO_PROGRAMMES || strlen(code) > CODE_MAX)
		return YOUTH_OK;
	struct memo_programme *e = &m->p[m->n];
	memset(e, 0, sizeof *e);
	snprintf(e->code, sizeof e->code, "%s", code);
	static const char sql[] = "SELECT id, age_min, age_max, census_rounds, consent_required, "
	                          "women_only FROM programme WHERE code = ?";
	static const char places[] = "SELECT pl.path FROM programme_place pp JOIN place pl ON "
	                             "pl.id = pp.place_id WHERE pp.programme_id = ?1";
	sqlite3_stmt *st;
	bool found;
	int rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
		rc = youth__step_row(reg, st, &found, "reading a programme");
	}
	if (rc)
		return rc;
	if (found) {
		const unsigned char *r = sqlite3_column_text(st, 3);
		e->found = true;
		e->id = sqlite3_column_int64(st, 0);
		e->age_min = sqlite3_column_int(st, 1);
		e->age_max = sqlite3_column_int(st, 2);
		e->has_rounds = r != NULL;
		e->consent_required = sqlite3_column_int(st, 4);
		e->women_only = sqlite3_column_int(st, 5);
		if (r && !(e->rounds = youth__strdup((const char *)r)))
			rc = youth__oom();
	}
	sqlite3_reset(st);
	if (rc == YOUTH_OK && found && (rc = youth__stmt(reg, places, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, e->id);
		int s;
		while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
			char **grown = youth__realloc(e->paths, (size_t)(e->n_paths + 1) * sizeof *grown);
			char *path = youth__strdup((const char *)sqlite3_column_text(st, 0));
			if (grown)
				e->paths = grown;
			if (!grown || !path) {
				youth__free(path);
				rc = youth__oom();
				break;
			}
			e->paths[e->n_paths++] = path;
		}
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "reading a programme's places");
		sqlite3_reset(st);
		e->has_places = e->n_paths > 0;
	}
	m->n++; /* counted even on failure, so that memo_forget() frees what was read */
	if (rc == YOUTH_OK)
		*out = e;
	else
		memo_forget(m);
	return rc;
}

/* The memo's entry for @code, read at its first use (NULL: no memo, or full). */
static int memo_find(youth_registry *reg, const char *code, struct memo_programme **out)
{
	*out = NULL;
	if (!reg->rules_memo)
		return YOUTH_OK;
	for (int i = 0; i < reg->rules_memo->n; i++)
		if (strcmp(reg->rules_memo->p[i].code, code) == 0) {
			*out = &reg->rules_memo->p[i];
			return YOUTH_OK;
		}
	return memo_load(reg, code, out);
}

/* place_served() on the memo's paths: the same test as its SQL (a place, or below one). */
static void memo_served(const struct memo_programme *e, const char *path, int *has_rule,
                        int *inside)
{
	size_t n = strlen(path);
	*has_rule = e->has_places;
	*inside = 0;
	for (int i = 0; i < e->n_paths && !*inside; i++) {
		size_t k = strlen(e->paths[i]);
		*inside = strcmp(path, e->paths[i]) == 0 ||
		          (n > k + 1 && memcmp(path, e->paths[i], k) == 0 && path[k] == '/');
	}
}

/* "YYYY-MM-DD" as the number YYYYMMDD; 0 when @t is not such a text. */
static uint32_t date_packed(const unsigned char *t, int n)
{
	if (!t || n != YOUTH_DATE_LEN || t[4] != '-' || t[7] != '-')
		return 0;
	uint32_t v = 0;
	for (int i = 0; i < YOUTH_DATE_LEN; i++) {
		if (i == 4 || i == 7)
			continue;
		if (t[i] < '0' || t[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(t[i] - '0');
	}
	return v;
}

static void date_unpacked(uint32_t v, char out[YOUTH_DATE_LEN + 1])
{
	out[YOUTH_DATE_LEN] = '\0';
	for (int i = YOUTH_DATE_LEN - 1; i >= 0; i--) {
		if (i == 4 || i == 7) {
			out[i] = '-';
			continue;
		}
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* The index of census round @r in the memo's list, added at its first use; -1 when the list
 * is full or memory short (the person is then read from the registry). */
static int fact_round(struct youth__rules_memo *m, const unsigned char *r, int n)
{
	if (!r || n < 1 || n >= (int)sizeof(((facts *)0)->round))
		return -1;
	for (int i = 0; i < m->n_rounds; i++)
		if (strncmp(m->rounds[i], (const char *)r, (size_t)n) == 0 && !m->rounds[i][n])
			return i;
	if (m->n_rounds == FACTS_ROUNDS || !(m->rounds[m->n_rounds] = youth__strdup((const char *)r)))
		return -1;
	return m->n_rounds++;
}

/* @arr (@*n entries of @size bytes) made to hold entry @i, doubling from @first and zeroing
 * the new entries; NULL when memory is short, @arr then unchanged (the memo reads the
 * registry instead). */
static void *grown_to(void *arr, size_t *n, size_t i, size_t size, size_t first)
{
	if (i < *n)
		return arr;
	size_t want = *n ? *n : first;
	while (want <= i)
		want *= 2;
	char *grown = youth__realloc(arr, want * size);
	if (grown) {
		memset(grown + *n * size, 0, (want - *n) * size);
		*n = want;
	}
	return grown;
}

/* Reads the block of persons @b into the memo (nothing when it is at its bound or memory is
 * short: the persons are then read one by one, as without it). */
static int facts_load(youth_registry *reg, struct youth__rules_memo *m, size_t b)
{
	static const char sql[] = "SELECT id, birth_date, sex, place_id, census_round, consent, "
	                          "consent_date FROM person WHERE id BETWEEN ?1 AND ?2";
	if (m->n_blocks >= m->max_blocks)
		return YOUTH_OK;
	struct fact **dir = grown_to(m->blocks, &m->n_dir, b, sizeof *dir, 1024);
	if (!dir)
		return YOUTH_OK;
	m->blocks = dir;
	struct fact *blk = youth__calloc(FACTS_BLOCK, sizeof *blk);
	if (!blk)
		return YOUTH_OK;
	int64_t first = (int64_t)b * FACTS_BLOCK + 1;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st), s = SQLITE_DONE;
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, first);
		sqlite3_bind_int64(st, 2, first + FACTS_BLOCK - 1);
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0), place = sqlite3_column_int64(st, 3);
			int sex = sqlite3_column_int(st, 2), consent = sqlite3_column_int(st, 5);
			if (id < first || id >= first + FACTS_BLOCK || place <= 0 ||
			    place >= FACTS_PLACES || sex < 0 || sex > 3 || consent < 0 || consent > 1)
				continue;
			struct fact *f = &blk[id - first];
			const unsigned char *cd = sqlite3_column_text(st, 6);
			int round = fact_round(m, sqlite3_column_text(st, 4), sqlite3_column_bytes(st, 4));
			uint32_t consent_date = date_packed(cd, sqlite3_column_bytes(st, 6));
			if (round < 0 || (cd && !consent_date))
				continue; /* not kept: read from the registry when asked */
			f->consent_date = consent_date;
			f->packed = (uint32_t)place | (uint32_t)round << 20 | (uint32_t)sex << 28 |
			            (uint32_t)consent << 30;
			f->birth = date_packed(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
		}
		if (s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "reading persons");
		sqlite3_reset(st);
	}
	if (rc) {
		youth__free(blk);
		return rc;
	}
	m->blocks[b] = blk;
	m->n_blocks++;
	return YOUTH_OK;
}

/* The path of place @id, read at its first use; NULL when it cannot be kept. */
static const char *fact_path(youth_registry *reg, struct youth__rules_memo *m, uint32_t id,
                             int *rc)
{
	char **paths = grown_to(m->paths, &m->n_paths, id, sizeof *paths, 256);
	if (!paths)
		return NULL;
	m->paths = paths;
	if (!m->paths[id]) {
		sqlite3_stmt *st;
		bool found = false;
		*rc = youth__stmt(reg, "SELECT path FROM place WHERE id = ?1", &st);
		if (*rc == YOUTH_OK) {
			sqlite3_bind_int64(st, 1, id);
			*rc = youth__step_row(reg, st, &found, "reading a place");
		}
		if (*rc || !found)
			return NULL;
		const unsigned char *t = sqlite3_column_text(st, 0);
		m->paths[id] = t ? youth__strdup((const char *)t) : NULL;
		sqlite3_reset(st);
	}
	return m->paths[id];
}

/* The facts of @person_id from the import's memo (*hit false: read them from the registry). */
static int memo_facts(youth_registry *reg, int64_t person_id, facts *f, bool *hit)
{
	struct youth__rules_memo *m = reg->rules_memo;
	*hit = false;
	if (!m || person_id <= 0)
		return YOUTH_OK;
	size_t b = (size_t)((person_id - 1) / FACTS_BLOCK);
	int rc = YOUTH_OK;
	if ((b >= m->n_dir || !m->blocks[b]) && (rc = facts_load(reg, m, b)))
		return rc;
	if (b >= m->n_dir || !m->blocks[b])
		return YOUTH_OK;
	const struct fact *x = &m->blocks[b][(person_id - 1) % FACTS_BLOCK];
	if (!x->birth)
		return YOUTH_OK;
	const char *path = fact_path(reg, m, FACT_PLACE(x->packed), &rc);
	if (!path)
		return rc;
	date_unpacked(x->birth, f->birth);
	f->sex = (int)FACT_SEX(x->packed);
	const char *round = m->rounds[FACT_ROUND(x->packed)];
	youth__text_copy(f->path, sizeof f->path, path, strlen(path));
	youth__text_copy(f->round, sizeof f->round, round, strlen(round));
	f->consent = (int)FACT_CONSENT(x->packed);
	if (x->consent_date)
		date_unpacked(x->consent_date, f->consent_date);
	else
		f->consent_date[0] = '\0';
	*hit = true;
	return YOUTH_OK;
}

static int read_facts(youth_registry *reg, int64_t person_id, facts *f)
{
	bool hit;
	int rc = memo_facts(reg, person_id, f, &hit);
	if (rc || hit)
		return rc;
	static const char sql[] =
		"SELECT p.birth_date, p.sex, pl.path, p.census_round, p.consent, p.consent_date "
		"FROM person p JOIN place pl ON pl.id = p.place_id WHERE p.id = ?";
	sqlite3_stmt *st;
	rc = youth__row_by_id(reg, sql, person_id, "person_id", "person", &st);
	if (rc)
		return rc;
	youth__col_text(st, 0, f->birth, sizeof f->birth);
	f->sex = sqlite3_column_int(st, 1);
	youth__col_text(st, 2, f->path, sizeof f->path);
	youth__col_text(st, 3, f->round, sizeof f->round);
	f->consent = sqlite3_column_int(st, 4);
	youth__col_text(st, 5, f->consent_date, sizeof f->consent_date);
	sqlite3_reset(st);
	return YOUTH_OK;
}

static bool round_listed(const char *list, const char *round)
{
	size_t n = strlen(round);
	for (const char *s = list; *s;) {
		const char *e = strstr(s, ", ");
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && memcmp(s, round, n) == 0)
			return true;
		s = e ? e + 2 : s + len;
	}
	return false;
}

/* Checks the arguments, then every rule of @programme for the person on @date. */
static int evaluate(youth_registry *reg, const char *programme, int64_t person_id,
                    const char *date, verdict *out)
{
	out->n = 0;
	if (!programme || !*programme)
		return youth__error(YOUTH_EINVAL, "programme", "programme: missing (required)");
	int rc = youth_date_check(date, "date");
	if (rc)
		return rc;
	if (person_id <= 0)
		return youth__error(YOUTH_EINVAL, "person_id", "person_id %lld: not a valid id",
		                    (long long)person_id);
	facts f;
	if ((rc = read_facts(reg, person_id, &f)))
		return rc;
	if (strcmp(date, f.birth) < 0)
		return youth__error(YOUTH_EINVAL, "date",
		                    "date \"%s\": before the birth of person %lld (%s)", date,
		                    (long long)person_id, f.birth);
	struct memo_programme *memo;
	if ((rc = memo_find(reg, programme, &memo)))
		return rc;
	if (memo && !memo->found)
		return YOUTH_OK; /* no rules: everyone is eligible */
	int64_t pid;
	int age_min, age_max, consent_required, women_only;
	char rounds[LIST_MAX * 36] = "";
	bool has_rounds;
	if (memo) {
		pid = memo->id;
		age_min = memo->age_min, age_max = memo->age_max;
		has_rounds = memo->has_rounds;
		if (has_rounds)
			snprintf(rounds, sizeof rounds, "%s", memo->rounds);
		consent_required = memo->consent_required, women_only = memo->women_only;
	} else {
		static const char sql[] = "SELECT id, age_min, age_max, census_rounds, "
		                          "consent_required, women_only FROM programme WHERE code = ?";
		sqlite3_stmt *st;
		if ((rc = youth__stmt(reg, sql, &st)))
			return rc;
		sqlite3_bind_text(st, 1, programme, -1, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_DONE) {
			sqlite3_reset(st);
			return YOUTH_OK; /* no rules: everyone is eligible */
		}
		if (s != SQLITE_ROW) {
			rc = youth__sqlite_error(reg->db, s, "reading a programme");
			sqlite3_reset(st);
			return rc;
		}
		pid = sqlite3_column_int64(st, 0);
		age_min = sqlite3_column_int(st, 1), age_max = sqlite3_column_int(st, 2);
		const unsigned char *r = sqlite3_column_text(st, 3);
		has_rounds = r != NULL;
		if (r)
			snprintf(rounds, sizeof rounds, "%s", (const char *)r);
		consent_required = sqlite3_column_int(st, 4), women_only = sqlite3_column_int(st, 5);
		sqlite3_reset(st);
	}

	long long who = (long long)person_id;
	youth__date b, at;
	youth__date_parse(f.birth, &b);
	youth__date_parse(date, &at);
	int age = youth__age(&b, &at);
	if (age_min && age < age_min)
		violate(out, "age_min", "%s: age %d on %s is below the minimum %d (person %lld)",
		        programme, age, date, age_min, who);
	if (age_max && age > age_max)
		violate(out, "age_max", "%s: age %d on %s is above the maximum %d (person %lld)",
		        programme, age, date, age_max, who);
	int has_places = 0, inside = 0;
	if (memo)
		memo_served(memo, f.path, &has_places, &inside);
	else if ((rc = place_served(reg, pid, f.path, &has_places, &inside)))
		return rc;
	if (has_places && !inside)
		violate(out, "places", "%s: place %.300s is outside the places served (person %lld)",
		        programme, f.path, who);
	if (has_rounds && !round_listed(rounds, f.round))
		violate(out, "census_rounds",
		        "%s: census round %s not accepted, only %.200s (person %lld)", programme,
		        f.round, rounds, who);
	if (consent_required && !f.consent)
		violate(out, "consent_required", "%s: consent not given (person %lld)", programme, who);
	else if (consent_required && strcmp(f.consent_date, date) > 0)
		violate(out, "consent_required",
		        "%s: consent not given by %s (given on %s) (person %lld)", programme, date,
		        f.consent_date, who);
	if (women_only && f.sex != YOUTH_SEX_FEMALE)
		violate(out, "women_only", "%s: for women only (person %lld is %s)", programme, who,
		        youth_sex_name(f.sex) ? youth_sex_name(f.sex) : "not female");
	return YOUTH_OK;
}

int youth_eligibility_check(youth_registry *reg, const char *programme, int64_t person_id,
                            const char *date)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_eligibility_check: NULL registry");
	verdict v;
	int rc = evaluate(reg, programme, person_id, date, &v);
	if (rc == YOUTH_OK && v.n)
		rc = youth__error(YOUTH_ERULE, v.v[0].rule, "%s", v.v[0].message);
	return rc;
}

static int override_rule(youth_registry *reg, const youth_override *ovr)
{
	if (!ovr->reason || !*ovr->reason)
		return youth__error(YOUTH_EINVAL, "reason",
		                    "reason: missing (an override must say why the rule is set aside)");
	size_t n = strlen(ovr->reason);
	if (n > REASON_MAX)
		return youth__error(YOUTH_EINVAL, "reason", "reason \"%.30s...\": longer than %d bytes",
		                    ovr->reason, REASON_MAX);
	if (!youth__utf8_valid(ovr->reason, n, true))
		return youth__error(YOUTH_EINVAL, "reason",
		                    "reason: not valid UTF-8 text (or contains control characters)");
	if (!youth__text_visible(ovr->reason, n))
		return youth__error(YOUTH_EINVAL, "reason", "reason: only blanks");
	if (ovr->operator_id <= 0)
		return youth__error(YOUTH_EINVAL, "operator_id",
		                    ovr->operator_id ? "operator_id %lld: not a valid id"
		                                     : "operator_id: missing (the operator taking "
		                                       "responsibility for the override)",
		                    (long long)ovr->operator_id);
	return youth__operator_check(reg, ovr->operator_id, NULL);
}

int youth__eligibility(youth__write *w, const char *programme, int64_t person_id,
                       const char *date, const youth_override *ovr, const char *service,
                       int64_t service_id)
{
	youth_registry *reg = w->reg;
	verdict v;
	int rc = evaluate(reg, programme, person_id, date, &v);
	if (rc)
		return rc;
	if (ovr) {
		if ((rc = override_rule(reg, ovr)))
			return rc;
		if (!service || !*service)
			return youth__error(YOUTH_EINVAL, "service", "override: no service named");
		if (service_id <= 0)
			return youth__error(YOUTH_EINVAL, "service_id",
			                    "override: service_id %lld is not a record id",
			                    (long long)service_id);
	}
	if (v.n == 0)
		return YOUTH_OK;
	if (!ovr)
		return youth__error(YOUTH_ERULE, v.v[0].rule, "%s", v.v[0].message);
	static const char sql[] =
		"INSERT INTO eligibility_override (uuid, programme, person_id, service, service_id, "
		"operator_id, rule, reason, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	for (int i = 0; rc == YOUTH_OK && i < v.n; i++) {
		char uuid[YOUTH_UUID_LEN + 1];
		sqlite3_stmt *st;
		if ((rc = youth__uuid_new(uuid)) || (rc = youth__stmt(reg, sql, &st)))
			break;
		sqlite3_bind_text(st, 1, uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, programme, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, person_id);
		sqlite3_bind_text(st, 4, service, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, service_id);
		sqlite3_bind_int64(st, 6, ovr->operator_id);
		sqlite3_bind_text(st, 7, v.v[i].rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, ovr->reason, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, date, -1, SQLITE_STATIC);
		rc = youth__step_done(reg, st, "recording an eligibility override");
		if (rc == YOUTH_OK)
			youth__write_row(w, "eligibility_override", sqlite3_last_insert_rowid(reg->db), 'c');
	}
	return rc;
}

/* ---- reading overrides ----------------------------------------------------------------- */

YOUTH__RECORD_ITER_AS(youth_override_record, youth_override)

int youth_override_iter_new(youth_override_iter **out, youth_registry *reg, int64_t person_id)
{
	int rc = youth__iter_args(out, reg, "youth_override_iter_new", "person_id", person_id);
	if (rc)
		return rc;
	return youth__rec_iter_new(out, reg, &youth__kind_override, "listing overrides",
	                           "SELECT id, uuid, programme, person_id, service, service_id, "
	                           "operator_id, rule, reason, date FROM eligibility_override "
	                           "WHERE ?1 = 0 OR person_id = ?1 ORDER BY date, id",
	                           1, &person_id);
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* As in youth_programme_get(): places sorted by path, so that the text is deterministic; an
 * age bound of 0 means "none" and is left out, as in rules.yaml. */
static const char SQL_PROGRAMME_EXPORT[] =
	"SELECT p.id, p.uuid, p.code, p.title, nullif(p.age_min, 0), nullif(p.age_max, 0), "
	"(SELECT group_concat(path, ', ') FROM (SELECT pl.path AS path FROM programme_place pp "
	"JOIN place pl ON pl.id = pp.place_id WHERE pp.programme_id = p.id ORDER BY pl.path)), "
	"p.census_rounds, p.consent_required, p.women_only FROM programme p ORDER BY p.id";

/* youth_programme_put() replaces a programme with the same code: an import only does that
 * with YOUTH_IMPORT_UPSERT, and a programme's code and uuid stay tied to each other. */
static int import_programme(youth__imp *imp, void *rec, int *done)
{
	youth_programme *p = rec;
	youth_registry *reg = youth__imp_registry(imp);
	int rc = youth__code_rule("code", p->code, CODE_MAX);
	if (rc)
		return rc;
	int64_t id = 0;
	char uuid[YOUTH_UUID_LEN + 1] = "";
	if ((rc = find_code(reg, p->code, &id, uuid)))
		return rc;
	*done = YOUTH__IMP_ADDED;
	if (id == 0)
		return youth_programme_put(reg, p);
	bool upsert = youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT;
	if (!upsert)
		return youth__error(YOUTH_EEXISTS, "code", "code \"%s\": programme already in the "
		                    "registry (uuid %s)", p->code, uuid);
	youth_programme *old = NULL;
	if ((rc = youth_programme_get(&old, reg, p->code)))
		return rc;
	char given[YOUTH_UUID_LEN + 1];
	memcpy(given, p->uuid, sizeof given);
	youth__uuid_norm(given);
	if (given[0] && strcmp(given, uuid) != 0) {
		rc = youth__error(YOUTH_EEXISTS, "code", "code \"%s\": registered to programme %s, but "
		                  "the file gives uuid %s", p->code, uuid, given);
	} else {
		memcpy(p->uuid, uuid, sizeof p->uuid);
		p->id = id;
		*done = youth__rec_same(&youth__kind_programme, old, p) ? YOUTH__IMP_UNCHANGED
		                                                 : YOUTH__IMP_UPDATED;
		if (*done == YOUTH__IMP_UPDATED)
			rc = youth_programme_put(reg, p);
	}
	youth_programme_free(old);
	return rc;
}

YOUTH__SECTION(programmes, "programme", YOUTH_KIND_RULES, youth__kind_programme,
               .list_keys = list_keys, .export_sql = SQL_PROGRAMME_EXPORT,
               .import = import_programme);
