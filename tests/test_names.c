/* Tests of the name machinery (libyouth/names.c): folding into words, particles, the sound
 * key, nicknames, the edit distance, name similarity with its reasons, the name index kept by
 * every person write, its rebuild, and the ranked search youth_person_find().  White-box:
 * linked with the library's objects to reach youth__name_*. */
#include "private_names.h"
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

/* ---- words, particles ----------------------------------------------------------------------- */

static void expect_words(const char *given, const char *s1, const char *s2, const char *want)
{
	youth__name n;
	assert_ok(youth__name_parse(&n, given, s1, s2));
	char got[400] = "";
	for (int i = 0; i < n.n; i++) {
		strcat(got, i ? " " : "");
		strcat(got, n.word[i]);
		strcat(got, n.role[i] == YOUTH__NW_GIVEN ? ":g" : n.role[i] == YOUTH__NW_SURNAME1 ? ":1" : ":2");
	}
	assert_string_equal(got, want);
}

static void test_folding_and_particles(void **state)
{
	(void)state;
	expect_words("José Antonio", "Hernández", "Pérez",
	             "jose:g antonio:g hernandez:1 perez:2");
	expect_words("  MARÍA   de los Ángeles ", "De La Cruz", NULL,
	             "maria:g angeles:g cruz:1");
	expect_words("Ana del Carmen", "Peña", "y Núñez", "ana:g carmen:g pena:1 nunez:2");
	/* "la" alone is a word; only after "de"/"del" is it a particle */
	expect_words("La", "Ruiz-Sánchez", "O'Connor", "la:g ruiz:1 sanchez:1 o:2 connor:2");
	/* ü folds to u (Güity), and a name of particles only gives no word */
	expect_words("Del", "Güity", NULL, "guity:1");
	youth__name n;
	memset(&n, 0, sizeof n);
	assert_rc(youth__name_add(&n, "\xc3\x28", YOUTH__NW_ANY), YOUTH_EINVAL);
}

/* ---- sound key ---------------------------------------------------------------------------- */

static void expect_same_sound(const char *a, const char *b, bool same)
{
	char x[YOUTH__WORD_MAX], y[YOUTH__WORD_MAX];
	youth__name_sound(a, x, sizeof x);
	youth__name_sound(b, y, sizeof y);
	if ((strcmp(x, y) == 0) != same)
		fail_msg("sound of %s (%s) and %s (%s): expected %s", a, x, b, y,
		         same ? "equal" : "different");
}

static void test_sound_pairs(void **state)
{
	(void)state;
	static const char *const alike[][2] = {
		{"vasquez", "basquez"}, {"vasquez", "vazquez"}, {"hernandez", "ernandez"},
		{"hernandez", "hernandes"}, {"cesar", "sesar"}, {"zelaya", "selaya"},
		{"guillermo", "guiyermo"}, {"yolanda", "llolanda"}, {"jimenez", "gimenez"},
		{"enrique", "enrike"}, {"quintanilla", "kintaniya"}, {"herrera", "herera"},
		{"xiomara", "siomara"}, {"raphael", "rafael"}, {"walter", "balter"},
		{"rey", "rei"}, {"cecilia", "sesilia"}, {"gerardo", "jerardo"},
	};
	for (size_t i = 0; i < sizeof alike / sizeof alike[0]; i++)
		expect_same_sound(alike[i][0], alike[i][1], true);
	/* vowels and the other consonants still tell names apart */
	static const char *const apart[][2] = {
		{"perez", "paz"}, {"rosa", "rosario"}, {"mario", "maria"}, {"lopez", "lobos"},
		{"castro", "castillo"}, {"gomez", "jomez"}, {"carlos", "charlos"},
	};
	for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++)
		expect_same_sound(apart[i][0], apart[i][1], false);
	char tiny[3];
	youth__name_sound("hernandez", tiny, sizeof tiny);
	assert_string_equal(tiny, "er");
}

