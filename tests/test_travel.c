/*
 * Exports that travel (docs/privacy.md): national IDs and contacts left out unless asked for,
 * and kept by an upsert of such an export; pseudonymised exports (stable per key, unlinkable
 * across keys, no identifier left, quasi-identifiers generalised); encrypted exports (round
 * trip, and every wrong key, changed byte or cut file refused with nothing imported); the DUI
 * of a minor refused, and the look-up by DUI.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_PERSONS 320 /* enough for an encrypted export of several 64 KiB chunks */
#define LONE_PLACE "sonsonate/sonsonate-oeste/acajutla/el-astillero"

typedef struct fx {
	youth_registry *reg;
	char *dir, *key1, *key2;
} fx;

/* Person @i: an adult with a DUI, a phone and an address, names that occur nowhere else. */
static void add(youth_registry *reg, int i, const char *place)
{
	char given[32], dui[16], phone[16], address[48];
	snprintf(given, sizeof given, "Zacarias%03d", i);
	th_dui(dui, 6397000UL + (unsigned long)i);
	snprintf(phone, sizeof phone, "7%03d-%04d", i, 1000 + i);
	snprintf(address, sizeof address, "Calle Secreta %d", i);
	youth_person p;
	th_person_valid(&p);
	p.given_names = given;
	p.first_surname = "Quintanilla";
	p.second_surname = "Zelaya";
	p.birth_date = "1990-05-14";
	p.national_id = dui;
	p.phone = phone;
	p.address = address;
	p.place = place;
	assert_ok(youth_person_add(reg, &p, 0));
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->reg = th_open_memory_gazetteer();
	for (int i = 0; i < N_PERSONS; i++)
		add(f->reg, i, i == 0 ? LONE_PLACE : TH_SANTA_EUGENIA);
	youth_employer e;
	youth_employer_init(&e);
	e.name = "Panadería La Espiga";
	e.contact_name = "Rosalba Contacto";
	e.phone = "2222-3333";
	e.email = "rosalba@example.org";
	assert_ok(youth_employer_add(f->reg, &e));
	f->dir = th_tmpdir();
	f->key1 = th_path(f->dir, "k1.key");
	f->key2 = th_path(f->dir, "k2.key");
	assert_ok(youth_key_new(f->key1));
	assert_ok(youth_key_new(f->key2));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	youth_registry_close(f->reg);
	th_rmtree(f->dir);
	free(f->dir);
	free(f->key1);
	free(f->key2);
	free(f);
	return 0;
}

static char *export_text(youth_registry *reg, const youth_export_options *o)
{
	th_text t = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, o));
	return t.data;
}

static youth_export_options opts(unsigned flags)
{
	youth_export_options o;
	youth_export_options_init(&o);
	o.flags = flags;
	return o;
}

/* ---- identifiers and contacts ------------------------------------------------------------- */

static void test_default_leaves_out_identifiers_and_contacts(void **state)
{
	fx *f = *state;
	char *plain = export_text(f->reg, NULL);
	assert_true(th_contains(plain, "format: libyouth/1\nwithheld: [identifiers, contacts]\n"));
	assert_true(th_contains(plain, "Zacarias007"));
	assert_false(th_contains(plain, "06397007"));
	assert_false(th_contains(plain, "national_id"));
	assert_false(th_contains(plain, "7007-1007"));
	assert_false(th_contains(plain, "Calle Secreta"));
	assert_false(th_contains(plain, "Rosalba"));
	assert_false(th_contains(plain, "2222-3333"));
	assert_true(th_contains(plain, "Panadería La Espiga"));

	youth_export_options o = opts(YOUTH_EXPORT_IDENTIFIERS);
	char *ids = export_text(f->reg, &o);
	assert_true(th_contains(ids, "withheld: [contacts]\n"));
	assert_true(th_contains(ids, "national_id: \"06397007-"));
	assert_false(th_contains(ids, "7007-1007"));
	o = opts(YOUTH_EXPORT_CONTACTS);
	char *contacts = export_text(f->reg, &o);
	assert_true(th_contains(contacts, "withheld: [identifiers]\n"));
	assert_false(th_contains(contacts, "national_id"));
	assert_true(th_contains(contacts, "7007-1007"));
	assert_true(th_contains(contacts, "rosalba@example.org"));
	o = opts(YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS);
	char *all = export_text(f->reg, &o);
	assert_false(th_contains(all, "withheld"));
	assert_true(th_contains(all, "06397007-") && th_contains(all, "Calle Secreta 7\n"));
	/* Only the kinds of the export are said withheld: places have no such field. */
	o = opts(0);
	o.kinds = YOUTH_KIND_GAZETTEER;
	char *places = export_text(f->reg, &o);
	assert_false(th_contains(places, "withheld"));
	free(plain);
	free(ids);
	free(contacts);
	free(all);
	free(places);
}

