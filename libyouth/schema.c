/*
 * The registry schema: every table, index and trigger of a registry is created here, by the
 * numbered forward migrations below, and nowhere else.  The modules keep the rules that use the
 * tables (validation, state machines, field tables), never their DDL.  Indexes an import drops
 * and builds again (bulk_indexes of an interchange section) are named by their module's section
 * and read back from sqlite_schema, so their DDL too is only here.
 *
 * PRAGMA user_version holds the schema version; migration_N turns version N - 1 into N.  All the
 * migrations one open needs run in one transaction, so a crash or error leaves the file at its old
 * version.  STRICT tables and CHECK constraints are the last line of defence behind the C
 * validation: they should never fire for data that came through the API.
 *
 * THE RULE: a migration that has shipped is never edited, not even its spacing or the split of
 * its scripts.  SQLite keeps the text of each CREATE in sqlite_schema, so a registry migrated
 * from an old version equals a fresh one only if both ran the same bytes; an edited migration
 * would give files in the field two schemas under one version number.  Every change to the
 * schema is a new migration instead:
 *   1. append migration_<N+1> below (CREATE TABLE / INDEX / TRIGGER for what is new; ALTER TABLE
 *      ADD COLUMN, or SQLite's create-copy-drop-rename procedure, for what changes) and add it
 *      to migrations[];
 *   2. bump YOUTH_SCHEMA_VERSION in include/youth/registry.h (the _Static_assert below keeps the
 *      two in step);
 *   3. in tests/helpers.c, say how to turn a version N+1 file back into version N
 *      (th_added_by_version[]), and in tests/test_registry.c record the fingerprint of schema
 *      N+1 (schema_fingerprint[]):
 *      test_migrate_from_every_version then migrates a file of every older version and checks
 *      it ends with exactly the schema of a fresh registry, and that no shipped version changed;
 *   4. add the tables a registry cannot do without to youth__schema_verify().
 * A new kind of record adds its tables this way: one new migration holds its tables, their
 * indexes (including those its interchange section lists in bulk_indexes) and triggers; its
 * module holds the field table and the rules (docs/design.md, "Schema and migrations").
 */
#include "private_names.h"

#include <stdio.h>
#include <string.h>

/* A migration is a list of SQL scripts run in order (NULL-terminated).  The C comments between
 * the string pieces are not part of the SQL and may be improved; the strings may not. */
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

