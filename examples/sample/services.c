/*
 * The sample registry's services: invented but realistic records that reproduce the
 * programme's figures (600 census youths, 450 counselled, 400 in vocational courses, 25
 * first-work scholarships, 100 youths with seed capital, 15 plans of women's groups, 3
 * exchanges with 40 operators).  Every record goes through the public API and its rules.
 */
#include "services.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                         \
	do {                                                                                     \
		int rc_ = (call);                                                                    \
		if (rc_ < 0) {                                                                       \
			if (log)                                                                         \
				fprintf(log, "sample: %s: %s\n", #call, youth_error_last()->message);        \
			return rc_;                                                                      \
		}                                                                                    \
	} while (0)

/* A small deterministic generator (xorshift): the sample must not change between runs. */
static uint64_t rng_state = 0x2009u;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

typedef struct pool {
	int64_t *ids;
	int *sex;
	size_t n;
} pool;

/* Every census person, shuffled. */
static int load_pool(youth_registry *reg, pool *p)
{
	youth_person_iter *it;
	const youth_person *q;
	int rc = youth_person_iter_new(&it, reg, NULL);
	if (rc)
		return rc;
	size_t cap = 1024;
	p->ids = malloc(cap * sizeof *p->ids);
	p->sex = malloc(cap * sizeof *p->sex);
	p->n = 0;
	while ((rc = youth_person_next(&q, it)) == YOUTH_OK) {
		if (p->n == cap) {
			cap *= 2;
			p->ids = realloc(p->ids, cap * sizeof *p->ids);
			p->sex = realloc(p->sex, cap * sizeof *p->sex);
		}
		p->ids[p->n] = q->id;
		p->sex[p->n++] = q->sex;
	}
	youth_person_iter_free(it);
	for (size_t i = p->n; i > 1; i--) {
		size_t j = rnd((unsigned)i);
		int64_t t = p->ids[i - 1];
		int s = p->sex[i - 1];
		p->ids[i - 1] = p->ids[j], p->sex[i - 1] = p->sex[j];
		p->ids[j] = t, p->sex[j] = s;
	}
	return rc == YOUTH_ITEROVER ? YOUTH_OK : rc;
}

/* Picks the next @want persons of the pool (from *cursor) eligible for @programme on @date
 * and, when @sex is not 0, of that sex. */
static size_t pick(youth_registry *reg, const pool *p, size_t *cursor, const char *programme,
                   const char *date, int sex, int64_t *out, size_t want)
{
	size_t got = 0;
	for (size_t tries = 0; got < want && tries < p->n; tries++) {
		size_t i = (*cursor)++ % p->n;
		if (sex && p->sex[i] != sex)
			continue;
		if (youth_eligibility_check(reg, programme, p->ids[i], date) == YOUTH_OK)
			out[got++] = p->ids[i];
	}
	youth_error_clear();
	return got;
}

static const struct {
	const char *code, *name, *place;
	int operators;
} exchanges[SAMPLE_EXCHANGES] = {
	{"SON", "Bolsa Municipal de Empleo de Sonsonate", "sonsonate/sonsonate-centro/sonsonate", 18},
	{"ACA", "Bolsa Municipal de Empleo de Acajutla", "sonsonate/sonsonate-oeste/acajutla", 12},
	{"SZC", "Bolsa Municipal de Empleo de Sonzacate", "sonsonate/sonsonate-centro/sonzacate", 10},
};

static const char *const given_f[] = {"Ana Gladys", "Marta Alicia", "Rosa Elena", "Karla Patricia",
                                      "Sandra Yanira", "Evelyn Roxana", "Claudia Marisol"};
static const char *const given_m[] = {"Carlos Alberto", "José Roberto", "Mario Ernesto",
                                      "Luis Alonso", "Francisco Javier", "Óscar Armando"};
static const char *const surnames[] = {"Hernández", "Martínez", "López", "Ramírez", "Pérez",
                                       "Flores", "Rivera", "Castro", "Mejía", "Guzmán", "Aguilar"};

typedef struct staff {
	int64_t exchange[SAMPLE_EXCHANGES];
	int64_t counsellor[SAMPLE_EXCHANGES][8];
	int n_counsellors[SAMPLE_EXCHANGES];
	int64_t placement[SAMPLE_EXCHANGES];
	int64_t coordinator[SAMPLE_EXCHANGES];
	int64_t employers[12];
} staff;

static int add_staff(youth_registry *reg, staff *s, FILE *log)
{
	for (int x = 0; x < SAMPLE_EXCHANGES; x++) {
		youth_exchange e;
		youth_exchange_init(&e);
		e.code = exchanges[x].code;
		e.name = exchanges[x].name;
		e.place = exchanges[x].place;
		e.opened_date = "2008-09-15";
		CHECK(youth_exchange_add(reg, &e));
		s->exchange[x] = e.id;
		for (int i = 0; i < exchanges[x].operators; i++) {
			youth_operator o;
			youth_operator_init(&o);
			o.exchange_id = e.id;
			bool woman = rnd(3) != 0;
			o.given_names = woman ? given_f[rnd(7)] : given_m[rnd(6)];
			o.first_surname = surnames[rnd(11)];
			o.second_surname = surnames[rnd(11)];
			/* one coordinator, a placement officer, counsellors, and intake staff */
			o.role = i == 0 ? YOUTH_ROLE_COORDINATOR
			         : i == 1 ? YOUTH_ROLE_PLACEMENT
			         : i < 2 + (exchanges[x].operators - 2) / 2 ? YOUTH_ROLE_COUNSELLOR
			                                                    : YOUTH_ROLE_INTAKE;
			CHECK(youth_operator_add(reg, &o));
			if (o.role == YOUTH_ROLE_COORDINATOR)
				s->coordinator[x] = o.id;
			else if (o.role == YOUTH_ROLE_PLACEMENT)
				s->placement[x] = o.id;
			else if (o.role == YOUTH_ROLE_COUNSELLOR && s->n_counsellors[x] < 8)
				s->counsellor[x][s->n_counsellors[x]++] = o.id;
		}
	}
	static const struct {
		const char *name, *sector, *nit, *place;
	} employers[12] = {
		{"Panadería La Espiga", "food", "0315-120394-101-3", "sonsonate/sonsonate-centro/sonsonate"},
		{"Supermercado Sensunapán", "retail", "0315-050597-102-1", "sonsonate/sonsonate-centro/sonsonate"},
		{"Taller Mecánico Hermanos Pérez", "automotive", NULL, "sonsonate/sonsonate-centro/sonzacate"},
		{"Hotel Costa Azul", "hotels and restaurants", "0301-230800-103-0", "sonsonate/sonsonate-oeste/acajutla"},
		{"Pesquera del Pacífico", "fishing", NULL, "sonsonate/sonsonate-oeste/acajutla"},
		{"Ferretería El Progreso", "retail", NULL, "sonsonate/sonsonate-centro/sonsonate"},
		{"Centro de Llamadas Occidente", "services", "0315-101005-104-2", "sonsonate/sonsonate-centro/sonsonate"},
		{"Comedor Doña Tere", "hotels and restaurants", NULL, "sonsonate/sonsonate-centro/sonzacate"},
		{"Farmacia San Antonio", "retail", NULL, "sonsonate/sonsonate-centro/sonsonate"},
		{"Electricidad Industrial Acajutla", "construction", NULL, "sonsonate/sonsonate-oeste/acajutla"},
		{"Confecciones Izalco", "textiles", NULL, "sonsonate/sonsonate-este/izalco"},
		{"Cooperativa Portuaria", "logistics", NULL, "sonsonate/sonsonate-oeste/acajutla"},
	};
	for (int i = 0; i < 12; i++) {
		youth_employer e;
		youth_employer_init(&e);
		e.name = employers[i].name;
		e.sector = employers[i].sector;
		e.nit = employers[i].nit;
		e.place = employers[i].place;
		CHECK(youth_employer_add(reg, &e));
		s->employers[i] = e.id;
	}
	if (log)
		fprintf(log, "sample: %d exchanges, %d operators, 12 employers\n", SAMPLE_EXCHANGES,
		        SAMPLE_OPERATORS);
	return YOUTH_OK;
}

/* 30 group sessions of 15: career guidance and life-skills modules, 2009. */
static int add_counselling(youth_registry *reg, const staff *s, const pool *p, FILE *log)
{
	static const char *const modules[] = {"Autoestima y proyecto de vida", "Comunicación asertiva",
	                                      "Resolución de conflictos", "Perfiles laborales",
	                                      "Búsqueda de empleo y entrevista"};
	size_t cursor = 0;
	int64_t who[15];
	for (int k = 0; k < SAMPLE_COUNSELLED / 15; k++) {
		char date[11];
		snprintf(date, sizeof date, "2009-%02d-%02d", 5 + k / 6, 4 + (k % 6) * 4);
		int x = k % SAMPLE_EXCHANGES;
		youth_counselling_session cs;
		youth_counselling_session_init(&cs);
		cs.operator_id = s->counsellor[x][k % s->n_counsellors[x]];
		cs.date = date;
		cs.kind = k % 2 ? YOUTH_COUNSELLING_LIFE_SKILLS : YOUTH_COUNSELLING_CAREER_GUIDANCE;
		cs.mode = YOUTH_COUNSELLING_GROUP;
		cs.duration_minutes = 120;
		cs.topic = modules[k % 5];
		cs.place = exchanges[x].place;
		CHECK(youth_counselling_session_add(reg, &cs));
		size_t n = pick(reg, p, &cursor, YOUTH_PROGRAMME_COUNSELLING, date, 0, who, 15);
		for (size_t i = 0; i < n; i++) {
			youth_counselling_participant cp;
			youth_counselling_participant_init(&cp);
			cp.session_id = cs.id;
			cp.person_id = who[i];
			CHECK(youth_counselling_add_participant(reg, &cp, NULL));
		}
		CHECK(youth_counselling_session_close(reg, cs.id, date));
	}
	if (log)
		fprintf(log, "sample: %d counselling sessions\n", SAMPLE_COUNSELLED / 15);
	return YOUTH_OK;
}

/* 16 cohorts of 25 across 8 courses; most complete with a certificate, a few drop out.
 * The completers are returned for scholarships and follow-ups. */
static int add_vocational(youth_registry *reg, const staff *s, const pool *p, int64_t *done,
                          size_t *n_done, int64_t *done_cohort_end_month, FILE *log)
{
	static const struct {
		const char *code, *title, *provider, *profile;
		int hours;
	} courses[8] = {
		{"PAN", "Panadería y repostería", "INSAFORP", "baker", 160},
		{"COS", "Cosmetología", "INSAFORP", "beautician", 200},
		{"SOL", "Soldadura eléctrica", "ITCA-FEPADE", "welder", 240},
		{"MEC", "Mecánica automotriz", "ITCA-FEPADE", "mechanic", 320},
		{"ELE", "Electricidad residencial", "INSAFORP", "electrician", 240},
		{"COM", "Computación y atención al cliente", "Casa de la Cultura", "call centre", 120},
		{"COR", "Corte y confección", "INSAFORP", "seamstress", 200},
		{"HOS", "Cocina y hostelería", "INSAFORP", "cook", 180},
	};
	size_t cursor = 200; /* overlaps with counselling, as in life: many youths got both */
	*n_done = 0;
	int dropped = 0;
	for (int k = 0; k < SAMPLE_VOCATIONAL / 25; k++) {
		int c = k % 8, x = k % SAMPLE_EXCHANGES;
		int64_t course_id;
		if (k < 8) {
			youth_course co;
			youth_course_init(&co);
			co.code = courses[c].code;
			co.title = courses[c].title;
			co.provider = courses[c].provider;
			co.job_profile = courses[c].profile;
			co.hours = courses[c].hours;
			CHECK(youth_course_add(reg, &co));
			course_id = co.id;
		} else {
			youth_course *co;
			CHECK(youth_course_get_by_code(&co, reg, courses[c].code));
			course_id = co->id;
			youth_course_free(co);
		}
		char code[24], start[11], end[11], applied[11];
		int month = k < 8 ? 6 : 9;
		snprintf(code, sizeof code, "%s-2009-%d", courses[c].code, k < 8 ? 1 : 2);
		snprintf(start, sizeof start, "2009-%02d-01", month);
		snprintf(end, sizeof end, "2009-%02d-28", month + 2);
		snprintf(applied, sizeof applied, "2009-%02d-15", month - 1);
		youth_cohort h;
		youth_cohort_init(&h);
		h.course_id = course_id;
		h.exchange_id = s->exchange[x];
		h.code = code;
		h.start_date = start;
		h.end_date = end;
		h.place = exchanges[x].place;
		h.capacity = 25;
		CHECK(youth_cohort_add(reg, &h));
		int64_t who[25];
		size_t n = pick(reg, p, &cursor, YOUTH_PROGRAMME_VOCATIONAL, applied, 0, who, 25);
		for (size_t i = 0; i < n; i++) {
			youth_enrollment en;
			youth_enrollment_init(&en);
			en.cohort_id = h.id;
			en.person_id = who[i];
			en.operator_id = s->coordinator[x];
			en.applied_date = applied;
			CHECK(youth_enrollment_apply(reg, &en, NULL));
			CHECK(youth_enrollment_set_state(reg, en.id, YOUTH_ENROLLMENT_ENROLLED, start, NULL));
			/* most attend; about one in ten falls below the 80% needed */
			int attendance = rnd(10) == 0 ? 55 + (int)rnd(25) : 80 + (int)rnd(21);
			CHECK(youth_enrollment_set_attendance(reg, en.id, attendance));
			if (attendance < 80) {
				CHECK(youth_enrollment_set_state(reg, en.id, YOUTH_ENROLLMENT_DROPPED, end,
				                                 "attendance below 80%"));
				dropped++;
				continue;
			}
			CHECK(youth_enrollment_set_state(reg, en.id, YOUTH_ENROLLMENT_COMPLETED, end, NULL));
			CHECK(youth_enrollment_issue_certificate(reg, en.id, end));
			done[*n_done] = who[i];
			done_cohort_end_month[(*n_done)++] = month + 2;
		}
	}
	if (log)
		fprintf(log, "sample: 8 courses, 16 cohorts, %zu certificates, %d dropped\n", *n_done,
		        dropped);
	return YOUTH_OK;
}

/* 25 first-work scholarships for completers of the first cohorts: 3 months at $150.00. */
static int add_scholarships(youth_registry *reg, const staff *s, const int64_t *done,
                            size_t n_done, const int64_t *end_month, int64_t *scholars,
                            FILE *log)
{
	int got = 0, terminated = 0;
	for (size_t i = 0; i < n_done && got < SAMPLE_SCHOLARSHIPS; i++) {
		if (end_month[i] != 8)
			continue;
		if (youth_eligibility_check(reg, YOUTH_PROGRAMME_SCHOLARSHIP, done[i], "2009-09-01")) {
			youth_error_clear();
			continue;
		}
		int x = got % SAMPLE_EXCHANGES;
		youth_scholarship sc;
		youth_scholarship_init(&sc);
		sc.person_id = done[i];
		sc.operator_id = s->placement[x];
		sc.applied_date = "2009-09-01";
		CHECK(youth_scholarship_apply(reg, &sc, NULL));
		CHECK(youth_scholarship_award(reg, sc.id, "2009-09-15"));
		youth_scholarship_placement pl = {s->employers[got % 12], "Auxiliar", "2009-10-01",
		                                  "2009-12-31", 40, 15000};
		CHECK(youth_scholarship_activate(reg, sc.id, "2009-10-01", &pl));
		static const char *const month_end[] = {"2009-10-31", "2009-11-30", "2009-12-31"};
		bool quits = got % 12 == 5;
		for (int m = 0; m < (quits ? 1 : 3); m++) {
			youth_scholarship_payment pay;
			youth_scholarship_payment_init(&pay);
			char ref[32];
			snprintf(ref, sizeof ref, "BEC-%s-%02d-%lld", exchanges[x].code, m + 10,
			         (long long)sc.id);
			pay.scholarship_id = sc.id;
			pay.operator_id = s->placement[x];
			pay.amount = 15000;
			pay.paid_date = month_end[m];
			pay.method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
			pay.reference = ref;
			CHECK(youth_scholarship_pay(reg, &pay));
		}
		if (quits) {
			CHECK(youth_scholarship_terminate(reg, sc.id, "2009-10-31",
			                                  "left the placement for another job"));
			terminated++;
		} else {
			CHECK(youth_scholarship_complete(reg, sc.id, "2009-12-31"));
		}
		scholars[got++] = done[i];
	}
	if (log)
		fprintf(log, "sample: %d scholarships (%d terminated)\n", got, terminated);
	return got == SAMPLE_SCHOLARSHIPS ? YOUTH_OK : YOUTH_ERROR;
}

/* Approves, funds and visits a plan. */
static int run_plan(youth_registry *reg, int64_t plan, int64_t op, int64_t amount, int n,
                    FILE *log)
{
	CHECK(youth_plan_submit(reg, plan, "2009-10-05", NULL));
	CHECK(youth_plan_appraise(reg, plan, "2009-10-19"));
	CHECK(youth_plan_approve(reg, plan, "2009-10-26", amount));
	youth_plan_disbursement d;
	youth_plan_disbursement_init(&d);
	char ref[32];
	snprintf(ref, sizeof ref, "CS-2009-%04d", n);
	d.plan_id = plan;
	d.amount = amount;
	d.date = "2009-11-09";
	d.reference = ref;
	d.operator_id = op;
	CHECK(youth_plan_disbursement_add(reg, &d));
	youth_plan_visit v;
	youth_plan_visit_init(&v);
	v.plan_id = plan;
	v.date = "2010-02-15";
	v.operating = n % 9 != 0;
	v.jobs_created = v.operating ? 1 + n % 3 : 0;
	v.monthly_sales = v.operating ? 20000 + 2500 * (n % 13) : 0;
	v.operator_id = op;
	CHECK(youth_plan_visit_add(reg, &v));
	return YOUTH_OK;
}

static int add_plan(youth_registry *reg, int window, int64_t person, int64_t group,
                    const char *title, const char *sector, int64_t requested, int64_t op,
                    int64_t *id, FILE *log)
{
	youth_plan pl;
	youth_plan_init(&pl);
	pl.window = window;
	pl.person_id = person;
	pl.group_id = group;
	pl.title = title;
	pl.sector = sector;
	pl.description = "Plan de negocio elaborado con acompañamiento de la bolsa de empleo";
	pl.requested = requested;
	pl.drafted_date = "2009-09-21";
	pl.operator_id = op;
	CHECK(youth_plan_add(reg, &pl));
	*id = pl.id;
	return YOUTH_OK;
}

/* 100 youths with seed capital: 70 individual plans and 6 youth groups of 5. */
static int add_seed_capital(youth_registry *reg, const staff *s, const pool *p, FILE *log)
{
	static const struct {
		const char *title, *sector;
	} ideas[] = {{"Venta de pupusas", "food"}, {"Taller de bicicletas", "repairs"},
	             {"Sala de belleza", "services"}, {"Cíber y fotocopias", "services"},
	             {"Venta de ropa usada", "retail"}, {"Reparación de celulares", "repairs"}};
	size_t cursor = 330;
	int64_t who[70];
	size_t n = pick(reg, p, &cursor, YOUTH_PROGRAMME_SEED_CAPITAL, "2009-10-05", 0, who, 70);
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		int x = (int)(i % SAMPLE_EXCHANGES);
		int64_t plan;
		CHECK(add_plan(reg, YOUTH_WINDOW_YOUTH_SEED, who[i], 0, ideas[i % 6].title,
		               ideas[i % 6].sector, 60000, s->coordinator[x], &plan, log));
		CHECK(run_plan(reg, plan, s->coordinator[x], 50000 + 500 * (int64_t)(i % 21), ++count,
		               log));
	}
	for (int g = 0; g < 6; g++) {
		int x = g % SAMPLE_EXCHANGES;
		youth_group gr;
		youth_group_init(&gr);
		char name[64];
		snprintf(name, sizeof name, "Grupo juvenil emprendedor %d de %s", g + 1,
		         exchanges[x].code);
		gr.name = name;
		gr.window = YOUTH_WINDOW_YOUTH_SEED;
		gr.operator_id = s->coordinator[x];
		gr.formed_date = "2009-09-14";
		CHECK(youth_group_add(reg, &gr));
		int64_t members[5];
		size_t m = pick(reg, p, &cursor, YOUTH_PROGRAMME_SEED_CAPITAL, "2009-10-05", 0, members, 5);
		for (size_t i = 0; i < m; i++) {
			youth_group_member gm;
			youth_group_member_init(&gm);
			gm.group_id = gr.id;
			gm.person_id = members[i];
			gm.joined_date = "2009-09-14";
			gm.operator_id = s->coordinator[x];
			CHECK(youth_group_member_add(reg, &gm));
		}
		int64_t plan;
		CHECK(add_plan(reg, YOUTH_WINDOW_YOUTH_SEED, 0, gr.id, "Vivero y venta de plantas",
		               "agriculture", 250000, s->coordinator[x], &plan, log));
		CHECK(run_plan(reg, plan, s->coordinator[x], 240000, ++count, log));
	}
	if (log)
		fprintf(log, "sample: %d seed-capital plans (70 individual, 6 youth groups)\n", count);
	return YOUTH_OK;
}