/* ---- Damerau-Levenshtein ------------------------------------------------------------------ */

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(youth__name_distance("hernandez", "hernandez", 2), 0);
	assert_int_equal(youth__name_distance("hernandez", "hernadez", 2), 1);   /* deletion */
	assert_int_equal(youth__name_distance("perez", "pereez", 2), 1);         /* insertion */
	assert_int_equal(youth__name_distance("lopez", "lopes", 2), 1);          /* substitution */
	assert_int_equal(youth__name_distance("martinez", "matrinez", 2), 1);    /* swap */
	assert_int_equal(youth__name_distance("martinez", "mratinze", 2), 2);
	assert_int_equal(youth__name_distance("ca", "abc", 3), 3); /* restricted: no edit of a swap */
	assert_int_equal(youth__name_distance("rosa", "rosario", 1), 2);       /* max + 1 */
	assert_int_equal(youth__name_distance("", "abc", 5), 3);
}

/* ---- nicknames ------------------------------------------------------------------------------ */

static int collect(void *ctx, const char *other)
{
	char *out = ctx;
	strcat(out, out[0] ? "," : "");
	strcat(out, other);
	return 0;
}

static void test_nicknames(void **state)
{
	(void)state;
	char got[200] = "";
	youth__name_nicknames("chepe", collect, got);
	assert_string_equal(got, "jose");
	got[0] = '\0';
	youth__name_nicknames("jose", collect, got);
	assert_string_equal(got, "chepe,pepe");
	got[0] = '\0';
	youth__name_nicknames("beto", collect, got);
	assert_string_equal(got, "alberto,roberto");
	assert_int_equal(youth__word_relate("tono", "antonio", false), YOUTH__REL_NICKNAME);
	assert_int_equal(youth__word_relate("chayo", "rosario", false), YOUTH__REL_NICKNAME);
	assert_int_equal(youth__word_relate("lupe", "guadalupe", false), YOUTH__REL_NICKNAME);
	assert_int_equal(youth__word_relate("francisco", "pancho", false), YOUTH__REL_NICKNAME);
	assert_int_equal(youth__word_relate("chepe", "antonio", false), YOUTH__REL_NONE);
}

/* ---- similarity and its reasons -------------------------------------------------------- */

static int compare(const char *g1, const char *a1, const char *a2, const char *g2,
                   const char *b1, const char *b2, unsigned *reasons)
{
	youth__name a, b;
	assert_ok(youth__name_parse(&a, g1, a1, a2));
	assert_ok(youth__name_parse(&b, g2, b1, b2));
	return youth__name_compare(&a, &b, reasons);
}

