/*
 * libFuzzer target for the YAML import (youth_import_buffer() and, for one input in eight,
 * youth_import_stream(), whose reader runs on a second thread; docs/fuzzing.md).
 *
 * One `:memory:` registry is opened on the first call, with a small gazetteer so that valid
 * persons can be imported.  Each input is imported inside a transaction that is then rolled
 * back, so every run starts from the same registry.  The import options are chosen from the
 * input (its size and last byte, so the YAML text itself is not disturbed):
 *
 *   0: atomic (flags 0)          1: KEEP_GOING, rejects to a memory stream
 *   2: DRY_RUN                   3: KEEP_GOING | DRY_RUN
 *   and UPSERT on top of those every other time round.
 *
 * Invariants checked (abort() so that libFuzzer records the input as a crash):
 *   - a failed import, or any dry run, leaves the numbers of persons and places unchanged;
 *   - a successful import adds exactly summary.imported persons and places;
 *   - the summary is sane (no negative counts; imported + updated + unchanged + rejected
 *     never exceeds records);
 *   - a failure comes with a known error code and a non-empty message;
 *   - the caller's transaction is still open after the call and rolls back cleanly;
 *   - the person index a large import drops and builds again is there after every import,
 *     whatever its outcome (for half the inputs the import defers it after two persons
 *     instead of 200 000, so that dropping and rebuilding are fuzzed too).
 * ASan/UBSan (and LeakSanitizer, per input) do the rest.
 *
 * Build: configure CC=clang --enable-fuzz (see docs/fuzzing.md).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>
#include <youth/interchange.h>

#include "private.h" /* white-box: youth__bulk_index_after, the registry's connection */

/* The places the seed corpus (tests/fuzz/corpus) refers to. */
static const char gazetteer[] =
	"format: libyouth/1\n"
	"gazetteer:\n"
	"  - name: Sonsonate\n"
	"    places:\n"
	"      - name: Sonsonate Centro\n"
	"        places:\n"
	"          - name: Sonzacate\n"
	"            places:\n"
	"              - {name: Santa Eugenia, critical: true}\n"
	"              - {name: El Balsamar, critical: true}\n"
	"          - name: Sonsonate\n"
	"            places:\n"
	"              - {name: Atonal, critical: true}\n"
	"              - {name: Santa Marta, critical: true}\n"
	"      - name: Sonsonate Oeste\n"
	"        places:\n"
	"          - name: Acajutla\n"
	"            places:\n"
	"              - {name: San Julián, critical: true}\n";

/* One person already registered, so that duplicates (UUID, DUI) and upserts are reachable. */
static const char existing[] =
	"format: libyouth/1\n"
	"persons:\n"
	"  - uuid: 0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b\n"
	"    given_names: José Antonio\n"
	"    first_surname: Martínez\n"
	"    birth_date: 1988-11-02\n"
	"    national_id: 00016297-5\n"
	"    sex: male\n"
	"    place: sonsonate/sonsonate-centro/sonsonate/atonal\n"
	"    census_date: 2009-03-03\n"
	"    census_round: census-2009\n";

static youth_registry *reg;
static int64_t index_after; /* the library's threshold for deferring the person index */

static void die(const char *what, int rc)
{
	fprintf(stderr, "fuzz_import: %s: %s: %s\n", what, youth_error_name(rc),
	        youth_error_last()->message);
	abort();
}

static void setup(void)
{
	index_after = youth__bulk_index_after;
	int rc = youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE);
	if (rc)
		die("opening :memory:", rc);
	int64_t n = 0;
	if ((rc = youth_gazetteer_load_buffer(&n, reg, gazetteer, sizeof gazetteer - 1,
	                                      "gazetteer")))
		die("loading the gazetteer", rc);
	if ((rc = youth_census_load_buffer(&n, reg, existing, sizeof existing - 1, "existing", 0)))
		die("loading the existing person", rc);
}

static int64_t count_persons(void)
{
	int64_t n = -1;
	int rc = youth_person_count(&n, reg, NULL);
	if (rc)
		die("counting persons", rc);
	return n;
}

static int64_t count_places(void)
{
	youth_place_iter *it = NULL;
	const youth_place *pl;
	int64_t n = 0;
	int rc = youth_place_iter_new(&it, reg, NULL, 0);
	if (rc)
		die("listing places", rc);
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK)
		n++;
	youth_place_iter_free(it);
	if (rc != YOUTH_ITEROVER)
		die("listing places", rc);
	return n;
}

static void check_person_index(const char *when)
{
	sqlite3_stmt *st;
	/* every index an import may defer: person_uuid is unique (schema 12) */
	if (sqlite3_prepare_v2(reg->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
	                       "AND name IN ('person_place_sex_birth', 'person_birth', 'person_uuid')",
	                       -1, &st, NULL) != SQLITE_OK)
		abort();
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (n != 3) {
		fprintf(stderr, "fuzz_import: a deferred person index is missing %s\n", when);
		abort();
	}
}

