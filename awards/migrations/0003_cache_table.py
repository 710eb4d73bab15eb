"""The database cache's table, so that `migrate` alone readies the production default.

Created by name whatever CACHE_URL says today, so that switching to the database cache later
needs no extra step. The rate-limit counters live in it (see CACHES in config/settings.py).
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "django_cache"


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_results_published_and_audit_chain")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
