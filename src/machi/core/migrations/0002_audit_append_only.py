"""The database itself refuses UPDATE and DELETE on the audit log."""

from django.db import migrations

from machi.core.audit_triggers import create_triggers, drop_triggers


def forward(apps, schema_editor):
    create_triggers(schema_editor.connection)


def backward(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
