/* Tests of youth/exchange.h: employment exchanges, operators and employers — validation rules,
 * add/update/get/iterate, the text interface, and refused writes leaving the registry as it
 * was. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>

#include <stdlib.h>
#include <string.h>

/* ---- counting ---------------------------------------------------------------------------- */

static int64_t count_exchanges(youth_registry *reg)
{
	youth_exchange_iter *it = NULL;
	const youth_exchange *e;
	int64_t n = 0;
	int rc;
	assert_ok(youth_exchange_iter_new(&it, reg));
	while ((rc = youth_exchange_next(&e, it)) == YOUTH_OK)
		n++;
	assert_rc(rc, YOUTH_ITEROVER);
	youth_exchange_iter_free(it);
	return n;
}

static int64_t count_operators(youth_registry *reg, int64_t exchange_id)
{
	youth_operator_iter *it = NULL;
	const youth_operator *o;
	int64_t n = 0;
	int rc;
	assert_ok(youth_operator_iter_new(&it, reg, exchange_id));
	while ((rc = youth_operator_next(&o, it)) == YOUTH_OK)
		n++;
	assert_rc(rc, YOUTH_ITEROVER);
	youth_operator_iter_free(it);
	return n;
}

static int64_t count_employers(youth_registry *reg)
{
	youth_employer_iter *it = NULL;
	const youth_employer *e;
	int64_t n = 0;
	int rc;
	assert_ok(youth_employer_iter_new(&it, reg));
	while ((rc = youth_employer_next(&e, it)) == YOUTH_OK)
		n++;
	assert_rc(rc, YOUTH_ITEROVER);
	youth_employer_iter_free(it);
	return n;
}

/* Total rows of the three kinds plus the change counter: a refused write changes none. */
typedef struct snap {
	int64_t exchanges, operators, employers, changes;
} snap;

static snap take(youth_registry *reg)
{
	snap s = {count_exchanges(reg), count_operators(reg, 0), count_employers(reg),
	          youth_registry_total_changes(reg)};
	return s;
}

static void same(youth_registry *reg, snap s, const char *file, int line)
{
	snap now = take(reg);
	if (now.exchanges != s.exchanges || now.operators != s.operators ||
	    now.employers != s.employers || now.changes != s.changes)
		fail_msg("%s:%d: a refused write changed the registry (%lld/%lld/%lld/%lld -> "
		         "%lld/%lld/%lld/%lld)", file, line, (long long)s.exchanges,
		         (long long)s.operators, (long long)s.employers, (long long)s.changes,
		         (long long)now.exchanges, (long long)now.operators, (long long)now.employers,
		         (long long)now.changes);
}
#define assert_same(reg, s) same((reg), (s), __FILE__, __LINE__)

/* Checks code, field and message of the last failure, and that nothing changed. */
#define REFUSED(reg, s, expr, code, field, needle) \
	TH_REFUSED(expr, code, field, needle, assert_same((reg), (s)))

/* ---- fixtures ---------------------------------------------------------------------------- */

static void exchange_valid(youth_exchange *e)
{
	youth_exchange_init(e);
	e->code = "SON-01";
	e->name = "Bolsa de Empleo Municipal de Sonsonate";
	e->place = "sonsonate/sonsonate-centro/sonsonate";
	e->opened_date = "2008-11-03";
}

static int64_t add_exchange(youth_registry *reg, const char *code, const char *place)
{
	youth_exchange e;
	exchange_valid(&e);
	e.code = code;
	e.place = place;
	assert_ok(youth_exchange_add(reg, &e));
	return e.id;
}

static void operator_valid(youth_operator *o, int64_t exchange_id)
{
	youth_operator_init(o);
	o->exchange_id = exchange_id;
	o->given_names = "Ana Gloria";
	o->first_surname = "Martínez";
	o->second_surname = "Rivas";
	o->role = YOUTH_ROLE_COUNSELLOR;
	o->phone = "2451-0000";
}

static void employer_valid(youth_employer *e)
{
	youth_employer_init(e);
	e->name = "Almacenes Sonsonate, S.A. de C.V.";
	e->sector = "retail";
	e->nit = "0315-150895-101-2";
	e->place = "sonsonate/sonsonate-centro/sonsonate";
	e->contact_name = "Carlos Pineda";
	e->phone = "+503 2450 1234";
	e->email = "rrhh@almacenes.com.sv";
}

/* ---- exchanges --------------------------------------------------------------------------- */

static void test_exchange_init(void **state)
{
	(void)state;
	youth_exchange e;
	memset(&e, 0xab, sizeof e);
	youth_exchange_init(&e);
	assert_int_equal(e.id, 0);
	assert_int_equal(e.uuid[0], 0);
	assert_null(e.code);
	assert_null(e.name);
	assert_null(e.place);
	assert_null(e.opened_date);
	youth_exchange_init(NULL); /* NULL-safe */
}

static void test_exchange_add_get(void **state)
{
	youth_registry *reg = *state;
	youth_exchange e;
	exchange_valid(&e);
	e.place = "Sonsonate Centro/Sonzacate"; /* a tail of the canonical path, as typed */
	e.code = "SZC";
	e.name = "Bolsa de Empleo de Sonzacate";
	int64_t changes = youth_registry_total_changes(reg);
	assert_ok(youth_exchange_add(reg, &e));
	assert_true(e.id > 0);
	assert_uuid(e.uuid);
	assert_int_equal(youth_registry_total_changes(reg), changes + 1);

	youth_exchange *got = NULL;
	assert_ok(youth_exchange_get(&got, reg, e.id));
	assert_int_equal(got->id, e.id);
	assert_string_equal(got->uuid, e.uuid);
	assert_string_equal(got->code, "SZC");
	assert_string_equal(got->name, "Bolsa de Empleo de Sonzacate");
	assert_string_equal(got->place, "sonsonate/sonsonate-centro/sonzacate");
	assert_string_equal(got->opened_date, "2008-11-03");
	youth_exchange_free(got);

	got = NULL;
	assert_ok(youth_exchange_get_by_code(&got, reg, "SZC"));
	assert_int_equal(got->id, e.id);
	youth_exchange_free(got);

	/* opened_date is optional */
	youth_exchange m;
	exchange_valid(&m);
	m.code = "ACJ_1";
	m.place = "acajutla";
	m.opened_date = NULL;
	assert_ok(youth_exchange_add(reg, &m));
	assert_ok(youth_exchange_get(&got, reg, m.id));
	assert_null(got->opened_date);
	assert_string_equal(got->place, "sonsonate/sonsonate-oeste/acajutla");
	youth_exchange_free(got);
	youth_exchange_free(NULL);
}

