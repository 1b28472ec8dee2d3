#!/bin/sh
# Tests of examples/describe (the published field description, youth/kind.h) and of the
# examples of docs/records.md: each command shown there is run and its output compared with
# the output the page shows; the page's C fragment is compiled and run against the build tree.
. "$(dirname "$0")/lib.sh"

top=${YOUTH_EXAMPLES:-$srcdir/examples}/..
DESCRIBE=${YOUTH_DESCRIBE:-$builddir/examples/describe}
DOC=$top/docs/records.md

# block N: the Nth fenced block of docs/records.md (any language), without its fences
block() {
	awk -v want="$1" '/^```/ { if (infence) infence = 0; else { infence = 1; k++ } next }
		infence && k == want' "$DOC"
}

check "describe lists the kinds" eval '"$DESCRIBE" >"$tmp/kinds" 2>"$tmp/err"'
check "26 kinds, the gazetteer's first" \
	eval '[ "$(wc -l <"$tmp/kinds")" -eq 26 ] && [ "$(head -n1 "$tmp/kinds" | cut -d" " -f1)" = place ]'
# every kind the page's table names is one the library knows, and the other way round
kinds_documented() {
	for k in $(cut -d' ' -f1 "$tmp/kinds"); do
		grep -q "\`$k\`" "$DOC" || { echo "$k missing from docs/records.md"; return 1; }
	done
}
check "docs/records.md names every kind" kinds_documented

"$DESCRIBE" plan_visit >"$tmp/visit"
check "plan_visit: a count field and a read-only reference" \
	eval 'grep -q "^jobs_created       count\$" "$tmp/visit" && grep -q "^exchange_id        ref read-only -> exchange\$" "$tmp/visit"'

block 1 >"$tmp/cmds"
check "the page shows the commands tested here" \
	grep -q '^./examples/describe operator given_names=Ana role=counsellor$' "$tmp/cmds"
"$DESCRIBE" operator given_names=Ana role=counsellor >"$tmp/got" 2>&1
check "operator filled by name prints what the page shows" eval 'block 2 | diff - "$tmp/got"'
refused_as_page() {
	"$DESCRIBE" operator role=boss >"$tmp/got" 2>&1
	[ $? -eq 1 ] && block 3 | diff - "$tmp/got"
}
check "a vocabulary refusal prints what the page shows, exit 1" refused_as_page
unknown_kind_refused() {
	"$DESCRIBE" persons >/dev/null 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q 'kind "persons": not a kind of record (one of place, ' "$tmp/err"
}
check "an unknown kind is refused with the known ones" unknown_kind_refused

# The page's C fragment, inside a main(), compiled against the build tree.
fragment_runs() {
	{
		printf '#include <stdio.h>\n#include <stdlib.h>\n#include <youth.h>\nint main(void)\n{\n'
		block 4
		printf 'return 0;\n}\n'
	} >"$tmp/frag.c"
	$YOUTH_CC ${YOUTH_SANITIZE_FLAGS:-} -std=c11 -Wall -Wextra -Werror -I"$top/include" -I"$builddir/include" \
		"$tmp/frag.c" -L"$YOUTH_LIBDIR" -lyouth -o "$tmp/frag" &&
		LD_LIBRARY_PATH=$YOUTH_LIBDIR "$tmp/frag" >"$tmp/got" &&
		printf 'role: counsellor\nactive: true\n' | diff - "$tmp/got"
}
if [ -n "${YOUTH_CC:-}" ] && [ -n "${YOUTH_LIBDIR:-}" ]; then
	check "the page's C fragment compiles and prints the operator" fragment_runs
fi
# The header's first spelling still compiles, and declares the same API.
compat_compiles() {
	printf '#include <youth/counseling.h>\nint main(void)\n{\n\tyouth_counselling_session s;\n\tyouth_counselling_session_init(&s);\n\treturn s.id != 0;\n}\n' >"$tmp/compat.c"
	$YOUTH_CC ${YOUTH_SANITIZE_FLAGS:-} -std=c11 -Wall -Wextra -Werror -I"$top/include" -I"$builddir/include" \
		-c "$tmp/compat.c" -o "$tmp/compat.o"
}
if [ -n "${YOUTH_CC:-}" ]; then
	check "youth/counseling.h (the old spelling) still compiles" compat_compiles
fi
# The first names of the business-development services (youth_bds_*): every one still compiles,
# with the types of the new functions, links against the library and runs; with
# YOUTH_NO_DEPRECATED they are gone.
if [ -n "${YOUTH_CC:-}" ]; then
	cat >"$tmp/bds.c" <<'EOF'
#include <string.h>
#include <youth.h>
int main(void)
{
	youth_bds b;
	youth_bds_kind k = YOUTH_BDS_MARKET_ACCESS;
	struct youth_bds *p = &b;
	int (*add)(youth_registry *, youth_bds *) = youth_bds_add;
	int (*get)(youth_bds **, youth_registry *, int64_t) = youth_bds_get;
	void (*release)(youth_bds *) = youth_bds_free;
	int (*iter_new)(youth_bds_iter **, youth_registry *, int64_t, int64_t) = youth_bds_iter_new;
	int (*next)(const youth_bds **, youth_bds_iter *) = youth_bds_next;
	void (*iter_free)(youth_bds_iter *) = youth_bds_iter_free;
	int (*set)(youth_bds *, const char *, const char *) = youth_bds_set_field;
	int (*getf)(const char **, const youth_bds *, const char *, char *, size_t) =
		youth_bds_get_field;
	const char *text = NULL;
	char buf[64];

	youth_bds_init(p);
	if (set(&b, "kind", "training") != YOUTH_OK || b.kind != YOUTH_BDS_TRAINING ||
	    getf(&text, &b, "kind", buf, sizeof buf) != YOUTH_OK || strcmp(text, "training") != 0)
		return 1;
	if (YOUTH_BDS_UNSET != 0 || YOUTH_BDS_MENTORING == k ||
	    strcmp(youth_bds_kind_name(k), "market_access") != 0 ||
	    strcmp(youth_bds_field_name(0), "id") != 0)
		return 1;
	return !(add && get && release && iter_new && next && iter_free);
}
EOF
	bds_runs() {
		if [ -n "${YOUTH_LIBDIR:-}" ]; then
			$YOUTH_CC ${YOUTH_SANITIZE_FLAGS:-} -std=c11 -Wall -Wextra -Werror -I"$top/include" -I"$builddir/include" \
				"$tmp/bds.c" -L"$YOUTH_LIBDIR" -lyouth -o "$tmp/bds" &&
				LD_LIBRARY_PATH=$YOUTH_LIBDIR "$tmp/bds"
		else
			$YOUTH_CC ${YOUTH_SANITIZE_FLAGS:-} -std=c11 -Wall -Wextra -Werror -I"$top/include" -I"$builddir/include" \
				-c "$tmp/bds.c" -o "$tmp/bds.o"
		fi
	}
	bds_hidden() {
		! $YOUTH_CC ${YOUTH_SANITIZE_FLAGS:-} -std=c11 -DYOUTH_NO_DEPRECATED -I"$top/include" -I"$builddir/include" \
			-c "$tmp/bds.c" -o "$tmp/bds-hidden.o"
	}
	check "the deprecated youth_bds_* names still compile (and run) as youth_business_service_*" \
		bds_runs
	check "YOUTH_NO_DEPRECATED hides the youth_bds_* names" bds_hidden
fi
cli_finish
