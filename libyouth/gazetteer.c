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
/* The places text may name: the one whose path it is and those it is a trailing part of
 * (?1 the canonical path, ?2 its last slug, ?3 a level or 0).  The slug narrows the search to
 * the place_slug index. */
static const char SQL_PLACE_CANDIDATES[] =
	"SELECT id, path, level FROM place WHERE slug = ?2"
	" AND (path = ?1 OR substr(path, -length(?1) - 1) = '/' || ?1)"
	" AND (?3 = 0 OR level = ?3) ORDER BY path";

/* ---- level labels ---------------------------------------------------------------------- */

/* Every level, with the labels of the registry: [level][0] the label, [1] the second one
 * (NULL when none; the label defaults to the level's name). */
typedef struct level_labels {
	char *label[YOUTH_PLACE_COMMUNITY + 1][2];
} level_labels;

static void level_labels_free(level_labels *l)
{
	for (int v = 0; v <= YOUTH_PLACE_COMMUNITY; v++)
		for (int k = 0; k < 2; k++)
			youth__free(l->label[v][k]);
}

static int level_labels_read(youth_registry *reg, level_labels *l)
{
	memset(l, 0, sizeof *l);
	sqlite3_stmt *st = NULL;
	int rc = youth__stmt(reg, "SELECT level, label, alt_label FROM place_level", &st);
	int s = SQLITE_DONE;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int v = sqlite3_column_int(st, 0);
		for (int k = 0; k < 2 && rc == YOUTH_OK; k++) {
			const char *t = (const char *)sqlite3_column_text(st, 1 + k);
			if (t && v >= 1 && v <= YOUTH_PLACE_COMMUNITY && !(l->label[v][k] = youth__strdup(t)))
				rc = youth__oom();
		}
	}
	if (st)
		sqlite3_reset(st);
	if (rc == YOUTH_OK && s != SQLITE_ROW && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading the level labels");
	if (rc)
		level_labels_free(l);
	return rc;
}

/* Level other than @p skip whose name or label has the slug of text[0..n) (0 when none).
 * Slugs make "District " and "Municipality (Before 2024)" compare the way place names do. */
static int level_match(const level_labels *l, const char *text, size_t n, int skip, int *level)
{
	youth__buf want = {0}, have = {0};
	int rc = youth__slug_into(&want, text, n);
	*level = 0;
	for (int v = 1; rc == YOUTH_OK && v <= YOUTH_PLACE_COMMUNITY && !*level; v++) {
		const char *names[3] = {youth_place_level_name(v), l->label[v][0], l->label[v][1]};
		for (int k = 0; k < 3 && rc == YOUTH_OK && !*level; k++) {
			if (!names[k] || v == skip)
				continue;
			have.len = 0;
			if ((rc = youth__slug_into(&have, names[k], strlen(names[k]))) == YOUTH_OK &&
			    want.len > 0 && have.len == want.len && memcmp(have.data, want.data, want.len) == 0)
				*level = v;
		}
	}
	youth__buf_free(&want);
	youth__buf_free(&have);
	return rc;
}

/* Refuses labels that could not name their level alone: every name and label of one level must
 * differ from every name and label of the others once slugged, and have no ':' (which ends the
 * level in "district:Sonsonate"). */
static int level_labels_check(const level_labels *l)
{
	int rc = YOUTH_OK;
	for (int v = 1; rc == YOUTH_OK && v <= YOUTH_PLACE_COMMUNITY; v++)
		for (int k = 0; k < 2 && rc == YOUTH_OK; k++) {
			const char *t = l->label[v][k];
			const char *what = k ? "alt_label" : "label";
			if (!t)
				continue;
			size_t n = strlen(t);
			youth__buf slug = {0};
			if (n == 0 || n > YOUTH_NAME_MAX || !youth__utf8_valid(t, n, false))
				rc = youth__error(YOUTH_EINVAL, what, "%s of the %s level: must be 1-%d bytes of "
				                  "UTF-8 text", what, youth_place_level_name(v), YOUTH_NAME_MAX);
			else if (strchr(t, ':'))
				rc = youth__error(YOUTH_EINVAL, what, "%s \"%.80s\": a level label cannot "
				                  "contain ':'", what, t);
			else if ((rc = youth__slug_into(&slug, t, n)) == YOUTH_OK && slug.len == 0)
				rc = youth__error(YOUTH_EINVAL, what, "%s \"%.80s\": has no letters or digits",
				                  what, t);
			youth__buf_free(&slug);
			int other = 0;
			if (rc == YOUTH_OK)
				rc = level_match(l, t, n, v, &other);
			if (rc == YOUTH_OK && other)
				rc = youth__error(YOUTH_EINVAL, what, "%s \"%.80s\" of the %s level: already "
				                  "names the %s level", what, t, youth_place_level_name(v),
				                  youth_place_level_name(other));
		}
	return rc;
}