static int known_code(int rc)
{
	switch (rc) {
	case YOUTH_EPARSE: case YOUTH_ELIMIT: case YOUTH_EINVAL: case YOUTH_ERULE:
	case YOUTH_ESTATE: case YOUTH_EEXISTS: case YOUTH_ENOTFOUND: case YOUTH_ENOMEM:
	case YOUTH_EIO: case YOUTH_ECANCELLED:
		return 1;
	default:
		return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!reg)
		setup();
	/* youth_import_buffer() refuses NULL data; an empty input is a pointer to 0 bytes. */
	static const char empty[1];
	const char *text = size ? (const char *)data : empty;
	unsigned sel = (unsigned)(size + (size ? data[size - 1] : 0));

	youth_import_options o;
	youth_import_options_init(&o);
	static const unsigned modes[4] = {
		0, YOUTH_IMPORT_KEEP_GOING, YOUTH_IMPORT_DRY_RUN,
		YOUTH_IMPORT_KEEP_GOING | YOUTH_IMPORT_DRY_RUN
	};
	o.flags = modes[sel & 3];
	if (sel & 4)
		o.flags |= YOUTH_IMPORT_UPSERT;
	char *rejects_text = NULL;
	size_t rejects_size = 0;
	if (o.flags & YOUTH_IMPORT_KEEP_GOING) {
		o.rejects = open_memstream(&rejects_text, &rejects_size);
		if (!o.rejects)
			abort();
	}

	youth__bulk_index_after = sel & 0x40 ? 2 : index_after;
	int rc = youth_registry_begin(reg);
	if (rc)
		die("begin", rc);
	int64_t before = count_persons(), places_before = count_places();
	int64_t changes_before = youth_registry_total_changes(reg);
	youth_interchange_summary s;
	memset(&s, 0xa5, sizeof s); /* the import must fill it in */
	youth_error_clear();
	/* One input in eight goes through a stream: files and streams are parsed on a second
	 * thread while this one writes, buffers under 256 KiB on this thread. */
	FILE *stream = (sel & 0x38) == 0x38 && size ? fmemopen((void *)text, size, "rb") : NULL;
	if (stream) {
		rc = youth_import_stream(&s, reg, stream, "fuzz.yaml", &o);
		fclose(stream);
	} else {
		rc = youth_import_buffer(&s, reg, text, size, "fuzz.yaml", &o);
	}
	if (rc > 0 || (rc < 0 && !known_code(rc))) {
		fprintf(stderr, "fuzz_import: unexpected return code %d\n", rc);
		abort();
	}
	if (rc && !youth_error_last()->message[0]) {
		fprintf(stderr, "fuzz_import: %s without a message\n", youth_error_name(rc));
		abort();
	}
	check_person_index(rc ? "after a failed import" : "after an import");
	if (!youth_registry_in_transaction(reg)) {
		fprintf(stderr, "fuzz_import: the import ended the caller's transaction (%s)\n",
		        youth_error_name(rc));
		abort();
	}
	int64_t after = count_persons(), places_after = count_places();
	if ((rc || (o.flags & YOUTH_IMPORT_DRY_RUN)) &&
	    (after != before || places_after != places_before)) {
		fprintf(stderr, "fuzz_import: %s import (flags %#x) changed the number of persons "
		        "from %lld to %lld, of places from %lld to %lld\n",
		        rc ? "failed" : "dry-run", o.flags, (long long)before, (long long)after,
		        (long long)places_before, (long long)places_after);
		abort();
	}
	/* Rows written that survived: none after a failure or a dry run (every table, not only
	 * the two counted above), at least one per imported record otherwise. */
	int64_t written = youth_registry_total_changes(reg) - changes_before;
	if ((rc || (o.flags & YOUTH_IMPORT_DRY_RUN)) && written != 0) {
		fprintf(stderr, "fuzz_import: %s import (flags %#x) kept %lld written rows\n",
		        rc ? "failed" : "dry-run", o.flags, (long long)written);
		abort();
	}
	int64_t added = after - before + places_after - places_before;
	if (rc == YOUTH_OK && !(o.flags & YOUTH_IMPORT_DRY_RUN) &&
	    (added > s.imported || written < s.imported)) {
		fprintf(stderr, "fuzz_import: %lld persons and places added and %lld rows written, "
		        "summary says %lld imported\n", (long long)added, (long long)written,
		        (long long)s.imported);
		abort();
	}
	if (s.records < 0 || s.imported < 0 || s.updated < 0 || s.unchanged < 0 ||
	    s.rejected < 0 || s.bytes < 0 ||
	    (rc == YOUTH_OK && s.imported + s.updated + s.unchanged + s.rejected > s.records)) {
		fprintf(stderr, "fuzz_import: odd summary: records %lld imported %lld updated %lld "
		        "unchanged %lld rejected %lld bytes %lld (%s)\n", (long long)s.records,
		        (long long)s.imported, (long long)s.updated, (long long)s.unchanged,
		        (long long)s.rejected, (long long)s.bytes, youth_error_name(rc));
		abort();
	}
	if ((rc = youth_registry_rollback(reg)))
		die("rollback", rc);
	if (youth_registry_in_transaction(reg))
		die("still in a transaction after rollback", YOUTH_OK);
	if (o.rejects)
		fclose(o.rejects);
	free(rejects_text);
	return 0;
}
