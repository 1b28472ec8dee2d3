"""Consent per purpose from Python (docs/privacy.md, "Consent"): giving, withdrawing and giving
again with the history kept, the refusals (a future date, an unknown purpose, nothing to
withdraw), the legacy flag as the census purpose, exports for a purpose that leave out persons
without consent, and the audited identifying export on a read-only handle."""

import datetime
import io

import pytest

import youth

from conftest import make_person


@pytest.fixture
def two(reg):
    """Ana (no legacy flag) and Beto (legacy census consent given 2009-03-02)."""
    ana = reg.add_person(make_person(given_names="Ana", consent=False, consent_date=None))
    beto = reg.add_person(make_person(given_names="Beto"))
    return ana, beto


def export_text(reg, **kw):
    out = io.StringIO()
    summary = reg.export_yaml(out, **kw)
    return out.getvalue(), summary


def test_give_withdraw_give_again(reg, two):
    ana, _ = two
    assert not reg.has_consent(ana, "training")
    row = reg.give_consent(ana, "training", datetime.date(2009, 4, 1), recorded_by="Marta",
                           evidence="form 42")
    assert isinstance(row, youth.Consent)
    assert (row.person_id, row.purpose, row.state, row.date) == (
        ana.id, "training", "given", datetime.date(2009, 4, 1))
    assert reg.has_consent(ana, "training")
    reg.withdraw_consent(ana, "training", "2010-01-15", recorded_by="Marta")
    assert not reg.has_consent(ana, "training")
    assert reg.consent_since(ana, "training") == datetime.date(2010, 1, 15)
    reg.give_consent(ana.id, "training", "2010-02-01", recorded_by="Marta")
    assert reg.has_consent(ana, "training")
    history = list(reg.consents(ana, "training"))
    assert [(c.state, c.date.isoformat()) for c in history] == [
        ("given", "2009-04-01"), ("withdrawn", "2010-01-15"), ("given", "2010-02-01")]
    assert history[0].evidence == "form 42"
    assert list(reg.consents(ana, "research")) == []


def test_refusals(reg, two):
    ana, _ = two
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(youth.InvalidError) as err:
        reg.give_consent(ana, "training", tomorrow, recorded_by="Marta")
    assert err.value.field == "date" and "in the future" in str(err.value)
    with pytest.raises(youth.InvalidError) as err:
        reg.give_consent(ana, "marketing", "2009-04-01", recorded_by="Marta")
    assert err.value.field == "purpose"
    assert "marketing" in str(err.value)
    assert "census, national_sharing, research, stipend, training" in str(err.value)
    with pytest.raises(youth.InvalidError):
        reg.has_consent(ana, "marketing")
    with pytest.raises(youth.StateError):
        reg.withdraw_consent(ana, "research", "2009-04-01", recorded_by="Marta")
    with pytest.raises(youth.InvalidError) as err:
        reg.give_consent(ana, "research", "2009-04-01")  # no recorder, no actor
    assert err.value.field == "recorded_by"
    reg.set_actor("dpo@sonsonate")
    assert reg.give_consent(ana, "research", "2009-04-01").recorded_by == "dpo@sonsonate"
    with pytest.raises(youth.InvalidError):  # the history stays in date order
        reg.withdraw_consent(ana, "research", "2009-03-31")
    assert len(list(reg.consents())) == 1


def test_purposes_and_the_rules_file(reg, tmp_path):
    assert reg.purposes() == ["census", "national_sharing", "research", "stipend", "training"]
    rules = tmp_path / "rules.yaml"
    rules.write_text("format: libyouth/1\npurposes: [youth_survey]\n")
    reg.load_rules(rules)
    assert "youth_survey" in reg.purposes()
    p = reg.add_person(make_person(consent=False, consent_date=None))
    reg.give_consent(p, "youth_survey", "2009-04-01", recorded_by="Marta")
    assert reg.has_consent(p, "youth_survey")


def test_legacy_flag(reg, two):
    _, beto = two
    assert reg.has_consent(beto, "census")  # the flag, no row yet
    assert reg.consent_since(beto, "census") == datetime.date(2009, 3, 2)
    reg.withdraw_consent(beto, "census", "2010-01-01", recorded_by="Marta")
    assert reg.get_person(beto.id).consent is False
    assert [c.state for c in reg.consents(beto, "census")] == ["given", "withdrawn"]
    p = reg.get_person(beto.id)
    p.consent, p.consent_date = True, datetime.date(2010, 2, 1)
    with pytest.raises(youth.InvalidError) as err:
        reg.update_person(p)
    assert err.value.field == "consent"
    reg.give_consent(beto, "census", "2010-02-01", recorded_by="Marta")
    assert reg.get_person(beto.id).consent is True


def test_export_for_a_purpose(reg, two):
    ana, beto = two
    reg.give_consent(beto, "research", "2009-04-01", recorded_by="Marta")
    reg.give_consent(ana, "research", "2009-04-01", recorded_by="Marta")
    reg.withdraw_consent(ana, "research", "2009-05-01", recorded_by="Marta")
    full, all_ = export_text(reg)
    text, some = export_text(reg, purpose="research")
    assert "given_names: Ana" in full and "given_names: Ana" not in text
    assert "given_names: Beto" in text
    assert some.excluded_persons == 1
    assert some.excluded == 3  # Ana and her two rows
    assert some.records + some.excluded == all_.records
    with pytest.raises(youth.InvalidError) as err:
        export_text(reg, purpose="marketing")
    assert "allowed: census" in str(err.value)
    # census: Beto by his legacy flag, Ana never
    text, some = export_text(reg, purpose="census")
    assert "given_names: Beto" in text and "given_names: Ana" not in text


def test_identifying_export_audited_and_refused_read_only(reg, two, tmp_path):
    reg.set_actor("dpo@sonsonate")
    reg.enable_audit()
    export_text(reg, identifiers=True, purpose="census")
    entries = reg.audit_log(kind="export")
    assert len(entries) == 1
    assert entries[0]["operation"] == "export with identifying fields"
    changes = entries[0]["changes"]
    assert changes["persons"] == 1 and changes["purpose"] == "census"
    assert changes["with"] == "identifiers"
    key = tmp_path / "k.key"
    youth.new_key(key)
    export_text(reg, pseudonym_key=key)  # drops identifiers: nothing to audit
    assert len(reg.audit_log(kind="export")) == 1
    path = reg.path
    reg.close()
    with youth.Registry(path, readonly=True) as ro:
        with pytest.raises(youth.ReadOnlyError) as err:
            export_text(ro, contacts=True)
        assert "read-only handle" in str(err.value)
        text, _ = export_text(ro)  # without identifiers a read-only handle may export
        assert "given_names: Ana" in text
