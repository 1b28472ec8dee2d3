/* Tests of youth/gazetteer.h: loading, finding, adding and iterating places, and refusing
 * malformed or hostile YAML without changing the registry. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Returns a place (fails the test if it cannot be found). */
static youth_place *get_place(youth_registry *reg, const char *text)
{
	youth_place *pl = NULL;
	int rc = youth_place_get(&pl, reg, text);
	if (rc != YOUTH_OK)
		fail_msg("youth_place_get(\"%s\") returned %s: %s", text, youth_error_name(rc),
		         youth_error_last()->message);
	assert_non_null(pl);
	return pl;
}

static int64_t place_id(youth_registry *reg, const char *text)
{
	youth_place *pl = get_place(reg, text);
	int64_t id = pl->id;
	youth_place_free(pl);
	return id;
}

/* ---- loading ---------------------------------------------------------------------------- */

static void test_load_counts(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	youth_place_iter *it = NULL;
	const youth_place *pl;
	int64_t added = -1;
	int per_level[5] = {0}, critical = 0, n = 0, rc;
	char (*uuids)[YOUTH_UUID_LEN + 1] = calloc(TH_GAZ_PLACES + 1, sizeof *uuids);

	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, TH_GAZ_PLACES);

	assert_ok(youth_place_iter_new(&it, reg, NULL, 0));
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		assert_non_null(pl);
		assert_true(pl->level >= 1 && pl->level <= 4);
		per_level[pl->level]++;
		critical += pl->critical ? 1 : 0;
		/* communities of the sample are all critical, nothing else is */
		assert_int_equal(pl->critical, pl->level == YOUTH_PLACE_COMMUNITY);
		assert_true(pl->id > 0);
		assert_uuid(pl->uuid);
		assert_non_null(pl->name);
		assert_non_null(pl->path);
		assert_true(n < TH_GAZ_PLACES);
		for (int i = 0; i < n; i++)
			assert_string_not_equal(uuids[i], pl->uuid);
		memcpy(uuids[n], pl->uuid, sizeof uuids[n]);
		n++;
	}
	assert_rc(rc, YOUTH_ITEROVER);
	youth_place_iter_free(it);
	free(uuids);

	assert_int_equal(n, TH_GAZ_PLACES);
	assert_int_equal(per_level[1], TH_GAZ_DEPARTMENTS);
	assert_int_equal(per_level[2], TH_GAZ_MUNICIPALITIES);
	assert_int_equal(per_level[3], TH_GAZ_DISTRICTS);
	assert_int_equal(per_level[4], TH_GAZ_COMMUNITIES);
	assert_int_equal(critical, TH_GAZ_CRITICAL);
	youth_registry_close(reg);
}

static void test_load_idempotent(void **state)
{
	youth_registry *reg = *state;
	int64_t added = -1;
	int64_t se = place_id(reg, TH_SANTA_EUGENIA);
	youth_place *before = get_place(reg, "Juayúa"), *after;

	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, 0);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	assert_int_equal(place_id(reg, TH_SANTA_EUGENIA), se);
	after = get_place(reg, "Juayúa");
	assert_int_equal(after->id, before->id);
	assert_string_equal(after->uuid, before->uuid);
	youth_place_free(before);
	youth_place_free(after);

	/* added may be NULL */
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
}

static void test_load_extends(void **state)
{
	youth_registry *reg = *state;
	int64_t added = -1;
	youth_place *pl;
	assert_ok(youth_gazetteer_load(&added, reg, YOUTH_TEST_DATA "/gazetteer-extra.yaml"));
	assert_int_equal(added, 3);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES + 3);
	pl = get_place(reg, "Los Cóbanos");
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	assert_int_equal(pl->critical, 0);
	assert_string_equal(pl->name, "Los Cóbanos");
	youth_place_free(pl);
	pl = get_place(reg, "Ahuachapán/Ahuachapán Centro");
	assert_int_equal(pl->level, YOUTH_PLACE_MUNICIPALITY);
	youth_place_free(pl);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_DEPARTMENT), 2);

	assert_ok(youth_gazetteer_load(&added, reg, YOUTH_TEST_DATA "/gazetteer-extra.yaml"));
	assert_int_equal(added, 0);
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, 0);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES + 3);
}

static void test_load_missing_file(void **state)
{
	youth_registry *reg = *state;
	int64_t added = 77;
	assert_rc(youth_gazetteer_load(&added, reg, YOUTH_TEST_DATA "/no-such-gazetteer.yaml"),
	          YOUTH_ENOTFOUND);
	assert_msg_has("no-such-gazetteer.yaml");
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	assert_rc(youth_gazetteer_load(&added, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_gazetteer_load_buffer(&added, reg, NULL, 10, "x"), YOUTH_EINVAL);
}

static void test_load_bad_file(void **state)
{
	youth_registry *reg = *state;
	int64_t added = 0;
	assert_rc(youth_gazetteer_load(&added, reg, YOUTH_TEST_DATA "/gazetteer-bad.yaml"),
	          YOUTH_EINVAL);
	assert_msg_has("gazetteer-bad.yaml");
	assert_msg_has("colour");
	assert_msg_line(6);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_DEPARTMENT), 1);
}

/* ---- hostile and malformed YAML --------------------------------------------------------- */

/* Each document starts with a valid new department, so "nothing added" is meaningful. */
#define HEAD "format: libyouth/1\ngazetteer:\n  - name: Ahuachapán\n"

/* Loads @p doc and expects one of the codes, the registry unchanged. */
static void expect_bad(youth_registry *reg, const char *doc, size_t len, int n, const int *codes)
{
	int64_t before = th_count_places(reg, NULL, 0);
	int64_t added = 0;
	int rc = youth_gazetteer_load_buffer(&added, reg, doc, len, "bad.yaml");
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok |= rc == codes[i];
	if (!ok) {
		char want[128] = "";
		for (int i = 0; i < n; i++) {
			strcat(want, youth_error_name(codes[i]));
			strcat(want, " ");
		}
		fail_msg("hostile document refused with %s (expected %s): %s", youth_error_name(rc),
		         want, youth_error_last()->message);
	}
	assert_true(strlen(youth_error_last()->message) > 0);
	assert_int_equal(th_count_places(reg, NULL, 0), before);
	/* no place named Ahuachapán (scanned without a failing call, so that the error report
	 * stays the one of the refused load for the caller to inspect) */
	youth_place_iter *it = NULL;
	const youth_place *pl;
	assert_ok(youth_place_iter_new(&it, reg, NULL, YOUTH_PLACE_DEPARTMENT));
	while (youth_place_next(&pl, it) == YOUTH_OK)
		assert_string_not_equal(pl->name, "Ahuachapán");
	youth_place_iter_free(it);
}

#define EXPECT_BAD(reg, doc, ...)                                                              \
	do {                                                                                   \
		const int codes_[] = {__VA_ARGS__};                                            \
		expect_bad((reg), (doc), strlen(doc), (int)(sizeof codes_ / sizeof codes_[0]),  \
		           codes_);                                                            \
	} while (0)

