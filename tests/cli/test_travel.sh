#!/bin/sh
# Exports that travel (docs/privacy.md) from the command line: no DUI nor phone by default,
# --with-identifiers/--with-contacts, `youth key new`, --pseudonymise (stable per key, nothing
# identifying left), --encrypt with a key file or a passphrase (round trip byte for byte;
# wrong key, changed byte, cut file refused with nothing imported), memory flat while a large
# export is encrypted and imported; `youth person show DUI`.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
FULL="--with-identifiers --with-contacts"
# persons REGISTRY: the number of persons (youth summary, every count)
persons() { "$YOUTH" -r "$1" summary --internal --format csv 2>/dev/null | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total") t = i } NR == 2 && t { print $t }'; }

run init
run gazetteer load "$DATA/gazetteer.yaml"
run census load "$DATA/census.yaml"
check "census load" is_ok

# ---- identifiers and contacts ---------------------------------------------------------------

run export "$tmp/plain.yaml"
check "export: no national ID, phone nor address by default" eval 'is_ok && ! grep -q "national_id\|phone:\|address:" "$tmp/plain.yaml" && grep -q "^withheld: \[identifiers, contacts\]$" "$tmp/plain.yaml"'
check "... and no DUI of the census anywhere" eval '! grep -q "06397166-8" "$tmp/plain.yaml"'
run export --with-identifiers "$tmp/ids.yaml"
check "--with-identifiers: DUIs, still no phone" eval 'is_ok && grep -q "national_id: \"06397166-8\"" "$tmp/ids.yaml" && ! grep -q "phone:" "$tmp/ids.yaml"'
run export $FULL "$tmp/full.yaml"
check "--with-identifiers --with-contacts: everything, no withheld line" eval 'is_ok && grep -q "phone:" "$tmp/full.yaml" && ! grep -q withheld "$tmp/full.yaml"'
run import --upsert "$tmp/plain.yaml"
check "import --upsert of the default export: all unchanged" eval 'is_ok && out_has "658 unchanged"'
run person show 06397166-8 --format json
check "... the DUI is still there: person show DUI finds the person" eval 'is_ok && out_has "\"national_id\": \"06397166-8\"" && out_has "Mauricio"'
run person show 06397166-9
check "person show with a DUI of a wrong check digit: error naming it" eval 'is_error && err_has "06397166-9"'
run person show 00000001-8
check "person show with an unknown DUI: not found" eval 'is_error && err_has "no such person"'
run person add --given-names Niña --first-surname Menor --birth-date 1995-01-01 --sex female --place "Santa Eugenia" --census-date 2009-03-01 --census-round census-2009 --national-id 04567891-1
check "person add: a DUI for a 14-year-old refused, naming field, age and date" eval 'is_error && err_has "national_id" && err_has "14 at census_date 2009-03-01"'

# ---- keys and pseudonyms --------------------------------------------------------------------

run key new "$tmp/k1.key"
check "key new" eval 'is_ok && [ "$(stat -c %a "$tmp/k1.key")" = 600 ] && [ "$(wc -c <"$tmp/k1.key")" -eq 65 ]'
umask 000
run key new "$tmp/k2.key"
umask 022
check "key new: 0600 whatever the umask" eval 'is_ok && [ "$(stat -c %a "$tmp/k2.key")" = 600 ]'
run key new "$tmp/k1.key"
check "key new never overwrites a key" eval 'is_error && err_has "never overwritten"'
run export --pseudonymise --pseudonym-key "$tmp/k1.key" "$tmp/p1.yaml"
run export --pseudonymise --pseudonym-key "$tmp/k1.key" "$tmp/p1b.yaml"
YOUTH_PSEUDONYM_KEY=$tmp/k2.key
export YOUTH_PSEUDONYM_KEY
run export --pseudonymise "$tmp/p2.yaml"
unset YOUTH_PSEUDONYM_KEY
check "pseudonymised: same key, same file" eval 'is_ok && cmp -s "$tmp/p1.yaml" "$tmp/p1b.yaml"'
grep -o 'pseudonym: [0-9a-f]*' "$tmp/p1.yaml" | sort >"$tmp/ps1"
grep -o 'pseudonym: [0-9a-f]*' "$tmp/p2.yaml" | sort >"$tmp/ps2"
check "pseudonymised: another key (from YOUTH_PSEUDONYM_KEY), no pseudonym in common" eval '[ "$(wc -l <"$tmp/ps1")" -ge 600 ] && [ -z "$(comm -12 "$tmp/ps1" "$tmp/ps2")" ]'
# every name, DUI, phone and address of the census, none in the pseudonymised file
grep -E '^    (given_names|first_surname|second_surname|national_id|phone|address):' "$tmp/full.yaml" | sed 's/^[^:]*: //; s/^"//; s/"$//' | sort -u >"$tmp/secrets"
grep -Eo '^  - uuid: .*' "$tmp/full.yaml" | sed 's/.*: //' >>"$tmp/secrets"
# (the persons section: a place of the gazetteer may be called San Rafael)
sed -n '/^persons:/,/^end:/p' "$tmp/p1.yaml" >"$tmp/p1.persons"
check "pseudonymised: no name, DUI, phone, address or UUID of the census left" eval '[ "$(wc -l <"$tmp/secrets")" -gt 1000 ] && [ "$(grep -c "^  - pseudonym" "$tmp/p1.persons")" = 600 ] && ! grep -F -q -f "$tmp/secrets" "$tmp/p1.persons"'
check "pseudonymised: birth year, not birth date" eval 'grep -q "birth_year: 19" "$tmp/p1.yaml" && ! grep -q "birth_date" "$tmp/p1.yaml"'
run export --pseudonymise --pseudonym-key "$tmp/k1.key" --k 100 --kinds persons -
check "--k 100: no community of fewer than 100 persons named" eval 'is_ok && ! out_has "santa-eugenia" && out_has "place: sonsonate/sonsonate-centro/sonsonate"'
run export --pseudonymise --pseudonym-key "$tmp/k1.key" --csv -
check "--csv: a header and 600 rows" eval 'is_ok && [ "$(head -n 1 "$tmp/out" | cut -d, -f1-3)" = "pseudonym,birth_year,sex" ] && out_lines 601'
run export --pseudonymise
check "--pseudonymise without a key: usage error" is_usage
chmod 644 "$tmp/k2.key"
run export --pseudonymise --pseudonym-key "$tmp/k2.key" -
check "a key file others may read: refused" eval '[ "$rc" -eq 1 ] && err_has "chmod 600"'
run import "$tmp/p1.yaml"
check "a pseudonymised file is not importable" eval 'is_error && err_has "libyouth-pseudonymised/1"'

# ---- encryption -----------------------------------------------------------------------------

run export $FULL --encrypt --key-file "$tmp/k1.key" "$tmp/x.enc"
check "export --encrypt --key-file" eval 'is_ok && [ "$(head -c 8 "$tmp/x.enc")" = YOUTHENC ] && ! grep -q Mauricio "$tmp/x.enc"'
R2=$tmp/back.registry
run_on "$R2" init
run_on "$R2" import --key-file "$tmp/k1.key" "$tmp/x.enc"
check "import of the encrypted file" eval 'is_ok && out_has "658 imported"'
run_on "$R2" export $FULL "$tmp/back.yaml"
check "... round trip byte-identical to the plain export" cmp "$tmp/full.yaml" "$tmp/back.yaml"
export TRAVEL_PASS="correct horse battery staple"
run export $FULL --encrypt --passphrase-env TRAVEL_PASS "$tmp/p.enc"
check "export --encrypt --passphrase-env" is_ok
R3=$tmp/refused.registry
run_on "$R3" init
TRAVEL_PASS=wrong
run_on "$R3" import --passphrase-env TRAVEL_PASS "$tmp/p.enc"
check "wrong passphrase: refused, nothing imported" eval 'is_error && err_has "wrong key or passphrase" && [ "$(persons "$R3")" = 0 ]'
run_on "$R3" import --key-file "$tmp/k1.key" "$tmp/p.enc"
check "a passphrase file opened with a key file: asks for the passphrase" eval 'is_error && err_has "passphrase"'
chmod 600 "$tmp/k2.key"
run_on "$R3" import --key-file "$tmp/k2.key" "$tmp/x.enc"
check "wrong key file: refused, nothing imported" eval 'is_error && [ "$(persons "$R3")" = 0 ]'
size=$(wc -c <"$tmp/x.enc")
for at in 12 100 70000 140000 $((size / 2)) $((size - 1)); do
	cp "$tmp/x.enc" "$tmp/bad.enc"
	byte=$(od -An -tu1 -j "$at" -N1 "$tmp/bad.enc" | tr -d ' ')
	printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$tmp/bad.enc" bs=1 seek="$at" conv=notrunc 2>/dev/null
	run_on "$R3" import --key-file "$tmp/k1.key" "$tmp/bad.enc"
	check "byte $at changed: refused, nothing imported" eval 'is_error && [ "$(persons "$R3")" = 0 ]'
done
for len in 40 65577 $((size - 1)); do
	head -c "$len" "$tmp/x.enc" >"$tmp/cut.enc"
	run_on "$R3" import --key-file "$tmp/k1.key" "$tmp/cut.enc"
	check "cut after $len bytes: refused, nothing imported" eval 'is_error && [ "$(persons "$R3")" = 0 ]'
done

# ---- memory flat ------------------------------------------------------------------------------

# 60 copies of the census (36,000 persons, about 18 MB of YAML) without UUIDs or DUIs.
R4=$tmp/large.registry
run_on "$R4" init
run_on "$R4" gazetteer load "$DATA/gazetteer.yaml"
{
	echo "format: libyouth/1"; echo "persons:"
	i=0
	while [ $i -lt 60 ]; do
		sed -n '/^persons:/,/^end:/p' "$tmp/plain.yaml" | grep -v '^persons:\|^end:\|^    uuid:' | sed 's/^  - uuid: .*/  -/'
		i=$((i + 1))
	done
	echo "end:"; echo "  records: 36000"
} | awk '/^  -$/ { pending = 1; next } pending { sub(/^    /, "  - "); pending = 0 } { print }' >"$tmp/large.yaml"
run_on "$R4" import "$tmp/large.yaml"
check "a registry of 36,000 persons" eval 'is_ok && out_has "36000 imported"'
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	# In a sanitizer build ASan's quarantine keeps freed blocks (up to 256 MiB) in amounts that
	# follow the import's two threads' timing: an import's peak swung by 8 MiB between two
	# runs of the same file.  Without it the peaks are libyouth's (and ASan's redzones) again.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
	export ASAN_OPTIONS
	/usr/bin/time -o "$tmp/rss.plain" -f %M "$YOUTH" -r "$R4" export --quiet "$tmp/large.out" >/dev/null 2>&1
	/usr/bin/time -o "$tmp/rss.enc" -f %M "$YOUTH" -r "$R4" export --quiet --encrypt --key-file "$tmp/k1.key" "$tmp/large.enc" >/dev/null 2>&1
	plain=$(tail -n 1 "$tmp/rss.plain"); enc=$(tail -n 1 "$tmp/rss.enc")
	last="export of $(wc -c <"$tmp/large.out") bytes: peak $plain KiB plain, $enc KiB encrypted"
	check "encrypting a large export costs under 1 MiB more memory ($enc vs $plain KiB)" [ "$enc" -lt $((plain + 1024)) ]
	R5=$tmp/large2.registry
	run_on "$R5" init
	/usr/bin/time -o "$tmp/rss.imp" -f %M "$YOUTH" -r "$R5" import --quiet "$tmp/large.out" >/dev/null 2>&1
	R6=$tmp/large3.registry
	run_on "$R6" init
	/usr/bin/time -o "$tmp/rss.dec" -f %M "$YOUTH" -r "$R6" import --quiet --key-file "$tmp/k1.key" "$tmp/large.enc" >/dev/null 2>&1
	imp=$(tail -n 1 "$tmp/rss.imp"); dec=$(tail -n 1 "$tmp/rss.dec")
	last="import: peak $imp KiB plain, $dec KiB encrypted"
	check "decrypting a large import costs under 2 MiB more memory ($dec vs $imp KiB)" [ "$dec" -lt $((imp + 2048)) ]
	check "... and imports everything" [ "$(persons "$R6")" = 36000 ]
	echo "# peak RSS: export $plain KiB plain / $enc KiB encrypted; import $imp KiB plain / $dec KiB encrypted"
fi

cli_finish
