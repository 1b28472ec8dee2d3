#!/usr/bin/python3
"""Generate examples/data/census.yaml: an invented census of 600 youths.

The programme's census (2009) covered 600 at-risk youths aged 16-24 living in the critical
communities of Sonsonate, Acajutla and Sonzacate.  This script invents a census of the same
shape -- every name, date, DUI and phone number is made up -- so that the examples, the quick
start and the tests have realistic data to work on.  It is deterministic: the same seed always
writes the same file, byte for byte.

Usage (from the source tree; Debian's interpreter, only the standard library is needed):

    /usr/bin/python3 examples/data/make_census.py [-o examples/data/census.yaml] [--seed N]

The output is a census batch as read by youth_census_load() / `youth census load`
(see include/youth/person.h and docs/format.md).
"""

import argparse
import datetime
import random
import re
import sys
import unicodedata

SEED = 2009
COUNT = 600
CENSUS_ROUND = "census-2009"
CENSUS_START = datetime.date(2009, 2, 2)
CENSUS_END = datetime.date(2009, 4, 30)

# District path (slugs) -> (share of the census, critical communities as named in gazetteer.yaml)
DISTRICTS = [
    ("sonsonate/sonsonate-centro/sonsonate", 360, [
        "14 de Diciembre", "Atonal", "Mejicanos", "San Genaro", "Santa Marta", "Belén",
        "El Balsamar", "Villa Lilian", "Jardines de Sonsonate", "Veracruz", "Buenos Aires",
        "Sensunapán", "Altos de San Antonio", "San Francisco de Asís", "El Pilar",
        "Río Julupe", "La Esperanza", "Campo Amor", "San Antonio", "San Rafael", "Landovar",
        "Tatopa", "Espíritu Santo y Las Delicias", "Angélica", "Barrio El Centro",
        "Barrio El Ángel",
    ]),
    ("sonsonate/sonsonate-oeste/acajutla", 150, [
        "Acaxual", "IVU", "San Julián", "Lúe", "El Astillero", "Metalío", "Punta Remedios",
    ]),
    ("sonsonate/sonsonate-centro/sonzacate", 90, [
        "Santa Eugenia", "El Sauce", "Zedan", "La Ponderosa",
    ]),
]

MALE_FIRST = [
    "José", "Juan", "Carlos", "Luis", "Jorge", "Mario", "Miguel", "Francisco", "Óscar",
    "Julio", "Wilfredo", "Edwin", "Kevin", "Brayan", "Jonathan", "Nelson", "René", "Marvin",
    "Douglas", "Alexander", "Cristian", "Josué", "Elías", "Ángel", "Rafael", "Manuel", "Rubén",
    "Héctor", "Mauricio", "Roberto", "Ricardo", "Fernando", "Erick", "Walter", "Víctor",
    "Jaime", "Edgar", "Samuel", "Daniel", "David", "Efraín", "Germán", "Noé", "Wílber",
]
MALE_SECOND = [
    "Antonio", "Alberto", "Ernesto", "Alfredo", "Armando", "Enrique", "Eduardo", "Alexander",
    "Mauricio", "Adonay", "Isaías", "Vladimir", "Stanley", "Rolando", "Arturo", "Andrés",
    "Benjamín", "Ismael", "Iván", "Orlando", "Salvador", "Tomás", "Geovanny", "Osmín",
]
FEMALE_FIRST = [
    "María", "Ana", "Rosa", "Karla", "Claudia", "Sandra", "Jessica", "Wendy", "Yesenia",
    "Marisol", "Lorena", "Patricia", "Gabriela", "Daniela", "Fátima", "Beatriz", "Sofía",
    "Andrea", "Evelyn", "Kenia", "Roxana", "Xiomara", "Silvia", "Reina", "Flor", "Blanca",
    "Katherine", "Iris", "Zulma", "Marta", "Verónica", "Glenda", "Lucía", "Noemí", "Raquel",
    "Dinora", "Érika", "Jacqueline", "Yanira", "Carmen",
]
FEMALE_SECOND = [
    "José", "Elena", "Isabel", "Guadalupe", "Margarita", "Alejandra", "Beatriz", "Carolina",
    "Esmeralda", "Lissette", "Maricela", "Noemí", "Abigail", "Yamileth", "Elizabeth",
    "Azucena", "Concepción", "de los Ángeles", "del Carmen", "Estefany", "Jazmín", "Arely",
]
SURNAMES = [
    "Hernández", "Martínez", "López", "García", "Rodríguez", "Pérez", "Ramírez", "Flores",
    "Cruz", "Rivera", "Mejía", "Aguilar", "Castillo", "Guevara", "Romero", "Vásquez",
    "Menjívar", "Portillo", "Alvarado", "Escobar", "Orellana", "Ayala", "Sánchez", "Cortez",
    "Chávez", "Argueta", "Pineda", "Henríquez", "Molina", "Ramos", "Quintanilla",
    "Landaverde", "Zelaya", "Gómez", "González", "Díaz", "Morales", "Reyes", "Jiménez",
    "Navarrete", "Pacas", "Tepas", "Shul", "Ábrego", "Alfaro", "Mendoza", "Linares", "Bonilla",
    "Carranza", "Canizález", "Durán", "Marroquín", "Sorto", "Valle", "Del Cid", "De León",
]

