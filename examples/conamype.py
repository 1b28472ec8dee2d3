#!/usr/bin/env python3
"""CONAMYPE runs the female entrepreneurship window: a women's group, its business plan, the
appraisal, funding in two disbursements, a follow-up visit and the window's own report.

CONAMYPE and its centre are organisations beside the municipal exchanges (docs/organisations.md):
the centre's officer records all of it without being an operator of an exchange.

    python3 examples/conamype.py [REGISTRY] [DATA]

REGISTRY is a new file (default: a temporary one); DATA the sample data (examples/data).
"""
import datetime
import os
import sys
import tempfile

import youth

DATA = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
    "YOUTH_EXAMPLE_DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))


def main(path):
    with youth.Registry(path, create=True) as reg:
        reg.load_gazetteer(os.path.join(DATA, "gazetteer.yaml"))
        reg.load_census(os.path.join(DATA, "census.yaml"))
        reg.load_rules(os.path.join(DATA, "rules.yaml"))

        # CONAMYPE, and the women's entrepreneurship centre it opened in Sonsonate.
        conamype = reg.add_organisation(youth.Organisation(
            code="CONAMYPE", type="conamype", place="department:sonsonate",
            name="Comisión Nacional de la Micro y Pequeña Empresa"))
        centre = reg.add_organisation(youth.Organisation(
            code="CM-SON", type="centre", parent_id=conamype.id,
            place="sonsonate/sonsonate-centro/sonsonate",
            name="Ventanilla de Emprendimiento Femenino de Sonsonate"))
        officer = reg.add_operator(youth.Operator(
            exchange_id=centre.id, given_names="Marta", first_surname="Rivas",
            role="coordinator"))

        # Three women of the census form a group.
        women = [p for p in reg.persons(sex="female", age_min=18, age_at="2009-04-01")][:3]
        group = reg.add_group(youth.Group(
            name="Mujeres Emprendedoras de Sonsonate", window="female_window",
            operator_id=officer.id, formed_date=datetime.date(2009, 4, 1)))
        for woman in women:
            reg.add_group_member(youth.GroupMember(
                group_id=group.id, person_id=woman.id, operator_id=officer.id,
                joined_date=datetime.date(2009, 4, 2)))

        # Its plan, appraised, approved and funded in two disbursements.
        plan = reg.add_plan(youth.Plan(
            window="female_window", group_id=group.id, title="Panadería",
            sector="food", description="Pan dulce para las tiendas del barrio",
            requested="800.00", operator_id=officer.id,
            drafted_date=datetime.date(2009, 5, 1)))
        reg.submit_plan(plan, date=datetime.date(2009, 5, 2))
        reg.appraise_plan(plan, date=datetime.date(2009, 5, 3))
        reg.approve_plan(plan, date=datetime.date(2009, 5, 4), amount="700.00")
        for n, (day, amount) in enumerate([(datetime.date(2009, 5, 10), "400.00"),
                                           (datetime.date(2009, 6, 10), "300.00")], 1):
            reg.add_disbursement(youth.Disbursement(
                plan_id=plan.id, amount=amount, date=day, reference="CM-%d" % n,
                operator_id=officer.id))
        reg.add_visit(youth.Visit(
            plan_id=plan.id, date=datetime.date(2009, 7, 1), operating=True,
            jobs_created=2, monthly_sales="450.00", operator_id=officer.id))

        plan = reg.get_plan(plan.id)
        balance = reg.plan_balance(plan)
        print("group: %s, %d members, recorded by %s" % (
            group.name, len(women), reg.get_organisation(group.exchange_id).code))
        print("plan %d: %s, approved %s, disbursed %s, remaining %s" % (
            plan.id, plan.state, balance.approved, balance.disbursed, balance.remaining))
        for visit in reg.visits(plan):
            print("visit %s: operating %s, %d jobs" % (visit.date, visit.operating,
                                                        visit.jobs_created))

        # The window's own report: its indicators, internal (no suppression of small counts).
        report = reg.report(["women_group_plans", "women_reached", "female_window_disbursed"],
                            by=["window"], internal=True)
        for row in report.rows:
            print(row)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(os.path.join(tmp, "conamype.registry"))