static void test_yaml_syntax_error(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg, HEAD "  - name: a: b\n", YOUTH_EPARSE);
	assert_msg_line(4);
	assert_msg_has("bad.yaml");

	EXPECT_BAD(reg, HEAD "    places:\n      - {name: x\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - name: \"unclosed\n", YOUTH_EPARSE);
	/* not a mapping at the top */
	EXPECT_BAD(reg, "- just\n- a list\n", YOUTH_EPARSE, YOUTH_EINVAL);
	/* places given as a scalar */
	EXPECT_BAD(reg, HEAD "    places: Atiquizaya\n", YOUTH_EPARSE, YOUTH_EINVAL);
	/* two documents in one stream */
	EXPECT_BAD(reg, HEAD "---\n" HEAD, YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "...\n---\nformat: libyouth/1\n", YOUTH_EPARSE);
}

static void test_yaml_alias(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg,
	           "format: libyouth/1\n"
	           "gazetteer:\n"
	           "  - &dep\n"
	           "    name: Ahuachapán\n"
	           "  - *dep\n",
	           YOUTH_EPARSE);
	/* an anchor alone is refused too: no anchors at all */
	EXPECT_BAD(reg,
	           "format: libyouth/1\n"
	           "gazetteer:\n"
	           "  - name: &n Ahuachapán\n",
	           YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - &a {name: lol}\n  - *a\n  - *a\n", YOUTH_EPARSE);
	/* an alias alone (to an anchor never defined): libyaml passes it on, the policy refuses */
	EXPECT_BAD(reg, HEAD "  - *nothing\n", YOUTH_EPARSE);
	assert_msg_has("alias");
	/* "billion laughs" */
	EXPECT_BAD(reg,
	           HEAD "  - name: x\n"
	                "    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	                "    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	                "    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	                "    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
	           YOUTH_EPARSE, YOUTH_ELIMIT, YOUTH_EINVAL);
}

static void test_yaml_tag(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg, HEAD "  - name: !!python/object/apply:os.system [\"echo hi\"]\n",
	           YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - !!python/object:__main__.Place {name: x}\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - name: !custom x\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - name: !!str Tacuba\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, "%TAG !e! tag:example.com,2000:\n---\n" HEAD, YOUTH_EPARSE);
}

static void test_yaml_deep_nesting(void **state)
{
	youth_registry *reg = *state;
	const size_t depth = 10000;
	size_t head = strlen(HEAD "  - name: x\n    places: ");
	char *doc = malloc(head + 2 * depth + 2);
	assert_non_null(doc);
	memcpy(doc, HEAD "  - name: x\n    places: ", head);
	memset(doc + head, '[', depth);
	memset(doc + head + depth, ']', depth);
	doc[head + 2 * depth] = '\n';
	doc[head + 2 * depth + 1] = 0;
	/* the structure is wrong before the depth limit is reached, so EINVAL is acceptable too;
	 * what matters is a prompt refusal and an unchanged registry */
	clock_t t0 = clock();
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT, YOUTH_EPARSE, YOUTH_EINVAL);

	/* unclosed: only opening brackets */
	doc[head + depth] = 0;
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT, YOUTH_EPARSE, YOUTH_EINVAL);
	/* at the top, where a mapping is due: the depth limit or a parse error */
	memset(doc, '[', 2 * depth);
	doc[2 * depth] = 0;
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT, YOUTH_EPARSE);

	/* nested block mappings */
	size_t cap = 64 + 20000 * 8;
	char *deep = malloc(cap), *p = deep;
	assert_non_null(deep);
	p += sprintf(p, HEAD "  - name: x\n    a:\n");
	for (int i = 0; i < 2000; i++) {
		for (int s = 0; s < 6 + 2 * i && p < deep + cap - 16; s++)
			*p++ = ' ';
		p += sprintf(p, "b:\n");
		if (p > deep + cap - 8192)
			break;
	}
	*p = 0;
	EXPECT_BAD(reg, deep, YOUTH_ELIMIT, YOUTH_EPARSE, YOUTH_EINVAL);
	free(deep);
	free(doc);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (secs > 2.0)
		fail_msg("refusing deeply nested documents took %.2f s of CPU", secs);
}

static void test_yaml_huge_scalar(void **state)
{
	youth_registry *reg = *state;
	size_t n = 70 * 1024;
	size_t head = strlen(HEAD "  - name: ");
	char *doc = malloc(head + n + 2);
	assert_non_null(doc);
	memcpy(doc, HEAD "  - name: ", head);
	memset(doc + head, 'a', n);
	doc[head + n] = '\n';
	doc[head + n + 1] = 0;
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT);

	/* as a quoted scalar, and as a key */
	doc[head - 1] = '"';
	doc[head + n] = '"';
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT);
	free(doc);

	head = strlen(HEAD "  - ");
	doc = malloc(head + n + 8);
	assert_non_null(doc);
	memcpy(doc, HEAD "  - ", head);
	memset(doc + head, 'k', n);
	strcpy(doc + head + n, ": x\n");
	EXPECT_BAD(reg, doc, YOUTH_ELIMIT, YOUTH_EINVAL);
	free(doc);
}

static void test_yaml_invalid_utf8(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg, HEAD "  - name: Ahuachap\xe1n Sur\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - name: \xff\xfe\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, HEAD "  - name: \"\xc0\xaf\"\n", YOUTH_EPARSE);
	/* a NUL byte inside the buffer */
	static const char nul[] = HEAD "  - name: La\0Paz\n";
	const int codes[] = {YOUTH_EPARSE};
	expect_bad(reg, nul, sizeof nul - 1, 1, codes);
}

static void test_yaml_truncated(void **state)
{
	youth_registry *reg = *state;
	size_t size;
	char *text = (char *)th_read_file(TH_GAZETTEER, &size);
	assert_non_null(text);
	/* cut inside a flow mapping, after several places */
	char *cut = strstr(text, "{name: Atonal");
	assert_non_null(cut);
	cut += 10;
	*cut = 0;
	/* a fresh registry: every place in the truncated text would be new */
	youth_registry *fresh = NULL;
	assert_ok(youth_registry_open(&fresh, ":memory:", YOUTH_OPEN_CREATE));
	int64_t added = 0;
	assert_rc(youth_gazetteer_load_buffer(&added, fresh, text, strlen(text), "cut.yaml"),
	          YOUTH_EPARSE);
	assert_msg_has("cut.yaml");
	assert_int_equal(th_count_places(fresh, NULL, 0), 0);
	youth_registry_close(fresh);

	/* Block YAML cut cleanly at a line end is a valid shorter document (docs/format.md says
	 * so), so the cut here is inside a flow mapping. */
	EXPECT_BAD(reg, HEAD "  - name: Ahuachapán Sur\n    places:\n      - {name: X,",
	           YOUTH_EPARSE);
	free(text);
}

