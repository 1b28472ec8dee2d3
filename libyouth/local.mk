lib_LTLIBRARIES += libyouth/libyouth.la

youthincludedir = $(includedir)/youth
include_HEADERS = include/youth.h
youthinclude_HEADERS = \
	include/youth/interchange.h \
	include/youth/common.h \
	include/youth/registry.h \
	include/youth/gazetteer.h \
	include/youth/person.h \
	include/youth/kind.h \
	include/youth/audit.h
nodist_youthinclude_HEADERS = include/youth/version.h

# Listed in layer order, lowest first (private.h; tests/check-layers.sh declares the same).
libyouth_libyouth_la_SOURCES = \
	libyouth/private.h \
	libyouth/private_yaml.h \
	libyouth/private_interchange.h \
	libyouth/private_sdc.h \
	libyouth/private_names.h \
	libyouth/error.c \
	libyouth/alloc.c \
	libyouth/sdc.c \
	libyouth/text.c \
	libyouth/uuid.c \
	libyouth/outfile.c \
	libyouth/pagesum.c \
	libyouth/registry.c \
	libyouth/schema.c \
	libyouth/names.c \
	libyouth/audit.c \
	libyouth/record.c \
	libyouth/state.c \
	libyouth/audit_entry.c \
	libyouth/yaml_reader.c \
	libyouth/yaml_writer.c \
	libyouth/interchange.c \
	libyouth/gazetteer.c \
	libyouth/person.c
libyouth_libyouth_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden $(SQLITE_CFLAGS) $(YAML_CFLAGS) \
	$(SODIUM_CFLAGS)
libyouth_libyouth_la_LIBADD = $(SQLITE_LIBS) $(YAML_LIBS) $(SODIUM_LIBS) -lpthread
libyouth_libyouth_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(YOUTH_LT_VERSION) -no-undefined \
	-Wl,--version-script=$(srcdir)/libyouth/libyouth.sym
EXTRA_libyouth_libyouth_la_DEPENDENCIES = libyouth/libyouth.sym
EXTRA_DIST += libyouth/libyouth.sym docs/disclosure.md
# Exchanges, operators, employers; programme eligibility rules.
libyouth_libyouth_la_SOURCES += libyouth/exchange.c libyouth/rules.c
youthinclude_HEADERS += include/youth/exchange.h include/youth/rules.h
# Vocational courses, cohorts and enrollments.
libyouth_libyouth_la_SOURCES += libyouth/course.c
youthinclude_HEADERS += include/youth/course.h
# Counselling and life skills; first-work scholarships; seed capital and the female
# entrepreneurship window; outcome follow-ups.
libyouth_libyouth_la_SOURCES += libyouth/counselling.c libyouth/scholarship.c \
	libyouth/enterprise.c libyouth/followup.c
youthinclude_HEADERS += include/youth/counselling.h include/youth/counseling.h include/youth/scholarship.h \
	include/youth/enterprise.h include/youth/followup.h
# A person's timeline across every service.
libyouth_libyouth_la_SOURCES += libyouth/timeline.c
# The interchange engines over every module's sections: the catalogue, import, export.
libyouth_libyouth_la_SOURCES += libyouth/catalogue.c libyouth/import.c libyouth/export.c
# Exports that travel: key files, keyed pseudonyms, encrypted streams (libsodium).
libyouth_libyouth_la_SOURCES += libyouth/private_crypt.h libyouth/crypt.c
youthinclude_HEADERS += include/youth/timeline.h
# Indicator reports: the catalogue and definitions, the counting engine, the writers.
libyouth_libyouth_la_SOURCES += libyouth/private_report.h libyouth/indicator.c libyouth/report.c
# The HTML page of a report, written through the report's public accessors.
libyouth_libyouth_la_SOURCES += libyouth/report_html.c
youthinclude_HEADERS += include/youth/report.h
# youth check: damage and broken invariants (docs/reliability.md).
libyouth_libyouth_la_SOURCES += libyouth/check.c
youthinclude_HEADERS += include/youth/check.h
# The same youth twice: candidate pairs, review, merge and unmerge (docs/duplicates.md).
libyouth_libyouth_la_SOURCES += libyouth/duplicates.c libyouth/merge.c
youthinclude_HEADERS += include/youth/duplicates.h

# Organisations (issue 15).
libyouth_libyouth_la_SOURCES += libyouth/organisation.c
youthinclude_HEADERS += include/youth/organisation.h
# Consent per purpose (issue 12).
libyouth_libyouth_la_SOURCES += libyouth/consent.c
youthinclude_HEADERS += include/youth/consent.h
# Erasure of a person and retention: youth_person_erase, youth_purge (docs/privacy.md).
libyouth_libyouth_la_SOURCES += libyouth/erase.c
youthinclude_HEADERS += include/youth/erase.h
# Every kind's fields and vocabularies, described once (kinds.def, read by kinds.c and private.h).
libyouth_libyouth_la_SOURCES += libyouth/kinds.c
EXTRA_DIST += libyouth/kinds.def
