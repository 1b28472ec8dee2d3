#!/bin/sh
# Tests of `youth report` (every format, the options, the refusals) and of `youth summary` as a
# report: on the sample registry (make sample) and on a small registry whose place names are
# hostile to spreadsheets and to HTML (`=1+2`, `<b>&"Co"`).  The browser check of the HTML
# page is tests/cli/test_report_browser.sh.  Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

SAMPLE=${YOUTH_SAMPLE:-$(dirname "$YOUTH")/../sample.registry}
if [ ! -f "$SAMPLE" ]; then
	fail "the sample registry $SAMPLE is built (make sample)"
	cli_finish
fi

# pyfile EXPRESSION: a Python expression over the raw bytes of stdout (bound to `b`).
pyfile() { "$PY" -c "import sys; b=open(sys.argv[1], 'rb').read(); sys.exit(0 if ($1) else 1)" "$tmp/out" 2>/dev/null; }
# pyyaml EXPRESSION: the same over the YAML on stdout (bound to `d`).
pyyaml() { "$PY" -c "import sys, yaml; d=yaml.safe_load(open(sys.argv[1], encoding='utf-8')); sys.exit(0 if ($1) else 1)" "$tmp/out" 2>/dev/null; }
# usage_names WORD: a usage error whose message names WORD
usage_names() { is_usage && err_has "$1"; }

# ---- help ----------------------------------------------------------------------------------------

run_youth report --help
check "report --help" eval 'is_ok && out_has "usage: youth [-r FILE] report" && out_has "--internal" && out_has "--bom"'

# ---- the sample registry -----------------------------------------------------------------------

run_on "$SAMPLE" report -i census --by municipality,sex --at 2009-04-30
check "table: a census column and the grand total 600" eval 'is_ok && out_has "census" && grep -q "^Total  *Total  *600" "$tmp/out"'
run_on "$SAMPLE" report -i census --by district --at 2009-04-30 --format csv
check "csv: districts 360/150/90 and the total" pycsv '{r["district"]: r["census"] for r in rows if r["district"] in ("Sonsonate", "Acajutla", "Sonzacate", "Total")} == {"Sonsonate": "360", "Acajutla": "150", "Sonzacate": "90", "Total": "600"}'
check "csv: no byte order mark unless asked" pyfile 'not b.startswith(b"\xef\xbb\xbf")'
run_on "$SAMPLE" report -i census --by district --at 2009-04-30 --format csv --bom
check "csv --bom: UTF-8 byte order mark first" eval 'is_ok && pyfile "b.startswith(b\"\\xef\\xbb\\xbf\") and b[3:].decode(\"utf-8\")"'
run_on "$SAMPLE" report -i census --by municipality --at 2009-04-30 --format json
check "json: valid" eval 'is_ok && json_ok'
run_on "$SAMPLE" report -i census --by municipality --at 2009-04-30 --format yaml
check "yaml: valid, a mapping" eval 'is_ok && pyyaml "isinstance(d, dict)"'
run_on "$SAMPLE" report -i census --by municipality --at 2009-04-30 --format html -o "$tmp/page.html"
check "--output FILE: written there, nothing on stdout" eval 'is_ok && [ ! -s "$tmp/out" ] && grep -q "<table class=\"report\"" "$tmp/page.html"'
run_on "$SAMPLE" report
check "every built-in indicator, one row of totals: 600 / 450 / 400..." eval 'is_ok && sed -n 3p "$tmp/out" | grep -Eq "^ *600 +450 +400 "'
check "... and the 2 scholarships terminated suppressed, k stated" eval 'out_has "suppressed" && out_has "(k = 5)"'

# ---- indicators of one's own (docs/indicators.md) ----------------------------------------------

cat >"$tmp/mine.yaml" <<'EOF'
format: libyouth/1
indicators:
  - name: finished
    label: Finished a course
    count: persons
    of: enrollment
    where: {state: completed}
    date: state_date
EOF
run_on "$SAMPLE" report -i "$tmp/mine.yaml" --by sex
check "-i FILE: the file's indicator, 364 who finished" eval 'is_ok && out_has "finished" && grep -q "^Total  *364$" "$tmp/out"'
run_on "$SAMPLE" report --definitions "$tmp/mine.yaml" -i finished,courses_completed --format csv
check "--definitions FILE -i: the file's and a built-in, equal" pycsv 'rows[-1]["finished"] == rows[-1]["courses_completed"] == "364"'
printf 'format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n    where: {colour: red}\n' >"$tmp/bad.yaml"
run_on "$SAMPLE" report -i "$tmp/bad.yaml"
check "a bad definition: exit 1 with its file, line and column" eval 'is_error && err_has "bad.yaml:6:" && err_has "colour"'

# ---- a registry whose names are hostile to spreadsheets and HTML ------------------------------