static void test_yaml_wrong_format(void **state)
{
	youth_registry *reg = *state;
	/* docs/format.md: a missing or other format is EPARSE */
	EXPECT_BAD(reg, "format: libyouth/2\ngazetteer:\n  - name: Ahuachapán\n", YOUTH_EPARSE);
	assert_msg_has("format");
	EXPECT_BAD(reg, "format: otherapp/1\ngazetteer:\n  - name: Ahuachapán\n", YOUTH_EPARSE);
	assert_msg_has("format");
	EXPECT_BAD(reg, "format: [libyouth/1]\ngazetteer:\n  - name: Ahuachapán\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, "gazetteer:\n  - name: Ahuachapán\n", YOUTH_EPARSE);
	assert_msg_has("format");
	/* format must be the first key */
	EXPECT_BAD(reg, "gazetteer:\n  - name: Ahuachapán\nformat: libyouth/1\n", YOUTH_EPARSE);
	EXPECT_BAD(reg, "", YOUTH_EPARSE);
}

static void test_yaml_unknown_key(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg, HEAD "  - name: Santa Ana\n    population: 5000\n", YOUTH_EINVAL);
	assert_msg_has("population");
	assert_msg_line(5);
	EXPECT_BAD(reg, HEAD "colour: red\n", YOUTH_EINVAL);
	assert_msg_has("colour");
}

