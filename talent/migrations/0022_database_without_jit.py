"""PostgreSQL's JIT compiler for this database off: it compiles any plan whose estimated
cost is high, which for the pages' correlated counts took ~360 ms of a 0.5 s query that
runs in 60 ms without it. A web app's queries are short; compiling never pays here.

Set on the database, not per connection, so it holds through PgBouncer and on a replica
(the setting replicates with the catalog); new connections get it."""

from django.db import migrations

# A role that does not own the database may not alter it: it is told, and the migration
# goes on (the setting is a speed-up, not a need; docs/operations.md says how to set it).
FORWARD = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left on: only the owner of the database may set it (ALTER DATABASE ... SET jit = off)';
END $$;
"""
BACKWARD = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("talent", "0021_nearest_name_indexes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
