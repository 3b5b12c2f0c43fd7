from django.core.management.base import BaseCommand

from tracker.demo import DemoSeeder


class Command(BaseCommand):
    help = "Load platforms, groups, demo users, ~500 accounts and ~60 requests (idempotent)."

    def handle(self, *args, **options):
        counts = DemoSeeder(stdout=self.stdout).run()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k}: {v}" for k, v in counts.items())))
