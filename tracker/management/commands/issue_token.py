"""manage.py issue_token USERNAME [--scope read|write] [--name N] [--expires-days D]: create an
API token and print its key, the only time it is ever shown."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from tracker.api.tokens import api_token_issue
from tracker.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user and print its key once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.READ,
            help="read (GET only, the default) or write.",
        )
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--expires-days", type=int, default=None, help="Expire after this many days."
        )

    def handle(self, *args, username, scope, name, expires_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        try:
            token, key = api_token_issue(
                user=user,
                name=name or f"{username} {scope} token",
                scope=scope,
                expires_at=expires_at,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "no expiry"
        self.stderr.write(
            f"Token “{token.name}” for {username}: scope {token.scope}, {expiry}. "
            "The key below is shown only now; store it safely."
        )
        self.stdout.write(key)
