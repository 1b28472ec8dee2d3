/*
 * The registry schema and its forward migrations.
 *
 * PRAGMA user_version holds the schema version; migrations[i] turns version i into i + 1.
 * Every migration of an open runs in one transaction, so a crash or error leaves the file at
 * its old version.  STRICT tables and CHECK constraints are the last line of defence behind
 * the C validation: they should never fire for data that came through the API.
 */
#include "private.h"

#include <stdio.h>

/* A migration is a list of SQL scripts run in order (NULL-terminated). */
static const char *const migration_1[] = {
	/* 0 -> 1: gazetteer and census records. */
	"CREATE TABLE place ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  parent_id INTEGER REFERENCES place(id),"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
	"  slug TEXT NOT NULL CHECK (length(slug) > 0),"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  path TEXT NOT NULL UNIQUE,"
	"  critical INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0, 1)),"
	"  CHECK ((parent_id IS NULL) = (level = 1))"
	") STRICT;"
	"CREATE INDEX place_parent ON place(parent_id);"
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  national_id TEXT CHECK (national_id IS NULL OR national_id GLOB"
	"    '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]'),"
	"  given_names TEXT NOT NULL CHECK (length(given_names) > 0),"
	"  first_surname TEXT NOT NULL CHECK (length(first_surname) > 0),"
	"  second_surname TEXT,"
	"  name_key TEXT NOT NULL,"
	"  birth_date TEXT NOT NULL CHECK (birth_date GLOB"
	"    '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	"  sex INTEGER NOT NULL CHECK (sex IN (1, 2)),"
	"  place_id INTEGER NOT NULL REFERENCES place(id),"
	"  address TEXT,"
	"  phone TEXT CHECK (phone IS NULL OR phone GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),"
	"  education INTEGER NOT NULL DEFAULT 0 CHECK (education BETWEEN 0 AND 6),"
	"  studying INTEGER NOT NULL DEFAULT 0 CHECK (studying IN (0, 1)),"
	"  employment INTEGER NOT NULL DEFAULT 0 CHECK (employment BETWEEN 0 AND 5),"
	"  household_size INTEGER CHECK (household_size IS NULL OR household_size BETWEEN 1 AND 30),"
	"  disability INTEGER NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),"
	"  census_date TEXT NOT NULL CHECK (census_date GLOB"
	"    '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	"  census_round TEXT NOT NULL CHECK (length(census_round) BETWEEN 1 AND 32),"
	"  job_profiles TEXT,"
	"  consent INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),"
	"  consent_date TEXT,"
	"  CHECK ((consent = 1) = (consent_date IS NOT NULL)),"
	"  CHECK (census_date >= birth_date)"
	") STRICT;"
	"CREATE UNIQUE INDEX person_national_id ON person(national_id) WHERE national_id IS NOT NULL;"
	/* Serves counts by place subtree x sex x age band without touching the table. */
	"CREATE INDEX person_place_sex_birth ON person(place_id, sex, birth_date);",
	NULL};

static const char *const migration_2[] = {
	/* 1 -> 2: exchanges, operators, employers, programmes and their rules, courses, cohorts,
	 * enrollments. */
	"CREATE TABLE exchange ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16),"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  place_id INTEGER NOT NULL REFERENCES place(id),"
	"  opened_date TEXT"
	") STRICT;"
	"CREATE TABLE operator ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  given_names TEXT NOT NULL CHECK (length(given_names) > 0),"
	"  first_surname TEXT NOT NULL CHECK (length(first_surname) > 0),"
	"  second_surname TEXT,"
	"  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),"
	"  phone TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"
	") STRICT;"
	"CREATE INDEX operator_exchange ON operator(exchange_id);"
	"CREATE TABLE employer ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  sector TEXT,"
	"  nit TEXT UNIQUE CHECK (nit IS NULL OR length(nit) = 17),"
	"  place_id INTEGER REFERENCES place(id),"
	"  contact_name TEXT,"
	"  phone TEXT,"
	"  email TEXT"
	") STRICT;"
	"CREATE TABLE programme ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  age_min INTEGER NOT NULL DEFAULT 0 CHECK (age_min BETWEEN 0 AND 120),"
	"  age_max INTEGER NOT NULL DEFAULT 0 CHECK (age_max BETWEEN 0 AND 120),"
	"  census_rounds TEXT,"
	"  consent_required INTEGER NOT NULL DEFAULT 0 CHECK (consent_required IN (0, 1)),"
	"  women_only INTEGER NOT NULL DEFAULT 0 CHECK (women_only IN (0, 1))"
	") STRICT;"
	"CREATE TABLE programme_place ("
	"  programme_id INTEGER NOT NULL REFERENCES programme(id) ON DELETE CASCADE,"
	"  place_id INTEGER NOT NULL REFERENCES place(id),"
	"  PRIMARY KEY (programme_id, place_id)"
	") STRICT, WITHOUT ROWID;"
	/* Every override of an eligibility rule, kept for audit. */
	"CREATE TABLE eligibility_override ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  programme TEXT NOT NULL,"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  service TEXT NOT NULL,"
	"  service_id INTEGER NOT NULL,"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  rule TEXT NOT NULL,"
	"  reason TEXT NOT NULL CHECK (length(reason) > 0),"
	"  date TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX eligibility_override_person ON eligibility_override(person_id);"
	"CREATE TABLE course ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16),"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  provider TEXT NOT NULL CHECK (length(provider) > 0),"
	"  job_profile TEXT,"
	"  hours INTEGER NOT NULL CHECK (hours BETWEEN 1 AND 2000)"
	") STRICT;"
	"CREATE TABLE cohort ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  course_id INTEGER NOT NULL REFERENCES course(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),"
	"  start_date TEXT NOT NULL,"
	"  end_date TEXT NOT NULL,"
	"  place_id INTEGER NOT NULL REFERENCES place(id),"
	"  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 500),"
	"  min_attendance INTEGER NOT NULL DEFAULT 80 CHECK (min_attendance BETWEEN 1 AND 100),"
	"  CHECK (end_date >= start_date)"
	") STRICT;"
	"CREATE INDEX cohort_course ON cohort(course_id);"
	"CREATE TABLE enrollment ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  cohort_id INTEGER NOT NULL REFERENCES cohort(id),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 5),"
	"  applied_date TEXT NOT NULL,"
	"  state_date TEXT NOT NULL,"
	"  attendance INTEGER CHECK (attendance IS NULL OR attendance BETWEEN 0 AND 100),"
	"  certificate_date TEXT,"
	"  reason TEXT,"
	"  UNIQUE (cohort_id, person_id)"
	") STRICT;"
	"CREATE INDEX enrollment_person ON enrollment(person_id);"
	"CREATE TABLE enrollment_session ("
	"  enrollment_id INTEGER NOT NULL REFERENCES enrollment(id),"
	"  date TEXT NOT NULL,"
	"  present INTEGER NOT NULL CHECK (present IN (0, 1)),"
	"  PRIMARY KEY (enrollment_id, date)"
	") STRICT, WITHOUT ROWID;",
	NULL};

/* 2 -> 3: outcome follow-ups, counselling, first-work scholarships, seed capital and the
 * female entrepreneurship window (tables defined next to the code that uses them). */
static const char *const migration_3[] = {youth__schema_followup, youth__schema_counselling,
                                          youth__schema_scholarship, youth__schema_enterprise,
                                          NULL};

static const char *const *const migrations[] = {migration_1, migration_2, migration_3};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

_Static_assert(N_MIGRATIONS == YOUTH_SCHEMA_VERSION, "one migration per schema version");

int youth__schema_migrate(youth_registry *reg, int from)
{
	youth__write w;
	int rc = youth__write_begin(&w, reg, "migrate");
	if (rc)
		return rc;
	for (int v = from; v < (int)N_MIGRATIONS && rc == YOUTH_OK; v++)
		for (const char *const *sql = migrations[v]; *sql && rc == YOUTH_OK; sql++)
			if ((rc = youth__exec(reg, *sql)))
				youth__error_prefix("migrating schema %d to %d", v, v + 1);
	if (rc == YOUTH_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", YOUTH_SCHEMA_VERSION);
		rc = youth__exec(reg, sql);
	}
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK)
		reg->schema_version = YOUTH_SCHEMA_VERSION;
	return rc;
}

int youth__schema_verify(youth_registry *reg)
{
	static const char *const tables[] = {
		"place",       "person",        "exchange",         "operator",
		"employer",    "programme",     "course",           "cohort",
		"enrollment",  "followup",      "counselling_session", "scholarship",
		"scholarship_payment", "enterprise_group", "enterprise_plan"};
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?",
	                     &st);
	for (size_t i = 0; rc == YOUTH_OK && i < sizeof tables / sizeof tables[0]; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s != SQLITE_ROW)
			rc = youth__sqlite_error(reg->db, s, "reading the schema");
		else if (sqlite3_column_int(st, 0) != 1)
			rc = youth__error(YOUTH_ECORRUPT, NULL,
			                  "%s: not a libyouth registry (table %s is missing)", reg->path,
			                  tables[i]);
	}
	if (rc == YOUTH_OK)
		sqlite3_reset(st);
	return rc;
}