static void test_similarity_reasons(void **state)
{
	(void)state;
	unsigned r;
	assert_int_equal(compare("José Antonio", "Hernández", "Pérez", "JOSE ANTONIO", "HERNANDEZ",
	                         "PEREZ", &r), 100);
	assert_int_equal(r, YOUTH_NAME_EXACT);
	int swapped = compare("José", "Hernández", "Pérez", "José", "Pérez", "Hernández", &r);
	assert_int_equal(r, YOUTH_NAME_SWAPPED);
	assert_true(swapped >= 95 && swapped < 100);
	int missing = compare("José", "Hernández", "Pérez", "José", "Hernández", NULL, &r);
	assert_true(r & YOUTH_NAME_MISSING_SURNAME);
	assert_false(r & YOUTH_NAME_SWAPPED);
	assert_true(missing < 100 && missing >= 90);
	compare("José", "Hernández", "Pérez", "José", "Pérez", NULL, &r);
	assert_true((r & YOUTH_NAME_MISSING_SURNAME) && (r & YOUTH_NAME_SWAPPED));
	compare("Chepe", "Hernández", NULL, "José", "Hernández", NULL, &r);
	assert_int_equal(r, YOUTH_NAME_NICKNAME);
	int typo = compare("José", "Hernadez", NULL, "José", "Hernández", NULL, &r);
	assert_int_equal(r, YOUTH_NAME_TYPO);
	int sound = compare("José", "Hernandes", NULL, "José", "Hernández", NULL, &r);
	assert_true(r & YOUTH_NAME_SOUND);
	assert_true(sound > typo); /* a spelling of the same sound weighs more than a typo */
	int fewer = compare("José", "Hernández", NULL, "José Antonio", "Hernández", NULL, &r);
	assert_true(r & YOUTH_NAME_MISSING_GIVEN);
	assert_true(fewer < 100);
	/* twins: same surnames, other given names */
	int twins = compare("Ana María", "López", "Díaz", "Rosa Elena", "López", "Díaz", &r);
	assert_true(twins <= 60);
	/* a search: words matched anywhere, prefixes allowed */
	youth__name q, b;
	memset(&q, 0, sizeof q);
	assert_ok(youth__name_add(&q, "perez jos", YOUTH__NW_ANY));
	assert_ok(youth__name_parse(&b, "José", "Hernández", "Pérez"));
	assert_int_equal(youth__name_compare(&q, &b, &r), 90);
	assert_int_equal(r, YOUTH_NAME_PREFIX);
	memset(&q, 0, sizeof q);
	assert_ok(youth__name_add(&q, "jose perez hernandez", YOUTH__NW_ANY));
	assert_int_equal(youth__name_compare(&q, &b, &r), 100);
	assert_int_equal(r, YOUTH_NAME_EXACT | YOUTH_NAME_SWAPPED);
	assert_string_equal(youth_name_reason_name(YOUTH_NAME_SWAPPED), "swapped_surnames");
	assert_null(youth_name_reason_name(0x300));
	assert_string_equal(youth_match_rank_name(YOUTH_MATCH_NEAR), "near");
	assert_null(youth_match_rank_name(0));
}

/* ---- the index ---------------------------------------------------------------------------- */

/* The index of a registry as text: every row of its three tables, ordered. */
static char *index_text(youth_registry *reg)
{
	youth__buf b = {0};
	static const char *const sql[] = {
		/* a word's key shown as the word (its id depends on the order words came in) */
		"SELECT person_id || ' ' || coalesce((SELECT token FROM name_token WHERE id = key), "
		"key) || ' ' || words AS k FROM person_name ORDER BY k",
		"SELECT token || ' ' || sound FROM name_token ORDER BY token",
		"SELECT variant || ' ' || token FROM name_token_near ORDER BY variant, token",
	};
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(reg->db, sql[i], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			assert_ok(youth__buf_puts(&b, (const char *)sqlite3_column_text(st, 0)));
			assert_ok(youth__buf_puts(&b, "\n"));
		}
		sqlite3_finalize(st);
		assert_ok(youth__buf_puts(&b, "--\n"));
	}
	return b.data;
}