static const char *const migration_3[] = {
	/* 2 -> 3: outcome follow-ups, counselling, first-work scholarships, seed capital and the
	 * female entrepreneurship window, in four scripts run in this order. */
	/* Outcome follow-ups (rules in followup.c). */
	"CREATE TABLE followup ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  date TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	"  horizon_months INTEGER NOT NULL CHECK (horizon_months BETWEEN 1 AND 60),"
	"  status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 6),"
	"  employer_id INTEGER REFERENCES employer(id),"
	"  service TEXT CHECK (service IS NULL OR service IN"
	"    ('enrollment', 'counselling', 'scholarship', 'seed_capital', 'plan')),"
	"  service_id INTEGER CHECK (service_id IS NULL OR service_id > 0),"
	"  notes TEXT CHECK (notes IS NULL OR length(notes) > 0),"
	/* employed statuses (1, 2) name an employer, the others none */
	"  CHECK ((employer_id IS NOT NULL) = (status IN (1, 2))),"
	"  CHECK ((service IS NULL) = (service_id IS NULL))"
	") STRICT;"
	/* One follow-up per person, service and horizon; NULLs would all be distinct in a plain
	 * UNIQUE, so the service is folded.  Also serves the look-ups by person. */
	"CREATE UNIQUE INDEX followup_once ON followup"
	"  (person_id, coalesce(service, ''), coalesce(service_id, 0), horizon_months);"
	"CREATE INDEX followup_person_date ON followup(person_id, date);"
	"CREATE INDEX followup_status_date ON followup(status, date);",
	/* Counselling sessions and their rosters (rules in counselling.c). */
	"CREATE TABLE counselling_session ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  date TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),"
	"  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),"
	"  mode INTEGER NOT NULL CHECK (mode IN (1, 2)),"
	"  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),"
	"  topic TEXT CHECK (topic IS NULL OR length(topic) > 0),"
	"  outcome TEXT CHECK (outcome IS NULL OR length(outcome) > 0),"
	"  place_id INTEGER REFERENCES place(id),"
	"  state INTEGER NOT NULL DEFAULT 1 CHECK (state IN (1, 2)),"
	"  closed_date TEXT,"
	"  CHECK ((state = 2) = (closed_date IS NOT NULL)),"
	"  CHECK (closed_date IS NULL OR closed_date >= date)"
	") STRICT;"
	"CREATE INDEX counselling_session_date ON counselling_session(date);"
	"CREATE INDEX counselling_session_operator ON counselling_session(operator_id);"
	/* AUTOINCREMENT: a roster row's id is the service_id of its eligibility overrides, which
	 * outlive the row when it is removed; an id must never be handed to another row. */
	"CREATE TABLE counselling_participant ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  session_id INTEGER NOT NULL REFERENCES counselling_session(id),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  attended INTEGER NOT NULL DEFAULT 1 CHECK (attended IN (0, 1)),"
	"  note TEXT CHECK (note IS NULL OR length(note) > 0),"
	"  UNIQUE (session_id, person_id)"
	") STRICT;"
	"CREATE INDEX counselling_participant_person ON counselling_participant(person_id);",
	/* First-work scholarships: the placement, its entitlement, what was paid (rules in
	 * scholarship.c). */
	"CREATE TABLE scholarship ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 6),"
	"  applied_date TEXT NOT NULL,"
	"  state_date TEXT NOT NULL CHECK (state_date >= applied_date),"
	"  employer_id INTEGER REFERENCES employer(id),"
	"  position TEXT,"
	"  start_date TEXT,"
	"  end_date TEXT,"
	"  hours_per_week INTEGER CHECK (hours_per_week IS NULL OR hours_per_week BETWEEN 1 AND 48),"
	"  monthly_stipend INTEGER CHECK (monthly_stipend IS NULL OR monthly_stipend > 0),"
	"  reason TEXT,"
	/* The placement is all there or all absent, and there from active on. */
	"  CHECK ((employer_id IS NULL) = (position IS NULL) AND (position IS NULL) = (start_date IS NULL)"
	"    AND (start_date IS NULL) = (end_date IS NULL) AND (end_date IS NULL) = (hours_per_week IS NULL)"
	"    AND (hours_per_week IS NULL) = (monthly_stipend IS NULL)),"
	"  CHECK (state NOT IN (3, 4) OR employer_id IS NOT NULL),"
	"  CHECK (end_date >= start_date),"
	"  CHECK ((reason IS NOT NULL) = (state IN (5, 6)))"
	") STRICT;"
	"CREATE INDEX scholarship_person ON scholarship(person_id);"
	"CREATE INDEX scholarship_employer ON scholarship(employer_id) WHERE employer_id IS NOT NULL;"
	/* The entitlement: one row per calendar month of the placement; never deleted. */
	"CREATE TABLE scholarship_installment ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  scholarship_id INTEGER NOT NULL REFERENCES scholarship(id),"
	"  month TEXT NOT NULL CHECK (month GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),"
	"  period_start TEXT NOT NULL CHECK (substr(period_start, 1, 7) = month),"
	"  period_end TEXT NOT NULL CHECK (substr(period_end, 1, 7) = month),"
	"  due_date TEXT NOT NULL CHECK (due_date = period_end),"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),"
	"  state INTEGER NOT NULL CHECK (state IN (1, 2)),"
	"  cancelled_date TEXT,"
	"  CHECK (period_end >= period_start),"
	"  CHECK ((state = 2) = (cancelled_date IS NOT NULL))"
	") STRICT;"
	"CREATE UNIQUE INDEX scholarship_installment_month ON scholarship_installment(scholarship_id,"
	"  month) WHERE state = 1;"
	"CREATE INDEX scholarship_installment_of ON scholarship_installment(scholarship_id, due_date);"
	/* What was paid. */
	"CREATE TABLE scholarship_payment ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  scholarship_id INTEGER NOT NULL REFERENCES scholarship(id),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  amount INTEGER NOT NULL CHECK (amount > 0),"
	"  paid_date TEXT NOT NULL,"
	"  method INTEGER NOT NULL CHECK (method BETWEEN 1 AND 3),"
	"  reference TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 40)"
	") STRICT;"
	"CREATE INDEX scholarship_payment_of ON scholarship_payment(scholarship_id);",
	/* Seed capital, groups and the female entrepreneurship window (rules in enterprise.c). */
	"CREATE TABLE enterprise_group ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),"
	"  fund_window INTEGER NOT NULL CHECK (fund_window IN (1, 2)),"
	"  women_only INTEGER NOT NULL CHECK (women_only IN (0, 1)),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  formed_date TEXT NOT NULL,"
	"  CHECK (fund_window <> 2 OR women_only = 1)"
	") STRICT;"
	"CREATE TABLE enterprise_member ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  group_id INTEGER NOT NULL REFERENCES enterprise_group(id),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  joined_date TEXT NOT NULL,"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  UNIQUE (group_id, person_id)"
	") STRICT;"
	"CREATE INDEX enterprise_member_person ON enterprise_member(person_id);"
	"CREATE TABLE enterprise_plan ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  fund_window INTEGER NOT NULL CHECK (fund_window IN (1, 2)),"
	"  person_id INTEGER REFERENCES person(id),"
	"  group_id INTEGER REFERENCES enterprise_group(id),"
	"  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),"
	"  sector TEXT NOT NULL CHECK (length(sector) BETWEEN 1 AND 80),"
	"  description TEXT NOT NULL CHECK (length(description) > 0),"
	"  requested INTEGER NOT NULL CHECK (requested > 0),"
	"  approved INTEGER CHECK (approved IS NULL OR approved BETWEEN 1 AND requested),"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 8),"
	"  drafted_date TEXT NOT NULL,"
	"  state_date TEXT NOT NULL CHECK (state_date >= drafted_date),"
	"  approved_date TEXT,"
	"  reason TEXT,"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  CHECK ((person_id IS NULL) <> (group_id IS NULL)),"
	"  CHECK ((approved IS NULL) = (approved_date IS NULL)),"
	"  CHECK (state NOT IN (4, 6, 7, 8) OR approved IS NOT NULL)"
	") STRICT;"
	"CREATE INDEX enterprise_plan_person ON enterprise_plan(person_id);"
	"CREATE INDEX enterprise_plan_group ON enterprise_plan(group_id);"
	"CREATE TABLE enterprise_disbursement ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  plan_id INTEGER NOT NULL REFERENCES enterprise_plan(id),"
	"  amount INTEGER NOT NULL CHECK (amount > 0),"
	"  date TEXT NOT NULL,"
	"  reference TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 40),"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id)"
	") STRICT;"
	"CREATE INDEX enterprise_disbursement_plan ON enterprise_disbursement(plan_id, date);"
	"CREATE TABLE enterprise_visit ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  plan_id INTEGER NOT NULL REFERENCES enterprise_plan(id),"
	"  date TEXT NOT NULL,"
	"  operating INTEGER NOT NULL CHECK (operating IN (0, 1)),"
	"  jobs_created INTEGER NOT NULL CHECK (jobs_created BETWEEN 0 AND 10000),"
	"  monthly_sales INTEGER NOT NULL CHECK (monthly_sales >= 0),"
	"  notes TEXT,"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  UNIQUE (plan_id, date)"
	") STRICT;"
	"CREATE TABLE enterprise_service ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  group_id INTEGER REFERENCES enterprise_group(id),"
	"  plan_id INTEGER REFERENCES enterprise_plan(id),"
	"  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 3),"
	"  date TEXT NOT NULL,"
	"  hours INTEGER NOT NULL CHECK (hours BETWEEN 1 AND 200),"
	"  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 120),"
	"  notes TEXT,"
	"  operator_id INTEGER NOT NULL REFERENCES operator(id),"
	"  exchange_id INTEGER NOT NULL REFERENCES exchange(id),"
	"  CHECK ((group_id IS NULL) <> (plan_id IS NULL))"
	") STRICT;"
	"CREATE INDEX enterprise_service_group ON enterprise_service(group_id);"
	"CREATE INDEX enterprise_service_plan ON enterprise_service(plan_id);",
	NULL};

