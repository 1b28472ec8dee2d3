/*
 * State machines: one checked look-up in a transition table and one refusal message shape for
 * every kind of record with a life cycle.  The tables live with their kinds (course.c,
 * counselling.c, scholarship.c, enterprise.c), next to the rules that go with each step; this
 * file only answers "may X become Y?" and, when not, says what X may become.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* The name of state @s, NULL when @s is not a state of @m (out of range or an unused value). */
static const char *state_name(const youth__machine *m, int s)
{
	return youth__vocab_at(m->states, m->n_states, s);
}

/* The names of the states in @mask, in state order: "a, b, c" ("" for none). */
static void list_states(const youth__machine *m, unsigned mask, char *out, size_t size)
{
	out[0] = '\0';
	for (int s = 1; s < m->n_states; s++)
		if ((mask & YOUTH__TO(s)) && state_name(m, s))
			snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
			         state_name(m, s));
}

int youth__state_check(const youth__machine *m, int to)
{
	if (state_name(m, to))
		return YOUTH_OK;
	char list[256];
	list_states(m, ~0u, list, sizeof list);
	return youth__error(YOUTH_EINVAL, "state", "state %d: not one of the %s states (%s)", to,
	                    m->what, list);
}

int youth__state_step(const youth__machine *m, int64_t id, int from, int to)
{
	int rc = youth__state_check(m, to);
	if (rc)
		return rc;
	if (!state_name(m, from))
		return youth__error(YOUTH_ECORRUPT, "state",
		                    "%s %lld: stored state %d is not a %s state (the registry is "
		                    "damaged)", m->what, (long long)id, from, m->what);
	if (m->allowed[from] & YOUTH__TO(to))
		return YOUTH_OK;
	const char *x = state_name(m, from), *y = state_name(m, to);
	if (!m->allowed[from])
		return youth__error(YOUTH_ESTATE, "state",
		                    "%s %lld: cannot go from %s to %s; nothing is allowed from %s (a "
		                    "final state)", m->what, (long long)id, x, y, x);
	char list[256];
	list_states(m, m->allowed[from], list, sizeof list);
	return youth__error(YOUTH_ESTATE, "state", "%s %lld: cannot go from %s to %s; allowed from "
	                    "%s: %s", m->what, (long long)id, x, y, x, list);
}