static int64_t count_sql(youth_registry *reg, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int64_t add(youth_registry *reg, const char *given, const char *s1, const char *s2)
{
	youth_person p;
	th_person_valid(&p);
	p.given_names = given;
	p.first_surname = s1;
	p.second_surname = s2;
	p.national_id = NULL;
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	return p.id;
}

/* The index rebuilt from scratch equals the one the writes kept. */
static void expect_rebuild_same(youth_registry *reg)
{
	char *kept = index_text(reg);
	/* both ways: keys written with the key index in place, and the key index dropped and
	 * built again sorted */
	for (int64_t after = 20000; after >= 0; after -= 20000) {
		youth__names_rebuild_after = after;
		int64_t n = -1;
		assert_ok(youth_name_index_rebuild(&n, reg));
		assert_int_equal(n, count_sql(reg, "SELECT count(*) FROM person"));
		assert_int_equal(count_sql(reg, "SELECT count(*) FROM sqlite_schema WHERE name = "
		                                "'person_name_key'"), 1);
		char *rebuilt = index_text(reg);
		assert_string_equal(kept, rebuilt);
		youth__free(rebuilt);
	}
	youth__names_rebuild_after = 20000;
	youth__free(kept);
}

static void test_index_kept_by_writes(void **state)
{
	youth_registry *reg = *state;
	int64_t a = add(reg, "José Antonio", "Hernández", "Pérez");
	/* 4 words, 6 pairs */
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name"), 10);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM person_name WHERE key = %lld",
	         (long long)youth__names_pair_key("perez", "hernandez"));
	assert_int_equal(count_sql(reg, sql), 1);
	/* every row of a person carries the bits of its words */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM person_name WHERE words = %d",
	         (int32_t)(youth__names_word_bits("jose") | youth__names_word_bits("antonio") |
	                   youth__names_word_bits("hernandez") | youth__names_word_bits("perez")));
	assert_int_equal(count_sql(reg, sql), 10);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token_near WHERE variant = "
	                                "'hernadez' AND token = 'hernandez'"), 1);
	int64_t b = add(reg, "Martín", "Martín", NULL);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name WHERE person_id = 2"), 2);
	expect_rebuild_same(reg);

	/* update: a renamed person gets new keys; the words nobody has any more leave */
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, a));
	p->given_names = "Josué";
	assert_ok(youth_person_update(reg, p, YOUTH_PERSON_DEFAULT));
	youth_person_free(p);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name, name_token WHERE key = id AND token = 'jose'"), 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token WHERE token IN "
	                                "('jose', 'antonio')"), 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token_near WHERE token = "
	                                "'antonio'"), 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name WHERE person_id = 1"),
	                 6);
	/* an update that keeps the name keeps the keys */
	assert_ok(youth_person_get(&p, reg, a));
	p->address = "Otra casa";
	assert_ok(youth_person_update(reg, p, YOUTH_PERSON_DEFAULT));
	youth_person_free(p);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name WHERE person_id = 1"),
	                 6);
	expect_rebuild_same(reg);

	/* delete: the person's keys go, shared words stay */
	add(reg, "Ana", "Hernández", NULL);
	assert_ok(youth_person_delete(reg, a));
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name WHERE person_id = 1"), 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token WHERE token = 'hernandez'"),
	                 1);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token WHERE token = 'perez'"), 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token_near WHERE token = 'perez'"),
	                 0);
	int64_t removed = 0;
	assert_ok(youth_person_delete_cascade(&removed, reg, b));
	assert_int_equal(removed, 1); /* the index is not a record of its own */
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token WHERE token = 'martin'"), 0);
	expect_rebuild_same(reg);
}

/* A failed add inside a transaction leaves no key behind. */
static void test_index_failed_add(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_registry_begin(reg));
	youth_person p;
	th_person_valid(&p);
	p.birth_date = "1985-05-14"; /* a DUI is issued at 18 */
	p.national_id = "00016297-5";
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	int64_t keys = count_sql(reg, "SELECT count(*) FROM person_name");
	th_person_valid(&p);
	p.given_names = "Otro Nombre";
	p.birth_date = "1985-05-14";
	p.national_id = "00016297-5";
	assert_rc(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT), YOUTH_EEXISTS);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name"), keys);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM name_token WHERE token = 'otro'"), 0);
}

static const char census[] =
	"format: libyouth/1\n"
	"persons:\n"
	"  - {given_names: Rosa Elena, first_surname: Pérez, birth_date: 1990-06-01, sex: female,\n"
	"     place: El Sauce, census_date: 2009-03-05, census_round: census-2009}\n"
	"  - {given_names: Luis Alonso, first_surname: Mejía, second_surname: de la O,\n"
	"     birth_date: 1989-09-09, sex: male, place: Metalío, census_date: 2009-03-05,\n"
	"     census_round: census-2009}\n";