static const char *const migration_4[] = {
	/* 3 -> 4: labels of the place levels (a level without a row is labelled by its name), and
	 * the slug index that finds the places a trailing part of a path may name without a scan. */
	"CREATE TABLE place_level ("
	"  level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),"
	"  label TEXT CHECK (label IS NULL OR length(label) BETWEEN 1 AND 80),"
	"  alt_label TEXT CHECK (alt_label IS NULL OR length(alt_label) BETWEEN 1 AND 80)"
	") STRICT;"
	"CREATE INDEX place_slug ON place(slug);",
	NULL};

static const char *const migration_5[] = {
	/* 4 -> 5: indexes that keep the interchange linear (issue 14).  The override of a service
	 * record is looked up by (service, service_id) for every enrollment, roster row,
	 * scholarship and plan an export writes; indexed by person only, each look-up read the
	 * whole table (tests/test_plans.c checks the plans). */
	"CREATE INDEX eligibility_override_service ON eligibility_override(service, service_id);"
	/* Employers without a NIT are told apart by their folded name (exchange.c): the key is
	 * kept beside the name, so that checking a new name searches an index instead of folding
	 * every NIT-less employer's name.  Both columns are in the index: on name_key alone, or
	 * partial on `nit IS NULL`, SQLite preferred the UNIQUE index of nit for `nit IS NULL`,
	 * which is every NIT-less employer again.  youth_fold() exists only while migrations run. */
	"ALTER TABLE employer ADD COLUMN name_key TEXT;"
	"UPDATE employer SET name_key = youth_fold(name);"
	"CREATE INDEX employer_name_key ON employer(name_key, nit);",
	NULL};