static void test_upsert_of_a_default_export_keeps_them(void **state)
{
	fx *f = *state;
	char *plain = export_text(f->reg, NULL);
	youth_interchange_summary s;
	assert_ok(th_import_text(f->reg, plain, YOUTH_IMPORT_UPSERT, &s));
	assert_int_equal(s.updated, 0);
	assert_int_equal(s.unchanged, s.records);
	/* A record that differs is updated, and its withheld fields stay as stored. */
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, f->reg, 8));
	youth_person q = *p;
	q.given_names = "Renamed";
	assert_ok(youth_person_update(f->reg, &q, 0));
	youth_person_free(p);
	assert_ok(th_import_text(f->reg, plain, YOUTH_IMPORT_UPSERT, &s));
	assert_int_equal(s.updated, 1);
	assert_ok(youth_person_get(&p, f->reg, 8));
	assert_string_equal(p->given_names, "Zacarias007");
	assert_non_null(p->national_id);
	assert_true(strncmp(p->national_id, "06397007-", 9) == 0);
	assert_string_equal(p->phone, "7007-1007");
	assert_string_equal(p->address, "Calle Secreta 7");
	youth_person_free(p);
	/* Without `withheld:`, an absent key clears the field as it always did. */
	static const char full[] = "format: libyouth/1\n";
	assert_true(strncmp(plain, "format: libyouth/1\nwithheld: [identifiers, contacts]\n", 52) ==
	            0);
	size_t n = strlen(plain);
	char *bare = malloc(n + 1);
	memcpy(bare, full, sizeof full - 1);
	memcpy(bare + sizeof full - 1, plain + 52, n - 52 + 1);
	assert_ok(th_import_text(f->reg, bare, YOUTH_IMPORT_UPSERT, &s));
	assert_int_equal(s.updated, N_PERSONS + 1); /* every person and the employer */
	assert_ok(youth_person_get(&p, f->reg, 8));
	assert_null(p->national_id);
	assert_null(p->phone);
	youth_person_free(p);
	free(bare);
	free(plain);
}

/* ---- pseudonymised export ----------------------------------------------------------------- */

static char *pseudo(fx *f, const char *key, int k, unsigned more)
{
	youth_export_options o = opts(YOUTH_EXPORT_PSEUDONYMISE | more);
	o.pseudonym_key_file = key;
	o.k = k;
	return export_text(f->reg, &o);
}

static void test_pseudonyms(void **state)
{
	fx *f = *state;
	char *a = pseudo(f, f->key1, 0, 0), *b = pseudo(f, f->key1, 0, 0);
	char *c = pseudo(f, f->key2, 0, 0);
	assert_string_equal(a, b); /* same key, same pseudonyms */
	assert_true(th_contains(a, "format: libyouth-pseudonymised/1\n"));
	/* Another key: no pseudonym in common. */
	const char *at = a;
	int n = 0;
	while ((at = strstr(at, "pseudonym: ")) != NULL) {
		char ps[40];
		snprintf(ps, sizeof ps, "%.32s", at + 11);
		assert_int_equal(strspn(ps, "0123456789abcdef"), 32);
		assert_false(th_contains(c, ps));
		at += 11;
		n++;
	}
	assert_true(n >= N_PERSONS);
	/* No identifier of the sample left: names, DUIs, phones, addresses, UUIDs, dates. */
	for (int i = 0; i < N_PERSONS; i++) {
		char s[48];
		snprintf(s, sizeof s, "Zacarias%03d", i);
		assert_false(th_contains(a, s));
		th_dui(s, 6397000UL + (unsigned long)i);
		assert_false(th_contains(a, s));
		snprintf(s, sizeof s, "7%03d-%04d", i, 1000 + i);
		assert_false(th_contains(a, s));
	}
	const char *gone[] = {"Quintanilla", "Zelaya", "Calle Secreta", "Rosalba", "2222-3333",
	                      "example.org", "national_id", "given_names", "birth_date: ",
	                      "1990-05-14", "uuid:", "withheld"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		assert_false(th_contains(a, gone[i]));
	/* A UUID of the registry never appears (8-4-4-4-12 has a '-' at 8). */
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, f->reg, 1));
	assert_false(th_contains(a, p->uuid));
	youth_person_free(p);
	assert_true(th_contains(a, "birth_year: 1990\n"));
	free(a);
	free(b);
	free(c);
}

