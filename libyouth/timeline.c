/*
 * A person's timeline: one UNION ALL over every service table, ordered by date.  Each branch
 * yields (date, kind order, id, uuid, code, amount, detail); `code` is the record's state or
 * vocabulary value, named in C by the module that owns the vocabulary.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

enum {
	EV_CENSUS, EV_ENROLLMENT, EV_CERTIFICATE, EV_COUNSELLING, EV_SCHOLARSHIP, EV_PAYMENT,
	EV_GROUP, EV_PLAN, EV_DISBURSEMENT, EV_VISIT, EV_SERVICE, EV_FOLLOWUP, EV_OVERRIDE
};

static const char *const kinds[] = {
	"census", "enrollment", "certificate", "counselling", "scholarship", "scholarship_payment",
	"group", "plan", "disbursement", "visit", "business_service", "followup", "override"};

/* Plans the person applied for alone or through a group they belong to. */
#define PERSON_PLANS                                                                        \
	"(SELECT id FROM enterprise_plan WHERE person_id = ?1 UNION SELECT p.id FROM "             \
	"enterprise_plan p JOIN enterprise_member m ON m.group_id = p.group_id WHERE m.person_id = ?1)"

static const char SQL_TIMELINE[] =
	"SELECT census_date, 0, id, uuid, 0, 0, census_round FROM person WHERE id = ?1 "
	"UNION ALL SELECT e.applied_date, 1, e.id, e.uuid, e.state, 0, c.code FROM enrollment e "
	"  JOIN cohort c ON c.id = e.cohort_id WHERE e.person_id = ?1 "
	"UNION ALL SELECT e.certificate_date, 2, e.id, e.uuid, 0, 0, c.code FROM enrollment e "
	"  JOIN cohort c ON c.id = e.cohort_id "
	"  WHERE e.person_id = ?1 AND e.certificate_date IS NOT NULL "
	"UNION ALL SELECT s.date, 3, r.id, r.uuid, r.attended, s.kind, s.topic "
	"  FROM counselling_participant r JOIN counselling_session s ON s.id = r.session_id "
	"  WHERE r.person_id = ?1 "
	"UNION ALL SELECT applied_date, 4, id, uuid, state, 0, position FROM scholarship "
	"  WHERE person_id = ?1 "
	"UNION ALL SELECT p.paid_date, 5, p.id, p.uuid, 0, p.amount, p.reference "
	"  FROM scholarship_payment p JOIN scholarship s ON s.id = p.scholarship_id "
	"  WHERE s.person_id = ?1 "
	"UNION ALL SELECT m.joined_date, 6, m.id, m.uuid, 0, 0, g.name FROM enterprise_member m "
	"  JOIN enterprise_group g ON g.id = m.group_id WHERE m.person_id = ?1 "
	"UNION ALL SELECT drafted_date, 7, id, uuid, state, 0, title FROM enterprise_plan "
	"  WHERE id IN " PERSON_PLANS " "
	"UNION ALL SELECT date, 8, id, uuid, 0, amount, reference FROM enterprise_disbursement "
	"  WHERE plan_id IN " PERSON_PLANS " "
	"UNION ALL SELECT date, 9, id, uuid, operating, monthly_sales, notes FROM enterprise_visit "
	"  WHERE plan_id IN " PERSON_PLANS " "
	"UNION ALL SELECT date, 10, id, uuid, kind, 0, provider FROM enterprise_service "
	"  WHERE plan_id IN " PERSON_PLANS " OR group_id IN "
	"  (SELECT group_id FROM enterprise_member WHERE person_id = ?1) "
	"UNION ALL SELECT date, 11, id, uuid, status, 0, horizon_months || ' months' FROM followup "
	"  WHERE person_id = ?1 "
	"UNION ALL SELECT date, 12, id, uuid, 0, 0, programme || ': ' || rule FROM "
	"  eligibility_override WHERE person_id = ?1 "
	"ORDER BY 1, 2, 3";

/* An event is no kind of record: the iterator's row buffer holds its date and detail. */
struct youth_timeline_iter {
	youth__iter i;
	youth_event ev;
};