static void test_exchange_given_uuid(void **state)
{
	youth_registry *reg = *state;
	youth_exchange e;
	exchange_valid(&e);
	strcpy(e.uuid, "0190F3A2-7B1C-7D2E-8F40-123456789ABC");
	assert_ok(youth_exchange_add(reg, &e));
	assert_string_equal(e.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");

	snap s = take(reg);
	youth_exchange d;
	exchange_valid(&d);
	d.code = "OTHER";
	strcpy(d.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	REFUSED(reg, s, youth_exchange_add(reg, &d), YOUTH_EEXISTS, "uuid", "SON-01");
	assert_msg_has("uuid 0190f3a2-7b1c-7d2e-8f40-123456789abc: already used by exchange SON-01");
	strcpy(d.uuid, "not-a-uuid");
	REFUSED(reg, s, youth_exchange_add(reg, &d), YOUTH_EINVAL, "uuid", "not a UUID");
}

static void test_exchange_code_rule(void **state)
{
	youth_registry *reg = *state;
	snap s = take(reg);
	youth_exchange e;
	exchange_valid(&e);
	static const char *const bad[] = {"", "SON 01", "SON/01", "sonsonate-centro-1", "Sónso",
	                                  "a.b", "a\tb"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e.code = bad[i];
		REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "code", "code");
	}
	e.code = NULL;
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "code", "missing");
	e.code = "abcdefghijklmnop"; /* exactly 16 */
	assert_ok(youth_exchange_add(reg, &e));
	e.code = "a-b_9";
	e.uuid[0] = 0;
	assert_ok(youth_exchange_add(reg, &e));
}

static void test_exchange_duplicate_code(void **state)
{
	youth_registry *reg = *state;
	add_exchange(reg, "SON-01", "sonsonate/sonsonate-centro/sonsonate");
	snap s = take(reg);
	youth_exchange e;
	exchange_valid(&e);
	e.name = "Otra bolsa";
	/* The message names the exchange holding the code. */
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EEXISTS, "code",
	        "Bolsa de Empleo Municipal de Sonsonate");
	assert_msg_has("code \"SON-01\": already used by exchange \"Bolsa de Empleo Municipal de "
	               "Sonsonate\"");
	assert_int_equal(e.id, 0);
	e.code = "son-01"; /* codes are case-sensitive labels: a different code */
	assert_ok(youth_exchange_add(reg, &e));
}

static void test_exchange_name_rule(void **state)
{
	youth_registry *reg = *state;
	snap s = take(reg);
	youth_exchange e;
	exchange_valid(&e);
	e.name = NULL;
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "missing");
	e.name = "";
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "missing");
	e.name = "   ";
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "blanks");
	e.name = "Bolsa \xff\xfe";
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "UTF-8");
	e.name = "Bolsa\nde empleo";
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "control");
	char *n81 = th_repeat('x', 81), *n80 = th_repeat('x', 80);
	e.name = n81;
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "name", "80 bytes");
	e.name = n80;
	assert_ok(youth_exchange_add(reg, &e));
	free(n81);
	free(n80);
}

static void test_exchange_place_and_date(void **state)
{
	youth_registry *reg = *state;
	snap s = take(reg);
	youth_exchange e;
	exchange_valid(&e);
	e.place = NULL;
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "place", "missing");
	e.place = "sonsonate/nowhere";
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_ENOTFOUND, "place", "nowhere");
	e.place = "san-julian"; /* two districts' communities share the name */
	REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "place", "ambiguous");
	e.place = "sonsonate/sonsonate-centro/sonsonate";
	static const char *const bad_dates[] = {"2009-02-30", "03/11/2008", "2008-11-3", "1850-01-01",
	                                        "2008-13-01", "yesterday"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		e.opened_date = bad_dates[i];
		REFUSED(reg, s, youth_exchange_add(reg, &e), YOUTH_EINVAL, "opened_date", bad_dates[i]);
	}
	e.opened_date = "2008-02-29";
	assert_ok(youth_exchange_add(reg, &e));
}

static void test_exchange_null_and_missing(void **state)
{
	youth_registry *reg = *state;
	youth_exchange e, *got = (youth_exchange *)&e;
	exchange_valid(&e);
	assert_rc(youth_exchange_add(NULL, &e), YOUTH_EINVAL);
	assert_rc(youth_exchange_add(reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_exchange_get(NULL, reg, 1), YOUTH_EINVAL);
	assert_rc(youth_exchange_get(&got, NULL, 1), YOUTH_EINVAL);
	assert_null(got);
	assert_rc(youth_exchange_get(&got, reg, 99), YOUTH_ENOTFOUND);
	assert_msg_has("99");
	assert_null(got);
	assert_rc(youth_exchange_get_by_code(&got, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_exchange_get_by_code(&got, reg, "NOPE"), YOUTH_ENOTFOUND);
	assert_msg_has("NOPE");
	assert_null(got);
	youth_exchange_iter *it = NULL;
	const youth_exchange *x;
	assert_rc(youth_exchange_iter_new(NULL, reg), YOUTH_EINVAL);
	assert_rc(youth_exchange_iter_new(&it, NULL), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_exchange_next(NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_exchange_next(&x, NULL), YOUTH_EINVAL);
	youth_exchange_iter_free(NULL);
}

static void test_exchange_iter(void **state)
{
	youth_registry *reg = *state;
	add_exchange(reg, "SZC", "sonsonate/sonsonate-centro/sonzacate");
	add_exchange(reg, "ACJ", "sonsonate/sonsonate-oeste/acajutla");
	add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_exchange_iter *it = NULL;
	const youth_exchange *e;
	assert_ok(youth_exchange_iter_new(&it, reg));
	static const char *const order[] = {"ACJ", "SON", "SZC"};
	for (int i = 0; i < 3; i++) {
		assert_ok(youth_exchange_next(&e, it));
		assert_string_equal(e->code, order[i]);
		assert_non_null(e->place);
		assert_uuid(e->uuid);
	}
	assert_rc(youth_exchange_next(&e, it), YOUTH_ITEROVER);
	assert_null(e);
	/* latched: never restarts */
	assert_rc(youth_exchange_next(&e, it), YOUTH_ITEROVER);
	assert_rc(youth_exchange_next(&e, it), YOUTH_ITEROVER);
	youth_exchange_iter_free(it);

	/* empty registry */
	youth_registry *empty = th_open_memory_gazetteer();
	assert_int_equal(count_exchanges(empty), 0);
	youth_registry_close(empty);
}

static void test_exchange_update(void **state)
{
	youth_registry *reg = *state;
	int64_t son = add_exchange(reg, "SON-01", "sonsonate/sonsonate-centro/sonsonate");
	add_exchange(reg, "ACA-01", "acajutla");
	youth_operator o;
	operator_valid(&o, son);
	assert_ok(youth_operator_add(reg, &o));

	youth_exchange *got = NULL;
	assert_ok(youth_exchange_get(&got, reg, son));
	char uuid[YOUTH_UUID_LEN + 1];
	memcpy(uuid, got->uuid, sizeof uuid);
	got->code = "SON-02";
	got->name = "Bolsa de Empleo de Sonsonate";
	got->place = "sonzacate";
	got->opened_date = NULL;
	assert_ok(youth_exchange_update(reg, got));
	youth_exchange_free(got);
	assert_ok(youth_exchange_get_by_code(&got, reg, "SON-02"));
	assert_int_equal(got->id, son);
	assert_string_equal(got->uuid, uuid);
	assert_string_equal(got->name, "Bolsa de Empleo de Sonsonate");
	assert_string_equal(got->place, "sonsonate/sonsonate-centro/sonzacate");
	assert_null(got->opened_date);
	/* the operator still works at the exchange under its new code */
	assert_int_equal(count_operators(reg, son), 1);
	/* an update may keep the record's own code */
	assert_ok(youth_exchange_update(reg, got));

	snap s = take(reg);
	youth_exchange bad = *got;
	bad.code = "ACA-01"; /* taken */
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_EEXISTS, "code", "ACA-01");
	bad = *got;
	bad.code = "S O N";
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_EINVAL, "code", NULL);
	bad = *got;
	bad.place = "atlantis";
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_ENOTFOUND, "place", "atlantis");
	bad = *got;
	bad.opened_date = "2009-02-30";
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_EINVAL, "opened_date", NULL);
	bad = *got;
	bad.id = 0;
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_EINVAL, "id", NULL);
	bad.id = 4040;
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_ENOTFOUND, "id", "4040");
	bad = *got;
	strcpy(bad.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	REFUSED(reg, s, youth_exchange_update(reg, &bad), YOUTH_EINVAL, "uuid", "never changes");
	assert_rc(youth_exchange_update(NULL, got), YOUTH_EINVAL);
	assert_rc(youth_exchange_update(reg, NULL), YOUTH_EINVAL);
	youth_exchange_free(got);
	assert_ok(youth_exchange_get(&got, reg, son));
	assert_string_equal(got->code, "SON-02");
	youth_exchange_free(got);
}