static void test_index_census_and_import(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_census_load_buffer(NULL, reg, census, sizeof census - 1, "c", 0));
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM person_name, name_token "
	                                "WHERE key = id AND token = 'mejia'"), 1);
	expect_rebuild_same(reg);
	/* an interchange import indexes the persons it adds at its end */
	th_text out = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &out, NULL));
	/* both ways: keys written in place, and the key index dropped and built again */
	for (int64_t after = 20000; after >= 0; after -= 20000) {
		youth__names_rebuild_after = after;
		youth_registry *other = th_open_memory_gazetteer();
		assert_ok(th_import_text(other, out.data, 0, NULL));
		assert_int_equal(count_sql(other, "SELECT count(*) FROM sqlite_schema WHERE name = "
		                                  "'person_name_key'"), 1);
		char *a = index_text(reg), *b = index_text(other);
		assert_string_equal(a, b);
		youth__free(a);
		youth__free(b);
		youth_registry_close(other);
	}
	youth__names_rebuild_after = 20000;
	free(out.data);
}

/* @n persons of names of one to three given words and one or two surnames, words shared by
 * many and words of one person only (@salt varies those), so that an import's keys cross
 * the batches it writes them in. */
static void add_many(youth_registry *reg, int n, int salt)
{
	static const char *const given[] = {"José", "María", "Ana", "Luis", "Rosa Elena",
	                                    "Juan Carlos", "Francisco", "Dolores"};
	static const char *const sur[] = {"Hernández", "López", "Martínez", "Díaz", "Pérez",
	                                  "Mejía", "Ramos", "Cruz", "de la O", "Flores"};
	for (int i = 0; i < n; i++) {
		char g[64];
		if (i % 3)
			snprintf(g, sizeof g, "%s", given[i % 8]);
		else
			snprintf(g, sizeof g, "%s Zu%c%cleyma", given[i % 8], 'a' + (i + salt) % 26,
			         'a' + (i / 26 + salt) % 26);
		add(reg, g, sur[i % 10], i % 4 ? sur[(i / 10) % 10] : NULL);
	}
}

static char *export_text(youth_registry *reg)
{
	th_text out = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &out, NULL));
	return out.data;
}

/* @doc with @section (whole lines) put before its end, the count of its records raised by
 * @records. */
static char *with_section(const char *doc, const char *section, int records)
{
	const char *end = strstr(doc, "\nend:\n  records: ");
	assert_non_null(end);
	long n = strtol(end + strlen("\nend:\n  records: "), NULL, 10);
	size_t cap = strlen(doc) + strlen(section) + 64;
	char *out = malloc(cap);
	assert_non_null(out);
	snprintf(out, cap, "%.*s\n%send:\n  records: %ld\n", (int)(end - doc), doc, section,
	         n + records);
	return out;
}

static int64_t key_index_count(youth_registry *reg)
{
	return count_sql(reg, "SELECT count(*) FROM sqlite_schema WHERE name = 'person_name_key'");
}

/*
 * An atomic insert-only import indexes its persons as it adds them, in batches (names.c);
 * keep-going and upsert imports index them at the end.  Every way, and with the key index
 * kept or dropped and built again, the index is the one the writes of the source kept.
 */
static void test_index_imported_as_added(void **state)
{
	youth_registry *src = *state;
	add_many(src, 150, 0);
	char *want = index_text(src), *doc = export_text(src);
	static const unsigned modes[] = {0, YOUTH_IMPORT_KEEP_GOING, YOUTH_IMPORT_UPSERT};
	static const int64_t afters[] = {20000, 40, 0};
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
		for (size_t a = 0; a < sizeof afters / sizeof afters[0]; a++) {
			youth__names_rebuild_after = afters[a];
			youth_registry *other = th_open_memory_gazetteer();
			int64_t before = youth__names_as_added;
			youth_interchange_summary sum;
			assert_ok(th_import_text(other, doc, modes[m], &sum));
			assert_int_equal(sum.imported, 150);
			assert_int_equal(youth__names_as_added - before, modes[m] ? 0 : 150);
			assert_int_equal(key_index_count(other), 1);
			char *got = index_text(other);
			assert_string_equal(want, got);
			youth__free(got);
			youth_registry_close(other);
		}
	youth__names_rebuild_after = 20000;
	youth__free(want);
	free(doc);
}

/* Into a registry that has persons already (their words known, ids not from 1), and then a
 * section that merges two of the persons just added: the merge's trigger reads person_name,
 * so the batched keys are written before it. */
