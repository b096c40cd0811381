"""Restore the composite unique constraints earlier SQLite migrations lost, removing duplicates first.

0002 and 0003 alter columns, which Tortoise does on SQLite by rebuilding the table; the rebuilt
`idempotency_record`, `role` and `partner_program` tables lost their unique (account, action, key),
(partner, name) and (partner, program). A database that served concurrent requests since may hold
duplicates: the oldest row of each group is kept, references to the others are moved to it, and
every removal is logged. On PostgreSQL nothing was lost and this changes nothing.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from models.integrity import restore_declared_schema


async def restore(apps, schema_editor) -> None:
    await restore_declared_schema(schema_editor.client, apps.get_models_iterable())


class Migration(migrations.Migration):
    dependencies = [('models', '0003_foreign_key_indexes')]

    initial = False

    operations = [
        ops.RunPython(restore, reverse_code=ops.RunPython.noop),
    ]