STREETS = [
    "Pasaje {n}", "Calle principal", "Avenida Morazán", "Calle al cementerio", "Pasaje Los Pinos",
    "Calle El Progreso", "Senda {n}", "Block {b}", "Polígono {b}", "Calle a Sonzacate",
    "Final avenida Las Palmeras", "Calle al puerto", "Pasaje El Mango", "Calle La Ceiba",
]

JOB_TAGS = [
    "cook", "baker", "mechanic", "motorcycle repair", "call centre", "seamstress", "tailor",
    "hairdresser", "cosmetologist", "electrician", "plumber", "welder", "carpenter",
    "bricklayer", "computer repair", "office assistant", "cashier", "sales", "waiter",
    "bartender", "fisherman", "port worker", "warehouse", "driver", "security guard",
    "agriculture", "sugar cane harvest", "childcare", "screen printing", "shoe repair",
    "refrigeration technician", "English tutor", "graphic design", "barber", "pupusa stand",
]


def slug(text):
    """Lower case, accents removed, every other non-alphanumeric character turned into '-'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def weighted(rng, table):
    """Picks a key of [(key, weight), ...]."""
    total = sum(w for _, w in table)
    x = rng.uniform(0, total)
    for key, w in table:
        x -= w
        if x <= 0:
            return key
    return table[-1][0]


def years_before(day, years):
    """The same calendar day @years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_at(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def dui(rng, taken):
    """A new DUI `NNNNNNNN-C` with a valid check digit."""
    while True:
        digits = [0] + [rng.randrange(10) for _ in range(7)]
        if rng.random() < 0.5:
            digits[1] = rng.choice([2, 3, 4])
        total = sum(d * (9 - i) for i, d in enumerate(digits))
        check = (10 - total % 10) % 10
        text = "".join(map(str, digits)) + "-" + str(check)
        if text not in taken:
            taken.add(text)
            return text


PLAIN_UNSAFE = re.compile(r"(^[-?:,\[\]{}#&*!|>'\"%@`~ ]|: |\s#|:$|\s$|^$)")
RESERVED = re.compile(
    r"^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*|\.inf|\.nan)$", re.I)


def scalar(text, plain_ok=False):
    """A YAML scalar for @text: plain when YAML reads it back as the same string, else quoted."""
    if plain_ok or not (PLAIN_UNSAFE.search(text) or RESERVED.match(text)):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def community_counts(rng, total, communities):
    """Shares @total among @communities unevenly, at least 4 each, summing exactly to @total."""
    weights = [rng.uniform(0.5, 2.0) for _ in communities]
    floor = 4
    rest = total - floor * len(communities)
    raw = [rest * w / sum(weights) for w in weights]
    counts = [floor + int(r) for r in raw]
    # Hand out what rounding left over to the largest remainders.
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def make_person(rng, place, taken_dui, taken_names):
    sex = "male" if rng.random() < 0.52 else "female"
    first, second = (MALE_FIRST, MALE_SECOND) if sex == "male" else (FEMALE_FIRST, FEMALE_SECOND)
    while True:
        given = rng.choice(first)
        if rng.random() < 0.8:
            other = rng.choice(second)
            if other != given:
                given = given + " " + other
        surname1 = rng.choice(SURNAMES)
        surname2 = rng.choice(SURNAMES) if rng.random() < 0.95 else None
        key = (given, surname1, surname2)
        if key not in taken_names:
            taken_names.add(key)
            break

    census = CENSUS_START + datetime.timedelta(days=rng.randrange((CENSUS_END - CENSUS_START).days + 1))
    age = weighted(rng, [(16, 11), (17, 12), (18, 13), (19, 12), (20, 11), (21, 11), (22, 10),
                         (23, 10), (24, 10)])
    latest = years_before(census, age)                           # turned @age on this day
    earliest = years_before(census, age + 1) + datetime.timedelta(days=1)
    birth = earliest + datetime.timedelta(days=rng.randrange((latest - earliest).days + 1))
    assert age_at(birth, census) == age and 16 <= age <= 24

    if age < 18:
        education = weighted(rng, [("none", 2), ("primary", 30), ("lower_secondary", 48),
                                   ("upper_secondary", 20)])
        studying = rng.random() < 0.55
    else:
        education = weighted(rng, [("none", 4), ("primary", 24), ("lower_secondary", 32),
                                   ("upper_secondary", 28), ("technical", 7), ("university", 5)])
        studying = rng.random() < (0.35 if education in ("technical", "university") else 0.12)
    if studying and age < 18:
        employment = weighted(rng, [("inactive", 60), ("unemployed", 20), ("employed_informal", 15),
                                    ("self_employed", 5)])
    else:
        employment = weighted(rng, [("unemployed", 40), ("employed_informal", 24), ("inactive", 14),
                                    ("self_employed", 10), ("employed_formal", 7 if age >= 18 else 1)])

    street = rng.choice(STREETS).format(n=rng.randrange(1, 30), b=rng.choice("ABCDEFGHJK"))
    address = "%s, casa %d" % (street, rng.randrange(1, 120))

    person = [
        ("given_names", scalar(given)),
        ("first_surname", scalar(surname1)),
    ]
    if surname2:
        person.append(("second_surname", scalar(surname2)))
    person += [
        ("birth_date", birth.isoformat()),
        ("sex", sex),
        ("place", place),
        ("address", scalar(address)),
    ]
    if rng.random() < 0.6:
        person.append(("phone", "7%03d-%04d" % (rng.randrange(1000), rng.randrange(10000))))
    if age >= 18:
        person.append(("national_id", dui(rng, taken_dui)))
    tags = rng.sample(JOB_TAGS, weighted(rng, [(1, 5), (2, 4), (3, 1)]))
    person += [
        ("education", education),
        ("studying", "true" if studying else "false"),
        ("employment", employment),
        ("household_size", str(weighted(rng, [(2, 5), (3, 12), (4, 18), (5, 20), (6, 17),
                                              (7, 12), (8, 9), (9, 7)]))),
        ("disability", "true" if rng.random() < 0.03 else "false"),
        ("census_date", census.isoformat()),
        ("census_round", CENSUS_ROUND),
        ("job_profiles", scalar(", ".join(tags))),
        ("consent", "true"),
        ("consent_date", census.isoformat()),
    ]
    return census, person


def main(argv):
    ap = argparse.ArgumentParser(description="Write the invented census of 600 youths (YAML).")
    ap.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    ap.add_argument("--seed", type=int, default=SEED, help="random seed (default: %(default)s)")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    places = []
    for district, total, communities in DISTRICTS:
        for name, n in zip(communities, community_counts(rng, total, communities)):
            places += [district + "/" + slug(name)] * n
    assert len(places) == COUNT
    rng.shuffle(places)

    taken_dui, taken_names = set(), set()
    persons = [make_person(rng, place, taken_dui, taken_names) for place in places]
    persons.sort(key=lambda cp: cp[0])   # in the order the census visited them

    lines = [
        "# Invented census of %d at-risk youths aged 16-24 (census round %s) in the critical"
        % (COUNT, CENSUS_ROUND),
        "# communities of Sonsonate, Acajutla and Sonzacate.  Every name, date, DUI and phone",
        "# number is made up.  Generated by examples/data/make_census.py --seed %d: do not edit,"
        % args.seed,
        "# regenerate.  Format: census batch of include/youth/person.h (docs/format.md).",
        "format: libyouth/1",
        "persons:",
    ]
    for _, person in persons:
        for i, (key, value) in enumerate(person):
            lines.append(("  - " if i == 0 else "    ") + key + ": " + value)
    # The trailer: a copy cut short between two records is then refused, not half-loaded.
    lines += ["end:", "  records: %d" % len(persons)]
    text = "\n".join(lines) + "\n"

    if args.output == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