int youth_timeline_iter_new(youth_timeline_iter **out, youth_registry *reg, int64_t person_id)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_timeline_iter_new: NULL argument");
	if (person_id <= 0)
		return youth__error(YOUTH_EINVAL, "person_id", "person_id %lld: not a valid id",
		                    (long long)person_id);
	int rc = youth__person_check(reg, person_id, NULL);
	if (rc)
		return rc;
	youth_timeline_iter *it = youth__calloc(1, sizeof *it);
	if (!it)
		return youth__oom();
	rc = youth__iter_open(&it->i, reg, NULL, "reading a timeline", SQL_TIMELINE, 1, &person_id);
	if (rc) {
		youth_timeline_iter_free(it);
		return rc;
	}
	*out = it;
	return YOUTH_OK;
}

/* The state column names a value of the owning module's vocabulary. */
static const char *state_text(int kind, int code, int64_t sub)
{
	switch (kind) {
	case EV_ENROLLMENT: return youth_enrollment_state_name(code);
	case EV_COUNSELLING: return code ? "attended" : "absent";
	case EV_SCHOLARSHIP: return youth_scholarship_state_name(code);
	case EV_PLAN: return youth_plan_state_name(code);
	case EV_VISIT: return code ? "operating" : "not_operating";
	case EV_SERVICE: return youth_business_service_kind_name(code);
	case EV_FOLLOWUP: return youth_followup_status_name(code);
	default: YOUTH__UNUSED(sub); return NULL;
	}
}

int youth_timeline_next(const youth_event **out, youth_timeline_iter *it)
{
	if (out)
		*out = NULL;
	if (!out || !it)
		return youth__error(YOUTH_EINVAL, NULL, "youth_timeline_next: NULL argument");
	int rc = youth__iter_step(&it->i);
	if (rc)
		return rc;
	sqlite3_stmt *st = it->i.st;
	int kind = sqlite3_column_int(st, 1);
	if (kind < 0 || kind > EV_OVERRIDE)
		return youth__error(YOUTH_ERROR, NULL, "internal: timeline kind %d", kind);
	int code = sqlite3_column_int(st, 4);
	int64_t amount = sqlite3_column_int64(st, 5);
	/* The detail and date live in one buffer: copy both, then point (it may move). */
	youth__buf *b = &it->i.row;
	b->len = 0;
	const char *date = (const char *)sqlite3_column_text(st, 0);
	const char *detail = (const char *)sqlite3_column_text(st, 6);
	rc = youth__buf_put(b, date ? date : "", strlen(date ? date : "") + 1);
	size_t detail_off = b->len;
	if (rc == YOUTH_OK && kind == EV_COUNSELLING) {
		/* counselling: "<kind>" or "<kind>: <topic>" */
		const char *k = youth_counselling_kind_name((int)amount);
		rc = youth__buf_printf(b, "%s%s%s", k ? k : "session", detail ? ": " : "",
		                       detail ? detail : "");
		if (rc == YOUTH_OK)
			rc = youth__buf_put(b, "", 1);
		amount = 0;
	} else if (rc == YOUTH_OK && detail) {
		rc = youth__buf_put(b, detail, strlen(detail) + 1);
	}
	if (rc)
		return rc;
	youth_event *ev = &it->ev;
	ev->date = b->data;
	ev->detail = b->len > detail_off ? b->data + detail_off : NULL;
	ev->kind = kinds[kind];
	ev->record_id = sqlite3_column_int64(st, 2);
	youth__col_text(st, 3, ev->uuid, sizeof ev->uuid);
	ev->state = state_text(kind, code, amount);
	ev->amount = kind == EV_PAYMENT || kind == EV_DISBURSEMENT || kind == EV_VISIT ? amount : 0;
	*out = ev;
	return YOUTH_OK;
}

void youth_timeline_iter_free(youth_timeline_iter *it)
{
	if (!it)
		return;
	youth__iter_clear(&it->i);
	youth__free(it);
}