/* 15 women's groups of 5 in CONAMYPE's window, each with a plan and mentoring. */
static int add_female_window(youth_registry *reg, const staff *s, const pool *p, FILE *log)
{
	static const char *const businesses[] = {"Comedor", "Tortillería", "Venta de productos de limpieza",
	                                         "Taller de costura", "Elaboración de dulces típicos"};
	size_t cursor = 500;
	for (int g = 0; g < SAMPLE_WOMEN_PLANS; g++) {
		int x = g % SAMPLE_EXCHANGES;
		youth_group gr;
		youth_group_init(&gr);
		char name[80];
		snprintf(name, sizeof name, "Mujer Emprende %s %d", exchanges[x].code, g / 3 + 1);
		gr.name = name;
		gr.window = YOUTH_WINDOW_FEMALE;
		gr.operator_id = s->coordinator[x];
		gr.formed_date = "2009-08-03";
		CHECK(youth_group_add(reg, &gr));
		int64_t members[5];
		size_t m = pick(reg, p, &cursor, YOUTH_PROGRAMME_FEMALE_WINDOW, "2009-10-05",
		                YOUTH_SEX_FEMALE, members, 5);
		for (size_t i = 0; i < m; i++) {
			youth_group_member gm;
			youth_group_member_init(&gm);
			gm.group_id = gr.id;
			gm.person_id = members[i];
			gm.joined_date = "2009-08-03";
			gm.operator_id = s->coordinator[x];
			CHECK(youth_group_member_add(reg, &gm));
		}
		int64_t plan;
		CHECK(add_plan(reg, YOUTH_WINDOW_FEMALE, 0, gr.id, businesses[g % 5], "food", 300000,
		               s->coordinator[x], &plan, log));
		CHECK(run_plan(reg, plan, s->coordinator[x], 280000, 100 + g, log));
		static const int kinds[] = {YOUTH_BUSINESS_SERVICE_MENTORING, YOUTH_BUSINESS_SERVICE_TRAINING,
		                            YOUTH_BUSINESS_SERVICE_MARKET_ACCESS};
		for (int k = 0; k < 3; k++) {
			youth_business_service b;
			youth_business_service_init(&b);
			b.group_id = gr.id;
			b.kind = kinds[k];
			b.date = k == 0 ? "2009-08-17" : k == 1 ? "2009-09-07" : "2009-12-05";
			b.hours = 4 * (k + 1);
			b.provider = "CONAMYPE, ventanilla de emprendimiento femenino";
			b.operator_id = s->coordinator[x];
			CHECK(youth_business_service_add(reg, &b));
		}
	}
	if (log)
		fprintf(log, "sample: %d women's groups with plans and services\n", SAMPLE_WOMEN_PLANS);
	return YOUTH_OK;
}

