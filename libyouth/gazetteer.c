/* The gazetteer: a tree of places addressed by slug paths. */
#include "private.h"

#include <string.h>

const char *youth_place_level_name(int level)
{
	switch (level) {
	case YOUTH_PLACE_DEPARTMENT: return "department";
	case YOUTH_PLACE_MUNICIPALITY: return "municipality";
	case YOUTH_PLACE_DISTRICT: return "district";
	case YOUTH_PLACE_COMMUNITY: return "community";
	default: return NULL;
	}
}

/* Canonical slug path of user text: each '/'-separated part slugged. */
static int canonical_path(youth__buf *out, const char *text)
{
	const char *p = text;
	while (1) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		size_t before = out->len;
		if (out->len && youth__buf_put(out, "/", 1))
			return YOUTH_ENOMEM;
		size_t mark = out->len;
		int rc = youth__slug_into(out, p, n);
		if (rc)
			return rc;
		if (out->len == mark) /* empty part: drop it ("a//b", trailing '/') */
			out->len = before, out->data[before] = '\0';
		if (!slash)
			break;
		p = slash + 1;
	}
	return YOUTH_OK;
}

static const char SQL_PLACE_BY_PATH[] = "SELECT id FROM place WHERE path = ?";
static const char SQL_PLACE_BY_TAIL[] =
	"SELECT id, path FROM place WHERE substr(path, -length(?1) - 1) = '/' || ?1 ORDER BY path";

static struct youth__place_slot *cache_slot(youth_registry *reg, const char *text)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		h = (h ^ *c) * 16777619u;
	return &reg->place_cache[h % (sizeof reg->place_cache / sizeof reg->place_cache[0])];
}

int youth__place_resolve(youth_registry *reg, const char *text, const char *field, int64_t *id)
{
	const char *f = field ? field : "place";
	if (!text || !*text)
		return youth__error(YOUTH_EINVAL, f, "%s: missing", f);
	struct youth__place_slot *slot = cache_slot(reg, text);
	if (slot->id && strcmp(slot->text, text) == 0) {
		*id = slot->id;
		return YOUTH_OK;
	}
	if (!youth__utf8_valid(text, strlen(text), false))
		return youth__error(YOUTH_EINVAL, f, "%s: not valid UTF-8 text", f);
	youth__buf path = {0};
	int rc = canonical_path(&path, text);
	if (rc == YOUTH_OK && path.len == 0)
		rc = youth__error(YOUTH_EINVAL, f, "%s \"%.60s\": names no place", f, text);
	sqlite3_stmt *st = NULL;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, SQL_PLACE_BY_PATH, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, path.data, (int)path.len, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			*id = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			youth__buf_free(&path);
			if (strlen(text) < sizeof slot->text) {
				strcpy(slot->text, text);
				slot->id = *id;
			}
			return YOUTH_OK;
		}
		sqlite3_reset(st);
		if (s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "looking up a place");
	}
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, SQL_PLACE_BY_TAIL, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, path.data, (int)path.len, SQLITE_STATIC);
		youth__buf matches = {0};
		int n = 0, s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			if (n++ == 0)
				*id = sqlite3_column_int64(st, 0);
			if (n <= 5 && rc == YOUTH_OK)
				rc = youth__buf_printf(&matches, "%s%s", n > 1 ? ", " : "",
				                       (const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_reset(st);
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "looking up a place");
		else if (rc == YOUTH_OK && n == 0)
			rc = youth__error(YOUTH_ENOTFOUND, f, "%s \"%.80s\": not in the gazetteer", f, text);
		else if (rc == YOUTH_OK && n > 1)
			rc = youth__error(YOUTH_EINVAL, f, "%s \"%.80s\": ambiguous, matches %s%s", f, text,
			                  matches.data, n > 5 ? ", ..." : "");
		youth__buf_free(&matches);
	}
	youth__buf_free(&path);
	return rc;
}

static void place_canonical(youth_registry *reg, const char **place, youth__buf *path)
{
	int64_t id;
	if (!*place || !**place)
		return;
	if (youth__place_resolve(reg, *place, "place", &id) == YOUTH_OK &&
	    youth__place_path(reg, id, path) == YOUTH_OK)
		*place = path->data;
	else
		youth_error_clear();
}