static void test_index_imported_beside_others(void **state)
{
	youth_registry *src = *state;
	add_many(src, 120, 3);
	/* the last person added: keys still waiting in the batch when the section ends */
	int64_t last = add(src, "Nayeli Xochiquetzal", "Quintanilla", NULL);
	char *doc = export_text(src);
	youth_person *kept = NULL, *merged = NULL;
	assert_ok(youth_person_get(&kept, src, 4));
	assert_ok(youth_person_get(&merged, src, last)); /* words nobody else has */
	char merges[400];
	snprintf(merges, sizeof merges, "merges:\n  - uuid: 018f0000-0000-7000-8000-000000000e10\n"
	         "    kept_uuid: %s\n    merged_uuid: %s\n", kept->uuid, merged->uuid);
	char *doc2 = with_section(doc, merges, 1);
	for (int64_t after = 20000; after >= 0; after -= 20000) {
		youth__names_rebuild_after = after;
		youth_registry *other = th_open_memory_gazetteer();
		add_many(other, 30, 11);
		int64_t before = youth__names_as_added;
		assert_ok(th_import_text(other, doc2, 0, NULL));
		assert_int_equal(youth__names_as_added - before, 121);
		assert_int_equal(th_count_persons(other), 150);
		assert_int_equal(key_index_count(other), 1);
		assert_int_equal(count_sql(other, "SELECT count(*) FROM name_token WHERE token = "
		                                  "'xochiquetzal'"), 0); /* went with the merged person */
		expect_rebuild_same(other);
		youth_registry_close(other);
	}
	youth__names_rebuild_after = 20000;
	youth_person_free(kept);
	youth_person_free(merged);
	free(doc);
	free(doc2);
}

/* An import that fails after its persons were indexed (and the key index dropped) leaves the
 * index as it was, and the next import finds nothing of it. */
static void test_index_failed_import(void **state)
{
	youth_registry *src = *state;
	add_many(src, 100, 5);
	char *doc = export_text(src);
	/* a merge of persons nobody has: refused after every person was added */
	char *bad = with_section(doc, "merges:\n  - uuid: 018f0000-0000-7000-8000-000000000f01\n"
	                              "    kept_uuid: 018f0000-0000-7000-8000-0000000000aa\n"
	                              "    merged_uuid: 018f0000-0000-7000-8000-0000000000ab\n", 1);
	youth__names_rebuild_after = 0;
	youth_registry *other = th_open_memory_gazetteer();
	add_many(other, 30, 9);
	char *before = index_text(other);
	int64_t as_added = youth__names_as_added;
	assert_rc(th_import_text(other, bad, 0, NULL), YOUTH_ENOTFOUND);
	assert_int_equal(youth__names_as_added - as_added, 100); /* indexed, then undone */
	assert_int_equal(th_count_persons(other), 30);
	assert_int_equal(key_index_count(other), 1);
	char *after = index_text(other);
	assert_string_equal(before, after);
	/* again inside a transaction of the caller, which goes on */
	assert_ok(youth_registry_begin(other));
	assert_rc(th_import_text(other, bad, 0, NULL), YOUTH_ENOTFOUND);
	assert_int_equal(key_index_count(other), 1);
	assert_ok(youth_registry_commit(other));
	youth__free(after);
	after = index_text(other);
	assert_string_equal(before, after);
	assert_ok(th_import_text(other, doc, 0, NULL));
	assert_int_equal(th_count_persons(other), 130);
	expect_rebuild_same(other);
	youth_registry_close(other);
	youth__names_rebuild_after = 20000;
	youth__free(before);
	youth__free(after);
	free(doc);
	free(bad);
}