/* 6-month follow-ups of everyone who finished a course. */
static int add_followups(youth_registry *reg, const staff *s, const int64_t *done, size_t n_done,
                         const int64_t *end_month, FILE *log)
{
	static const int statuses[] = {YOUTH_FOLLOWUP_EMPLOYED_FORMAL, YOUTH_FOLLOWUP_EMPLOYED_INFORMAL,
	                               YOUTH_FOLLOWUP_SELF_EMPLOYED, YOUTH_FOLLOWUP_STUDYING,
	                               YOUTH_FOLLOWUP_UNEMPLOYED, YOUTH_FOLLOWUP_NEET};
	for (size_t i = 0; i < n_done; i++) {
		youth_followup f;
		youth_followup_init(&f);
		char date[16];
		unsigned month = (unsigned)(end_month[i] + 6); /* six months after the course */
		snprintf(date, sizeof date, "%u-%02u-28", month > 12 ? 2010u : 2009u,
		         (month - 1) % 12 + 1);
		f.person_id = done[i];
		f.operator_id = s->coordinator[i % SAMPLE_EXCHANGES];
		f.date = date;
		f.horizon_months = 6;
		f.status = statuses[rnd(6)];
		if (f.status == YOUTH_FOLLOWUP_EMPLOYED_FORMAL || f.status == YOUTH_FOLLOWUP_EMPLOYED_INFORMAL)
			f.employer_id = s->employers[rnd(12)];
		CHECK(youth_followup_add(reg, &f));
	}
	if (log)
		fprintf(log, "sample: %zu follow-ups at 6 months\n", n_done);
	return YOUTH_OK;
}