cat >"$tmp/gaz.yaml" <<'EOF'
format: libyouth/1
gazetteer:
  - name: Dept
    places:
      - name: '<b>&"Co"'
        places:
          - name: Uno
      - name: '=1+2'
        places:
          - name: Dos
EOF
# census SEX PLACE N: N persons of SEX in PLACE, 18 years old at 2009-04-30
census() {
	i=0
	while [ "$i" -lt "$3" ]; do
		i=$((i + 1))
		printf '  - {given_names: P%s%s, first_surname: Test, birth_date: 1990-06-%02d, sex: %s, place: "%s", census_date: 2009-03-02, census_round: r1}\n' \
			"$1" "$i" "$i" "$1" "$2"
	done
}
{
	echo "format: libyouth/1"
	echo "persons:"
	census female 'dept/b-co/uno' 6
	census male 'dept/b-co/uno' 2
	census female 'dept/1-2/dos' 7
	census male 'dept/1-2/dos' 6
} >"$tmp/census.yaml"
run init
run gazetteer load "$tmp/gaz.yaml"
check "a gazetteer with names <b>&\"Co\" and =1+2" is_ok
run census load "$tmp/census.yaml"
check "21 persons" eval 'is_ok && out_has "added 21 persons"'

run report -i census --by municipality,sex --at 2009-04-30 --format csv
check "csv: 2 men of <b>&\"Co\" suppressed, not 0" pycsv 'any(r["municipality"] == "<b>&\"Co\"" and r["sex"] == "male" and r["census"] == "suppressed" for r in rows)'
check "csv: no suppressed count is written anywhere as a number below 5" pycsv 'all(not r["census"].isdigit() or int(r["census"]) == 0 or int(r["census"]) >= 5 for r in rows)'
check "csv: the cell =1+2 is neutralised, no cell starts a formula" pycsv 'any(r["municipality"] == "'"'"'=1+2" for r in rows) and not any(v[:1] in "=+-@" and v for r in rows for v in r.values())'
run report -i census --by municipality,sex --at 2009-04-30 --format html
cp "$tmp/out" "$tmp/hostile.html"
check "html: the name <b>&\"Co\" escaped" eval 'is_ok && out_has "&lt;b&gt;&amp;&quot;Co&quot;" && out_lacks "<b>&"'
check "html: suppressed cells marked, with a legend stating k" eval 'out_has "<td class=\"n np\">n.p.</td>" && out_has "not published: fewer than 5 persons" && out_has "(k = 5)"'
check "html: inline SVG charts, no script, no external file" eval 'out_has "<svg xmlns=" && ! grep -Eiq "<script|<link|src=|href=|@import|url\(" "$tmp/out"'
check "html: one page" eval 'out_has "<!DOCTYPE html>" && out_has "</html>" && [ "$(grep -c "<html" "$tmp/out")" -eq 1 ]'
run report -i census --by municipality,sex --at 2009-04-30 --k 3
check "--k 3: the 2 men are still hidden, 6 women shown" eval 'is_ok && out_has "suppressed" && grep -q "k = 3" "$tmp/out"'
run report -i census --by municipality,sex --at 2009-04-30 --internal
check "--internal: says so on the first line, shows the 2 men" eval 'is_ok && head -n1 "$tmp/out" | grep -q "INTERNAL USE ONLY" && out_lacks "suppressed" && grep -q " male  *2$" "$tmp/out"'
run report -i census --by municipality,sex --at 2009-04-30 --internal --format csv
check "--internal --format csv: first line says so" eval 'is_ok && head -n1 "$tmp/out" | grep -qi "internal"'
run report -i census --by municipality,sex --at 2009-04-30 --internal --format html
check "--internal --format html: first line says so" eval 'is_ok && head -n1 "$tmp/out" | grep -q "INTERNAL USE ONLY"'

# ---- refusals -----------------------------------------------------------------------------------

run report --format xml
check "--format xml: usage error naming it" usage_names "unknown format 'xml'"
run report --k many
check "--k many: usage error" usage_names "--k 'many'"
run report --k 0
check "--k 0: usage error pointing at --internal" usage_names "--internal"
run report --k 1
check "--k 1 (suppresses nothing): usage error pointing at --internal" usage_names "--internal"
run report --k 3 --internal
check "--k with --internal: usage error" usage_names "exclude each other"
run report --bom
check "--bom without csv: usage error" usage_names "--bom"
run report --by nowhere
check "--by nowhere: usage error naming the dimension" usage_names "nowhere"
run report -i nothing_such
check "-i nothing_such: usage error naming the indicator" usage_names "nothing_such"
run report --frobnicate
check "unknown option: usage error" usage_names "--frobnicate"
run report --at 2009-13-01
check "--at with a bad date: exit 1 naming it" eval 'is_error && err_has "--at"'
run report --place Nowhere-At-All
check "--place unknown: exit 1" is_error
run_youth report
check "no registry: usage error" is_usage

