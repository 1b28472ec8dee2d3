-- The straightforward SQL an analyst would write for the report that bench-report times:
-- every count and sum of the built-in indicators (docs/indicators.md) by municipality x sex x
-- age band at 2009-12-31, one GROUP BY per indicator, run with the sqlite3 shell or, in the
-- benchmark, through the C API on the same file in the same run.  It gives the engine every
-- advantage: no margins (SQLite has no ROLLUP; each would be another query), no disclosure
-- control, no ratios (computed afterwards from two columns).
--
-- Each query follows a line `-- indicator: NAME`: bench/bench_report.c checks that its cells
-- add up to the engine's total of NAME.
--
-- Persons with their municipality (the ancestor of their place at level 2) and age band.
CREATE TEMP VIEW pp AS
WITH RECURSIVE anc(id, muni) AS (
  SELECT id, id FROM place WHERE level = 2
  UNION ALL SELECT p.id, anc.muni FROM place p JOIN anc ON p.parent_id = anc.id)
SELECT per.id AS pid, anc.muni AS muni, per.sex AS sex,
  CASE WHEN per.birth_date > '1993-12-31' THEN 'other'
       WHEN per.birth_date > '1991-12-31' THEN '16-17'
       WHEN per.birth_date > '1988-12-31' THEN '18-20'
       WHEN per.birth_date > '1984-12-31' THEN '21-24'
       ELSE 'other' END AS band
FROM person per JOIN anc ON anc.id = per.place_id;

-- indicator: census
SELECT muni, sex, band, count(*) FROM pp GROUP BY 1, 2, 3;

-- indicator: counselled
SELECT muni, sex, band, count(DISTINCT x.person_id) FROM counselling_participant x
  JOIN counselling_session s ON s.id = x.session_id JOIN pp ON pp.pid = x.person_id
  WHERE x.attended = 1 AND s.state = 2 GROUP BY 1, 2, 3;

-- indicator: courses_applied
SELECT muni, sex, band, count(DISTINCT e.person_id) FROM enrollment e
  JOIN pp ON pp.pid = e.person_id GROUP BY 1, 2, 3;

-- indicator: courses_enrolled
SELECT muni, sex, band, count(DISTINCT e.person_id) FROM enrollment e
  JOIN pp ON pp.pid = e.person_id
  WHERE e.state IN (2, 3) OR (e.state = 4 AND e.attendance IS NOT NULL) GROUP BY 1, 2, 3;

-- indicator: courses_started
SELECT muni, sex, band, count(DISTINCT e.person_id) FROM enrollment e
  JOIN pp ON pp.pid = e.person_id WHERE e.attendance >= 1 GROUP BY 1, 2, 3;

-- indicator: courses_completed
SELECT muni, sex, band, count(DISTINCT e.person_id) FROM enrollment e
  JOIN pp ON pp.pid = e.person_id WHERE e.state = 3 GROUP BY 1, 2, 3;

-- indicator: courses_certified
SELECT muni, sex, band, count(DISTINCT e.person_id) FROM enrollment e
  JOIN pp ON pp.pid = e.person_id WHERE e.certificate_date IS NOT NULL GROUP BY 1, 2, 3;

-- indicator: scholarships_awarded
SELECT muni, sex, band, count(DISTINCT s.person_id) FROM scholarship s
  JOIN pp ON pp.pid = s.person_id WHERE s.state IN (2, 3, 4, 5) GROUP BY 1, 2, 3;

-- indicator: scholarships_active
SELECT muni, sex, band, count(DISTINCT s.person_id) FROM scholarship s
  JOIN pp ON pp.pid = s.person_id WHERE s.state = 3 GROUP BY 1, 2, 3;

-- indicator: scholarships_completed
SELECT muni, sex, band, count(DISTINCT s.person_id) FROM scholarship s
  JOIN pp ON pp.pid = s.person_id WHERE s.state = 4 GROUP BY 1, 2, 3;

-- indicator: scholarships_terminated
SELECT muni, sex, band, count(DISTINCT s.person_id) FROM scholarship s
  JOIN pp ON pp.pid = s.person_id WHERE s.state = 5 GROUP BY 1, 2, 3;

-- indicator: stipend_owed
SELECT muni, sex, band, sum(i.amount) FROM scholarship_installment i
  JOIN scholarship s ON s.id = i.scholarship_id JOIN pp ON pp.pid = s.person_id
  WHERE i.state = 1 GROUP BY 1, 2, 3;

