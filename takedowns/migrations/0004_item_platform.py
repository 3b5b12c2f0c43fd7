"""Items carry their request's platform, so per-platform item figures need no join; the
median time to removal reads a covering index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_request_platform(apps, schema_editor):
    TakedownItem = apps.get_model("takedowns", "TakedownItem")
    TakedownRequest = apps.get_model("takedowns", "TakedownRequest")
    TakedownItem.objects.update(
        platform_id=Subquery(
            TakedownRequest.objects.filter(pk=OuterRef("request_id")).values("platform_id")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_list_order_indexes"),
        ("takedowns", "0003_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltakedownitem",
            name="platform",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.platform",
                verbose_name="platform",
            ),
        ),
        migrations.AddField(
            model_name="takedownitem",
            name="platform",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="takedown_items",
                to="accounts.platform",
                verbose_name="platform",
            ),
        ),
        migrations.RunPython(copy_request_platform, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="takedownitem",
            name="platform",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="takedown_items",
                to="accounts.platform",
                verbose_name="platform",
            ),
        ),
        migrations.AddIndex(
            model_name="takedownitem",
            index=models.Index(fields=["platform", "outcome"], name="takedownitem_platform_idx"),
        ),
        migrations.AddIndex(
            model_name="takedownrequest",
            index=models.Index(
                condition=models.Q(
                    ("resolved_at__isnull", False),
                    ("status__in", ("actioned", "partially_actioned")),
                    ("submitted_at__isnull", False),
                ),
                fields=["platform"],
                include=("submitted_at", "resolved_at"),
                name="takedown_removal_time_idx",
            ),
        ),
    ]