static void test_exchange_fields(void **state)
{
	youth_registry *reg = *state;
	static const char *const names[] = {"id", "uuid", "code", "name", "place", "opened_date"};
	size_t n = 0;
	while (youth_exchange_field_name(n))
		n++;
	assert_int_equal(n, sizeof names / sizeof names[0]);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(youth_exchange_field_name(i), names[i]);
	assert_null(youth_exchange_field_name(1000));

	youth_exchange e;
	youth_exchange_init(&e);
	assert_ok(youth_exchange_set_field(&e, "code", "SON"));
	assert_ok(youth_exchange_set_field(&e, "name", "Bolsa"));
	assert_ok(youth_exchange_set_field(&e, "place", "sonzacate"));
	assert_ok(youth_exchange_set_field(&e, "opened_date", "2009-01-05"));
	assert_rc(youth_exchange_set_field(&e, "colour", "red"), YOUTH_EINVAL);
	assert_err_field("colour");
	assert_rc(youth_exchange_set_field(&e, "id", "twelve"), YOUTH_EINVAL);
	assert_rc(youth_exchange_set_field(NULL, "code", "x"), YOUTH_EINVAL);
	assert_ok(youth_exchange_add(reg, &e));

	youth_exchange *got = NULL;
	assert_ok(youth_exchange_get(&got, reg, e.id));
	char buf[64];
	const char *v = NULL;
	for (size_t i = 0; youth_exchange_field_name(i); i++)
		assert_ok(youth_exchange_get_field(&v, got, youth_exchange_field_name(i), buf,
		                                   sizeof buf));
	assert_ok(youth_exchange_get_field(&v, got, "id", buf, sizeof buf));
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)e.id);
	assert_string_equal(v, want);
	assert_ok(youth_exchange_get_field(&v, got, "place", buf, sizeof buf));
	assert_string_equal(v, "sonsonate/sonsonate-centro/sonzacate");
	assert_ok(youth_exchange_get_field(&v, got, "opened_date", buf, sizeof buf));
	assert_string_equal(v, "2009-01-05");
	assert_rc(youth_exchange_get_field(&v, got, "nope", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_exchange_get_field(&v, got, "code", buf, 4), YOUTH_EINVAL);
	youth_exchange_free(got);
}

static void test_exchange_in_transaction(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_registry_begin(reg));
	add_exchange(reg, "A", "sonzacate");
	youth_exchange e;
	exchange_valid(&e);
	e.code = "A";
	assert_rc(youth_exchange_add(reg, &e), YOUTH_EEXISTS);
	/* the failed add undid only itself: the caller's transaction goes on */
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	add_exchange(reg, "B", "acajutla");
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(count_exchanges(reg), 2);
}

static void test_exchange_out_of_memory(void **state)
{
	youth_registry *reg = *state;
	th_alloc_state st;
	int ok = 0;
	for (long n = 1; n < 200 && !ok; n++) {
		int64_t before = count_exchanges(reg);
		youth_exchange e;
		exchange_valid(&e);
		th_alloc_install(&st, n, 0);
		int rc = youth_exchange_add(reg, &e);
		th_alloc_restore();
		assert_rc_in2(rc, YOUTH_OK, YOUTH_ENOMEM);
		assert_int_equal(count_exchanges(reg), before + (rc == YOUTH_OK));
		ok = rc == YOUTH_OK;
	}
	assert_true(ok);
}

/* ---- operators --------------------------------------------------------------------------- */

static void test_operator_init_and_roles(void **state)
{
	(void)state;
	youth_operator o;
	memset(&o, 0x5a, sizeof o);
	youth_operator_init(&o);
	assert_int_equal(o.active, 1);
	assert_int_equal(o.id, 0);
	assert_int_equal(o.exchange_id, 0);
	assert_int_equal(o.role, YOUTH_ROLE_UNSET);
	assert_null(o.given_names);
	assert_null(o.phone);
	/* The published description says the same: the generic init starts an operator active. */
	const youth_kind_info *k = youth_kind_find("operator");
	assert_non_null(k);
	assert_true(youth_kind_field(k, "active")->flags & YOUTH_FIELD_DEFAULT_ON);
	youth_operator g;
	memset(&g, 0x5a, sizeof g);
	youth_record_init(k, &g);
	assert_memory_equal(&g, &o, sizeof o);
	youth_operator_init(NULL);
	assert_string_equal(youth_operator_role_name(YOUTH_ROLE_COUNSELLOR), "counsellor");
	assert_string_equal(youth_operator_role_name(YOUTH_ROLE_INTAKE), "intake");
	assert_string_equal(youth_operator_role_name(YOUTH_ROLE_PLACEMENT), "placement");
	assert_string_equal(youth_operator_role_name(YOUTH_ROLE_COORDINATOR), "coordinator");
	assert_null(youth_operator_role_name(0));
	assert_null(youth_operator_role_name(5));
	assert_null(youth_operator_role_name(-1));
}

static void test_operator_add_get(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_operator o;
	operator_valid(&o, ex);
	o.phone = "+503 7012 3456";
	assert_ok(youth_operator_add(reg, &o));
	assert_true(o.id > 0);
	assert_uuid(o.uuid);
	youth_operator *got = NULL;
	assert_ok(youth_operator_get(&got, reg, o.id));
	assert_int_equal(got->exchange_id, ex);
	assert_string_equal(got->given_names, "Ana Gloria");
	assert_string_equal(got->first_surname, "Martínez");
	assert_string_equal(got->second_surname, "Rivas");
	assert_int_equal(got->role, YOUTH_ROLE_COUNSELLOR);
	assert_string_equal(got->phone, "7012-3456"); /* normalised like person phones */
	assert_int_equal(got->active, 1);
	assert_string_equal(got->uuid, o.uuid);
	youth_operator_free(got);

	/* optional members */
	operator_valid(&o, ex);
	o.second_surname = NULL;
	o.phone = NULL;
	o.role = YOUTH_ROLE_COORDINATOR;
	assert_ok(youth_operator_add(reg, &o));
	assert_ok(youth_operator_get(&got, reg, o.id));
	assert_null(got->second_surname);
	assert_null(got->phone);
	youth_operator_free(got);
	youth_operator_free(NULL);

	assert_rc(youth_operator_get(&got, reg, 4242), YOUTH_ENOTFOUND);
	assert_msg_has("4242");
	assert_null(got);
	assert_rc(youth_operator_get(NULL, reg, 1), YOUTH_EINVAL);
	assert_rc(youth_operator_get(&got, NULL, 1), YOUTH_EINVAL);
}