int sample_services(youth_registry *reg, const char *rules_path, FILE *log)
{
	rng_state = 0x2009u;
	pool p = {0};
	staff s;
	memset(&s, 0, sizeof s);
	int64_t done[SAMPLE_VOCATIONAL], end_month[SAMPLE_VOCATIONAL], scholars[SAMPLE_SCHOLARSHIPS];
	size_t n_done = 0;
	CHECK(youth_registry_begin(reg));
	int rc = youth_rules_load(NULL, reg, rules_path);
	if (rc == YOUTH_OK)
		rc = load_pool(reg, &p);
	if (rc == YOUTH_OK)
		rc = add_staff(reg, &s, log);
	if (rc == YOUTH_OK)
		rc = add_counselling(reg, &s, &p, log);
	if (rc == YOUTH_OK)
		rc = add_vocational(reg, &s, &p, done, &n_done, end_month, log);
	if (rc == YOUTH_OK)
		rc = add_scholarships(reg, &s, done, n_done, end_month, scholars, log);
	if (rc == YOUTH_OK)
		rc = add_seed_capital(reg, &s, &p, log);
	if (rc == YOUTH_OK)
		rc = add_female_window(reg, &s, &p, log);
	if (rc == YOUTH_OK)
		rc = add_followups(reg, &s, done, n_done, end_month, log);
	free(p.ids);
	free(p.sex);
	if (rc) {
		if (log)
			fprintf(log, "sample: %s\n", youth_error_last()->message);
		youth_registry_rollback(reg);
		return rc;
	}
	return youth_registry_commit(reg);
}