static const char *const migration_6[] = {
	/* 5 -> 6: the audit trail (libyouth/audit.c, docs/privacy.md).  audit_state has a row once
	 * auditing is switched on for the file; audit_entry is the hash-chained log.  Entries are
	 * append-only: the triggers refuse any UPDATE (but the one that removes an entry's values
	 * for an erasure, which the chain tolerates because it covers changes_hash, not the values)
	 * and any DELETE, so only a file editor can tamper, which youth_audit_verify() detects. */
	"CREATE TABLE audit_state ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  enabled_at TEXT NOT NULL,"
	"  enabled_by TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE audit_entry ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  record_id INTEGER,"
	"  record_uuid TEXT,"
	"  operation TEXT NOT NULL,"
	/* ORs, not IN (...): SQLite builds an IN list's b-tree again for every row checked, which
	 * made each entry of an import cost twice what it costs now. */
	"  action TEXT NOT NULL CHECK (action = 'create' OR action = 'update' OR action = 'delete'"
	" OR action = 'read' OR action = 'erase' OR action = 'enable'),"
	"  changes TEXT,"
	"  changes_hash BLOB,"
	"  hash BLOB NOT NULL"
	") STRICT;"
	"CREATE TRIGGER audit_state_no_update BEFORE UPDATE ON audit_state BEGIN"
	"  SELECT RAISE(ABORT, 'audit_state: auditing cannot be changed once on');"
	" END;"
	"CREATE TRIGGER audit_state_no_delete BEFORE DELETE ON audit_state BEGIN"
	"  SELECT RAISE(ABORT, 'audit_state: auditing cannot be switched off');"
	" END;"
	"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN"
	"  SELECT RAISE(ABORT, 'audit_entry: the audit trail is append-only');"
	" END;"
	"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry"
	" WHEN NOT (NEW.changes IS NULL AND NEW.id = OLD.id AND NEW.at = OLD.at"
	" AND NEW.actor = OLD.actor AND NEW.kind = OLD.kind"
	" AND NEW.record_id IS OLD.record_id AND NEW.record_uuid IS OLD.record_uuid"
	" AND NEW.operation = OLD.operation AND NEW.action = OLD.action"
	" AND NEW.changes_hash IS OLD.changes_hash AND NEW.hash = OLD.hash) BEGIN"
	"  SELECT RAISE(ABORT, 'audit_entry: the audit trail is append-only');"
	" END;",
	NULL};

/* Trigger body of migration 7: person old.id's keys go, and the words (with their typo
 * variants) that no other person has.  Word keys are the positive ones (name_token ids). */
#define NAME_KEYS_FORGET \
	"  DELETE FROM name_token_near WHERE token IN (SELECT token FROM name_token WHERE id IN" \
	"    (SELECT key FROM person_name k WHERE k.person_id = old.id AND k.key > 0 AND NOT EXISTS" \
	"      (SELECT 1 FROM person_name o WHERE o.key = k.key AND o.person_id <> old.id)));" \
	"  DELETE FROM name_token WHERE id IN (SELECT key FROM person_name k" \
	"    WHERE k.person_id = old.id AND k.key > 0 AND NOT EXISTS (SELECT 1 FROM person_name o" \
	"      WHERE o.key = k.key AND o.person_id <> old.id));" \
	"  DELETE FROM person_name WHERE person_id = old.id;"

static const char *const migration_7[] = {
	/* 6 -> 7: the name index of youth_person_find() (names.c says what each table holds).
	 * Keys are integers: a word's is its name_token id, a pair's a hash (negative).
	 * person_name is kept in person order (a person's keys together, appended as persons are
	 * added); person_name_key, in key order and covering the person's word bits, is what a
	 * search reads, and what a large import builds once at its end (names.c).  The triggers
	 * drop a person's keys, and the words nobody else has, when the person is deleted (by any
	 * path: an erased name leaves nothing here) or renamed; names.c adds the new keys. */
	"CREATE TABLE person_name ("
	"  person_id INTEGER NOT NULL,"
	"  key INTEGER NOT NULL,"
	"  words INTEGER NOT NULL,"
	"  PRIMARY KEY (person_id, key)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX person_name_key ON person_name(key, person_id, words);"
	"CREATE TABLE name_token ("
	"  id INTEGER PRIMARY KEY,"
	"  token TEXT NOT NULL UNIQUE,"
	"  sound TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX name_token_sound ON name_token(sound);"
	"CREATE TABLE name_token_near ("
	"  variant TEXT NOT NULL,"
	"  token TEXT NOT NULL,"
	"  PRIMARY KEY (variant, token)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX name_token_near_token ON name_token_near(token);"
	"CREATE TRIGGER person_name_forget AFTER DELETE ON person BEGIN"
	NAME_KEYS_FORGET
	"END;"
	"CREATE TRIGGER person_name_renamed AFTER UPDATE OF given_names, first_surname,"
	"  second_surname ON person WHEN old.given_names IS NOT new.given_names"
	"  OR old.first_surname IS NOT new.first_surname"
	"  OR old.second_surname IS NOT new.second_surname BEGIN"
	NAME_KEYS_FORGET
	"END;",
	NULL};