/* A registry of schema 6 gets the index of the persons it holds when it is opened. */
static void test_index_migrated(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "old.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	add(reg, "José", "Hernández", "Pérez");
	char *before = index_text(reg);
	youth_registry_close(reg);
	th_schema_downgrade(path, 6);
	assert_ok(youth_registry_open(&reg, path, 0));
	char *after = index_text(reg);
	assert_string_equal(before, after);
	youth__free(before);
	youth__free(after);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- ranked search --------------------------------------------------------------------------- */

typedef struct hit {
	int64_t id;
	int rank;
	unsigned reasons;
} hit;

static size_t find(youth_registry *reg, const char *text, size_t limit, hit *out)
{
	youth_person_matches *m = NULL;
	assert_ok(youth_person_find(&m, reg, text, limit));
	size_t n = youth_person_matches_count(m);
	for (size_t i = 0; i < n; i++) {
		const youth_person_match *x = youth_person_matches_get(m, i);
		out[i] = (hit){x->id, x->rank, x->reasons};
		assert_true(x->score > 0 && x->score <= 100);
		assert_int_equal(strlen(x->uuid), 36);
		assert_non_null(x->name);
	}
	assert_null(youth_person_matches_get(m, n));
	youth_person_matches_free(m);
	return n;
}

static void test_search_ranking(void **state)
{
	youth_registry *reg = *state;
	int64_t jose = add(reg, "José Antonio", "Hernández", "Pérez");
	int64_t josefa = add(reg, "Josefa", "Hernández", NULL);
	int64_t josue = add(reg, "Josué", "Hernández", "Pérez");
	int64_t chepe = add(reg, "Chepe", "Hernandes", NULL);
	int64_t ana = add(reg, "Ana", "Vásquez", "De la Cruz");
	hit h[20];
	/* exact first, then prefixes, then near spellings; id order inside a class */
	size_t n = find(reg, "jose hernandez", 0, h);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].id, jose);
	assert_int_equal(h[0].rank, YOUTH_MATCH_EXACT);
	assert_int_equal(h[1].id, josefa);
	assert_int_equal(h[1].rank, YOUTH_MATCH_PREFIX);
	assert_int_equal(h[2].id, josue);
	assert_int_equal(h[2].rank, YOUTH_MATCH_NEAR);
	assert_true(h[2].reasons & YOUTH_NAME_TYPO);
	/* accents, case, particles, swapped surnames */
	n = find(reg, "PÉREZ hernandez JOSÉ", 0, h);
	assert_true(n >= 1);
	assert_int_equal(h[0].id, jose);
	assert_int_equal(h[0].rank, YOUTH_MATCH_EXACT);
	assert_true(h[0].reasons & YOUTH_NAME_SWAPPED);
	n = find(reg, "ana de la cruz", 0, h);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].id, ana);
	/* one typo, a sound-alike, a nickname */
	n = find(reg, "ana vasques", 0, h);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].rank, YOUTH_MATCH_NEAR);
	assert_true(h[0].reasons & YOUTH_NAME_SOUND);
	n = find(reg, "ana vasquuez", 0, h);
	assert_int_equal(n, 1);
	assert_true(h[0].reasons & YOUTH_NAME_TYPO);
	n = find(reg, "chepe hernandes", 0, h);
	assert_int_equal(h[0].id, chepe);
	assert_int_equal(h[0].rank, YOUTH_MATCH_EXACT);
	bool nick = false;
	for (size_t i = 1; i < n; i++)
		nick = nick || (h[i].id == jose && (h[i].reasons & YOUTH_NAME_NICKNAME));
	assert_false(nick); /* two words off (nickname and spelling): not near */
	n = find(reg, "chepe hernandez", 0, h);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].id, jose); /* near: nickname, id order */
	assert_true(h[0].reasons & YOUTH_NAME_NICKNAME);
	assert_int_equal(h[1].id, chepe);
	/* limit: the first of the best class */
	n = find(reg, "hernandez", 2, h);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].id, jose);
	assert_int_equal(h[1].id, josefa);
	assert_int_equal(find(reg, "zzyzx", 0, h), 0);
	youth_person_matches *m = (void *)1;
	assert_rc(youth_person_find(&m, reg, " de la ", 0), YOUTH_EINVAL);
	assert_null(m);
	assert_rc(youth_person_find(&m, reg, "jose", 1001), YOUTH_EINVAL);
	assert_rc(youth_person_find(NULL, reg, "jose", 0), YOUTH_EINVAL);
	assert_int_equal(youth_person_matches_count(NULL), 0);
	youth_person_matches_free(NULL);
}

