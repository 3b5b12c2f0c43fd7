"""A request with Urdu names and evidence of every kind, and the default letter template (a
transactional test's flush removes the migration's copy)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import evidence_capture
from takedowns.choices import Priority, RequestKind
from takedowns.letters.defaults import DEFAULT_TEMPLATE
from takedowns.letters.models import LetterTemplate
from tests.accounts.avatar_images import encoded, picture
from tests.factories import AccountFactory, GroupFactory, TakedownFactory

URDU_NAME = "صدائے حق"
URDU_GROUP = "لشکر طیبہ"


@pytest.fixture
def default_template(db):
    template, _created = LetterTemplate.objects.get_or_create(
        platform=None, kind="", defaults=DEFAULT_TEMPLATE
    )
    return template


@pytest.fixture
def package_request(platforms, analyst, supervisor, default_template, settings, tmp_path):
    """A removal request to X over three accounts: one Urdu-named with a file and a URL as
    evidence, one with captured text, one with none."""
    settings.MEDIA_ROOT = tmp_path
    x = platforms["x"]
    group = GroupFactory(name=URDU_GROUP)
    urdu = AccountFactory(
        platform=x, handle="sada_e_haq", display_name=URDU_NAME, platform_account_id="1442001"
    )
    urdu.groups.add(group)
    plain = AccountFactory(platform=x, handle="nawa_media", platform_account_id="99812")
    bare = AccountFactory(platform=x, handle="al_fath_26")
    evidence = [
        evidence_capture(
            account=urdu,
            user=analyst,
            file=SimpleUploadedFile("profile.png", encoded(picture(11)), "image/png"),
        ),
        evidence_capture(account=urdu, user=analyst, url="https://x.com/sada_e_haq/status/7"),
        evidence_capture(account=plain, user=analyst, text="Join us: t.me/nawa_media"),
    ]
    takedown = TakedownFactory(
        platform=x,
        created_by=analyst,
        kind=RequestKind.REMOVAL,
        priority=Priority.EMERGENCY,
        legal_basis="Section 37, Prevention of Electronic Crimes Act 2016",
        accounts=[urdu, plain, bare],
    )
    takedown.evidence = evidence
    takedown.accounts_in_order = [urdu, plain, bare]
    return takedown