static const char *const migration_8[] = {
	/* 7 -> 8: duplicates (duplicates.c, merge.c, docs/duplicates.md).  duplicate_pair holds
	 * the candidate pairs and their review; the stamps are fingerprints of the compared fields
	 * of each person when the pair was scored, so a dismissed pair comes back only when one of
	 * the two records changed.  The persons are not foreign keys: a merge removes one of
	 * them, and its pair stays (merged) as the record of the decision. */
	"CREATE TABLE duplicate_pair ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  person_id INTEGER NOT NULL,"
	"  other_id INTEGER NOT NULL,"
	"  score INTEGER NOT NULL,"
	"  name_score INTEGER NOT NULL CHECK (name_score BETWEEN 0 AND 100),"
	"  reasons TEXT NOT NULL,"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),"
	"  found_on TEXT NOT NULL,"
	"  decided_on TEXT,"
	"  decided_by TEXT,"
	"  note TEXT,"
	"  person_stamp INTEGER NOT NULL,"
	"  other_stamp INTEGER NOT NULL,"
	"  UNIQUE (person_id, other_id),"
	"  CHECK (person_id < other_id)"
	") STRICT;"
	"CREATE INDEX duplicate_pair_other ON duplicate_pair(other_id);"
	"CREATE INDEX duplicate_pair_state ON duplicate_pair(state, score);"
	/* The desk's check looks persons up by birth date. */
	"CREATE INDEX person_birth ON person(birth_date);"
	/* A merge's journal: the merge, each field decided (both values, which was taken), each
	 * row moved from the merged person to the kept one, and the merged person's row itself,
	 * in person_merged, person's columns in person's order (a later migration that adds a
	 * column to person adds it here too, which tests/test_duplicates.c checks) with the
	 * merge's id last.  An alias answers for the
	 * merged UUID. */
	"CREATE TABLE person_merge ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  kept_id INTEGER NOT NULL,"
	"  kept_uuid TEXT NOT NULL,"
	"  merged_id INTEGER NOT NULL,"
	"  merged_uuid TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  actor TEXT,"
	"  state INTEGER NOT NULL CHECK (state IN (1, 2)),"
	"  undone_at TEXT"
	") STRICT;"
	"CREATE INDEX person_merge_kept ON person_merge(kept_id);"
	"CREATE TABLE person_merge_field ("
	"  merge_id INTEGER NOT NULL REFERENCES person_merge(id),"
	"  field TEXT NOT NULL,"
	"  kept_value TEXT,"
	"  merged_value TEXT,"
	"  taken TEXT NOT NULL CHECK (taken IN ('kept', 'merged')),"
	"  PRIMARY KEY (merge_id, field)"
	") STRICT;"
	"CREATE TABLE person_merge_row ("
	"  merge_id INTEGER NOT NULL REFERENCES person_merge(id),"
	"  tbl TEXT NOT NULL,"
	"  row_id INTEGER NOT NULL,"
	"  PRIMARY KEY (merge_id, tbl, row_id)"
	") STRICT;"
	"CREATE TABLE person_merged ("
	"  id INTEGER, uuid TEXT, national_id TEXT, given_names TEXT, first_surname TEXT,"
	"  second_surname TEXT, name_key TEXT, birth_date TEXT, sex INTEGER, place_id INTEGER,"
	"  address TEXT, phone TEXT, education INTEGER, studying INTEGER, employment INTEGER,"
	"  household_size INTEGER, disability INTEGER, census_date TEXT, census_round TEXT,"
	"  job_profiles TEXT, consent INTEGER, consent_date TEXT,"
	"  merge_id INTEGER NOT NULL"
	") STRICT;"
	"CREATE UNIQUE INDEX person_merged_merge ON person_merged(merge_id);"
	"CREATE TABLE person_alias ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  merge_id INTEGER NOT NULL REFERENCES person_merge(id)"
	") STRICT;"
	"CREATE INDEX person_alias_person ON person_alias(person_id);",
	NULL};

static const char *const migration_9[] = {
	/* 8 -> 9: organisations (organisation.c, docs/organisations.md).  The exchange table holds
	 * every organisation whose operators record work: a municipal exchange (type 1, every row
	 * before this migration), CONAMYPE (2), one of its women's entrepreneurship centres (3), a
	 * training provider (4).  The table keeps its name and its ids, so that nothing of the
	 * registry points elsewhere afterwards; parent_id is the organisation one belongs to (a
	 * centre to CONAMYPE). */
	"ALTER TABLE exchange ADD COLUMN type INTEGER NOT NULL DEFAULT 1 CHECK (type BETWEEN 1 AND 4);"
	"ALTER TABLE exchange ADD COLUMN parent_id INTEGER REFERENCES exchange(id)"
	"  CHECK (parent_id IS NULL OR parent_id <> id);"
	"CREATE INDEX exchange_type ON exchange(type, code);",
	NULL};