static void test_operator_rules(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	snap s = take(reg);
	youth_operator o;
	operator_valid(&o, 0);
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "exchange_id", "missing");
	o.exchange_id = -3;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "exchange_id", "-3");
	o.exchange_id = ex + 100;
	/* Operators belong to an organisation, of which a municipal exchange is one type. */
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_ENOTFOUND, "exchange_id",
	        "no such organisation");

	operator_valid(&o, ex);
	o.given_names = NULL;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "given_names", "missing");
	operator_valid(&o, ex);
	o.first_surname = " ";
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "first_surname", "blanks");
	operator_valid(&o, ex);
	char *long_name = th_repeat('n', YOUTH_NAME_MAX + 1);
	o.second_surname = long_name;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "second_surname", "longer");
	free(long_name);
	operator_valid(&o, ex);
	o.given_names = "Ana\x80";
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "given_names", "UTF-8");

	operator_valid(&o, ex);
	o.role = 0;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "role", "missing");
	o.role = 5;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "role", "5");

	operator_valid(&o, ex);
	static const char *const bad_phones[] = {"123", "5123-4567", "7123-45678", "7123.4567",
	                                         "phone"};
	for (size_t i = 0; i < sizeof bad_phones / sizeof bad_phones[0]; i++) {
		o.phone = bad_phones[i];
		REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "phone", bad_phones[i]);
	}
	operator_valid(&o, ex);
	o.active = 2;
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "active", "0 or 1");

	operator_valid(&o, ex);
	strcpy(o.uuid, "xyz");
	REFUSED(reg, s, youth_operator_add(reg, &o), YOUTH_EINVAL, "uuid", "UUID");

	operator_valid(&o, ex);
	assert_ok(youth_operator_add(reg, &o));
	youth_operator d;
	operator_valid(&d, ex);
	memcpy(d.uuid, o.uuid, sizeof d.uuid);
	s = take(reg);
	REFUSED(reg, s, youth_operator_add(reg, &d), YOUTH_EEXISTS, "uuid", o.uuid);
	assert_rc(youth_operator_add(NULL, &d), YOUTH_EINVAL);
	assert_rc(youth_operator_add(reg, NULL), YOUTH_EINVAL);
}