static void test_places_generalised_under_k(void **state)
{
	fx *f = *state;
	/* One person lives at LONE_PLACE: shown as the nearest place with 5 persons or more. */
	char *a = pseudo(f, f->key1, 0, 0);
	assert_false(th_contains(a, "place: " LONE_PLACE "\n"));
	assert_false(th_contains(a, "place: sonsonate/sonsonate-oeste"));
	assert_true(th_contains(a, "    place: sonsonate\n"));
	assert_true(th_contains(a, "place: " TH_SANTA_EUGENIA "\n"));
	/* k = 1: every place as it is. */
	char *b = pseudo(f, f->key1, 1, 0);
	assert_true(th_contains(b, "place: " LONE_PLACE "\n"));
	/* k above the whole export: even the big community goes up to the top. */
	char *c = pseudo(f, f->key1, N_PERSONS + 1, 0);
	assert_false(th_contains(c, "place: " TH_SANTA_EUGENIA));
	assert_true(th_contains(c, "    place: sonsonate\n"));
	free(a);
	free(b);
	free(c);
}

static void test_pseudonymised_csv(void **state)
{
	fx *f = *state;
	char *csv = pseudo(f, f->key1, 0, YOUTH_EXPORT_CSV);
	assert_true(strncmp(csv, "pseudonym,birth_year,sex,place,education,", 41) == 0);
	int lines = 0;
	for (const char *c = csv; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, N_PERSONS + 1);
	assert_false(th_contains(csv, "Zacarias"));
	assert_true(th_contains(csv, ",\"cook, baker\","));
	/* The same pseudonym as the YAML form. */
	char *yaml = pseudo(f, f->key1, 0, 0);
	const char *ps = strstr(yaml, "persons:\n  - pseudonym: ") + 24;
	char first[33];
	snprintf(first, sizeof first, "%.32s", ps);
	assert_true(th_contains(csv, first));
	free(csv);
	free(yaml);
}

