"""The monthly summaries follow every write to the tables they summarize, whatever makes it
(the moves rebuild, a cascade when a stint or person is deleted, a bulk update, COPY):
statement-level triggers turn each statement's transition tables into one upsert of deltas,
in key order so concurrent writers take row locks in the same order."""

from django.db import migrations

FLOW_SIDES = """
SELECT to_org_id AS org, from_org_id AS counterpart, true AS incoming,
       kind = 'return' AS is_return, date, date_precision, {sign} AS sign
FROM {rows} WHERE kind <> 'promotion' AND to_org_id IS NOT NULL
UNION ALL
SELECT from_org_id, to_org_id, false, false, date, date_precision, {sign}
FROM {rows} WHERE kind <> 'promotion' AND from_org_id IS NOT NULL
"""

FLOW_UPSERT = """
INSERT INTO talent_flowmonth
    (organization_id, month, year_only, counterpart_id, incoming, is_return, count)
SELECT org, b.month, b.year_only, counterpart, incoming, is_return, sum(sign)::int
FROM ({sides}) AS sides
CROSS JOIN LATERAL (
    SELECT coalesce(
               CASE WHEN date_precision = 'year' THEN date_trunc('year', date)
                    ELSE date_trunc('month', date) END::date,
               '0001-01-01'::date) AS month,
           coalesce(date_precision = 'year' AND date IS NOT NULL, false) AS year_only
) AS b
GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum(sign) <> 0
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT (organization_id, month, year_only, counterpart_id, incoming, is_return)
DO UPDATE SET count = talent_flowmonth.count + EXCLUDED.count;
"""

HEADCOUNT_SIDES = """
SELECT organization_id, date_trunc('month', start)::date AS month, {sign} AS d FROM {rows}
UNION ALL
SELECT organization_id, date_trunc('month', leave)::date, -({sign}) FROM {rows}
WHERE leave IS NOT NULL
"""

HEADCOUNT_UPSERT = """
INSERT INTO talent_headcountmonth (organization_id, month, delta)
SELECT organization_id, month, sum(d)::int FROM ({sides}) AS sides
GROUP BY 1, 2
HAVING sum(d) <> 0
ORDER BY 1, 2
ON CONFLICT (organization_id, month)
DO UPDATE SET delta = talent_headcountmonth.delta + EXCLUDED.delta;
"""


def _function(name: str, upsert: str, sides: str) -> str:
    inserted = upsert.format(sides=sides.format(rows="new_rows", sign="1"))
    deleted = upsert.format(sides=sides.format(rows="old_rows", sign="-1"))
    updated = upsert.format(
        sides=sides.format(rows="new_rows", sign="1")
        + " UNION ALL "
        + sides.format(rows="old_rows", sign="-1")
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {inserted}
    ELSIF TG_OP = 'DELETE' THEN
        {deleted}
    ELSE
        {updated}
    END IF;
    RETURN NULL;
END
$$;
"""


def _triggers(table: str, function: str) -> str:
    return f"""
CREATE TRIGGER {function}_ins AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_del AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_upd AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


FORWARD = (
    _function("tt_flowmonth_follow", FLOW_UPSERT, FLOW_SIDES)
    + _triggers("talent_move", "tt_flowmonth_follow")
    + _function("tt_headcountmonth_follow", HEADCOUNT_UPSERT, HEADCOUNT_SIDES)
    + _triggers("talent_presence", "tt_headcountmonth_follow")
    # Whatever was there before the triggers, counted once, set-based.
    + "DELETE FROM talent_flowmonth; DELETE FROM talent_headcountmonth;"
    + FLOW_UPSERT.format(sides=FLOW_SIDES.format(rows="talent_move", sign="1"))
    + HEADCOUNT_UPSERT.format(sides=HEADCOUNT_SIDES.format(rows="talent_presence", sign="1"))
)

BACKWARD = """
DROP TRIGGER IF EXISTS tt_flowmonth_follow_ins ON talent_move;
DROP TRIGGER IF EXISTS tt_flowmonth_follow_del ON talent_move;
DROP TRIGGER IF EXISTS tt_flowmonth_follow_upd ON talent_move;
DROP TRIGGER IF EXISTS tt_headcountmonth_follow_ins ON talent_presence;
DROP TRIGGER IF EXISTS tt_headcountmonth_follow_del ON talent_presence;
DROP TRIGGER IF EXISTS tt_headcountmonth_follow_upd ON talent_presence;
DROP FUNCTION IF EXISTS tt_flowmonth_follow();
DROP FUNCTION IF EXISTS tt_headcountmonth_follow();
"""


class Migration(migrations.Migration):
    dependencies = [("talent", "0014_flow_month_summary")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