void youth__place_prepare(youth_registry *reg, const youth__kind *k, void *rec, youth__buf *path)
{
	const youth__field *f = youth__rec_find(k, "place");
	if (f)
		place_canonical(reg, (const char **)(void *)((char *)rec + f->offset), path);
}

int youth__place_path(youth_registry *reg, int64_t id, youth__buf *path)
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, "SELECT path FROM place WHERE id = ?", id, "place", "place",
	                          &st);
	if (rc)
		return rc;
	rc = youth__buf_puts(path, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

/* Inserts one place under @parent_id (0 for a department) unless its path exists.
 * *added is set to 1 when a row was written. */
static int insert_place(youth__write *w, int64_t parent_id, const char *parent_path, int level,
                        const char *name, int critical, const char *uuid, int64_t *id_out,
                        youth__buf *path_out, int *added, bool must_be_new)
{
	youth_registry *reg = w->reg;
	*added = 0;
	size_t nlen = strlen(name);
	if (nlen == 0)
		return youth__error(YOUTH_EINVAL, "name", "name: a place needs a name");
	if (nlen > YOUTH_NAME_MAX || !youth__utf8_valid(name, nlen, false))
		return youth__error(YOUTH_EINVAL, "name",
		                    "name \"%.40s\": must be 1-%d bytes of UTF-8 text", name,
		                    YOUTH_NAME_MAX);
	if (level > YOUTH_PLACE_COMMUNITY)
		return youth__error(YOUTH_EINVAL, "name",
		                    "place \"%s\": a community cannot contain places (at most 4 levels)",
		                    name);
	if (uuid && !youth__uuid_valid(uuid))
		return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.40s\": not a UUID", uuid);
	youth__buf slug = {0};
	int rc = youth__slug_into(&slug, name, nlen);
	if (rc == YOUTH_OK && slug.len == 0)
		rc = youth__error(YOUTH_EINVAL, "name", "name \"%s\": has no letters or digits", name);
	path_out->len = 0;
	if (rc == YOUTH_OK && parent_path)
		rc = youth__buf_printf(path_out, "%s/", parent_path);
	if (rc == YOUTH_OK)
		rc = youth__buf_put(path_out, slug.data, slug.len);
	sqlite3_stmt *st = NULL;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, SQL_PLACE_BY_PATH, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, path_out->data, (int)path_out->len, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			*id_out = sqlite3_column_int64(st, 0);
			if (must_be_new)
				rc = youth__error(YOUTH_EEXISTS, "name", "place \"%s\": already exists",
				                  path_out->data);
		} else if (s != SQLITE_DONE) {
			rc = youth__sqlite_error(reg->db, s, "looking up a place");
		} else {
			sqlite3_reset(st);
			static const char ins[] = "INSERT INTO place (uuid, parent_id, level, slug, name, "
			                          "path, critical) VALUES (?, ?, ?, ?, ?, ?, ?)";
			char gen[YOUTH_UUID_LEN + 1];
			if (uuid) {
				memcpy(gen, uuid, sizeof gen);
				youth__uuid_norm(gen);
			} else {
				rc = youth__uuid_new(gen);
			}
			if (rc == YOUTH_OK)
				rc = youth__stmt(reg, ins, &st);
			if (rc == YOUTH_OK) {
				sqlite3_bind_text(st, 1, gen, -1, SQLITE_STATIC);
				if (parent_id)
					sqlite3_bind_int64(st, 2, parent_id);
				sqlite3_bind_int(st, 3, level);
				sqlite3_bind_text(st, 4, slug.data, (int)slug.len, SQLITE_STATIC);
				sqlite3_bind_text(st, 5, name, (int)nlen, SQLITE_STATIC);
				sqlite3_bind_text(st, 6, path_out->data, (int)path_out->len, SQLITE_STATIC);
				sqlite3_bind_int(st, 7, critical ? 1 : 0);
				rc = youth__step_done(reg, st, "adding a place");
				if (rc == YOUTH_EEXISTS)
					youth__error(YOUTH_EEXISTS, "uuid", "place uuid %s: already used", gen);
			}
			if (rc == YOUTH_OK) {
				*id_out = sqlite3_last_insert_rowid(reg->db);
				*added = 1;
				youth__write_row(w, "place", *id_out, 'c');
			}
		}
		if (st)
			sqlite3_reset(st);
	}
	youth__buf_free(&slug);
	return rc;
}