static const char *const migration_10[] = {
	/* 9 -> 10: consent per purpose (libyouth/consent.c, docs/privacy.md "Consent").  The
	 * purposes are a vocabulary (consent_purpose), seeded with the five of issue 12 and grown by
	 * a rules file's `purposes:` (rules.c).  consent keeps the history: a row is appended for
	 * every giving and every withdrawal, never changed (the triggers); the active state of a
	 * (person, purpose) is its row of the highest id, found through consent_history.  A person
	 * whose legacy flag said consent was given gets a `census` row dated like the flag, so that
	 * history starts with what the registry knew. */
	"CREATE TABLE consent_purpose ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32)"
	") STRICT;"
	"INSERT INTO consent_purpose (code) VALUES ('census'), ('training'), ('stipend'),"
	" ('national_sharing'), ('research');"
	"CREATE TABLE consent ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  purpose TEXT NOT NULL REFERENCES consent_purpose(code),"
	"  state INTEGER NOT NULL CHECK (state = 1 OR state = 2),"
	"  date TEXT NOT NULL CHECK (length(date) = 10),"
	"  recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),"
	"  evidence TEXT"
	") STRICT;"
	"CREATE INDEX consent_history ON consent(person_id, purpose, id);"
	/* A row never changes, but for two writes of the library: a merge moves a person's
	 * history to the person kept (person_id), an erasure removes its free text. */
	"CREATE TRIGGER consent_no_update BEFORE UPDATE ON consent WHEN NOT (NEW.id = OLD.id"
	"  AND NEW.uuid = OLD.uuid AND NEW.purpose = OLD.purpose AND NEW.state = OLD.state"
	"  AND NEW.date = OLD.date"
	"  AND (NEW.recorded_by = OLD.recorded_by OR NEW.recorded_by = '(erased)')"
	"  AND (NEW.evidence IS OLD.evidence OR NEW.evidence IS NULL OR NEW.evidence = '(erased)'))"
	" BEGIN"
	"  SELECT RAISE(ABORT, 'consent: history is kept; give or withdraw consent again');"
	" END;"
	"INSERT INTO consent (uuid, person_id, purpose, state, date, recorded_by, evidence)"
	" SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'"
	" || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1)"
	" || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),"
	" id, 'census', 1, consent_date, 'migration 10', 'the consent flag of the person record'"
	" FROM person WHERE consent = 1 ORDER BY id;",
	NULL};

static const char *const migration_11[] = {
	/* 10 -> 11: erasure and retention (libyouth/erase.c, docs/privacy.md).  A person's retain_until is the date after which purge erases
	 * them; the partial index keeps purge's look-up off the persons who have none.
	 * person_erased is the tombstone of every erased UUID: add and update refuse those UUIDs,
	 * so an import cannot bring an erased person back.  It has a rowid (and an id) because
	 * the audit trail's pre-update hook sees only rowid tables. */
	"ALTER TABLE person ADD COLUMN retain_until TEXT CHECK (retain_until IS NULL OR"
	" retain_until GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');"
	"CREATE INDEX person_retain_until ON person(retain_until) WHERE retain_until IS NOT NULL;"
	"CREATE TABLE person_erased ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),"
	"  erased_at TEXT NOT NULL,"
	"  reason TEXT NOT NULL CHECK (length(reason) > 0)"
	") STRICT;"
	/* A merge's copy of a person (migration 8) has every column of person. */
	"ALTER TABLE person_merged ADD COLUMN retain_until TEXT;",
	NULL};

/* 11 -> 12: the persons' UUID index, a named index (person_uuid) instead of the UNIQUE of the
 * column, so that a large import can drop it and build it again sorted (import.c,
 * defer_indexes()): with random (v4) UUIDs every insert otherwise lands on a random leaf of an
 * index that outgrows the page cache at a million persons.  SQLite cannot drop a column's
 * UNIQUE; the table is rebuilt in C (uuid_index_named(), below), from its stored text.  The
 * services' UUID indexes stayed as they were: deferring those of the enrollments and counselling
 * participants of the national benchmark saved no time then, through the WAL, and took 12 MiB
 * more memory (the sort runs mid-import, beside the persons memo; docs/benchmarks.md).  Schema
 * 14 names them, once the first load made it pay. */
static const char *const migration_12[] = {NULL};

/* 12 -> 13: the CHECKs of enterprise_plan and followup that tested a list of constants with IN
 * test comparisons instead (the same conditions), done in C by constant_lists_unrolled(),
 * below: SQLite cannot change a CHECK but by rebuilding the table. */
static const char *const migration_13[] = {NULL};

/* 13 -> 14: the UUID indexes of enrollment, counselling_participant and followup, named indexes
 * (<table>_uuid) instead of the columns' UNIQUE, as 12 did for the persons: the sections of a
 * national file with the most records (672 000 enrollments, 760 000 participants and 252 000
 * follow-ups for a million persons) then build theirs once, sorted, after their last record
 * instead of placing every UUID in an index far larger than the page cache (import.c,
 * defer_indexes(); docs/benchmarks.md, "The tenth pass").  Done in C by
 * service_uuid_indexes_named(), below. */
static const char *const migration_14[] = {NULL};

#define UUID_UNIQUE "uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36)"
#define UUID_PLAIN "uuid TEXT NOT NULL CHECK (length(uuid) = 36)"

/* Runs @sql (an sqlite3_mprintf() result, freed here; NULL: out of memory). */
static int exec_owned(youth_registry *reg, char *sql)
{
	int rc = sql ? youth__exec(reg, sql) : youth__oom();
	sqlite3_free(sql);
	return rc;
}

/*
 * Table @table again, its stored CREATE text with each @edit[i][0] replaced by @edit[i][1]
 * (each must occur exactly once, else the file is not the schema this migration expects), then
 * @after (NULL: nothing): SQLite's procedure for a change ALTER TABLE cannot make (copy, drop,
 * create, copy back), with the table's CREATE text as stored (every column ADD COLUMN
 * appended, in order) and its other indexes and triggers as stored.  Foreign keys are off for
 * it (youth__schema_migrate()): the rows keep their ids, and the tables that point to them are
 * not touched.  A table with AUTOINCREMENT keeps its counter: DROP TABLE forgets it (its row
 * of sqlite_sequence), so it is read before and written back after, whatever the rows copied
 * back would set it to (an id once given is never given again, even when its row is gone).
 */