static void test_yaml_bad_place(void **state)
{
	youth_registry *reg = *state;
	/* empty name, missing name */
	EXPECT_BAD(reg, HEAD "  - name: \"\"\n", YOUTH_EINVAL);
	assert_msg_has("name");
	EXPECT_BAD(reg, HEAD "  - name:\n", YOUTH_EINVAL);
	EXPECT_BAD(reg, HEAD "  - critical: true\n", YOUTH_EINVAL);
	/* critical must be a boolean */
	EXPECT_BAD(reg, HEAD "  - {name: Tacuba, critical: maybe}\n", YOUTH_EINVAL);
	assert_msg_has("critical");
	/* a place that is not a mapping */
	EXPECT_BAD(reg, HEAD "  - Tacuba\n", YOUTH_EINVAL, YOUTH_EPARSE);
	/* names are 1-80 bytes */
	EXPECT_BAD(reg, HEAD "  - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	           YOUTH_EINVAL);
	/* places must come after the other keys */
	EXPECT_BAD(reg, HEAD "  - places:\n      - name: Tacuba Centro\n    name: Tacuba\n",
	           YOUTH_EINVAL, YOUTH_EPARSE);
	/* a bad uuid */
	EXPECT_BAD(reg, HEAD "  - {name: Tacuba, uuid: not-a-uuid}\n", YOUTH_EINVAL);
}

static void test_yaml_too_deep_places(void **state)
{
	youth_registry *reg = *state;
	EXPECT_BAD(reg,
	           HEAD "    places:\n"
	                "      - name: Ahuachapán Centro\n"
	                "        places:\n"
	                "          - name: Ahuachapán\n"
	                "            places:\n"
	                "              - name: Barrio El Calvario\n"
	                "                places:\n"
	                "                  - name: Pasaje 5\n",
	           YOUTH_EINVAL, YOUTH_ELIMIT);
	/* under an existing community too */
	EXPECT_BAD(reg,
	           HEAD "  - name: Sonsonate\n"
	                "    places:\n"
	                "      - name: Sonsonate Centro\n"
	                "        places:\n"
	                "          - name: Sonzacate\n"
	                "            places:\n"
	                "              - name: Santa Eugenia\n"
	                "                places:\n"
	                "                  - name: Pasaje 5\n",
	           YOUTH_EINVAL, YOUTH_ELIMIT);
}

/* ---- finding places --------------------------------------------------------------------- */

static void test_get_by_path(void **state)
{
	youth_registry *reg = *state;
	youth_place *pl = get_place(reg, TH_SANTA_EUGENIA);
	assert_true(pl->id > 0);
	assert_uuid(pl->uuid);
	assert_string_equal(pl->path, TH_SANTA_EUGENIA);
	assert_string_equal(pl->name, "Santa Eugenia");
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	assert_int_equal(pl->critical, 1);
	youth_place_free(pl);

	pl = get_place(reg, "sonsonate/sonsonate-centro/sonzacate");
	assert_string_equal(pl->name, "Sonzacate");
	assert_int_equal(pl->level, YOUTH_PLACE_DISTRICT);
	assert_int_equal(pl->critical, 0);
	youth_place_free(pl);

	pl = get_place(reg, "sonsonate/sonsonate-centro");
	assert_string_equal(pl->name, "Sonsonate Centro");
	assert_string_equal(pl->path, "sonsonate/sonsonate-centro");
	assert_int_equal(pl->level, YOUTH_PLACE_MUNICIPALITY);
	youth_place_free(pl);

	/* "sonsonate" is also the district's trailing part: the level says which (ambiguity:
	 * test_get_ambiguous_levels) */
	pl = get_place(reg, "department:sonsonate");
	assert_string_equal(pl->path, "sonsonate");
	assert_int_equal(pl->level, YOUTH_PLACE_DEPARTMENT);
	youth_place_free(pl);

	/* slugs drop accents */
	pl = get_place(reg, "sonsonate/sonsonate-norte/juayua");
	assert_string_equal(pl->name, "Juayúa");
	youth_place_free(pl);
	/* docs/gazetteer.md examples */
	pl = get_place(reg, "sonsonate/sonsonate-centro/sonsonate/14-de-diciembre");
	assert_string_equal(pl->name, "14 de Diciembre");
	youth_place_free(pl);
	pl = get_place(reg, "sonsonate/sonsonate-oeste/acajutla/lue");
	assert_string_equal(pl->name, "Lúe");
	youth_place_free(pl);
	pl = get_place(reg, "Espíritu Santo y Las Delicias");
	assert_string_equal(pl->path, "sonsonate/sonsonate-centro/sonsonate/espiritu-santo-y-las-delicias");
	youth_place_free(pl);
	pl = get_place(reg, "Acajutla");
	assert_string_equal(pl->path, "sonsonate/sonsonate-oeste/acajutla");
	assert_int_equal(pl->level, YOUTH_PLACE_DISTRICT);
	youth_place_free(pl);
	pl = get_place(reg, "sonsonate/sonsonate-oeste/acajutla/san-julian");
	assert_string_equal(pl->name, "San Julián");
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	assert_int_equal(pl->critical, 1);
	youth_place_free(pl);
}

static void test_get_by_names(void **state)
{
	youth_registry *reg = *state;
	int64_t se = place_id(reg, TH_SANTA_EUGENIA);
	assert_int_equal(place_id(reg, "Sonsonate/Sonsonate Centro/Sonzacate/SANTA EUGENIA"), se);
	assert_int_equal(place_id(reg, "sonsonate/sonsonate centro/sonzacate/santa eugenia"), se);
	assert_int_equal(place_id(reg, "SONSONATE/Sonsonate Centro/sonzacate/Santa Eugenia"), se);
	assert_int_equal(place_id(reg, "Sonsonate/sonsonate-centro/Sonzacate/santa-eugenia"), se);

	youth_place *pl = get_place(reg, "Sonsonate/Sonsonate Norte/JUAYÚA");
	assert_string_equal(pl->name, "Juayúa");
	assert_string_equal(pl->path, "sonsonate/sonsonate-norte/juayua");
	youth_place_free(pl);
	assert_int_equal(place_id(reg, "Sonsonate/Sonsonate Norte/Juayua"),
	                 place_id(reg, "sonsonate/sonsonate-norte/juayua"));
	pl = get_place(reg, "Sonsonate/Sonsonate Centro/Sonsonate/Río Julupe");
	assert_string_equal(pl->name, "Río Julupe");
	youth_place_free(pl);
	assert_int_equal(place_id(reg, "Sonsonate/Sonsonate Este/SAN JULIAN"),
	                 place_id(reg, "Sonsonate/Sonsonate Este/San Julián"));
}

static void test_get_by_tail(void **state)
{
	youth_registry *reg = *state;
	int64_t se = place_id(reg, TH_SANTA_EUGENIA);
	assert_int_equal(place_id(reg, "Santa Eugenia"), se);
	assert_int_equal(place_id(reg, "santa-eugenia"), se);
	assert_int_equal(place_id(reg, "SANTA EUGENIA"), se);
	assert_int_equal(place_id(reg, "sonzacate/santa-eugenia"), se);
	assert_int_equal(place_id(reg, "Sonsonate Centro/Sonzacate/Santa Eugenia"), se);

	youth_place *pl = get_place(reg, "sonzacate/el-sauce");
	assert_string_equal(pl->name, "El Sauce");
	assert_string_equal(pl->path, "sonsonate/sonsonate-centro/sonzacate/el-sauce");
	youth_place_free(pl);

	pl = get_place(reg, "acajutla/san-julian");
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	youth_place_free(pl);
	pl = get_place(reg, "Sonsonate Este/San Julián");
	assert_int_equal(pl->level, YOUTH_PLACE_DISTRICT);
	assert_int_equal(pl->critical, 0);
	youth_place_free(pl);

	pl = get_place(reg, "Metalio");
	assert_string_equal(pl->name, "Metalío");
	youth_place_free(pl);
	pl = get_place(reg, "14 de Diciembre");
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	youth_place_free(pl);
	pl = get_place(reg, "espiritu santo y las delicias");
	assert_string_equal(pl->name, "Espíritu Santo y Las Delicias");
	youth_place_free(pl);
}

static void test_get_ambiguous(void **state)
{
	youth_registry *reg = *state;
	youth_place *pl = NULL;
	assert_rc(youth_place_get(&pl, reg, "San Julián"), YOUTH_EINVAL);
	assert_null(pl);
	const char *msg = youth_error_last()->message;
	assert_true(th_contains(msg, "acajutla"));
	if (!th_contains(msg, "sonsonate-este") && !th_contains(msg, "sonsonate este"))
		fail_msg("ambiguity message does not list the district of Sonsonate Este: %s", msg);
	assert_rc(youth_place_get(&pl, reg, "san-julian"), YOUTH_EINVAL);
	assert_rc(youth_place_get(&pl, reg, "SAN JULIAN"), YOUTH_EINVAL);
	assert_null(pl);
}

/* Asserts that @p text is refused as ambiguous and that the message names every needle. */
static void expect_ambiguous(youth_registry *reg, const char *text, const char *const *needles)
{
	youth_place *pl = NULL;
	int rc = youth_place_get(&pl, reg, text);
	if (rc != YOUTH_EINVAL)
		fail_msg("youth_place_get(\"%s\") returned %s, expected EINVAL", text,
		         youth_error_name(rc));
	assert_null(pl);
	for (; *needles; needles++)
		if (!th_contains(youth_error_last()->message, *needles))
			fail_msg("message for \"%s\" lacks \"%s\": %s", text, *needles,
			         youth_error_last()->message);
}

static void expect_path(youth_registry *reg, const char *text, const char *path)
{
	youth_place *pl = get_place(reg, text);
	if (strcmp(pl->path, path) != 0)
		fail_msg("\"%s\" resolved to %s, expected %s", text, pl->path, path);
	youth_place_free(pl);
}

/* "Sonsonate" is the department and, since 2024, a district: no level wins silently, not even
 * the department whose whole path the text is. */
static void test_get_ambiguous_levels(void **state)
{
	youth_registry *reg = *state;
	static const char *const both[] = {"sonsonate (department)",
	                                   "sonsonate/sonsonate-centro/sonsonate (district)",
	                                   "\"department:", "\"district:", NULL};
	expect_ambiguous(reg, "Sonsonate", both);
	expect_ambiguous(reg, "sonsonate", both);
	expect_ambiguous(reg, " SONSONATE ", both);
	/* the refusal is not remembered as an answer */
	expect_ambiguous(reg, "Sonsonate", both);
	/* San Julián: a district and a community, each level offered */
	static const char *const julian[] = {"sonsonate/sonsonate-este/san-julian (district)",
	                                     "sonsonate/sonsonate-oeste/acajutla/san-julian "
	                                     "(community)", "\"district:San Julián\"",
	                                     "\"community:San Julián\"", NULL};
	expect_ambiguous(reg, "San Julián", julian);

	/* a longer path or the level says which */
	expect_path(reg, "sonsonate-centro/sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "Sonsonate/Sonsonate Centro/Sonsonate",
	            "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "department:Sonsonate", "sonsonate");
	expect_path(reg, "Department:sonsonate", "sonsonate");
	expect_path(reg, "district:Sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "District : Sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "district:sonsonate-centro/sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "community:San Julián", "sonsonate/sonsonate-oeste/acajutla/san-julian");
	expect_path(reg, "district:san-julian", "sonsonate/sonsonate-este/san-julian");
	expect_path(reg, "municipality:Sonsonate Centro", "sonsonate/sonsonate-centro");
	/* cached answers stay right: the same texts again */
	expect_path(reg, "department:Sonsonate", "sonsonate");
	expect_path(reg, "district:Sonsonate", "sonsonate/sonsonate-centro/sonsonate");

	youth_place *pl = NULL;
	assert_rc(youth_place_get(&pl, reg, "municipality:Sonsonate"), YOUTH_ENOTFOUND);
	assert_msg_has("no municipality");
	assert_rc(youth_place_get(&pl, reg, "community:Sonzacate"), YOUTH_ENOTFOUND);
	assert_rc(youth_place_get(&pl, reg, "town:Sonsonate"), YOUTH_EINVAL);
	assert_msg_has("\"town\" is not a level");
	assert_rc(youth_place_get(&pl, reg, ":Sonsonate"), YOUTH_EINVAL);
	assert_rc(youth_place_get(&pl, reg, "district:"), YOUTH_EINVAL);
	assert_msg_has("names no place");
	assert_null(pl);

	/* within one level the level cannot help: only the path is offered */
	assert_ok(youth_place_add(NULL, reg, "sonsonate/sonsonate-norte/juayua", "Santa Eugenia", 0));
	static const char *const eugenia[] = {"sonzacate/santa-eugenia (community)",
	                                      "juayua/santa-eugenia (community)", "write more of its "
	                                      "path", NULL};
	expect_ambiguous(reg, "community:Santa Eugenia", eugenia);
	youth_place *again = NULL;
	assert_rc(youth_place_get(&again, reg, "community:Santa Eugenia"), YOUTH_EINVAL);
	assert_false(th_contains(youth_error_last()->message, "name its level"));
}

/* Adding a place can make text that named one place name two: the cache must not keep the old
 * answer. */
static void test_get_after_add_is_fresh(void **state)
{
	youth_registry *reg = *state;
	expect_path(reg, "El Sauce", "sonsonate/sonsonate-centro/sonzacate/el-sauce");
	assert_ok(youth_place_add(NULL, reg, "sonsonate/sonsonate-este/izalco", "El Sauce", 0));
	static const char *const two[] = {"izalco/el-sauce", "sonzacate/el-sauce", NULL};
	expect_ambiguous(reg, "El Sauce", two);
	/* a new department named like a district makes the name ambiguous across levels */
	expect_path(reg, "Acajutla", "sonsonate/sonsonate-oeste/acajutla");
	assert_ok(youth_place_add(NULL, reg, NULL, "Acajutla", 0));
	static const char *const aca[] = {"acajutla (department)", "acajutla (district)", NULL};
	expect_ambiguous(reg, "Acajutla", aca);
}

/* A libyouth/1 file names places by their full path: an import takes the department
 * "sonsonate" at its word, and the answer is not left behind for text typed later. */
static void test_import_names_places_by_path(void **state)
{
	youth_registry *reg = *state;
	static const char doc[] = "format: libyouth/1\npersons:\n"
	                          "  - given_names: Ana\n    first_surname: Pérez\n"
	                          "    birth_date: 1990-01-31\n    sex: female\n"
	                          "    place: sonsonate\n    census_date: 2009-03-04\n"
	                          "    census_round: census-2009\nend:\n  records: 1\n";
	assert_ok(youth_import_buffer(NULL, reg, doc, sizeof doc - 1, "dep.yaml", NULL));
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.place = "department:sonsonate";
	int64_t n = -1;
	assert_ok(youth_person_count(&n, reg, &f));
	assert_int_equal(n, 1);
	f.place = "district:sonsonate";
	assert_ok(youth_person_count(&n, reg, &f));
	assert_int_equal(n, 0);
	static const char *const both[] = {"(department)", "(district)", NULL};
	expect_ambiguous(reg, "sonsonate", both);
}

static void test_get_unknown(void **state)
{
	youth_registry *reg = *state;
	youth_place *pl = NULL;
	static const char *unknown[] = {
		"Nowhere", "sonsonate/nowhere", "santa-eugenia/sonzacate", "Eugenia",
		"sonsonate/sonzacate/santa-eugenia", "La Libertad", "Sonzacat",
	};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		int rc = youth_place_get(&pl, reg, unknown[i]);
		if (rc != YOUTH_ENOTFOUND)
			fail_msg("youth_place_get(\"%s\") returned %s, expected ENOTFOUND", unknown[i],
			         youth_error_name(rc));
		assert_null(pl);
	}
	assert_rc(youth_place_get(&pl, reg, "Nowhere"), YOUTH_ENOTFOUND);
	assert_msg_has("Nowhere");
	assert_rc_in2(youth_place_get(&pl, reg, ""), YOUTH_ENOTFOUND, YOUTH_EINVAL);
	assert_rc(youth_place_get(&pl, reg, NULL), YOUTH_EINVAL);
	assert_rc_in2(youth_place_get(&pl, reg, "Santa \xff"), YOUTH_EINVAL, YOUTH_ENOTFOUND);
}

/* ---- level labels ------------------------------------------------------------------------ */

/* Asserts a level's label (alternative 0) or second label (1); NULL: none. */
static void expect_label(youth_registry *reg, int level, int alternative, const char *want)
{
	char *got = (char *)"unset";
	assert_ok(youth_place_level_label(&got, reg, level, alternative));
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
	youth_free(got);
}

static void expect_level(youth_registry *reg, const char *text, int want)
{
	int level = -1;
	int rc = youth_place_level_find(&level, reg, text);
	if (rc != YOUTH_OK || level != want)
		fail_msg("youth_place_level_find(\"%s\"): %s, level %d, expected %d", text,
		         youth_error_name(rc), level, want);
}

/* The sample gazetteer gives the districts the name the programme's staff know them by. */
static void test_level_labels_loaded(void **state)
{
	youth_registry *reg = *state;
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 0, "department");
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 1, NULL);
	expect_label(reg, YOUTH_PLACE_MUNICIPALITY, 0, "municipality");
	expect_label(reg, YOUTH_PLACE_DISTRICT, 0, "district");
	expect_label(reg, YOUTH_PLACE_DISTRICT, 1, "municipality (before 2024)");
	expect_label(reg, YOUTH_PLACE_COMMUNITY, 1, NULL);

	expect_level(reg, "district", YOUTH_PLACE_DISTRICT);
	expect_level(reg, "Municipality (Before 2024)", YOUTH_PLACE_DISTRICT);
	expect_level(reg, "municipality-before-2024", YOUTH_PLACE_DISTRICT);
	expect_level(reg, "MUNICIPALITY", YOUTH_PLACE_MUNICIPALITY);
	expect_level(reg, "community", YOUTH_PLACE_COMMUNITY);
	int level = -1;
	assert_rc(youth_place_level_find(&level, reg, "municipality (2024)"), YOUTH_ENOTFOUND);
	assert_int_equal(level, 0);
	assert_rc(youth_place_level_find(&level, reg, ""), YOUTH_ENOTFOUND);
	assert_rc(youth_place_level_find(NULL, reg, "district"), YOUTH_EINVAL);
	assert_rc(youth_place_level_find(&level, NULL, "district"), YOUTH_EINVAL);
	assert_rc(youth_place_level_find(&level, reg, NULL), YOUTH_EINVAL);

	/* either label qualifies a place */
	expect_path(reg, "municipality (before 2024):Sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	expect_path(reg, "Municipality (before 2024): Acajutla", "sonsonate/sonsonate-oeste/acajutla");

	char *out = (char *)"unset";
	assert_rc(youth_place_level_label(&out, reg, 0, 0), YOUTH_EINVAL);
	assert_null(out);
	assert_rc(youth_place_level_label(&out, reg, 5, 1), YOUTH_EINVAL);
	assert_rc(youth_place_level_label(NULL, reg, 1, 0), YOUTH_EINVAL);
	assert_rc(youth_place_level_label(&out, NULL, 1, 0), YOUTH_EINVAL);
}

static void test_level_labels_set(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_place_level_set_labels(reg, YOUTH_PLACE_DEPARTMENT, "Departamento", NULL));
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 0, "Departamento");
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 1, NULL);
	expect_level(reg, "departamento", YOUTH_PLACE_DEPARTMENT);
	expect_level(reg, "department", YOUTH_PLACE_DEPARTMENT); /* the name always works */
	expect_path(reg, "departamento:Sonsonate", "sonsonate");

	/* taken back: the text is looked up again, not answered from memory */
	assert_ok(youth_place_level_set_labels(reg, YOUTH_PLACE_DEPARTMENT, NULL, NULL));
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 0, "department");
	youth_place *pl = NULL;
	assert_rc(youth_place_get(&pl, reg, "departamento:Sonsonate"), YOUTH_EINVAL);
	assert_msg_has("not a level");

	/* labels that could not name their level alone, or could not be written before ':' */
	static const struct {
		int level;
		const char *label, *alt, *needle;
	} bad[] = {
		{YOUTH_PLACE_COMMUNITY, NULL, "district", "already names the district level"},
		{YOUTH_PLACE_COMMUNITY, NULL, "Municipality (before 2024)", "district level"},
		{YOUTH_PLACE_MUNICIPALITY, "Department", NULL, "department level"},
		{YOUTH_PLACE_COMMUNITY, "area: critical", NULL, "':'"},
		{YOUTH_PLACE_COMMUNITY, "", NULL, "1-80 bytes"},
		{YOUTH_PLACE_COMMUNITY, NULL, "(--)", "no letters or digits"},
		{YOUTH_PLACE_COMMUNITY, "caf\xc3", NULL, "UTF-8"},
		{YOUTH_PLACE_COMMUNITY,
		 "a label longer than eighty bytes is refused like a place name of that length, too long",
		 NULL, "1-80 bytes"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = youth_place_level_set_labels(reg, bad[i].level, bad[i].label, bad[i].alt);
		if (rc != YOUTH_EINVAL || !th_contains(youth_error_last()->message, bad[i].needle))
			fail_msg("labels %zu: %s, \"%s\" (expected EINVAL naming \"%s\")", i,
			         youth_error_name(rc), youth_error_last()->message, bad[i].needle);
	}
	/* nothing of the refused labels stayed */
	expect_label(reg, YOUTH_PLACE_COMMUNITY, 0, "community");
	expect_label(reg, YOUTH_PLACE_COMMUNITY, 1, NULL);
	expect_label(reg, YOUTH_PLACE_MUNICIPALITY, 0, "municipality");
	/* a level may repeat its own name */
	assert_ok(youth_place_level_set_labels(reg, YOUTH_PLACE_COMMUNITY, "Community",
	                                       "critical area"));
	expect_path(reg, "critical area:Lúe", "sonsonate/sonsonate-oeste/acajutla/lue");

	assert_rc(youth_place_level_set_labels(reg, 0, "x", NULL), YOUTH_EINVAL);
	assert_rc(youth_place_level_set_labels(reg, 5, "x", NULL), YOUTH_EINVAL);
	assert_rc(youth_place_level_set_labels(NULL, 1, "x", NULL), YOUTH_EINVAL);
}