int youth_place_add(int64_t *id, youth_registry *reg, const char *parent, const char *name,
                    int critical)
{
	if (!reg || !name)
		return youth__null_arg("youth_place_add", reg, "name");
	int64_t parent_id = 0, new_id = 0;
	int level = YOUTH_PLACE_DEPARTMENT, rc = YOUTH_OK;
	youth__buf ppath = {0}, path = {0};
	if (parent) {
		rc = youth__place_resolve(reg, parent, "parent", &parent_id);
		if (rc == YOUTH_OK)
			rc = youth__place_path(reg, parent_id, &ppath);
		if (rc == YOUTH_OK) {
			level = 2;
			for (const char *c = ppath.data; *c; c++)
				level += *c == '/';
		}
	}
	if (rc == YOUTH_OK) {
		youth__write w;
		rc = youth__write_begin_one(&w, reg, "add place");
		if (rc == YOUTH_OK) {
			int added;
			rc = insert_place(&w, parent_id, parent ? ppath.data : NULL, level, name, critical,
			                  NULL, &new_id, &path, &added, true);
			rc = youth__write_end(&w, rc);
		}
	}
	if (rc == YOUTH_OK && id)
		*id = new_id;
	youth__buf_free(&ppath);
	youth__buf_free(&path);
	return rc;
}

/* ---- loading YAML -------------------------------------------------------------------- */

typedef struct load_ctx {
	youth__yaml *y;
	youth__write *w;
	int64_t added;
} load_ctx;

static int load_places(load_ctx *c, int64_t parent_id, const char *parent_path, int level);

/* One place mapping: name, optional critical/uuid, then optional places. */
static int load_place(load_ctx *c, int64_t parent_id, const char *parent_path, int level)
{
	youth__yaml *y = c->y;
	int rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT, "a place (a mapping with a name)");
	char *name = NULL, *uuid = NULL;
	int critical = 0;
	bool stored = false;
	int64_t id = 0;
	youth__buf path = {0};
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a key")))
			break;
		char key[32];
		snprintf(key, sizeof key, "%s", youth__yaml_scalar(y));
		if ((rc = youth__yaml_next(y)))
			break;
		if (strcmp(key, "places") == 0) {
			if (!name) {
				rc = youth__yaml_error(y, YOUTH_EINVAL, "name",
				                       "a place's `name` must come before its `places`");
				break;
			}
			if (!stored) {
				int added;
				rc = insert_place(c->w, parent_id, parent_path, level, name, critical, uuid,
				                  &id, &path, &added, false);
				if (rc) {
					youth__error_prefix("%s:%zu", y->name, (size_t)y->event.start_mark.line + 1);
					break;
				}
				c->added += added;
				stored = true;
			}
			rc = load_places(c, id, path.data, level + 1);
			continue;
		}
		if (stored) {
			rc = youth__yaml_error(y, YOUTH_EINVAL, key, "`%s` must come before `places`", key);
			break;
		}
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a plain value")))
			break;
		const char *v = youth__yaml_scalar(y);
		if (strcmp(key, "name") == 0) {
			youth__free(name);
			if (!(name = youth__strdup(v)))
				rc = youth__oom();
		} else if (strcmp(key, "uuid") == 0) {
			youth__free(uuid);
			if (!(uuid = youth__strdup(v)))
				rc = youth__oom();
		} else if (strcmp(key, "critical") == 0) {
			if (youth__parse_bool(v, &critical))
				rc = youth__yaml_error(y, YOUTH_EINVAL, "critical",
				                       "critical \"%.20s\": expected true or false", v);
		} else {
			rc = youth__yaml_error(y, YOUTH_EINVAL, key,
			                       "unknown key `%.30s` in a place (known: name, critical, uuid, "
			                       "places)", key);
		}
	}
	if (rc == YOUTH_OK && !name)
		rc = youth__yaml_error(y, YOUTH_EINVAL, "name", "name: a place needs a name");
	if (rc == YOUTH_OK && !stored) {
		int added;
		rc = insert_place(c->w, parent_id, parent_path, level, name, critical, uuid, &id, &path,
		                  &added, false);
		if (rc)
			youth__error_prefix("%s:%zu", y->name, (size_t)y->event.start_mark.line + 1);
		c->added += added;
	}
	youth__free(name);
	youth__free(uuid);
	youth__buf_free(&path);
	return rc;
}

