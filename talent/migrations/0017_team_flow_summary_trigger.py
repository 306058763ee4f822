"""Team flows follow the moves by trigger, as the organization flows do (0012): a move
arrives at the team of its stint arrived at (``team``, when it has one) and leaves the
team of its stint left (``from_team``); a change of team inside an organization is both."""

from django.db import migrations

SIDES = """
SELECT team_id AS team, true AS incoming, date, date_precision, {sign} AS sign
FROM {rows}
WHERE to_stint_id IS NOT NULL AND team_id IS NOT NULL
  AND team_id IS DISTINCT FROM from_team_id
UNION ALL
SELECT from_team_id, false, date, date_precision, {sign}
FROM {rows}
WHERE from_team_id IS NOT NULL
  AND (to_stint_id IS NULL OR from_team_id IS DISTINCT FROM team_id)
"""

UPSERT = """
INSERT INTO talent_teamflowmonth (team_id, month, year_only, incoming, count)
SELECT team, b.month, b.year_only, incoming, sum(sign)::int
FROM ({sides}) AS sides
CROSS JOIN LATERAL (
    SELECT coalesce(
               CASE WHEN date_precision = 'year' THEN date_trunc('year', date)
                    ELSE date_trunc('month', date) END::date,
               '0001-01-01'::date) AS month,
           coalesce(date_precision = 'year' AND date IS NOT NULL, false) AS year_only
) AS b
JOIN talent_team t ON t.id = sides.team
GROUP BY 1, 2, 3, 4
HAVING sum(sign) <> 0
ORDER BY 1, 2, 3, 4
ON CONFLICT (team_id, month, year_only, incoming)
DO UPDATE SET count = talent_teamflowmonth.count + EXCLUDED.count;
"""


def _function() -> str:
    inserted = UPSERT.format(sides=SIDES.format(rows="new_rows", sign="1"))
    deleted = UPSERT.format(sides=SIDES.format(rows="old_rows", sign="-1"))
    updated = UPSERT.format(
        sides=SIDES.format(rows="new_rows", sign="1")
        + " UNION ALL "
        + SIDES.format(rows="old_rows", sign="-1")
    )
    return f"""
CREATE OR REPLACE FUNCTION tt_teamflowmonth_follow() RETURNS trigger LANGUAGE plpgsql AS $$
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


FORWARD = (
    # Moves stored before from_team existed: fill it from their stints (the flow summary's
    # update trigger would only count each move out and in again).
    "ALTER TABLE talent_move DISABLE TRIGGER tt_flowmonth_follow_upd;"
    "UPDATE talent_move m SET from_team_id = s.team_id FROM talent_stint s "
    "WHERE s.id = m.from_stint_id AND s.team_id IS NOT NULL;"
    # Check the new foreign keys now, so no trigger event is pending for the ALTER below.
    "SET CONSTRAINTS ALL IMMEDIATE;"
    "ALTER TABLE talent_move ENABLE TRIGGER tt_flowmonth_follow_upd;"
    "SET CONSTRAINTS ALL DEFERRED;"
    + _function()
    + """
CREATE TRIGGER tt_teamflowmonth_follow_ins AFTER INSERT ON talent_move
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tt_teamflowmonth_follow();
CREATE TRIGGER tt_teamflowmonth_follow_del AFTER DELETE ON talent_move
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tt_teamflowmonth_follow();
CREATE TRIGGER tt_teamflowmonth_follow_upd AFTER UPDATE ON talent_move
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION tt_teamflowmonth_follow();
DELETE FROM talent_teamflowmonth;
"""
    + UPSERT.format(sides=SIDES.format(rows="talent_move", sign="1"))
)

BACKWARD = """
DROP TRIGGER IF EXISTS tt_teamflowmonth_follow_ins ON talent_move;
DROP TRIGGER IF EXISTS tt_teamflowmonth_follow_del ON talent_move;
DROP TRIGGER IF EXISTS tt_teamflowmonth_follow_upd ON talent_move;
DROP FUNCTION IF EXISTS tt_teamflowmonth_follow();
"""


class Migration(migrations.Migration):
    dependencies = [("talent", "0016_move_from_team_and_team_flow_summary")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
