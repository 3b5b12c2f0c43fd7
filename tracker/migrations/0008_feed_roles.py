"""Administrators get the sharing app's permissions (the prevention feeds: keys, tokens, signals)."""

from django.db import migrations

from tracker.roles import sync_roles_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0007_merge_security_reports"),
        ("sharing", "0001_feeds"),
    ]

    operations = [migrations.RunPython(sync_roles_in_migration, migrations.RunPython.noop)]