static void test_operator_update(void **state)
{
	youth_registry *reg = *state;
	int64_t son = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	int64_t acj = add_exchange(reg, "ACJ", "acajutla");
	youth_operator o;
	operator_valid(&o, son);
	assert_ok(youth_operator_add(reg, &o));

	youth_operator *got = NULL;
	assert_ok(youth_operator_get(&got, reg, o.id));
	got->active = 0;
	got->role = YOUTH_ROLE_PLACEMENT;
	got->exchange_id = acj;
	got->phone = "6100 2000";
	int64_t changes = youth_registry_total_changes(reg);
	assert_ok(youth_operator_update(reg, got));
	assert_int_equal(youth_registry_total_changes(reg), changes + 1);
	youth_operator_free(got);
	assert_ok(youth_operator_get(&got, reg, o.id));
	assert_int_equal(got->active, 0);
	assert_int_equal(got->role, YOUTH_ROLE_PLACEMENT);
	assert_int_equal(got->exchange_id, acj);
	assert_string_equal(got->phone, "6100-2000");
	assert_string_equal(got->uuid, o.uuid); /* kept */

	/* an update with the uuid left empty keeps the stored one */
	got->uuid[0] = 0;
	got->active = 1;
	assert_ok(youth_operator_update(reg, got));
	youth_operator_free(got);
	assert_ok(youth_operator_get(&got, reg, o.id));
	assert_string_equal(got->uuid, o.uuid);
	assert_int_equal(got->active, 1);

	snap s = take(reg);
	youth_operator bad = *got;
	strcpy(bad.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	REFUSED(reg, s, youth_operator_update(reg, &bad), YOUTH_EINVAL, "uuid", "never changes");
	bad = *got;
	bad.id = 0;
	REFUSED(reg, s, youth_operator_update(reg, &bad), YOUTH_EINVAL, "id", "id");
	bad.id = 999;
	REFUSED(reg, s, youth_operator_update(reg, &bad), YOUTH_ENOTFOUND, "id", "999");
	bad = *got;
	bad.role = 9;
	REFUSED(reg, s, youth_operator_update(reg, &bad), YOUTH_EINVAL, "role", NULL);
	bad = *got;
	bad.exchange_id = 77;
	REFUSED(reg, s, youth_operator_update(reg, &bad), YOUTH_ENOTFOUND, "exchange_id", "77");
	assert_rc(youth_operator_update(NULL, got), YOUTH_EINVAL);
	assert_rc(youth_operator_update(reg, NULL), YOUTH_EINVAL);
	youth_operator_free(got);
	/* the refused updates left the record as it was */
	assert_ok(youth_operator_get(&got, reg, o.id));
	assert_int_equal(got->role, YOUTH_ROLE_PLACEMENT);
	assert_int_equal(got->exchange_id, acj);
	youth_operator_free(got);
}

static void test_operator_iter(void **state)
{
	youth_registry *reg = *state;
	int64_t son = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	int64_t acj = add_exchange(reg, "ACJ", "acajutla");
	int64_t szc = add_exchange(reg, "SZC", "sonzacate");
	int64_t ids[5];
	int64_t where[5] = {son, acj, son, son, acj};
	for (int i = 0; i < 5; i++) {
		youth_operator o;
		operator_valid(&o, where[i]);
		assert_ok(youth_operator_add(reg, &o));
		ids[i] = o.id;
	}
	assert_int_equal(count_operators(reg, 0), 5);
	assert_int_equal(count_operators(reg, son), 3);
	assert_int_equal(count_operators(reg, acj), 2);
	assert_int_equal(count_operators(reg, szc), 0);

	youth_operator_iter *it = NULL;
	const youth_operator *o;
	assert_ok(youth_operator_iter_new(&it, reg, son));
	int64_t want[3] = {ids[0], ids[2], ids[3]};
	for (int i = 0; i < 3; i++) {
		assert_ok(youth_operator_next(&o, it));
		assert_int_equal(o->id, want[i]); /* id order */
		assert_int_equal(o->exchange_id, son);
	}
	assert_rc(youth_operator_next(&o, it), YOUTH_ITEROVER);
	assert_rc(youth_operator_next(&o, it), YOUTH_ITEROVER);
	youth_operator_iter_free(it);

	it = NULL;
	assert_rc(youth_operator_iter_new(&it, reg, 999), YOUTH_ENOTFOUND);
	assert_err_field("exchange_id");
	assert_null(it);
	assert_rc(youth_operator_iter_new(&it, reg, -1), YOUTH_EINVAL);
	assert_rc(youth_operator_iter_new(NULL, reg, 0), YOUTH_EINVAL);
	assert_rc(youth_operator_iter_new(&it, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_operator_next(NULL, NULL), YOUTH_EINVAL);
	youth_operator_iter_free(NULL);
}

static void test_operator_fields(void **state)
{
	youth_registry *reg = *state;
	static const char *const names[] = {"id",     "uuid", "exchange_id", "given_names",
	                                    "first_surname", "second_surname", "role", "phone",
	                                    "active"};
	size_t n = 0;
	while (youth_operator_field_name(n))
		n++;
	assert_int_equal(n, sizeof names / sizeof names[0]);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(youth_operator_field_name(i), names[i]);

	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	char exs[24];
	snprintf(exs, sizeof exs, "%lld", (long long)ex);
	youth_operator o;
	youth_operator_init(&o);
	assert_ok(youth_operator_set_field(&o, "exchange_id", exs));
	assert_ok(youth_operator_set_field(&o, "given_names", "Luis"));
	assert_ok(youth_operator_set_field(&o, "first_surname", "Flores"));
	assert_ok(youth_operator_set_field(&o, "role", "intake"));
	assert_ok(youth_operator_set_field(&o, "active", "false"));
	assert_int_equal(o.role, YOUTH_ROLE_INTAKE);
	assert_int_equal(o.active, 0);
	assert_rc(youth_operator_set_field(&o, "role", "chef"), YOUTH_EINVAL);
	assert_err_field("role");
	assert_msg_has("counsellor");
	assert_rc(youth_operator_set_field(&o, "active", "maybe"), YOUTH_EINVAL);
	assert_rc(youth_operator_set_field(&o, "exchange_id", "-4"), YOUTH_EINVAL);
	assert_int_equal(o.exchange_id, ex); /* unchanged by the refused text */
	assert_ok(youth_operator_add(reg, &o));

	youth_operator *got = NULL;
	assert_ok(youth_operator_get(&got, reg, o.id));
	char buf[64];
	const char *v;
	assert_ok(youth_operator_get_field(&v, got, "role", buf, sizeof buf));
	assert_string_equal(v, "intake");
	assert_ok(youth_operator_get_field(&v, got, "active", buf, sizeof buf));
	assert_string_equal(v, "false");
	assert_ok(youth_operator_get_field(&v, got, "exchange_id", buf, sizeof buf));
	assert_string_equal(v, exs);
	assert_ok(youth_operator_get_field(&v, got, "phone", buf, sizeof buf));
	assert_null(v);
	assert_rc(youth_operator_get_field(&v, got, "salary", buf, sizeof buf), YOUTH_EINVAL);
	youth_operator_free(got);
}

/* ---- employers --------------------------------------------------------------------------- */

static void test_nit_check(void **state)
{
	(void)state;
	assert_ok(youth_nit_check("0315-150895-101-2"));
	assert_ok(youth_nit_check("0614-010190-001-0"));
	static const char *const bad[] = {"",
	                                  "0315150895101 2",
	                                  "03151508951012",
	                                  "0315-150895-101",
	                                  "0315-150895-101-23",
	                                  "315-150895-101-2",
	                                  "A315-150895-101-2",
	                                  "0315-150895-1O1-2",
	                                  "0315_150895_101_2",
	                                  "0315-15089-5101-2",
	                                  " 0315-150895-101-2"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_rc(youth_nit_check(bad[i]), YOUTH_EINVAL);
		assert_err_field("nit");
		assert_msg_has("NNNN-NNNNNN-NNN-N");
	}
	assert_rc(youth_nit_check(NULL), YOUTH_EINVAL);
	assert_msg_has("missing");
}

static void test_employer_add_get(void **state)
{
	youth_registry *reg = *state;
	youth_employer e;
	employer_valid(&e);
	assert_ok(youth_employer_add(reg, &e));
	assert_true(e.id > 0);
	assert_uuid(e.uuid);
	youth_employer *got = NULL;
	assert_ok(youth_employer_get(&got, reg, e.id));
	assert_string_equal(got->name, "Almacenes Sonsonate, S.A. de C.V.");
	assert_string_equal(got->sector, "retail");
	assert_string_equal(got->nit, "0315-150895-101-2");
	assert_string_equal(got->place, "sonsonate/sonsonate-centro/sonsonate");
	assert_string_equal(got->contact_name, "Carlos Pineda");
	assert_string_equal(got->phone, "2450-1234");
	assert_string_equal(got->email, "rrhh@almacenes.com.sv");
	assert_string_equal(got->uuid, e.uuid);
	youth_employer_free(got);

	/* only the name is required */
	youth_employer m;
	youth_employer_init(&m);
	m.name = "Pupusería La Ceiba";
	assert_ok(youth_employer_add(reg, &m));
	assert_ok(youth_employer_get(&got, reg, m.id));
	assert_string_equal(got->name, "Pupusería La Ceiba");
	assert_null(got->sector);
	assert_null(got->nit);
	assert_null(got->place);
	assert_null(got->contact_name);
	assert_null(got->phone);
	assert_null(got->email);
	youth_employer_free(got);
	youth_employer_free(NULL);

	assert_rc(youth_employer_get(&got, reg, 31337), YOUTH_ENOTFOUND);
	assert_null(got);
	assert_rc(youth_employer_get(NULL, reg, 1), YOUTH_EINVAL);
	assert_rc(youth_employer_get(&got, NULL, 1), YOUTH_EINVAL);
	assert_rc(youth_employer_add(NULL, &m), YOUTH_EINVAL);
	assert_rc(youth_employer_add(reg, NULL), YOUTH_EINVAL);
}

static void test_employer_rules(void **state)
{
	youth_registry *reg = *state;
	snap s = take(reg);
	youth_employer e;
	employer_valid(&e);
	e.name = NULL;
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "name", "missing");
	char *n121 = th_repeat('e', 121), *n120 = th_repeat('f', 120);
	e.name = n121;
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "name", "120 bytes");
	employer_valid(&e);
	e.nit = "0315-150895-1012";
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "nit", "0315-150895-1012");
	employer_valid(&e);
	e.place = "sonsonate/atlantis";
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_ENOTFOUND, "place", "atlantis");
	employer_valid(&e);
	e.phone = "911";
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "phone", "911");
	employer_valid(&e);
	e.sector = "\x01retail";
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "sector", NULL);
	employer_valid(&e);
	e.contact_name = "\xc3";
	REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "contact_name", "UTF-8");
	static const char *const bad_mail[] = {"rrhh",          "rrhh@almacenes",  "@almacenes.com",
	                                       "a@@almacenes.com", "a@b@almacenes.com",
	                                       "rrhh@.com",     "rrhh@almacenes.", "rr hh@almacenes.com",
	                                       "rrhh.almacenes.com"};
	for (size_t i = 0; i < sizeof bad_mail / sizeof bad_mail[0]; i++) {
		employer_valid(&e);
		e.email = bad_mail[i];
		REFUSED(reg, s, youth_employer_add(reg, &e), YOUTH_EINVAL, "email", "@");
	}
	employer_valid(&e);
	e.name = n120;
	e.email = "a@b.sv";
	assert_ok(youth_employer_add(reg, &e));
	free(n121);
	free(n120);
}

