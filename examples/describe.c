/*
 * describe.c - reads the field description libyouth publishes (youth/kind.h).
 *
 *     ./describe              the kinds of record, one a line
 *     ./describe KIND         the fields of one kind: name, type, flags, documentation
 *     ./describe KIND FIELD=TEXT...
 *                             fills a record of KIND through the generic setters and prints
 *                             it back field by field (what a form or a CSV importer would do)
 *
 * A front end built this way needs no copy of the fields: a field added to the library shows
 * up here without a change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>

static int fail(const char *what)
{
	fprintf(stderr, "describe: %s: %s\n", what, youth_error_last()->message);
	return 1;
}

static void print_field(const youth_field_info *f)
{
	printf("%-18s %s", f->name, youth_field_type_name(f->type));
	if (f->flags & YOUTH_FIELD_READONLY)
		printf(" read-only");
	if (f->type == YOUTH_FIELD_REF && f->refers_to)
		printf(" -> %s", f->refers_to);
	if (f->type == YOUTH_FIELD_ENUM) {
		printf(" (");
		for (int v = 1, n = 0; v < f->n_vocabulary; v++)
			if (f->vocabulary[v])
				printf("%s%s", n++ ? "|" : "", f->vocabulary[v]);
		printf(")");
	}
	printf("\n    %s\n", f->doc);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
			printf("%-24s %s\n", k->name, k->doc);
		return 0;
	}
	const youth_kind_info *kind = youth_kind_find(argv[1]);
	if (!kind)
		return fail(argv[1]);
	if (argc == 2) {
		for (size_t i = 0; i < kind->n_fields; i++)
			print_field(&kind->fields[i]);
		return 0;
	}
	/* Any kind's C struct, filled by name: the same path the YAML import and Python take. */
	void *rec = malloc(kind->struct_size);
	if (!rec)
		return 1;
	youth_record_init(kind, rec);
	int status = 0;
	for (int a = 2; a < argc && !status; a++) {
		char *eq = strchr(argv[a], '=');
		if (!eq) {
			fprintf(stderr, "describe: %s: expected FIELD=TEXT\n", argv[a]);
			status = 2;
			break;
		}
		*eq = '\0';
		if (youth_record_set_field(kind, rec, argv[a], eq + 1) < 0)
			status = fail(argv[a]);
	}
	for (size_t i = 0; i < kind->n_fields && !status; i++) {
		char buf[64];
		const char *text;
		if (youth_record_get_field(&text, kind, rec, kind->fields[i].name, buf,
		                           sizeof buf) < 0)
			status = fail(kind->fields[i].name);
		else if (text)
			printf("%s: %s\n", kind->fields[i].name, text);
	}
	free(rec);
	return status;
}