#define LEVELS_GAZ(levels) "format: libyouth/1\nlevels:\n" levels "gazetteer:\n  - name: La Paz\n"

/* The `levels` section: labels loaded with the places, all or nothing. */
static void test_level_labels_yaml(void **state)
{
	youth_registry *reg = *state;
	int64_t added = -1;
	static const char good[] = LEVELS_GAZ("  department: {label: Departamento}\n"
	                                      "  district: {label: Distrito, alt_label: Municipio}\n");
	assert_ok(youth_gazetteer_load_buffer(&added, reg, good, sizeof good - 1, "levels.yaml"));
	assert_int_equal(added, 1);
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 0, "Departamento");
	expect_label(reg, YOUTH_PLACE_DISTRICT, 0, "Distrito");
	expect_label(reg, YOUTH_PLACE_DISTRICT, 1, "Municipio");
	expect_label(reg, YOUTH_PLACE_MUNICIPALITY, 0, "municipality"); /* not named: kept */
	expect_path(reg, "municipio:Sonzacate", "sonsonate/sonsonate-centro/sonzacate");
	/* again: nothing changes */
	int64_t before = youth_registry_total_changes(reg);
	assert_ok(youth_gazetteer_load_buffer(&added, reg, good, sizeof good - 1, "levels.yaml"));
	assert_int_equal(added, 0);
	assert_int_equal(youth_registry_total_changes(reg), before);

	/* a level named with no labels goes back to its name */
	static const char reset[] = "format: libyouth/1\nlevels:\n  district: {}\n";
	assert_ok(youth_gazetteer_load_buffer(&added, reg, reset, sizeof reset - 1, "reset.yaml"));
	expect_label(reg, YOUTH_PLACE_DISTRICT, 0, "district");
	expect_label(reg, YOUTH_PLACE_DISTRICT, 1, NULL);
	expect_label(reg, YOUTH_PLACE_DEPARTMENT, 0, "Departamento");

	/* each after a place and a good label, which the failure takes back */