# ---- a hierarchy of places: one dimension ----------------------------------------------------

run_on "$SAMPLE" report -i census --by 'municipality>district>community,sex' --at 2009-04-30 --format csv
check "report by municipality>district>community: a level column, every group the sum of its parts" eval 'is_ok && pycsv "rows[0][\"level\"] == \"municipality\" and [r[\"census\"] for r in rows if r[\"municipality>district>community\"] == \"Sonsonate Centro\"] == [\"231\", \"219\", \"450\"] and any(r[\"level\"] == \"community\" and r[\"census\"] == \"suppressed\" for r in rows) and rows[-1][\"level\"] == \"total\" and rows[-1][\"census\"] == \"600\""'
run_on "$SAMPLE" report -i census --by 'municipality>district>community' --at 2009-04-30 --skip-empty
check "report table: a part indented under its group" eval 'is_ok && grep -q "^Sonsonate Centro " "$tmp/out" && grep -q "^  Sonsonate " "$tmp/out" && grep -q "^    Angélica " "$tmp/out"'
run_on "$SAMPLE" report -i census --by 'community>district' --at 2009-04-30
check "report by a hierarchy upside down: usage error" eval '[ "$rc" -eq 2 ] && err_has "not below the level before it"'
run_on "$SAMPLE" report -i census --by 'municipality>district,district' --at 2009-04-30
check "report by a level in a hierarchy and alone: usage error" eval '[ "$rc" -eq 2 ] && err_has "given twice"'

# ---- summary: one report among the others ------------------------------------------------------

run summary --at 2009-04-30
check "summary: suppressed figures shown as such, k stated" eval 'is_ok && out_has "suppressed" && out_has "(k = 5)"'
run summary --at 2009-04-30 --format json
check "summary json: null for a suppressed figure, k 5" eval 'is_ok && py "d[0][\"k\"] == 5 and any(r[\"male\"] is None for r in d) and all(v is None or v == 0 or v >= 5 for r in d for v in (r[\"total\"], r[\"female\"], r[\"male\"], r[\"age_16_17\"], r[\"age_18_20\"], r[\"age_21_24\"], r[\"age_other\"]))"'
run summary --at 2009-04-30 --internal
check "summary --internal: first line says so, every count shown" eval 'is_ok && head -n1 "$tmp/out" | grep -q "INTERNAL USE ONLY" && out_lacks "suppressed"'
run summary --at 2009-04-30 --internal --format json
check "summary --internal --format json: k 0, the 2 men" eval 'is_ok && py "d[0][\"k\"] == 0 and any(r[\"name\"] == \"<b>&\\\"Co\\\"\" and r[\"male\"] == 2 for r in d)"'
run summary --k 0
check "summary --k 0: usage error" usage_names "--internal"
run summary --k 2 --internal
check "summary --k with --internal: usage error" usage_names "exclude each other"
# A gazetteer that was too big for one report with every level as its own dimension: 10
# municipalities x 10 districts x 60 communities, one critical (11 x 101 x 601 x 15 rows > 10
# million).  As one hierarchy it is 6111 places x 15 rows: the communities stay.
{
	echo "format: libyouth/1"
	echo "gazetteer:"
	echo "  - name: Big"
	echo "    places:"
	for m in 0 1 2 3 4 5 6 7 8 9; do
		echo "      - name: M$m"
		echo "        places:"
		for d in 0 1 2 3 4 5 6 7 8 9; do
			echo "          - name: D$m$d"
			echo "            places:"
			c=0
			while [ "$c" -lt 60 ]; do
				echo "              - {name: C$m$d-$c, critical: $([ "$m$d$c" = 000 ] && echo true || echo false)}"
				c=$((c + 1))
			done
		done
	done
} >"$tmp/big.yaml"
run_on "$tmp/big.registry" init
run_on "$tmp/big.registry" gazetteer load "$tmp/big.yaml"
check "a gazetteer of 6111 places" eval 'is_ok && out_has "added 6111 places"'
run_on "$tmp/big.registry" summary --all --format csv
check "summary of 6000 communities: one hierarchy, every place a row, none left out" eval 'is_ok && pycsv "len(rows) == 6111 and sum(r[\"level\"] == \"community\" for r in rows) == 6000"'

run_on "$tmp/empty.registry" init
run_on "$tmp/empty.registry" summary --format json
check "summary of a registry without places: one row of 0" eval 'is_ok && py "len(d) == 1 and d[0][\"total\"] == 0"'

run_on "$SAMPLE" summary --at 2009-04-30
check "summary of the sample (the README's quick start): 600 in all" eval 'is_ok && grep -q "^All places .* 600 " "$tmp/out"'

cli_finish