static int load_places(load_ctx *c, int64_t parent_id, const char *parent_path, int level)
{
	youth__yaml *y = c->y;
	int rc = youth__yaml_expect(y, YAML_SEQUENCE_START_EVENT, "a list of places");
	if (rc == YOUTH_OK && level > YOUTH_PLACE_COMMUNITY)
		rc = youth__yaml_error(y, YOUTH_EINVAL, "places",
		                       "a community cannot contain places (at most 4 levels)");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT))
		rc = load_place(c, parent_id, parent_path, level);
	return rc;
}

/* The value of `gazetteer`: the departments, each with the places below it. */
static int load_tree(youth__yaml *y, void *ctx, int64_t *count)
{
	load_ctx c = {y, ((youth__loading *)ctx)->w, 0};
	int rc = load_places(&c, 0, NULL, YOUTH_PLACE_DEPARTMENT);
	*count += c.added;
	return rc;
}

static const youth__yaml_file gazetteer_file = {
	"gazetteer", "gazetteer", "`format` and `gazetteer`", .list = load_tree,
};
static const youth__load gazetteer_load = {"youth_gazetteer_load", "load gazetteer",
                                           &gazetteer_file};

int youth_gazetteer_load(int64_t *added, youth_registry *reg, const char *path)
{
	return youth__load_file(&gazetteer_load, reg, path, NULL, added);
}

int youth_gazetteer_load_buffer(int64_t *added, youth_registry *reg, const char *data, size_t size,
                                const char *name)
{
	return youth__load_buffer(&gazetteer_load, reg, data, size, name, NULL, added);
}

/* ---- reading places ------------------------------------------------------------------ */

#define PLACE_COLS "id, uuid, path, name, level, critical"

/* Places have no text interface of their own (files reach them through the kind). */
YOUTH__RECORD_FREE(youth_place)
YOUTH__RECORD_ITER(youth_place)

int youth_place_get(youth_place **out, youth_registry *reg, const char *place)
{
	if (out)
		*out = NULL;
	if (!out || !reg || !place)
		return youth__error(YOUTH_EINVAL, NULL, "youth_place_get: NULL argument");
	int64_t id;
	int rc = youth__place_resolve(reg, place, "place", &id);
	if (rc)
		return rc;
	return youth__rec_get(out, reg, &youth__kind_place,
	                      "SELECT " PLACE_COLS " FROM place WHERE id = ?", id, "youth_place_get");
}

int youth_place_iter_new(youth_place_iter **out, youth_registry *reg, const char *under, int level)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_place_iter_new: NULL argument");
	if (level < 0 || level > YOUTH_PLACE_COMMUNITY)
		return youth__error(YOUTH_EINVAL, "level", "level %d: not a place level (0-4)", level);
	youth__buf path = {0};
	int rc = YOUTH_OK;
	if (under) {
		int64_t id;
		rc = youth__place_resolve(reg, under, "under", &id);
		if (rc == YOUTH_OK)
			rc = youth__place_path(reg, id, &path);
	}
	const int64_t v = level;
	if (rc == YOUTH_OK)
		rc = youth__rec_iter_new(out, reg, &youth__kind_place, "listing places",
		                         "SELECT " PLACE_COLS " FROM place WHERE (?1 = 0 OR level = ?1)"
		                         " AND (?2 IS NULL OR path = ?2 OR"
		                         " (path > ?2 || '/' AND path < ?2 || '0')) ORDER BY path",
		                         1, &v);
	if (rc == YOUTH_OK && (rc = youth__bind_copy((*out)->i.st, 2, path.data))) {
		youth_place_iter_free(*out);
		*out = NULL;
	}
	youth__buf_free(&path);
	return rc;
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* In files a place is flat: its path says where it hangs, so parents come first. */
#define F(m, t, d) YOUTH__FIELD(youth_place, m, t, d)
static const youth__field place_fields[] = {
	F(id, YF_ID, "Integer key within this registry."),
	F(uuid, YF_UUID, "Globally unique id."),
	F(path, YF_TEXT, "Canonical slug path."),
	F(name, YF_TEXT, "Name as written in the gazetteer (\"Santa Eugenia\")."),
	YOUTH__FIELD_RO(youth_place, level, YF_INT, "One of youth_place_level."),
	F(critical, YF_BOOL, "1 for a critical area of the programme."),
};
#undef F
const youth__kind youth__kind_place =
	YOUTH__KIND("place", "place", youth_place, place_fields,
	            "A place of the gazetteer: department, municipality, district or community.");

