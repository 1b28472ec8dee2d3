"""Shared fixtures of the Python package tests.

Run through tests/python/run-pytest.sh (make check), which puts the staged package first on
PYTHONPATH and sets YOUTH_EXAMPLE_DATA; by hand, the example data is found from this file.
"""

import datetime
import os
import pathlib

import pytest

import youth

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLE_DATA = pathlib.Path(os.environ.get("YOUTH_EXAMPLE_DATA",
                                           HERE.parent.parent / "examples" / "data"))
GAZETTEER = EXAMPLE_DATA / "gazetteer.yaml"
TOP_SRCDIR = pathlib.Path(os.environ.get("YOUTH_TOP_SRCDIR", HERE.parent.parent))

SANTA_EUGENIA = "sonsonate/sonsonate-centro/sonzacate/santa-eugenia"
CENSUS_DATE = datetime.date(2009, 3, 2)


def dui(base):
    """A valid DUI for 8 digits: check digit C = (10 - sum(d_i * (9 - i)) mod 10) mod 10."""
    assert len(base) == 8 and base.isdigit()
    total = sum(int(d) * (9 - i) for i, d in enumerate(base))
    return "%s-%d" % (base, (10 - total % 10) % 10)


def bad_dui(base):
    """The same 8 digits with a wrong check digit."""
    good = dui(base)
    wrong = (int(good[-1]) + 1) % 10
    return "%s-%d" % (base, wrong)


def make_person(**overrides):
    """A valid census record of the programme (16 years old at the census)."""
    values = dict(
        given_names="María José",
        first_surname="Hernández",
        second_surname="Pérez",
        birth_date=datetime.date(1992, 5, 14),
        sex="female",
        place="Santa Eugenia",
        census_date=CENSUS_DATE,
        census_round="census-2009",
        education="lower_secondary",
        employment="unemployed",
        consent=True,
        consent_date=CENSUS_DATE,
    )
    values.update(overrides)
    return youth.Person(**values)


@pytest.fixture
def gazetteer_path():
    assert GAZETTEER.is_file(), "example gazetteer not found at %s" % GAZETTEER
    return GAZETTEER


@pytest.fixture
def reg(tmp_path, gazetteer_path):
    """A new registry file with the example gazetteer loaded."""
    with youth.Registry(tmp_path / "registry.db", create=True) as r:
        r.load_gazetteer(gazetteer_path)
        yield r


@pytest.fixture
def people(reg):
    """A few persons in different places, sexes, ages and rounds; returns them by key."""
    stored = {}
    stored["maria"] = reg.add_person(make_person(national_id=None))
    stored["jose"] = reg.add_person(make_person(
        given_names="José Antonio", first_surname="HERNÁNDEZ", second_surname="López",
        sex="male", birth_date=datetime.date(1990, 1, 20), place="El Sauce",
        national_id=dui("01234567"), consent=False, consent_date=None))
    stored["ana"] = reg.add_person(make_person(
        given_names="Ana", first_surname="Martínez", second_surname=None,
        birth_date=datetime.date(1988, 11, 2), place="Metalío",
        census_round="census-2010", census_date=datetime.date(2010, 6, 1),
        national_id=dui("00112233"), consent_date=datetime.date(2010, 6, 1)))
    stored["luis"] = reg.add_person(make_person(
        given_names="Luis", first_surname="Pérez", second_surname="Hernández",
        sex="male", birth_date=datetime.date(1993, 2, 28), place="Atonal"))
    return stored
