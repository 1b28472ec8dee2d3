/*
 * embed.c - the smallest complete use of libyouth from C.
 *
 * Opens (creating it) a registry, adds the places it needs, registers a youth, shows how a
 * refused record is explained, iterates over the registry and closes it.
 *
 *     cc embed.c $(pkg-config --cflags --libs libyouth) -o embed
 *     ./embed [REGISTRY]          (default: an in-memory registry, ":memory:")
 *
 * Every libyouth function that can fail returns 0 (YOUTH_OK) or a negative YOUTH_E* code;
 * youth_error_last() then says what went wrong, naming the field and the value.
 */
#include <stdio.h>

#include <youth.h>

/* Prints the last libyouth error and returns 1 (the exit status). */
static int fail(const char *what, int rc)
{
	const youth_error *e = youth_error_last();

	fprintf(stderr, "embed: %s: %s (%s)\n", what, e->message[0] ? e->message : "failed",
	        youth_error_name(rc));
	return 1;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : ":memory:";
	youth_registry *reg = NULL;
	youth_person p, bad;
	youth_person_iter *it = NULL;
	const youth_person *q;
	int64_t count = 0;
	int rc, status = 0;

	rc = youth_registry_open(&reg, path, YOUTH_OPEN_CREATE);
	if (rc != YOUTH_OK)
		return fail("open", rc);
	printf("libyouth %s, registry %s\n", youth_version(), youth_registry_path(reg));

	/* The place tree: department > municipality > district > community.  Without a gazetteer
	 * file we add the four levels one by one; a place that exists already is fine. */
	{
		static const char *const tree[][2] = {
			{NULL, "Sonsonate"},
			{"department:sonsonate", "Sonsonate Centro"}, /* not the district Sonsonate */
			{"sonsonate/sonsonate-centro", "Sonzacate"},
			{"sonsonate/sonsonate-centro/sonzacate", "Santa Eugenia"},
		};
		size_t i;
		for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
			rc = youth_place_add(NULL, reg, tree[i][0], tree[i][1], i == 3);
			if (rc != YOUTH_OK && rc != YOUTH_EEXISTS) {
				status = fail("place", rc);
				goto out;
			}
		}
	}

	/* A person is a plain struct of borrowed strings: init it, fill it, add it. */
	youth_person_init(&p);
	p.given_names = "José Antonio";
	p.first_surname = "Hernández";
	p.second_surname = "Martínez";
	p.birth_date = "1990-07-21";
	p.sex = YOUTH_SEX_MALE;
	p.place = "Santa Eugenia";
	p.national_id = "04312776-0";
	p.education = YOUTH_EDU_LOWER_SECONDARY;
	p.employment = YOUTH_EMP_UNEMPLOYED;
	p.census_date = "2009-03-02";
	p.census_round = "census-2009";
	p.job_profiles = "mechanic, welder";
	p.consent = 1;
	p.consent_date = "2009-03-02";
	rc = youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT);
	if (rc == YOUTH_EEXISTS) {
		printf("already registered: %s\n", youth_error_last()->message);
	} else if (rc != YOUTH_OK) {
		status = fail("add", rc);
		goto out;
	} else {
		printf("added person %lld, uuid %s\n", (long long)p.id, p.uuid);
	}

	/* Fields can also be set from text, by name: the way a front end fills a record. */
	youth_person_init(&bad);
	youth_person_set_field(&bad, "given_names", "María José");
	youth_person_set_field(&bad, "first_surname", "López");
	youth_person_set_field(&bad, "birth_date", "1991-02-30"); /* no such day */
	youth_person_set_field(&bad, "sex", "female");
	youth_person_set_field(&bad, "place", "Santa Eugenia");
	youth_person_set_field(&bad, "census_date", "2009-03-02");
	youth_person_set_field(&bad, "census_round", "census-2009");
	rc = youth_person_add(reg, &bad, YOUTH_PERSON_DEFAULT);
	if (rc == YOUTH_OK) {
		fprintf(stderr, "embed: a record with a bad birth date was accepted\n");
		status = 1;
		goto out;
	}
	printf("refused as expected: %s (%s, field %s)\n", youth_error_last()->message,
	       youth_error_name(rc), youth_error_last()->field ? youth_error_last()->field : "-");

	/* Iterate: the record belongs to the iterator and is valid until the next call. */
	rc = youth_person_iter_new(&it, reg, NULL);
	if (rc != YOUTH_OK) {
		status = fail("iterate", rc);
		goto out;
	}
	while ((rc = youth_person_next(&q, it)) == YOUTH_OK)
		printf("%lld  %s %s %s  born %s  %s\n", (long long)q->id, q->given_names,
		       q->first_surname, q->second_surname ? q->second_surname : "", q->birth_date,
		       q->place);
	if (rc != YOUTH_ITEROVER) {
		status = fail("iterate", rc);
		goto out;
	}

	rc = youth_person_count(&count, reg, NULL);
	if (rc != YOUTH_OK) {
		status = fail("count", rc);
		goto out;
	}
	printf("%lld person(s) in the registry\n", (long long)count);

out:
	youth_person_iter_free(it);
	youth_registry_close(reg);
	return status;
}