-- indicator: stipend_paid
SELECT muni, sex, band, sum(y.amount) FROM scholarship_payment y
  JOIN scholarship s ON s.id = y.scholarship_id JOIN pp ON pp.pid = s.person_id
  GROUP BY 1, 2, 3;

-- indicator: seed_capital_youths
SELECT muni, sex, band, count(DISTINCT x.pid) FROM (
    SELECT person_id AS pid FROM enterprise_plan
      WHERE fund_window = 1 AND state IN (6, 7, 8) AND person_id IS NOT NULL
    UNION ALL
    SELECT m.person_id FROM enterprise_plan p JOIN enterprise_member m ON m.group_id = p.group_id
      WHERE p.fund_window = 1 AND p.state IN (6, 7, 8)) x
  JOIN pp ON pp.pid = x.pid GROUP BY 1, 2, 3;

-- indicator: plans_approved
SELECT muni, sex, band, count(*) FROM enterprise_plan p
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 1 AND p.state IN (4, 6, 7, 8) GROUP BY 1, 2, 3;

-- indicator: plans_funded
SELECT muni, sex, band, count(*) FROM enterprise_plan p
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 1 AND p.state IN (6, 7, 8) GROUP BY 1, 2, 3;

-- indicator: seed_capital_disbursed
SELECT muni, sex, band, sum(d.amount) FROM enterprise_disbursement d
  JOIN enterprise_plan p ON p.id = d.plan_id
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 1 GROUP BY 1, 2, 3;

-- indicator: plans_operating
SELECT muni, sex, band, count(*) FROM enterprise_visit v
  JOIN enterprise_plan p ON p.id = v.plan_id
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 1 AND v.operating = 1
    AND v.date = (SELECT max(date) FROM enterprise_visit l WHERE l.plan_id = v.plan_id)
  GROUP BY 1, 2, 3;

-- indicator: women_group_plans
SELECT muni, sex, band, count(*) FROM enterprise_plan p
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 2 AND p.state IN (6, 7, 8) GROUP BY 1, 2, 3;

-- indicator: women_reached
SELECT muni, sex, band, count(DISTINCT x.pid) FROM (
    SELECT person_id AS pid FROM enterprise_plan
      WHERE fund_window = 2 AND state IN (6, 7, 8) AND person_id IS NOT NULL
    UNION ALL
    SELECT m.person_id FROM enterprise_plan p JOIN enterprise_member m ON m.group_id = p.group_id
      WHERE p.fund_window = 2 AND p.state IN (6, 7, 8)) x
  JOIN pp ON pp.pid = x.pid GROUP BY 1, 2, 3;

-- indicator: female_window_disbursed
SELECT muni, sex, band, sum(d.amount) FROM enterprise_disbursement d
  JOIN enterprise_plan p ON p.id = d.plan_id
  JOIN pp ON pp.pid = coalesce(p.person_id, (SELECT m.person_id FROM enterprise_member m
                                             WHERE m.group_id = p.group_id ORDER BY m.id LIMIT 1))
  WHERE p.fund_window = 2 GROUP BY 1, 2, 3;

-- indicator: followed_3m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 3 GROUP BY 1, 2, 3;

-- indicator: employed_3m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 3 AND f.status IN (1, 2, 3)
  GROUP BY 1, 2, 3;

-- indicator: employed_formal_3m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 3 AND f.status = 1 GROUP BY 1, 2, 3;

-- indicator: followed_6m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 6 GROUP BY 1, 2, 3;

-- indicator: employed_6m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 6 AND f.status IN (1, 2, 3)
  GROUP BY 1, 2, 3;

-- indicator: employed_formal_6m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 6 AND f.status = 1 GROUP BY 1, 2, 3;

-- indicator: followed_12m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 12 GROUP BY 1, 2, 3;

-- indicator: employed_12m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 12 AND f.status IN (1, 2, 3)
  GROUP BY 1, 2, 3;

-- indicator: employed_formal_12m
SELECT muni, sex, band, count(DISTINCT f.person_id) FROM followup f
  JOIN pp ON pp.pid = f.person_id WHERE f.horizon_months = 12 AND f.status = 1 GROUP BY 1, 2, 3;
