from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.principal_epoch import ensure_principal_triggers


async def principal_triggers(apps, schema_editor) -> None:
    await ensure_principal_triggers(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0007_console')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PrincipalEpoch',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('value', fields.BigIntField(default=0)),
            ],
            options={'table': 'principal_epoch', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One row whose value rises whenever an account, role, partner identity or API key changes.'},
            bases=['Model'],
        ),
        ops.RunPython(principal_triggers, reverse_code=ops.RunPython.noop),
    ]