/* Many persons with one surname: the search reads the short list, not the long one, and gives
 * the same persons as a scan would. */
static void test_search_many(void **state)
{
	youth_registry *reg = *state;
	static const char *const given[] = {"José", "María", "Ana", "Luis", "Rosa"};
	static const char *const surnames[] = {"Hernández", "López", "Pérez", "García"};
	assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < 600; i++)
		add(reg, given[i % 5], surnames[i % 4], surnames[(i / 4) % 4]);
	assert_ok(youth_registry_commit(reg));
	hit h[1000];
	/* María, with Pérez and García in either order: by a scan */
	size_t want = 0;
	int64_t first = 0;
	for (int i = 0; i < 600; i++) {
		int a = i % 4, b = (i / 4) % 4;
		if (i % 5 == 1 && ((a == 2 && b == 3) || (a == 3 && b == 2)) && !want++)
			first = i + 1;
	}
	size_t n = find(reg, "maria perez garcia", 1000, h);
	assert_int_equal(n, want);
	assert_int_equal(h[0].id, first);
	for (size_t i = 1; i < n; i++)
		assert_true(h[i].id > h[i - 1].id);
	n = find(reg, "maria perez garsia", 1000, h);
	assert_true(n >= want);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(h[i].rank, YOUTH_MATCH_NEAR);
}

/* Every word on more persons than a search counts (400): a pair of words drives the search,
 * and the word bits of the postings pass over the persons without the third word.  The
 * answer is the one a scan of the names gives. */
static void test_search_long_lists(void **state)
{
	youth_registry *reg = *state;
	static const char *const given[] = {"José", "María", "Ana"};
	static const char *const surnames[] = {"Hernández", "López", "Pérez", "García"};
	enum { N = 1300 };
	assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < N; i++)
		add(reg, given[i % 3], surnames[i % 4], surnames[(i / 4) % 4]);
	assert_ok(youth_registry_commit(reg));
	assert_true(count_sql(reg, "SELECT count(*) FROM person_name, name_token WHERE key = id "
	                           "AND token = 'hernandez'") > 400);
	static hit h[N];
	size_t want = 0;
	int64_t ids[N];
	for (int i = 0; i < N; i++) {
		int a = i % 4, b = (i / 4) % 4;
		if (i % 3 == 0 && ((a == 0 && b == 1) || (a == 1 && b == 0)))
			ids[want++] = i + 1;
	}
	size_t n = find(reg, "jose lopez hernandez", 1000, h);
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(h[i].id, ids[i]);
		assert_int_equal(h[i].rank, YOUTH_MATCH_EXACT);
	}
	/* the first results only: the same, cut */
	assert_int_equal(find(reg, "jose lopez hernandez", 5, h), 5);
	assert_int_equal(h[4].id, ids[4]);
	/* a word nobody has: nobody */
	assert_int_equal(find(reg, "jose lopez zuniga", 1000, h), 0);
	/* one typo: the same persons, near */
	n = find(reg, "jose lopes hernandez", 1000, h);
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(h[i].id, ids[i]);
		assert_int_equal(h[i].rank, YOUTH_MATCH_NEAR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folding_and_particles),
		cmocka_unit_test(test_sound_pairs),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_nicknames),
		cmocka_unit_test(test_similarity_reasons),
		cmocka_unit_test_setup_teardown(test_index_kept_by_writes, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_index_failed_add, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_index_census_and_import, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_index_imported_as_added, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_index_imported_beside_others, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_index_failed_import, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test(test_index_migrated),
		cmocka_unit_test_setup_teardown(test_search_ranking, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_search_many, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_search_long_lists, th_setup_gazetteer,
		                                th_teardown_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