static int table_rebuilt(youth_registry *reg, const char *table, const char *const (*edit)[2],
                         size_t n_edit, const char *after)
{
	sqlite3_stmt *st = NULL;
	char *create = NULL, **others = NULL;
	int n = 0, rc = YOUTH_OK;
	int s = sqlite3_prepare_v2(reg->db,
	                           "SELECT type = 'table', sql FROM sqlite_schema WHERE tbl_name = ?1"
	                           " AND sql IS NOT NULL ORDER BY rowid", -1, &st, NULL);
	if (s == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		s = SQLITE_ROW;
	}
	while (s == SQLITE_ROW && rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (!sql) {
			rc = youth__oom();
		} else if (sqlite3_column_int(st, 0)) {
			if (!(create = sqlite3_mprintf("%s", sql)))
				rc = youth__oom();
			for (size_t i = 0; i < n_edit && rc == YOUTH_OK; i++) {
				const char *at = strstr(create, edit[i][0]);
				char *edited = NULL;
				if (!at || strstr(at + 1, edit[i][0]))
					rc = youth__error(YOUTH_ECORRUPT, NULL, "table %s: its CREATE does not "
					                  "have \"%.60s\" once, as the schema before this version "
					                  "has", table, edit[i][0]);
				else if (!(edited = sqlite3_mprintf("%.*s%s%s", (int)(at - create), create,
				                                    edit[i][1], at + strlen(edit[i][0]))))
					rc = youth__oom();
				if (edited) {
					sqlite3_free(create);
					create = edited;
				}
			}
		} else {
			char **grown = youth__realloc(others, (size_t)(n + 1) * sizeof *others);
			if (!grown || !(grown[n] = sqlite3_mprintf("%s", sql)))
				rc = youth__oom();
			if (grown) {
				others = grown;
				if (grown[n])
					n++;
			}
		}
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "migrating a table");
	sqlite3_finalize(st);
	if (rc == YOUTH_OK && !create)
		rc = youth__error(YOUTH_ECORRUPT, NULL, "table %s: not in the schema", table);
	/* the counter of an AUTOINCREMENT table (none: -1) */
	int64_t seq = -1;
	if (rc == YOUTH_OK && strstr(create, "AUTOINCREMENT")) {
		s = sqlite3_prepare_v2(reg->db, "SELECT seq FROM sqlite_sequence WHERE name = ?1", -1,
		                       &st, NULL);
		if (s == SQLITE_OK) {
			sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
			s = sqlite3_step(st);
			if (s == SQLITE_ROW)
				seq = sqlite3_column_int64(st, 0);
		}
		if (s != SQLITE_ROW && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "migrating a table");
		sqlite3_finalize(st);
	}
	if (rc == YOUTH_OK)
		rc = exec_owned(reg, sqlite3_mprintf("CREATE TEMP TABLE youth_rebuild AS SELECT * FROM"
		                                     " \"%w\"; DROP TABLE \"%w\";", table, table));
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, create);
	if (rc == YOUTH_OK)
		rc = exec_owned(reg, sqlite3_mprintf("INSERT INTO \"%w\" SELECT * FROM temp.youth_rebuild;"
		                                     " DROP TABLE temp.youth_rebuild;", table));
	if (rc == YOUTH_OK && seq >= 0)
		rc = exec_owned(reg, sqlite3_mprintf("DELETE FROM sqlite_sequence WHERE name = %Q;"
		                                     " INSERT INTO sqlite_sequence (name, seq) VALUES"
		                                     " (%Q, %lld);", table, table, (long long)seq));
	if (rc == YOUTH_OK && after)
		rc = youth__exec(reg, after);
	for (int i = 0; i < n && rc == YOUTH_OK; i++)
		rc = youth__exec(reg, others[i]);
	for (int i = 0; i < n; i++)
		sqlite3_free(others[i]);
	youth__free(others);
	sqlite3_free(create);
	return rc;
}

/* Version 12: the persons' UUID column's UNIQUE becomes the unique index person_uuid, which a
 * large import can drop and build again sorted (the table's own constraint it cannot). */
static int uuid_index_named(youth_registry *reg)
{
	static const char *const edit[][2] = {{UUID_UNIQUE, UUID_PLAIN}};
	return table_rebuilt(reg, "person", edit, 1,
	                     "CREATE UNIQUE INDEX \"person_uuid\" ON \"person\"(uuid);");
}

/* Version 14: the same for the services with the most records in a national file. */
static int service_uuid_indexes_named(youth_registry *reg)
{
	static const char *const edit[][2] = {{UUID_UNIQUE, UUID_PLAIN}};
	static const char *const tables[] = {"enrollment", "counselling_participant", "followup"};
	int rc = YOUTH_OK;
	for (size_t i = 0; i < sizeof tables / sizeof tables[0] && rc == YOUTH_OK; i++) {
		char *after = sqlite3_mprintf("CREATE UNIQUE INDEX \"%w_uuid\" ON \"%w\"(uuid);",
		                              tables[i], tables[i]);
		rc = after ? table_rebuilt(reg, tables[i], edit, 1, after) : youth__oom();
		sqlite3_free(after);
	}
	return rc;
}