int youth_place_level_find(int *out, youth_registry *reg, const char *text)
{
	if (out)
		*out = 0;
	if (!out || !reg || !text)
		return youth__error(YOUTH_EINVAL, NULL, "youth_place_level_find: NULL argument");
	level_labels l;
	int rc = level_labels_read(reg, &l);
	if (rc == YOUTH_OK) {
		rc = level_match(&l, text, strlen(text), 0, out);
		level_labels_free(&l);
	}
	if (rc == YOUTH_OK && !*out)
		rc = youth__error(YOUTH_ENOTFOUND, "level", "level \"%.80s\": no level has this name or "
		                  "label (department, municipality, district, community)", text);
	return rc;
}

int youth_place_level_label(char **out, youth_registry *reg, int level, int alternative)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_place_level_label: NULL argument");
	if (!youth_place_level_name(level))
		return youth__error(YOUTH_EINVAL, "level", "level %d: not a place level (1-4)", level);
	level_labels l;
	int rc = level_labels_read(reg, &l);
	if (rc)
		return rc;
	const char *t = l.label[level][alternative ? 1 : 0];
	if (!t && !alternative)
		t = youth_place_level_name(level);
	if (t && !(*out = youth__strdup(t)))
		rc = youth__oom();
	level_labels_free(&l);
	return rc;
}

/* Stores the labels of one level inside an open write, once the whole set they make is good. */
static int level_labels_store(youth__write *w, int level, const char *label, const char *alt)
{
	youth_registry *reg = w->reg;
	level_labels l;
	int rc = level_labels_read(reg, &l);
	if (rc)
		return rc;
	const char *mine[2] = {label, alt};
	for (int k = 0; k < 2 && rc == YOUTH_OK; k++) {
		youth__free(l.label[level][k]);
		l.label[level][k] = NULL;
		if (mine[k] && !(l.label[level][k] = youth__strdup(mine[k])))
			rc = youth__oom();
	}
	if (rc == YOUTH_OK)
		rc = level_labels_check(&l);
	level_labels_free(&l);
	/* Loading the same gazetteer again writes nothing: a level without labels has no row, and
	 * a row is only rewritten when a label differs. */
	sqlite3_stmt *st;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, label || alt
		                      ? "INSERT INTO place_level (level, label, alt_label) VALUES (?1, ?2, ?3)"
		                        " ON CONFLICT (level) DO UPDATE SET label = ?2, alt_label = ?3"
		                        " WHERE label IS NOT ?2 OR alt_label IS NOT ?3"
		                      : "DELETE FROM place_level WHERE level = ?1", &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int(st, 1, level);
		if (label || alt) {
			sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, alt, -1, SQLITE_STATIC);
		}
		rc = youth__step_done(reg, st, "storing the level labels");
	}
	if (rc == YOUTH_OK && sqlite3_changes(reg->db) > 0) {
		youth__write_row(w, "place_level", level, 'u');
		/* "district:..." may now mean another level: text resolved before is looked up again */
		youth__place_cache_clear(reg);
	}
	return rc;
}

int youth_place_level_set_labels(youth_registry *reg, int level, const char *label,
                                 const char *alt_label)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_place_level_set_labels: NULL registry");
	if (!youth_place_level_name(level))
		return youth__error(YOUTH_EINVAL, "level", "level %d: not a place level (1-4)", level);
	youth__write w;
	int rc = youth__write_begin(&w, reg, "set level labels");
	if (rc == YOUTH_OK)
		rc = youth__write_end(&w, level_labels_store(&w, level, label, alt_label));
	return rc;
}

