from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.contact_masks import ensure_contact_masks


async def contact_masks(apps, schema_editor) -> None:
    # The triggers that keep the masked copies, and the copies of the rows already there.
    await ensure_contact_masks(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [('models', '0008_principal_epoch')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Account',
            name='email_masked',
            field=fields.CharField(default='***', db_default='***', max_length=258),
        ),
        ops.AddField(
            model_name='Account',
            name='mobile_masked',
            field=fields.CharField(default='***', db_default='***', max_length=40),
        ),
        ops.RunPython(contact_masks, reverse_code=ops.RunPython.noop),
    ]
