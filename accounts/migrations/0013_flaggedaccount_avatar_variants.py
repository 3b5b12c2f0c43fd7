# Written by hand for Django 6.0.10 on 2026-12-02: the watch list stores the rotations and flips
# of every removed avatar and of its crops (FlaggedAccount.avatar_variants, one WatchAvatar row
# each), so that a check probes the upload's own hash only (accounts.mirrors.avatar_slices).
# Three migrations, so that no lock is held longer than its step needs: this one adds the
# accounts' field (a constant default: no table rewrite); 0014 gives WatchAvatar its bit(256)
# hash and the covering slice b-trees (it locks WatchAvatar only); 0015 hashes the watched
# avatars again from their files, a transaction per batch of accounts.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_watchavatar_16_slices"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="avatar_variants",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="avatar variant hashes"
            ),
        )
        for model in ("flaggedaccount", "historicalflaggedaccount")
    ]