static void test_employer_unique(void **state)
{
	youth_registry *reg = *state;
	youth_employer a;
	employer_valid(&a);
	assert_ok(youth_employer_add(reg, &a));
	snap s = take(reg);

	/* the same NIT again: refused, naming the employer that holds it */
	youth_employer b;
	employer_valid(&b);
	b.name = "Otra Empresa";
	char holder[32];
	snprintf(holder, sizeof holder, "employer %lld", (long long)a.id);
	REFUSED(reg, s, youth_employer_add(reg, &b), YOUTH_EEXISTS, "nit", holder);
	assert_msg_has("Almacenes Sonsonate");
	assert_int_equal(b.id, 0);

	/* the same name with another NIT: a different employer (a branch) */
	employer_valid(&b);
	b.nit = "0315-150895-102-0";
	assert_ok(youth_employer_add(reg, &b));

	/* without a NIT, the (folded) name tells employers apart */
	youth_employer c;
	youth_employer_init(&c);
	c.name = "Pollo Campero";
	assert_ok(youth_employer_add(reg, &c));
	s = take(reg);
	youth_employer d;
	youth_employer_init(&d);
	d.name = "POLLO  CAMPERO";
	REFUSED(reg, s, youth_employer_add(reg, &d), YOUTH_EEXISTS, "name", "Pollo Campero");
	d.nit = "0614-010190-001-0";
	assert_ok(youth_employer_add(reg, &d));

	/* duplicate uuid */
	s = take(reg);
	youth_employer u;
	youth_employer_init(&u);
	u.name = "Hotel Sonsonate";
	memcpy(u.uuid, a.uuid, sizeof u.uuid);
	REFUSED(reg, s, youth_employer_add(reg, &u), YOUTH_EEXISTS, "uuid", a.uuid);
}