#define BAD_LEVELS(levels) "format: libyouth/1\ngazetteer:\n  - name: Cabañas\nlevels:\n" \
	                   "  municipality: {label: Municipio}\n" levels
	static const struct {
		const char *doc, *needle;
		int rc;
	} bad[] = {
		{BAD_LEVELS("  region: {label: Región}\n"), "unknown level `region`", YOUTH_EINVAL},
		{BAD_LEVELS("  district: {colour: red}\n"), "unknown key `colour`", YOUTH_EINVAL},
		{BAD_LEVELS("  district: {alt_label: department}\n"), "already names the department",
		 YOUTH_EINVAL},
		{BAD_LEVELS("  district: {label: [a, b]}\n"), "plain value", YOUTH_EPARSE},
		{BAD_LEVELS("  district: Distrito\n"), "label and alt_label", YOUTH_EPARSE},
		{"format: libyouth/1\ngazetteer:\n  - name: Cabañas\nlevels:\n  - district\n",
		 "level names", YOUTH_EPARSE},
	};
#undef BAD_LEVELS
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = youth_gazetteer_load_buffer(&added, reg, bad[i].doc, strlen(bad[i].doc),
		                                     "bad-levels.yaml");
		const char *msg = youth_error_last()->message;
		if (rc != bad[i].rc || !th_contains(msg, bad[i].needle) ||
		    !th_contains(msg, "bad-levels.yaml:"))
			fail_msg("document %zu: %s, \"%s\" (expected %s naming \"%s\" and the line)", i,
			         youth_error_name(rc), msg, youth_error_name(bad[i].rc), bad[i].needle);
		/* all or nothing: neither Cabañas nor any label */
		youth_place *pl = NULL;
		assert_rc(youth_place_get(&pl, reg, "cabanas"), YOUTH_ENOTFOUND);
		expect_label(reg, YOUTH_PLACE_MUNICIPALITY, 0, "municipality");
		expect_label(reg, YOUTH_PLACE_DISTRICT, 0, "district");
	}
}

/* A registry made before labels existed (schema 3) reads the level names as labels and can be
 * given labels; test_registry checks the migrated schema itself. */