/*
 * Version 13: no CHECK of a table a record writes tests a list of more than two constants with
 * IN.  SQLite evaluates such an IN through a temporary B-tree of the constants, built again
 * each time the statement runs: for every follow-up inserted and every plan inserted or
 * changed, about 27 000 instructions of opening, filling and freeing it, 9 % of an import's
 * writer (callgrind, docs/benchmarks.md, "The ninth pass").  The same conditions as comparisons,
 * which SQLite evaluates in place.  tests/test_plans.c refuses a per-record statement that
 * builds one.
 */
static int constant_lists_unrolled(youth_registry *reg)
{
	static const char *const plan[][2] = {
		{"CHECK (state NOT IN (4, 6, 7, 8) OR approved IS NOT NULL)",
		 "CHECK ((state <> 4 AND state <> 6 AND state <> 7 AND state <> 8)"
		 " OR approved IS NOT NULL)"}};
	static const char *const followup[][2] = {
		{"service IN    ('enrollment', 'counselling', 'scholarship', 'seed_capital', 'plan')",
		 "service = 'enrollment' OR service = 'counselling' OR service = 'scholarship'"
		 " OR service = 'seed_capital' OR service = 'plan'"}};
	int rc = table_rebuilt(reg, "enterprise_plan", plan, 1, NULL);
	return rc ? rc : table_rebuilt(reg, "followup", followup, 1, NULL);
}

/* What SQL cannot do after a migration's scripts: the name index of the persons a registry
 * already holds (folding is C, and writes through the current schema, so after every script),
 * the persons' table rebuilt for its UUID index (from its text as the scripts left it).  One entry
 * per migration, NULL when there is nothing to do, run in order after all the scripts. */
static int (*const migration_fill[])(youth_registry *reg) = {
	NULL, NULL, NULL, NULL, NULL, NULL, youth__names_fill, NULL, NULL, NULL, NULL,
	uuid_index_named, constant_lists_unrolled, service_uuid_indexes_named};

static const char *const *const migrations[] = {migration_1, migration_2, migration_3,
                                                migration_4, migration_5, migration_6,
                                                migration_7, migration_8, migration_9,
                                                migration_10, migration_11, migration_12,
                                                migration_13, migration_14};

#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

_Static_assert(N_MIGRATIONS == YOUTH_SCHEMA_VERSION, "one migration per schema version");
_Static_assert(sizeof migration_fill / sizeof migration_fill[0] == N_MIGRATIONS,
               "one fill (or NULL) per migration");

/* youth_fold(text): the folded form of youth__fold_into(), for the migrations that fill a key
 * column from existing rows (an SQL script cannot fold accents).  NULL stays NULL. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	if (!text)
		return;
	youth__buf b = {0};
	int rc = youth__fold_into(&b, text);
	if (rc == YOUTH_OK)
		sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
	else if (rc == YOUTH_ENOMEM)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_error(ctx, "youth_fold: not UTF-8 text", -1);
	youth__buf_free(&b);
}

int youth__schema_migrate(youth_registry *reg, int from)
{
	/* Off while a migration rebuilds a table other tables point to (migration 12): with them
	 * on, its DROP TABLE would first delete every row and check every child.  Only outside a
	 * transaction does SQLite take the setting; it is on again below whatever happens. */
	int rc = youth__exec(reg, "PRAGMA foreign_keys = OFF");
	if (rc)
		return rc;
	youth__write w;
	rc = youth__write_begin(&w, reg, "migrate");
	if (rc) {
		youth__exec(reg, "PRAGMA foreign_keys = ON");
		return rc;
	}
	if (sqlite3_create_function(reg->db, "youth_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                            NULL, sql_fold, NULL, NULL) != SQLITE_OK)
		rc = youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "migrating");
	for (int v = from; v < (int)N_MIGRATIONS && rc == YOUTH_OK; v++)
		for (const char *const *sql = migrations[v]; *sql && rc == YOUTH_OK; sql++)
			if ((rc = youth__exec(reg, *sql)))
				youth__error_prefix("migrating schema %d to %d", v, v + 1);
	for (int v = from; v < (int)N_MIGRATIONS && rc == YOUTH_OK; v++)
		if (migration_fill[v] && (rc = migration_fill[v](reg)))
			youth__error_prefix("migrating schema %d to %d", v, v + 1);
	/* Gone again: no statement of the library uses it, and nothing of the schema may. */
	sqlite3_create_function(reg->db, "youth_fold", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	if (rc == YOUTH_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", YOUTH_SCHEMA_VERSION);
		rc = youth__exec(reg, sql);
	}
	rc = youth__write_end(&w, rc);
	int fk = youth__exec(reg, "PRAGMA foreign_keys = ON");
	if (rc == YOUTH_OK)
		rc = fk;
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
		"scholarship_payment", "enterprise_group", "enterprise_plan", "place_level"};
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