static void test_employer_update(void **state)
{
	youth_registry *reg = *state;
	youth_employer a, b;
	employer_valid(&a);
	assert_ok(youth_employer_add(reg, &a));
	youth_employer_init(&b);
	b.name = "Tienda El Sol";
	assert_ok(youth_employer_add(reg, &b));

	youth_employer *got = NULL;
	assert_ok(youth_employer_get(&got, reg, b.id));
	got->nit = "0614-010190-001-0";
	got->email = "sol@tienda.com";
	got->place = "acajutla";
	assert_ok(youth_employer_update(reg, got));
	youth_employer_free(got);
	assert_ok(youth_employer_get(&got, reg, b.id));
	assert_string_equal(got->nit, "0614-010190-001-0");
	assert_string_equal(got->email, "sol@tienda.com");
	assert_string_equal(got->place, "sonsonate/sonsonate-oeste/acajutla");
	assert_string_equal(got->uuid, b.uuid);

	/* an update may keep the record's own NIT and name */
	assert_ok(youth_employer_update(reg, got));

	snap s = take(reg);
	youth_employer bad = *got;
	bad.nit = a.nit; /* taken by a */
	REFUSED(reg, s, youth_employer_update(reg, &bad), YOUTH_EEXISTS, "nit", "Almacenes");
	bad = *got;
	bad.id = 0;
	REFUSED(reg, s, youth_employer_update(reg, &bad), YOUTH_EINVAL, "id", NULL);
	bad.id = 4040;
	REFUSED(reg, s, youth_employer_update(reg, &bad), YOUTH_ENOTFOUND, "id", "4040");
	bad = *got;
	strcpy(bad.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	REFUSED(reg, s, youth_employer_update(reg, &bad), YOUTH_EINVAL, "uuid", "never changes");
	bad = *got;
	bad.email = "nobody";
	REFUSED(reg, s, youth_employer_update(reg, &bad), YOUTH_EINVAL, "email", NULL);
	assert_rc(youth_employer_update(NULL, got), YOUTH_EINVAL);
	assert_rc(youth_employer_update(reg, NULL), YOUTH_EINVAL);
	youth_employer_free(got);
	assert_ok(youth_employer_get(&got, reg, b.id));
	assert_string_equal(got->email, "sol@tienda.com");
	youth_employer_free(got);
}

static void test_employer_iter_and_fields(void **state)
{
	youth_registry *reg = *state;
	static const char *const names[] = {"Zapatería Rivas", "Almacén Central", "Hotel Las Palmas"};
	for (int i = 0; i < 3; i++) {
		youth_employer e;
		youth_employer_init(&e);
		e.name = names[i];
		assert_ok(youth_employer_add(reg, &e));
	}
	youth_employer_iter *it = NULL;
	const youth_employer *e;
	assert_ok(youth_employer_iter_new(&it, reg));
	static const char *const order[] = {"Almacén Central", "Hotel Las Palmas", "Zapatería Rivas"};
	for (int i = 0; i < 3; i++) {
		assert_ok(youth_employer_next(&e, it));
		assert_string_equal(e->name, order[i]);
	}
	assert_rc(youth_employer_next(&e, it), YOUTH_ITEROVER);
	assert_rc(youth_employer_next(&e, it), YOUTH_ITEROVER);
	youth_employer_iter_free(it);
	assert_rc(youth_employer_iter_new(NULL, reg), YOUTH_EINVAL);
	assert_rc(youth_employer_iter_new(&it, NULL), YOUTH_EINVAL);
	assert_rc(youth_employer_next(NULL, NULL), YOUTH_EINVAL);
	youth_employer_iter_free(NULL);

	static const char *const fields[] = {"id",    "uuid",         "name",  "sector", "nit",
	                                     "place", "contact_name", "phone", "email"};
	size_t n = 0;
	while (youth_employer_field_name(n))
		n++;
	assert_int_equal(n, sizeof fields / sizeof fields[0]);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(youth_employer_field_name(i), fields[i]);

	youth_employer x;
	youth_employer_init(&x);
	assert_ok(youth_employer_set_field(&x, "name", "Cafetería Sensunapán"));
	assert_ok(youth_employer_set_field(&x, "nit", "0315-150895-101-2"));
	assert_ok(youth_employer_set_field(&x, "email", "cafe@sensunapan.com"));
	assert_ok(youth_employer_set_field(&x, "place", "sonsonate/sonsonate-centro/sonzacate"));
	assert_rc(youth_employer_set_field(&x, "turnover", "1"), YOUTH_EINVAL);
	assert_ok(youth_employer_add(reg, &x));
	youth_employer *got = NULL;
	assert_ok(youth_employer_get(&got, reg, x.id));
	char buf[64];
	const char *v;
	assert_ok(youth_employer_get_field(&v, got, "nit", buf, sizeof buf));
	assert_string_equal(v, "0315-150895-101-2");
	assert_ok(youth_employer_get_field(&v, got, "sector", buf, sizeof buf));
	assert_null(v);
	assert_ok(youth_employer_get_field(&v, got, "place", buf, sizeof buf));
	assert_string_equal(v, "sonsonate/sonsonate-centro/sonzacate");
	youth_employer_free(got);
}

static void test_employer_out_of_memory(void **state)
{
	youth_registry *reg = *state;
	youth_employer seed;
	youth_employer_init(&seed);
	seed.name = "Pollo Campero";
	assert_ok(youth_employer_add(reg, &seed));
	th_alloc_state st;
	int ok = 0;
	for (long n = 1; n < 200 && !ok; n++) {
		int64_t before = count_employers(reg);
		youth_employer e;
		youth_employer_init(&e);
		e.name = "Pollo Indio"; /* no NIT: the name check folds both names */
		th_alloc_install(&st, n, 0);
		int rc = youth_employer_add(reg, &e);
		th_alloc_restore();
		assert_rc_in2(rc, YOUTH_OK, YOUTH_ENOMEM);
		assert_int_equal(count_employers(reg), before + (rc == YOUTH_OK));
		ok = rc == YOUTH_OK;
	}
	assert_true(ok);
}

/* A registry opened read-only refuses every write with EREADONLY and keeps its rows. */
static void test_readonly(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = th_path(dir, "ro.registry");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_registry_close(reg);
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	youth_exchange e;
	exchange_valid(&e);
	e.code = "NEW";
	assert_rc(youth_exchange_add(reg, &e), YOUTH_EREADONLY);
	youth_operator o;
	operator_valid(&o, ex);
	assert_rc(youth_operator_add(reg, &o), YOUTH_EREADONLY);
	youth_employer m;
	employer_valid(&m);
	assert_rc(youth_employer_add(reg, &m), YOUTH_EREADONLY);
	assert_int_equal(count_exchanges(reg), 1);
	assert_int_equal(count_operators(reg, 0), 0);
	assert_int_equal(count_employers(reg), 0);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- organisations (issue 15) ------------------------------------------------------------ */

static int64_t add_org(youth_registry *reg, const char *code, int type, int64_t parent)
{
	youth_organisation o;
	youth_organisation_init(&o);
	o.code = code;
	o.name = "Comisión Nacional de la Micro y Pequeña Empresa";
	o.type = type;
	o.parent_id = parent;
	o.place = "sonsonate/sonsonate-centro/sonsonate";
	assert_ok(youth_organisation_add(reg, &o));
	return o.id;
}

/* CONAMYPE and its centre sit beside the exchanges: an exchange is an organisation, the others
 * are no exchanges, and an operator of CONAMYPE is an operator like any other. */
static void test_organisation_kinds(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	int64_t cm = add_org(reg, "CONAMYPE", YOUTH_ORG_CONAMYPE, 0);
	int64_t cw = add_org(reg, "CM-COLON", YOUTH_ORG_CENTRE, cm);
	add_org(reg, "INSAFORP", YOUTH_ORG_TRAINING, 0);

	youth_organisation *o = NULL;
	assert_ok(youth_organisation_get(&o, reg, ex));
	assert_int_equal(o->type, YOUTH_ORG_EXCHANGE);
	assert_string_equal(o->code, "SON");
	youth_organisation_free(o);
	assert_ok(youth_organisation_get_by_code(&o, reg, "CM-COLON"));
	assert_int_equal(o->parent_id, cm);
	assert_string_equal(youth_organisation_type_name(o->type), "centre");
	youth_organisation_free(o);

	/* Not exchanges: neither got nor listed as one. */
	youth_exchange *e = NULL;
	assert_rc(youth_exchange_get(&e, reg, cm), YOUTH_ENOTFOUND);
	assert_rc(youth_exchange_get_by_code(&e, reg, "CONAMYPE"), YOUTH_ENOTFOUND);
	assert_int_equal(count_exchanges(reg), 1);

	youth_organisation_iter *it = NULL;
	const youth_organisation *row;
	int n = 0;
	assert_ok(youth_organisation_iter_new(&it, reg, 0));
	while (youth_organisation_next(&row, it) == YOUTH_OK)
		n++;
	youth_organisation_iter_free(it);
	assert_int_equal(n, 4);
	assert_ok(youth_organisation_iter_new(&it, reg, YOUTH_ORG_CENTRE));
	assert_ok(youth_organisation_next(&row, it));
	assert_int_equal(row->id, cw);
	assert_rc(youth_organisation_next(&row, it), YOUTH_ITEROVER);
	youth_organisation_iter_free(it);
	assert_rc(youth_organisation_iter_new(&it, reg, 9), YOUTH_EINVAL);

	/* An operator belongs to CONAMYPE without being registered at an exchange. */
	youth_operator op;
	operator_valid(&op, cm);
	assert_ok(youth_operator_add(reg, &op));
	assert_int_equal(count_operators(reg, cm), 1);
	assert_int_equal(count_operators(reg, ex), 0);
}

static void test_organisation_rules(void **state)
{
	youth_registry *reg = *state;
	int64_t cm = add_org(reg, "CONAMYPE", YOUTH_ORG_CONAMYPE, 0);
	add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	snap s = take(reg);
	youth_organisation o;
	youth_organisation_init(&o);
	o.code = "CM-2";
	o.name = "Ciudad Mujer Colón";
	o.place = "department:sonsonate";
	REFUSED(reg, s, youth_organisation_add(reg, &o), YOUTH_EINVAL, "type", "missing");
	o.type = 7;
	REFUSED(reg, s, youth_organisation_add(reg, &o), YOUTH_EINVAL, "type", "not an organisation");
	o.type = YOUTH_ORG_CENTRE;
	o.parent_id = cm + 50;
	REFUSED(reg, s, youth_organisation_add(reg, &o), YOUTH_ENOTFOUND, "parent_id",
	        "no such organisation");
	o.parent_id = cm;
	o.code = "SON";
	REFUSED(reg, s, youth_organisation_add(reg, &o), YOUTH_EEXISTS, "code", "already used");
	assert_msg_has("code \"SON\": already used by organisation \"Bolsa de Empleo Municipal de "
	               "Sonsonate\"");
	o.code = "CM-2";
	o.place = "nowhere-at-all";
	REFUSED(reg, s, youth_organisation_add(reg, &o), YOUTH_ENOTFOUND, "place", "nowhere");
	o.place = "department:sonsonate";
	assert_ok(youth_organisation_add(reg, &o));

	/* The type never changes; the rest does, and an organisation is not its own parent. */
	s = take(reg);
	youth_organisation *got = NULL;
	assert_ok(youth_organisation_get(&got, reg, cm));
	got->type = YOUTH_ORG_EXCHANGE;
	REFUSED(reg, s, youth_organisation_update(reg, got), YOUTH_EINVAL, "type", "stays one");
	got->type = YOUTH_ORG_CONAMYPE;
	got->parent_id = cm;
	REFUSED(reg, s, youth_organisation_update(reg, got), YOUTH_EINVAL, "parent_id", "itself");
	got->parent_id = 0;
	got->name = "CONAMYPE";
	assert_ok(youth_organisation_update(reg, got));
	youth_organisation_free(got);
	assert_ok(youth_organisation_get(&got, reg, cm));
	assert_string_equal(got->name, "CONAMYPE");
	youth_organisation_free(got);
}

/* Every record is found by its id, its UUID or its code; a key naming none is refused. */
static void test_record_lookup(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	int64_t cm = add_org(reg, "CONAMYPE", YOUTH_ORG_CONAMYPE, 0);
	youth_operator op;
	operator_valid(&op, cm);
	assert_ok(youth_operator_add(reg, &op));
	int64_t id = -1;
	char key[32];
	snprintf(key, sizeof key, "%lld", (long long)op.id);
	assert_ok(youth_record_lookup(&id, reg, "operator", key));
	assert_int_equal(id, op.id);
	assert_ok(youth_record_lookup(&id, reg, "operator", op.uuid));
	assert_int_equal(id, op.id);
	assert_rc(youth_record_lookup(&id, reg, "operator", "99"), YOUTH_ENOTFOUND);
	assert_msg_has("operator 99: no such operator");
	assert_int_equal(id, 0);
	assert_ok(youth_record_lookup(&id, reg, "organisation", "CONAMYPE"));
	assert_int_equal(id, cm);
	assert_ok(youth_record_lookup(&id, reg, "exchange", "SON"));
	assert_int_equal(id, ex);
	/* CONAMYPE is an organisation, not an exchange. */
	assert_rc(youth_record_lookup(&id, reg, "exchange", "CONAMYPE"), YOUTH_ENOTFOUND);
	snprintf(key, sizeof key, "%lld", (long long)cm);
	assert_rc(youth_record_lookup(&id, reg, "exchange", key), YOUTH_ENOTFOUND);
	assert_msg_has("not a municipal exchange");
	assert_rc(youth_record_lookup(&id, reg, "group", "Mujeres Emprendedoras"), YOUTH_ENOTFOUND);
	assert_rc(youth_record_lookup(&id, reg, "operator", ""), YOUTH_EINVAL);
	assert_rc(youth_record_lookup(&id, reg, "nothing", "1"), YOUTH_EINVAL);
	assert_rc(youth_record_lookup(NULL, reg, "operator", "1"), YOUTH_EINVAL);
}

/* Export carries the organisations (a section of their own, exchanges apart), and an import
 * of that export into an empty registry exports the same bytes. */
static void test_organisation_interchange(void **state)
{
	youth_registry *reg = *state;
	int64_t cm = add_org(reg, "CONAMYPE", YOUTH_ORG_CONAMYPE, 0);
	add_org(reg, "CM-COLON", YOUTH_ORG_CENTRE, cm);
	add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_operator op;
	operator_valid(&op, cm);
	assert_ok(youth_operator_add(reg, &op));
	youth_export_options eo;
	youth_export_options_init(&eo);
	eo.flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS;
	th_text a = {0}, b = {0};
	youth_interchange_summary sum;
	assert_ok(youth_export_write(&sum, reg, th_text_write, &a, &eo));
	assert_true(th_contains(a.data, "organisations:"));
	assert_true(th_contains(a.data, "CM-COLON"));

	youth_registry *other = NULL;
	assert_ok(youth_registry_open(&other, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(th_import_text(other, a.data, 0, &sum));
	assert_ok(youth_export_write(&sum, other, th_text_write, &b, &eo));
	assert_string_equal(a.data, b.data);
	int64_t id = 0;
	assert_ok(youth_record_lookup(&id, other, "organisation", "CM-COLON"));
	youth_organisation *o = NULL;
	assert_ok(youth_organisation_get(&o, other, id));
	assert_int_equal(o->type, YOUTH_ORG_CENTRE);
	youth_organisation_free(o);
	youth_registry_close(other);
	free(a.data);
	free(b.data);
}

/* A registry of schema 8 (before organisations) opens migrated: its exchange is an organisation
 * of type exchange, its operator stays there, and CONAMYPE can be added beside it. */
/* The refusals that record.c's shared openings (youth__update_args, youth__choice_rule,
 * youth__iter_args) word for exchanges, operators, employers and organisations, to the
 * letter: each module wrote its own before, and the words are what users see. */
#define WORDS(expr, fld, words)                                       \
	do {                                                          \
		assert_int_not_equal((expr), YOUTH_OK);               \
		const youth_error *e_ = youth_error_last();           \
		assert_string_equal(e_->message, (words));            \
		if (fld)                                              \
			assert_string_equal(e_->field, (const char *)(fld)); \
	} while (0)

static void test_shared_refusal_words(void **state)
{
	youth_registry *reg = *state;
	int64_t son = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_operator o;
	operator_valid(&o, son);
	o.role = 0;
	WORDS(youth_operator_add(reg, &o), "role",
	      "role: missing (counsellor, intake, placement or coordinator)");
	o.role = 9;
	WORDS(youth_operator_add(reg, &o), "role",
	      "role 9: not a role (counsellor, intake, placement, coordinator)");
	o.role = YOUTH_ROLE_PLACEMENT;
	o.id = 0;
	WORDS(youth_operator_update(reg, &o), "id", "operator update: needs an id");
	o.id = -4;
	WORDS(youth_operator_update(reg, &o), "id", "id -4: not a valid id");
	WORDS(youth_operator_update(reg, NULL), NULL, "youth_operator_update: NULL operator");
	WORDS(youth_operator_update(NULL, &o), NULL, "youth_operator_update: NULL registry");

	youth_exchange e;
	exchange_valid(&e);
	WORDS(youth_exchange_update(reg, &e), "id", "exchange update: needs an id");
	youth_employer em;
	youth_employer_init(&em);
	em.id = -1;
	WORDS(youth_employer_update(reg, &em), "id", "id -1: not a valid id");

	youth_organisation g;
	youth_organisation_init(&g);
	g.code = "CM-9";
	g.name = "Ciudad Mujer Usulután";
	g.place = "department:sonsonate";
	WORDS(youth_organisation_add(reg, &g), "type",
	      "type: missing (exchange, conamype, centre or training_provider)");
	g.type = 7;
	WORDS(youth_organisation_add(reg, &g), "type",
	      "type 7: not an organisation type (exchange, conamype, centre, training_provider)");
	WORDS(youth_organisation_update(reg, &g), "id", "organisation update: needs an id");

	youth_operator_iter *it = (youth_operator_iter *)&o; /* anything but NULL */
	WORDS(youth_operator_iter_new(&it, reg, -2), "exchange_id", "exchange_id -2: not a valid id");
	assert_null(it);
	WORDS(youth_organisation_iter_new(NULL, reg, 0), NULL,
	      "youth_organisation_iter_new: NULL argument");
}
#undef WORDS

static void test_organisation_migration(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "old.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	int64_t ex = add_exchange(reg, "SON", "sonsonate/sonsonate-centro/sonsonate");
	youth_operator op;
	operator_valid(&op, ex);
	assert_ok(youth_operator_add(reg, &op));
	youth_registry_close(reg);
	th_schema_downgrade(path, 8);

	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	youth_operator *o = NULL;
	assert_ok(youth_operator_get(&o, reg, op.id));
	assert_int_equal(o->exchange_id, ex);
	youth_operator_free(o);
	youth_organisation *org = NULL;
	assert_ok(youth_organisation_get(&org, reg, ex));
	assert_int_equal(org->type, YOUTH_ORG_EXCHANGE);
	assert_string_equal(org->code, "SON");
	youth_organisation_free(org);
	int64_t cm = add_org(reg, "CONAMYPE", YOUTH_ORG_CONAMYPE, 0);
	assert_int_equal(count_exchanges(reg), 1);
	operator_valid(&op, cm);
	op.uuid[0] = '\0';
	assert_ok(youth_operator_add(reg, &op));
	youth_registry_close(reg);
	th_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, th_setup_gazetteer, th_teardown_registry)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_init),
		T(test_exchange_add_get),
		T(test_exchange_given_uuid),
		T(test_exchange_code_rule),
		T(test_exchange_duplicate_code),
		T(test_exchange_name_rule),
		T(test_exchange_place_and_date),
		T(test_exchange_null_and_missing),
		T(test_exchange_iter),
		T(test_exchange_update),
		T(test_exchange_fields),
		T(test_exchange_in_transaction),
		T(test_exchange_out_of_memory),
		cmocka_unit_test(test_operator_init_and_roles),
		T(test_operator_add_get),
		T(test_operator_rules),
		T(test_operator_update),
		T(test_operator_iter),
		T(test_operator_fields),
		cmocka_unit_test(test_nit_check),
		T(test_employer_add_get),
		T(test_employer_rules),
		T(test_employer_unique),
		T(test_employer_update),
		T(test_employer_iter_and_fields),
		T(test_employer_out_of_memory),
		cmocka_unit_test(test_readonly),
		T(test_organisation_kinds),
		T(test_organisation_rules),
		T(test_record_lookup),
		T(test_organisation_interchange),
		cmocka_unit_test(test_organisation_migration),
		T(test_shared_refusal_words),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
