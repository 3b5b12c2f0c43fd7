"""Re-encrypt every disclosure under the newest DISCLOSURE_KEYS key (the middle of a rotation)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from takedowns.models import Disclosure


class Command(BaseCommand):
    help = (
        "Re-encrypt all disclosed data under the first key of DISCLOSURE_KEYS. Rotate keys by "
        "putting a new key first, running this, then removing the old key."
    )

    def handle(self, *args, **options):
        done = 0
        ids = list(Disclosure.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                for disclosure in Disclosure.objects.select_for_update().filter(
                    pk__in=ids[start : start + 500]
                ):
                    # Read with whichever key, written back under the newest one.
                    Disclosure.objects.filter(pk=disclosure.pk).update(data=disclosure.data)
                    done += 1
        self.stdout.write(f"Re-encrypted {done} disclosures under the newest key.")
