from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# unaccent() is only STABLE (it reads a dictionary), so it cannot back an index. This
# wrapper pins the dictionary and is declared IMMUTABLE, the usual way to index
# accent-insensitive look-ups in PostgreSQL.
CREATE_NORMALIZE = """
CREATE OR REPLACE FUNCTION tt_normalize(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE_NORMALIZE, "DROP FUNCTION IF EXISTS tt_normalize(text);"),
    ]