static void test_level_labels_migrated(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "old.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	youth_registry_close(reg);
	th_schema_downgrade(path, 3);

	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	for (int v = YOUTH_PLACE_DEPARTMENT; v <= YOUTH_PLACE_COMMUNITY; v++) {
		expect_label(reg, v, 0, youth_place_level_name(v));
		expect_label(reg, v, 1, NULL);
	}
	expect_path(reg, "district:Sonsonate", "sonsonate/sonsonate-centro/sonsonate");
	/* the sample's labels arrive by loading its gazetteer again (no place is added) */
	int64_t added = -1;
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, 0);
	expect_label(reg, YOUTH_PLACE_DISTRICT, 1, "municipality (before 2024)");
	youth_registry_close(reg);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- adding places ---------------------------------------------------------------------- */

static void test_place_add(void **state)
{
	youth_registry *reg = *state;
	int64_t id = 0, id2 = 0, id3 = 0, id4 = 0;
	youth_place *pl;

	assert_ok(youth_place_add(&id, reg, NULL, "La Libertad", 0));
	assert_true(id > 0);
	pl = get_place(reg, "la-libertad");
	assert_int_equal(pl->id, id);
	assert_int_equal(pl->level, YOUTH_PLACE_DEPARTMENT);
	assert_string_equal(pl->name, "La Libertad");
	assert_string_equal(pl->path, "la-libertad");
	assert_int_equal(pl->critical, 0);
	assert_uuid(pl->uuid);
	youth_place_free(pl);

	assert_ok(youth_place_add(&id2, reg, "La Libertad", "La Libertad Sur", 0));
	assert_ok(youth_place_add(&id3, reg, "la-libertad/la-libertad-sur", "Santa Tecla", 0));
	assert_ok(youth_place_add(&id4, reg, "Santa Tecla", "Barrio El Calvario", 1));
	assert_true(id2 > 0 && id3 > 0 && id4 > 0);
	assert_true(id2 != id && id3 != id2 && id4 != id3);
	pl = get_place(reg, "La Libertad/La Libertad Sur/Santa Tecla/Barrio El Calvario");
	assert_int_equal(pl->id, id4);
	assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
	assert_int_equal(pl->critical, 1);
	assert_string_equal(pl->path, "la-libertad/la-libertad-sur/santa-tecla/barrio-el-calvario");
	youth_place_free(pl);
	pl = get_place(reg, "Santa Tecla");
	assert_int_equal(pl->level, YOUTH_PLACE_DISTRICT);
	youth_place_free(pl);

	/* id may be NULL; accents in new names */
	assert_ok(youth_place_add(NULL, reg, "sonsonate/sonsonate-oeste/acajutla", "Los Cóbanos",
	                          1));
	pl = get_place(reg, "acajutla/los-cobanos");
	assert_string_equal(pl->name, "Los Cóbanos");
	youth_place_free(pl);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES + 5);
}

static void test_place_add_errors(void **state)
{
	youth_registry *reg = *state;
	int64_t id = 99;
	int64_t before = th_count_places(reg, NULL, 0);

	/* a community's child */
	assert_rc(youth_place_add(&id, reg, TH_SANTA_EUGENIA, "Pasaje 5", 0), YOUTH_EINVAL);
	assert_rc(youth_place_add(&id, reg, "Santa Eugenia", "Pasaje 5", 0), YOUTH_EINVAL);
	/* same name under the same parent */
	assert_rc(youth_place_add(&id, reg, "sonsonate/sonsonate-centro/sonzacate", "Santa Eugenia",
	                          1),
	          YOUTH_EEXISTS);
	if (!th_contains(youth_error_last()->message, "Santa Eugenia") &&
	    !th_contains(youth_error_last()->message, "santa-eugenia"))
		fail_msg("EEXISTS message does not name the place: %s", youth_error_last()->message);
	assert_rc(youth_place_add(&id, reg, NULL, "Sonsonate", 0), YOUTH_EEXISTS);
	/* unknown parent */
	assert_rc(youth_place_add(&id, reg, "Nowhere", "Somewhere", 0), YOUTH_ENOTFOUND);
	assert_rc(youth_place_add(&id, reg, "la-libertad", "Santa Tecla", 0), YOUTH_ENOTFOUND);
	/* ambiguous parent */
	assert_rc(youth_place_add(&id, reg, "San Julián", "Nuevo", 0), YOUTH_EINVAL);
	/* empty / NULL / invalid names */
	assert_rc(youth_place_add(&id, reg, NULL, "", 0), YOUTH_EINVAL);
	assert_rc(youth_place_add(&id, reg, "Sonzacate", "", 0), YOUTH_EINVAL);
	assert_rc(youth_place_add(&id, reg, NULL, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_place_add(&id, reg, NULL, "Caba\xf1" "as", 0), YOUTH_EINVAL);
	char long_name[YOUTH_NAME_MAX + 2];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = 0;
	assert_rc(youth_place_add(&id, reg, NULL, long_name, 0), YOUTH_EINVAL);

	assert_int_equal(th_count_places(reg, NULL, 0), before);
}

/* Names that fold to an existing sibling's name would give it the same path. */
static void test_place_add_duplicate_folded(void **state)
{
	youth_registry *reg = *state;
	int64_t before = th_count_places(reg, NULL, 0);
	assert_rc(youth_place_add(NULL, reg, "Sonzacate", "SANTA EUGENIA", 0), YOUTH_EEXISTS);
	assert_rc(youth_place_add(NULL, reg, "Sonsonate Norte", "Juayua", 0), YOUTH_EEXISTS);
	assert_int_equal(th_count_places(reg, NULL, 0), before);
}

/* ---- iterating -------------------------------------------------------------------------- */

static void test_iter_filters(void **state)
{
	youth_registry *reg = *state;
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_DEPARTMENT), TH_GAZ_DEPARTMENTS);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_MUNICIPALITY),
	                 TH_GAZ_MUNICIPALITIES);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_DISTRICT), TH_GAZ_DISTRICTS);
	assert_int_equal(th_count_places(reg, NULL, YOUTH_PLACE_COMMUNITY), TH_GAZ_COMMUNITIES);

	assert_int_equal(th_count_places(reg, "department:sonsonate", 0), TH_GAZ_PLACES);
	assert_int_equal(th_count_places(reg, "Sonzacate", 0), 5);
	assert_int_equal(th_count_places(reg, "Sonzacate", YOUTH_PLACE_COMMUNITY), 4);
	assert_int_equal(th_count_places(reg, "Sonzacate", YOUTH_PLACE_DISTRICT), 1);
	assert_int_equal(th_count_places(reg, "Sonzacate", YOUTH_PLACE_MUNICIPALITY), 0);
	assert_int_equal(th_count_places(reg, "sonsonate/sonsonate-centro", 0), 1 + 5 + 30);
	assert_int_equal(th_count_places(reg, "sonsonate/sonsonate-centro", YOUTH_PLACE_COMMUNITY),
	                 30);
	assert_int_equal(th_count_places(reg, "Sonsonate Centro/Sonsonate", YOUTH_PLACE_COMMUNITY),
	                 26);
	assert_int_equal(th_count_places(reg, "Sonsonate Este", YOUTH_PLACE_DISTRICT), 6);
	assert_int_equal(th_count_places(reg, "Sonsonate Oeste", 0), 1 + 1 + 7);
	assert_int_equal(th_count_places(reg, "Santa Eugenia", 0), 1);
	assert_int_equal(th_count_places(reg, "Santa Eugenia", YOUTH_PLACE_DISTRICT), 0);
}