static void test_keys(void **state)
{
	fx *f = *state;
	struct stat st;
	assert_int_equal(stat(f->key1, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 65);
	assert_rc(youth_key_new(f->key1), YOUTH_EEXISTS); /* never overwritten */
	th_text t = {0};
	youth_export_options o = opts(YOUTH_EXPORT_PSEUDONYMISE);
	assert_rc(youth_export_write(NULL, f->reg, th_text_write, &t, &o), YOUTH_EINVAL);
	assert_msg_has("youth key new");
	char *shared = th_path(f->dir, "shared.key");
	assert_ok(youth_key_new(shared));
	assert_int_equal(chmod(shared, 0640), 0);
	o.pseudonym_key_file = shared;
	assert_rc(youth_export_write(NULL, f->reg, th_text_write, &t, &o), YOUTH_EACCESS);
	char *bad = th_path(f->dir, "bad.key");
	th_write_file(bad, "not a key\n", 10);
	assert_int_equal(chmod(bad, 0600), 0);
	o.pseudonym_key_file = bad;
	assert_rc(youth_export_write(NULL, f->reg, th_text_write, &t, &o), YOUTH_EINVAL);
	o = opts(YOUTH_EXPORT_CSV); /* CSV only pseudonymised */
	assert_rc(youth_export_write(NULL, f->reg, th_text_write, &t, &o), YOUTH_EINVAL);
	free(t.data);
	free(shared);
	free(bad);
}

/* ---- encrypted export and import ---------------------------------------------------------- */

static char *encrypted(fx *f, const char *name, const char *key_file, const char *pass)
{
	char *path = th_path(f->dir, name);
	youth_export_options o = opts(YOUTH_EXPORT_ENCRYPT | YOUTH_EXPORT_IDENTIFIERS |
	                              YOUTH_EXPORT_CONTACTS);
	o.key_file = key_file;
	o.passphrase = pass;
	assert_ok(youth_export_file(NULL, f->reg, path, &o));
	return path;
}

/* Imports @path into a fresh registry and returns its full export (NULL on failure, with
 * the code in *rc and the registry left with no person). */
static char *import_back(const char *path, const char *key_file, const char *pass, int *rc)
{
	youth_registry *reg = NULL; /* empty: the places come from the file, with their UUIDs */
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	youth_import_options o;
	youth_import_options_init(&o);
	o.key_file = key_file;
	o.passphrase = pass;
	*rc = youth_import_file(NULL, reg, path, &o);
	char *text = NULL;
	if (*rc == YOUTH_OK) {
		youth_export_options e = opts(YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS);
		text = export_text(reg, &e);
	} else {
		assert_int_equal(th_count_persons(reg), 0);
		assert_int_equal(th_count_places(reg, NULL, 0), 0);
	}
	youth_registry_close(reg);
	return text;
}

static void test_encrypted_round_trip(void **state)
{
	fx *f = *state;
	youth_export_options o = opts(YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS);
	char *plain = export_text(f->reg, &o);
	assert_true(strlen(plain) > 2 * 64 * 1024); /* three chunks or more */
	int rc;
	char *path = encrypted(f, "k.enc", f->key1, NULL);
	size_t size;
	unsigned char *raw = th_read_file(path, &size);
	assert_memory_equal(raw, "YOUTHENC", 8);
	raw[size - 1] = 0;
	assert_false(th_contains((char *)raw + 8, "Zacarias"));
	free(raw);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *back = import_back(path, f->key1, NULL, &rc);
	assert_int_equal(rc, YOUTH_OK);
	assert_string_equal(back, plain); /* byte for byte */
	free(back);
	char *ppath = encrypted(f, "p.enc", NULL, "correct horse battery");
	back = import_back(ppath, NULL, "correct horse battery", &rc);
	assert_int_equal(rc, YOUTH_OK);
	assert_string_equal(back, plain);
	free(back);
	/* Wrong key, wrong passphrase, no key at all: refused, nothing imported. */
	assert_null(import_back(path, f->key2, NULL, &rc));
	assert_int_equal(rc, YOUTH_ECORRUPT);
	assert_msg_has("wrong key");
	assert_null(import_back(ppath, NULL, "correct horse battery!", &rc));
	assert_int_equal(rc, YOUTH_ECORRUPT);
	assert_null(import_back(ppath, f->key1, NULL, &rc));
	assert_int_equal(rc, YOUTH_EINVAL);
	assert_msg_has("passphrase");
	assert_null(import_back(path, NULL, NULL, &rc));
	assert_int_equal(rc, YOUTH_EINVAL);
	free(path);
	free(ppath);
	free(plain);
}

static void test_encrypted_damage_refused(void **state)
{
	fx *f = *state;
	char *path = encrypted(f, "d.enc", f->key1, NULL);
	size_t size;
	unsigned char *good = th_read_file(path, &size);
	char *bad = th_path(f->dir, "bad.enc");
	int rc;
	/* A flipped bit anywhere: in the magic, the header, each chunk, the last byte. */
	size_t chunk = 64 * 1024 + 17, data = 16 + 24;
	size_t at[] = {2, 9, 13, 20, data, data + 100, data + chunk - 1, data + chunk + 5,
	               data + 2 * chunk + 7, size / 2, size - 17, size - 1};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		good[at[i]] ^= 0x01;
		th_write_file(bad, good, size);
		good[at[i]] ^= 0x01;
		assert_null(import_back(bad, f->key1, NULL, &rc));
		assert_true(rc == YOUTH_ECORRUPT || rc == YOUTH_EPARSE || rc == YOUTH_EVERSION);
	}
	/* Cut anywhere, also exactly between two chunks, or with bytes added. */
	size_t cut[] = {0, 7, 16, 30, data, data + 100, data + chunk, data + 2 * chunk,
	                size - 1};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		th_write_file(bad, good, cut[i]);
		assert_null(import_back(bad, f->key1, NULL, &rc));
		assert_true(rc == YOUTH_ECORRUPT || rc == YOUTH_EPARSE);
	}
	unsigned char *longer = malloc(size + 1);
	memcpy(longer, good, size);
	longer[size] = '\n';
	th_write_file(bad, longer, size + 1);
	assert_null(import_back(bad, f->key1, NULL, &rc));
	assert_int_equal(rc, YOUTH_ECORRUPT);
	/* Two files' chunks spliced: the second chunk of another export under the same key. */
	char *other = encrypted(f, "o.enc", f->key1, NULL);
	size_t osize;
	unsigned char *o = th_read_file(other, &osize);
	memcpy(longer, good, size);
	memcpy(longer + data + chunk, o + data + chunk, chunk);
	th_write_file(bad, longer, size);
	assert_null(import_back(bad, f->key1, NULL, &rc));
	assert_int_equal(rc, YOUTH_ECORRUPT);
	free(o);
	free(other);
	free(longer);
	free(good);
	free(bad);
	free(path);
}

