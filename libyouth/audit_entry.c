/*
 * The kind `audit_entry`: the audit trail read as records, described like every kind
 * (youth/kind.h) so that the CLI and Python list it generically; every field read-only.
 * The trail itself (writing, hashing, verifying) is audit.c's, in the registry layer.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

YOUTH__RECORD_GET_FIELD(youth_audit_entry, youth__kind_audit_entry)
YOUTH__RECORD_FIELD_NAME(youth_audit_entry, youth__kind_audit_entry)
YOUTH__RECORD_ITER_AS(youth_audit_entry, youth_audit)

/* A filter member is bound as given or NULL; a date `until` covers its whole day by
 * comparing the time's prefix of the same length. */
static const char SQL_SELECT[] =
	"SELECT id, record_uuid, at, actor, kind, record_id, operation, action, changes, "
	"lower(hex(hash)) FROM audit_entry "
	"WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR record_uuid = ?2) "
	"AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR at >= ?4) "
	"AND (?5 IS NULL OR substr(at, 1, length(?5)) <= ?5) ORDER BY id";

static int time_rule(const char *name, const char *v)
{
	/* A date, or a date and time as the entries write it (a prefix of one). */
	youth__date d;
	char date[YOUTH_DATE_LEN + 1];
	snprintf(date, sizeof date, "%s", v);
	if (strlen(v) >= YOUTH_DATE_LEN && youth__date_parse(date, &d) &&
	    (v[YOUTH_DATE_LEN] == '\0' || v[YOUTH_DATE_LEN] == 'T'))
		return YOUTH_OK;
	return youth__error(YOUTH_EINVAL, name,
	                    "%s \"%s\": not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS)", name,
	                    v);
}

int youth_audit_iter_new(youth_audit_iter **out, youth_registry *reg,
                         const youth_audit_filter *filter)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__null_arg("youth_audit_iter_new", reg, "output");
	youth_audit_filter none = {0};
	const youth_audit_filter *f = filter ? filter : &none;
	int rc = YOUTH_OK;
	if (youth__nz(f->uuid) && !youth__uuid_valid(f->uuid))
		rc = youth__error(YOUTH_EINVAL, "uuid", "uuid \"%s\": not a UUID", f->uuid);
	if (rc == YOUTH_OK && youth__nz(f->since))
		rc = time_rule("since", f->since);
	if (rc == YOUTH_OK && youth__nz(f->until))
		rc = time_rule("until", f->until);
	if (rc == YOUTH_OK && reg->audit.n_pending)
		rc = youth__audit_flush(reg); /* an import's entries still waiting */
	if (rc)
		return rc;
	youth_audit_iter *it = youth__calloc(1, sizeof *it);
	if (!it)
		return youth__oom();
	rc = youth__iter_open(&it->i, reg, &youth__kind_audit_entry, "listing the audit trail",
	                      SQL_SELECT, 0, NULL);
	char uuid[YOUTH_UUID_LEN + 1] = "";
	if (youth__nz(f->uuid)) {
		snprintf(uuid, sizeof uuid, "%s", f->uuid);
		youth__uuid_norm(uuid);
	}
	const char *values[] = {f->kind, uuid, f->actor, f->since, f->until};
	for (int i = 0; rc == YOUTH_OK && i < 5; i++)
		if (youth__nz(values[i]))
			rc = youth__bind_copy(it->i.st, i + 1, values[i]);
	if (rc) {
		youth_audit_iter_free(it);
		return rc;
	}
	*out = it;
	return YOUTH_OK;
}