static void test_iter_order_and_content(void **state)
{
	youth_registry *reg = *state;
	youth_place_iter *it = NULL;
	const youth_place *pl;
	char prev[512] = "";
	int n = 0, rc;

	assert_ok(youth_place_iter_new(&it, reg, "sonzacate", 0));
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		if (n == 0) {
			assert_string_equal(pl->path, "sonsonate/sonsonate-centro/sonzacate");
			assert_int_equal(pl->level, YOUTH_PLACE_DISTRICT);
		} else {
			assert_int_equal(pl->level, YOUTH_PLACE_COMMUNITY);
			assert_int_equal(pl->critical, 1);
			assert_true(strncmp(pl->path, "sonsonate/sonsonate-centro/sonzacate/", 37) == 0);
		}
		if (strcmp(prev, pl->path) >= 0)
			fail_msg("not in path order: \"%s\" after \"%s\"", pl->path, prev);
		snprintf(prev, sizeof prev, "%s", pl->path);
		n++;
	}
	assert_rc(rc, YOUTH_ITEROVER);
	assert_int_equal(n, 5);
	youth_place_iter_free(it);

	/* whole tree in path order */
	it = NULL;
	prev[0] = 0;
	assert_ok(youth_place_iter_new(&it, reg, NULL, 0));
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		if (strcmp(prev, pl->path) >= 0)
			fail_msg("not in path order: \"%s\" after \"%s\"", pl->path, prev);
		snprintf(prev, sizeof prev, "%s", pl->path);
	}
	assert_rc(rc, YOUTH_ITEROVER);
	youth_place_iter_free(it);
}

static void test_iter_latched(void **state)
{
	youth_registry *reg = *state;
	youth_place_iter *it = NULL;
	const youth_place *pl;
	assert_ok(youth_place_iter_new(&it, reg, "Santa Eugenia", 0));
	assert_ok(youth_place_next(&pl, it));
	assert_string_equal(pl->name, "Santa Eugenia");
	for (int i = 0; i < 5; i++)
		assert_rc(youth_place_next(&pl, it), YOUTH_ITEROVER);
	youth_place_iter_free(it);

	/* an iterator with nothing to give */
	it = NULL;
	assert_ok(youth_place_iter_new(&it, reg, "Santa Eugenia", YOUTH_PLACE_DEPARTMENT));
	for (int i = 0; i < 3; i++)
		assert_rc(youth_place_next(&pl, it), YOUTH_ITEROVER);
	youth_place_iter_free(it);
}

static void test_iter_bad(void **state)
{
	youth_registry *reg = *state;
	youth_place_iter *it = (youth_place_iter *)reg;
	assert_rc(youth_place_iter_new(&it, reg, "Nowhere", 0), YOUTH_ENOTFOUND);
	assert_null(it);
	it = (youth_place_iter *)reg;
	assert_rc(youth_place_iter_new(&it, reg, "San Julián", 0), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_place_iter_new(&it, reg, NULL, 5), YOUTH_EINVAL);
	assert_rc(youth_place_iter_new(&it, reg, NULL, -1), YOUTH_EINVAL);
	assert_null(it);
	youth_place_iter_free(NULL);
}

static void test_level_name(void **state)
{
	(void)state;
	assert_string_equal(youth_place_level_name(YOUTH_PLACE_DEPARTMENT), "department");
	assert_string_equal(youth_place_level_name(YOUTH_PLACE_MUNICIPALITY), "municipality");
	assert_string_equal(youth_place_level_name(YOUTH_PLACE_DISTRICT), "district");
	assert_string_equal(youth_place_level_name(YOUTH_PLACE_COMMUNITY), "community");
	assert_null(youth_place_level_name(0));
	assert_null(youth_place_level_name(5));
	assert_null(youth_place_level_name(-1));
	youth_place_free(NULL);
}

/* A place's uuid may be given in the file and is kept. */
static void test_load_keeps_uuid(void **state)
{
	youth_registry *reg = *state;
	static const char doc[] = "format: libyouth/1\n"
	                          "gazetteer:\n"
	                          "  - name: Ahuachapán\n"
	                          "    uuid: 0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\n";
	int64_t added = 0;
	assert_ok(youth_gazetteer_load_buffer(&added, reg, doc, sizeof doc - 1,
	                                      NULL)); /* no name */
	assert_int_equal(added, 1);
	youth_place *pl = get_place(reg, "ahuachapan");
	assert_string_equal(pl->uuid, "0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b");
	assert_int_equal(pl->level, YOUTH_PLACE_DEPARTMENT);
	youth_place_free(pl);
}

/* All-or-nothing when the error comes late in a long valid document. */
static void test_load_all_or_nothing(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	size_t size;
	char *text = (char *)th_read_file(TH_GAZETTEER, &size);
	assert_non_null(text);
	char *doc = malloc(size + 128);
	assert_non_null(doc);
	memcpy(doc, text, size);
	strcpy(doc + size, "              - {name: \"\", critical: true}\n");
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	int64_t added = 5;
	assert_rc(youth_gazetteer_load_buffer(&added, reg, doc, strlen(doc), "late.yaml"),
	          YOUTH_EINVAL);
	assert_int_equal(th_count_places(reg, NULL, 0), 0);
	/* the good part alone loads */
	assert_ok(youth_gazetteer_load_buffer(&added, reg, text, size, "good.yaml"));
	assert_int_equal(added, TH_GAZ_PLACES);
	youth_registry_close(reg);
	free(doc);
	free(text);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, th_setup_gazetteer, th_teardown_registry)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_counts),
		T(test_load_idempotent),
		T(test_load_extends),
		T(test_load_missing_file),
		T(test_load_bad_file),
		T(test_load_keeps_uuid),
		cmocka_unit_test(test_load_all_or_nothing),
		T(test_yaml_syntax_error),
		T(test_yaml_alias),
		T(test_yaml_tag),
		T(test_yaml_deep_nesting),
		T(test_yaml_huge_scalar),
		T(test_yaml_invalid_utf8),
		T(test_yaml_truncated),
		T(test_yaml_wrong_format),
		T(test_yaml_unknown_key),
		T(test_yaml_bad_place),
		T(test_yaml_too_deep_places),
		T(test_get_by_path),
		T(test_get_by_names),
		T(test_get_by_tail),
		T(test_get_ambiguous),
		T(test_get_ambiguous_levels),
		T(test_get_after_add_is_fresh),
		T(test_import_names_places_by_path),
		T(test_level_labels_loaded),
		T(test_level_labels_set),
		T(test_level_labels_yaml),
		cmocka_unit_test(test_level_labels_migrated),
		T(test_get_unknown),
		T(test_place_add),
		T(test_place_add_errors),
		T(test_place_add_duplicate_folded),
		T(test_iter_filters),
		T(test_iter_order_and_content),
		T(test_iter_latched),
		T(test_iter_bad),
		cmocka_unit_test(test_level_name),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