/* ---- resolving place text ---------------------------------------------------------------- */

/* Splits "district:Sonsonate" into its level and the place text; *level = 0 without a ':'. */
static int split_level(youth_registry *reg, const char *text, const char *f, int *level,
                       const char **rest)
{
	const char *colon = strchr(text, ':');
	*level = 0;
	*rest = text;
	if (!colon)
		return YOUTH_OK;
	level_labels l;
	int rc = level_labels_read(reg, &l);
	if (rc)
		return rc;
	rc = level_match(&l, text, (size_t)(colon - text), 0, level);
	level_labels_free(&l);
	if (rc == YOUTH_OK && !*level)
		return youth__error(YOUTH_EINVAL, f, "%s \"%.80s\": \"%.*s\" is not a level (department, "
		                    "municipality, district, community, or a label of the gazetteer)",
		                    f, text, (int)(colon - text > 40 ? 40 : colon - text), text);
	*rest = colon + 1;
	return rc;
}

/* The refusal of text that names several places: each with its level, and how to say which. */
static int ambiguous(const char *f, const char *text, const youth__buf *list, int n,
                     const int levels[5], int qualified)
{
	/* A level that only one candidate has can be named to pick that candidate. */
	youth__buf hint = {0};
	int rc = YOUTH_OK;
	for (int i = 0; i < n && i < 5 && !qualified && rc == YOUTH_OK; i++) {
		int same = 0;
		for (int j = 0; j < n && j < 5; j++)
			same += levels[j] == levels[i];
		if (same == 1)
			rc = youth__buf_printf(&hint, "%s\"%s:%.80s\"", hint.len ? " or " : "",
			                       youth_place_level_name(levels[i]), text);
	}
	if (rc == YOUTH_OK)
		rc = youth__error(YOUTH_EINVAL, f, "%s \"%.80s\": ambiguous, matches %s%s; write more of "
		                  "its path%s%s%s", f, text, list->data, n > 5 ? ", ..." : "",
		                  hint.len ? " or name its level (" : "", hint.len ? hint.data : "",
		                  hint.len ? ")" : "");
	youth__buf_free(&hint);
	return rc;
}

int youth__place_resolve(youth_registry *reg, const char *text, const char *field, int64_t *id)
{
	const char *f = field ? field : "place";
	if (!text || !*text)
		return youth__error(YOUTH_EINVAL, f, "%s: missing", f);
	if (youth__textmap_get(&reg->places, text, id))
		return YOUTH_OK;
	reg->place_queries++;
	if (!youth__utf8_valid(text, strlen(text), false))
		return youth__error(YOUTH_EINVAL, f, "%s: not valid UTF-8 text", f);
	int level;
	const char *rest;
	int rc = split_level(reg, text, f, &level, &rest);
	if (rc)
		return rc;
	youth__buf path = {0};
	rc = canonical_path(&path, rest);
	if (rc == YOUTH_OK && path.len == 0)
		rc = youth__error(YOUTH_EINVAL, f, "%s \"%.60s\": names no place", f, text);
	sqlite3_stmt *st = NULL;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, SQL_PLACE_CANDIDATES, &st);
	if (rc == YOUTH_OK) {
		const char *last = strrchr(path.data, '/');
		last = last ? last + 1 : path.data;
		sqlite3_bind_text(st, 1, path.data, (int)path.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, level);
		youth__buf matches = {0};
		int n = 0, s, levels[5];
		int64_t exact = 0;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(st, 1);
			int lv = sqlite3_column_int(st, 2);
			if (n == 0)
				*id = sqlite3_column_int64(st, 0);
			if (strcmp(p, path.data) == 0)
				exact = sqlite3_column_int64(st, 0);
			if (n < 5) {
				levels[n] = lv;
				if (rc == YOUTH_OK)
					rc = youth__buf_printf(&matches, "%s%s (%s)", n ? ", " : "", p,
					                       youth_place_level_name(lv));
			}
			n++;
		}
		sqlite3_reset(st);
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "looking up a place");
		else if (rc == YOUTH_OK && n == 0 && level)
			rc = youth__error(YOUTH_ENOTFOUND, f, "%s \"%.80s\": no %s of the gazetteer has "
			                  "this name or path", f, text, youth_place_level_name(level));
		else if (rc == YOUTH_OK && n == 0)
			rc = youth__error(YOUTH_ENOTFOUND, f, "%s \"%.80s\": not in the gazetteer", f, text);
		else if (rc == YOUTH_OK && n > 1 && reg->bulk && exact)
			*id = exact; /* files name places by path (docs/format.md): not cached, see below */
		else if (rc == YOUTH_OK && n > 1)
			rc = ambiguous(f, text, &matches, n, levels, level != 0);
		else if (rc == YOUTH_OK) {
			/* Only text that names one place is remembered: outside an import the full path
			 * "sonsonate" of a department is as ambiguous as the name "Sonsonate". */
			youth__textmap_put(&reg->places, text, *id);
		}
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
				/* text that named one place may now name two */
				youth__place_cache_clear(reg);
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