/* The importer's one transaction: a read that fails in the middle keeps nothing. */
struct failing {
	const char *data;
	size_t size, at, fail_after;
};

static long failing_read(void *ctx, char *buf, size_t size)
{
	struct failing *r = ctx;
	if (r->at >= r->fail_after)
		return -1;
	size_t n = r->size - r->at < size ? r->size - r->at : size;
	n = n > 4096 ? 4096 : n;
	memcpy(buf, r->data + r->at, n);
	r->at += n;
	return (long)n;
}

static void test_read_error_mid_stream_keeps_nothing(void **state)
{
	fx *f = *state;
	char *plain = export_text(f->reg, NULL);
	youth_registry *reg = th_open_memory_gazetteer();
	struct failing r = {plain, strlen(plain), 0, strlen(plain) / 2};
	assert_rc(youth_import_read(NULL, reg, failing_read, &r, "half", NULL), YOUTH_EIO);
	assert_int_equal(th_count_persons(reg), 0);
	youth_registry_close(reg);
	free(plain);
}

/* ---- the national ID ---------------------------------------------------------------------- */

static void test_dui_of_a_minor_refused(void **state)
{
	fx *f = *state;
	youth_person p;
	th_person_valid(&p); /* born 1992-05-14, 16 at census 2009-03-02 */
	p.national_id = "04567891-1";
	assert_rc(youth_person_add(f->reg, &p, 0), YOUTH_EINVAL);
	assert_msg_has("national_id \"04567891-1\"");
	assert_msg_has("16 at census_date 2009-03-02");
	assert_msg_has("18");
	assert_string_equal(youth_error_last()->field, "national_id");
	/* 18 on the census day itself: accepted. */
	p.birth_date = "1991-03-02";
	assert_ok(youth_person_add(f->reg, &p, 0));
	/* An update may not give one to a minor either. */
	p.birth_date = "1991-03-03";
	assert_rc(youth_person_update(f->reg, &p, 0), YOUTH_EINVAL);
	assert_msg_has("17 at census_date");
	/* Through an import as well. */
	static const char file[] = "format: libyouth/1\npersons:\n"
	                           "  - national_id: 00016297-5\n    given_names: Ana\n"
	                           "    first_surname: Díaz\n    birth_date: 1995-01-01\n"
	                           "    sex: female\n    place: " TH_SANTA_EUGENIA "\n"
	                           "    census_date: 2009-03-02\n    census_round: census-2009\n"
	                           "end:\n  records: 1\n";
	assert_rc(th_import_text(f->reg, file, 0, NULL), YOUTH_EINVAL);
	assert_msg_has("14 at census_date 2009-03-02");
}

static void test_lookup_by_dui(void **state)
{
	fx *f = *state;
	char dui[16];
	th_dui(dui, 6397000UL + 42);
	youth_person *p = NULL;
	assert_ok(youth_person_get_by_national_id(&p, f->reg, dui));
	assert_string_equal(p->given_names, "Zacarias042");
	assert_string_equal(p->national_id, dui);
	youth_person_free(p);
	char none[16];
	th_dui(none, 1);
	assert_rc(youth_person_get_by_national_id(&p, f->reg, none), YOUTH_ENOTFOUND);
	assert_null(p);
	assert_msg_has(none);
	assert_rc(youth_person_get_by_national_id(&p, f->reg, "1234"), YOUTH_EINVAL);
	assert_null(p);
	assert_rc(youth_person_get_by_national_id(&p, f->reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_get_by_national_id(NULL, f->reg, dui), YOUTH_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_default_leaves_out_identifiers_and_contacts),
		T(test_upsert_of_a_default_export_keeps_them),
		T(test_pseudonyms),
		T(test_places_generalised_under_k),
		T(test_pseudonymised_csv),
		T(test_keys),
		T(test_encrypted_round_trip),
		T(test_encrypted_damage_refused),
		T(test_read_error_mid_stream_keeps_nothing),
		T(test_dui_of_a_minor_refused),
		T(test_lookup_by_dui),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