/* The places of the chosen subtree, and its ancestors so that the subtree can hang somewhere.
 * The level is implied by the path: not written. */
static const char SQL_EXPORT[] =
	"SELECT id, uuid, path, name, NULL, critical FROM place"
	" WHERE ?1 IS NULL OR path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0')"
	" OR (?1 > path || '/' AND ?1 < path || '0') ORDER BY id";

static int import_place(youth__imp *imp, void *rec, int *done)
{
	const youth_place *p = rec;
	youth_registry *reg = youth__imp_registry(imp);
	if (!p->path)
		return youth__error(YOUTH_EINVAL, "path", "path: missing (e.g. sonsonate/acajutla)");
	if (!p->name)
		return youth__error(YOUTH_EINVAL, "name", "name: a place needs a name");
	static const char same[] = "SELECT id, name, critical FROM place WHERE path = ?";
	sqlite3_stmt *st;
	bool found;
	int rc = youth__stmt(reg, same, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, p->path, -1, SQLITE_STATIC);
		rc = youth__step_row(reg, st, &found, "finding a place");
	}
	if (rc)
		return rc;
	if (found) {
		/* Registries load the same gazetteer with their own UUIDs: a place is its path. */
		bool equal = strcmp((const char *)sqlite3_column_text(st, 1), p->name) == 0 &&
		             sqlite3_column_int(st, 2) == (p->critical != 0);
		sqlite3_reset(st);
		*done = YOUTH__IMP_UNCHANGED;
		if (!equal)
			return youth__error(YOUTH_EEXISTS, "name", "place %s: already in the registry with "
			                    "another name or critical flag", p->path);
		return YOUTH_OK;
	}
	const char *slash = strrchr(p->path, '/');
	youth__buf parent = {0}, path = {0};
	int64_t parent_id = 0, id;
	int level = 1, added;
	if (slash) {
		rc = youth__buf_put(&parent, p->path, (size_t)(slash - p->path));
		if (rc == YOUTH_OK && (rc = youth__stmt(reg, SQL_PLACE_BY_PATH, &st)) == YOUTH_OK) {
			sqlite3_bind_text(st, 1, parent.data, -1, SQLITE_STATIC);
			rc = youth__step_row(reg, st, &found, "finding a place");
			if (rc == YOUTH_OK && !found)
				rc = youth__error(YOUTH_ENOTFOUND, "path", "path %s: no place %s above it (parents "
				                  "come first)", p->path, parent.data);
			if (rc == YOUTH_OK)
				parent_id = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
		for (const char *c = p->path; *c; c++)
			level += *c == '/';
	}
	youth__write w;
	if (rc == YOUTH_OK && (rc = youth__write_begin(&w, reg, "import place")) == YOUTH_OK) {
		rc = insert_place(&w, parent_id, slash ? parent.data : NULL, level, p->name,
		                  p->critical, p->uuid[0] ? p->uuid : NULL, &id, &path, &added, true);
		if (rc == YOUTH_OK && strcmp(path.data, p->path) != 0)
			rc = youth__error(YOUTH_EINVAL, "path", "path %s: the name \"%s\" makes it %s",
			                  p->path, p->name, path.data);
		rc = youth__write_end(&w, rc);
	}
	*done = YOUTH__IMP_ADDED;
	youth__buf_free(&parent);
	youth__buf_free(&path);
	return rc;
}

YOUTH__SECTION(places, "place", YOUTH_KIND_GAZETTEER, youth__kind_place, .export_sql = SQL_EXPORT,
               .import = import_place);