/* `levels:` a mapping from level names to {label, alt_label}; a level named gets exactly the
 * labels written (a key left out clears that label). */
static int load_levels(load_ctx *c)
{
	youth__yaml *y = c->y;
	int rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT,
	                            "a mapping of level names to their labels");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a level name")))
			break;
		int level = 0;
		for (int v = 1; v <= YOUTH_PLACE_COMMUNITY; v++)
			if (strcmp(youth__yaml_scalar(y), youth_place_level_name(v)) == 0)
				level = v;
		if (!level) {
			rc = youth__yaml_error(y, YOUTH_EINVAL, "levels", "unknown level `%.30s` (known: "
			                       "department, municipality, district, community)",
			                       youth__yaml_scalar(y));
			break;
		}
		if ((rc = youth__yaml_next(y)) ||
		    (rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT,
		                             "a mapping with label and alt_label")))
			break;
		char *labels[2] = {NULL, NULL};
		while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
		       !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
			if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a key")))
				break;
			const char *key = youth__yaml_scalar(y);
			int k = strcmp(key, "label") == 0 ? 0 : strcmp(key, "alt_label") == 0 ? 1 : -1;
			if (k < 0) {
				rc = youth__yaml_error(y, YOUTH_EINVAL, "levels", "unknown key `%.30s` in a "
				                       "level (known: label, alt_label)", key);
				break;
			}
			if ((rc = youth__yaml_next(y)) ||
			    (rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a plain value")))
				break;
			youth__free(labels[k]);
			if (!(labels[k] = youth__strdup(youth__yaml_scalar(y))))
				rc = youth__oom();
		}
		if (rc == YOUTH_OK &&
		    (rc = level_labels_store(c->w, level, labels[0], labels[1])) != YOUTH_OK)
			youth__error_prefix("%s:%zu", y->name, (size_t)y->event.start_mark.line + 1);
		youth__free(labels[0]);
		youth__free(labels[1]);
	}
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

/* The value of `levels`: the labels of the levels. */
static int load_labels(youth__yaml *y, void *ctx, int64_t *count)
{
	load_ctx c = {y, ((youth__loading *)ctx)->w, 0};
	(void)count;
	return load_levels(&c);
}

static const youth__yaml_file gazetteer_file = {
	"gazetteer", "gazetteer", "`format`, `levels` and `gazetteer`", .list = load_tree,
	.key2 = "levels", .list2 = load_labels,
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
	if (rc == YOUTH_OK)
		rc = youth__rec_iter_texts(out, reg, &youth__kind_place, "listing places",
		                           "SELECT " PLACE_COLS " FROM place WHERE (?1 = 0 OR level = ?1)"
		                           " AND (?2 IS NULL OR path = ?2 OR"
		                           " (path > ?2 || '/' AND path < ?2 || '0')) ORDER BY path",
		                           level, 1, (const char *const[]){path.data});
	youth__buf_free(&path);
	return rc;
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

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
