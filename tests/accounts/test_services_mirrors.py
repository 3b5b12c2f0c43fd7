"""accounts/services/mirrors.py: the watch list, scoring at every door, decisions, suppression
and the refit of the model."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.choices import AccountStatus, MirrorStatus, WatchSignalKind
from accounts.models import FlaggedAccount, MirrorCandidate, MirrorModel, WatchSignal
from accounts.tasks import mirror_model_refit_task
from core.errors import DomainError, NotAllowed

from ..factories import GroupFactory
from .avatar_images import avatar_upload, encoded, picture, upload

pytestmark = pytest.mark.django_db

CYRILLIC_O = "\u043e"
URDU_NAME = "\u0627\u0628\u0648 \u062d\u0645\u0632\u06c1 \u062e\u0631\u0627\u0633\u0627\u0646\u06cc"


def removed_account(user, **fields):
    fields.setdefault("platform", "telegram")
    account = services.account_create(user=user, **fields)
    return services.account_set_status(account=account, user=user, status=AccountStatus.REMOVED)


def top(account):
    return MirrorCandidate.objects.filter(account=account).order_by("-score").first()


def contributions(candidate):
    return {f["name"]: f["contribution"] for f in candidate.features}


def test_removal_indexes_the_signals_and_restoring_withdraws_them(analyst, platforms):
    group = GroupFactory()
    account = services.account_create(
        user=analyst, value="sada_haq", platform="telegram", display_name="Sada-e-Haq",
        bio="t.me/sada_haq_news +92 333 1234567", groups=[group],
    )  # fmt: skip
    assert not WatchSignal.objects.exists()
    services.account_set_status(account=account, user=analyst, status=AccountStatus.REMOVED)
    kinds = set(WatchSignal.objects.filter(account=account).values_list("kind", "value"))
    assert {
        (WatchSignalKind.CONTACT, "tg:sada_haq_news"),
        (WatchSignalKind.CONTACT, "tel:+923331234567"),
        (WatchSignalKind.GROUP, str(group.pk)),
        (WatchSignalKind.HANDLE, "sadahaq"),
    } <= kinds
    services.account_set_status(account=account, user=analyst, status=AccountStatus.ACTIVE)
    assert not WatchSignal.objects.filter(account=account).exists()


def test_an_account_logged_as_removed_goes_on_the_watch_list(analyst, platforms):
    account = services.account_create(
        user=analyst, value="sada_haq", platform="x", status=AccountStatus.REMOVED
    )
    assert WatchSignal.objects.filter(account=account, kind=WatchSignalKind.HANDLE).exists()


@pytest.mark.parametrize(
    ("trick", "handle", "display_name"),
    [
        ("digits", "umar_khorasani_2", "Umar Khorasani"),
        ("affix", "umar_khorasani_official", "Umar Khorasani"),
        ("leetspeak", "um4r_kh0r4s4ni", "Umar Khorasani"),
        ("transposition", "umra_khorasani", "Umar Khorasani"),
        ("doubled letters", "umaar_khorassani", "Umar Khorasani"),
        # Handles are ASCII on these platforms: "rn" for "m", "l" for "i"; names take Cyrillic.
        ("look-alike letters", "urnar_khorasanl", f"Umar Kh{CYRILLIC_O}rasani"),
        (
            "urdu-script name",
            "umar_khorasani_tv",
            URDU_NAME.replace("\u0627\u0628\u0648", "\u0639\u0645\u0631"),
        ),
        ("combined", "Um4r_Khorassanl_0fficial_2", f"Um{CYRILLIC_O}r Khorasani"),
    ],
)
def test_each_trick_is_detected_as_a_strong_mirror(analyst, platforms, trick, handle, display_name):
    original = removed_account(
        analyst, value="umar_khorasani", display_name="Umar Khorasani", platform="telegram"
    )
    removed_account(analyst, value="bilal_waziri", display_name="Bilal Waziri")
    mirror = services.account_create(
        user=analyst, value=handle, platform="telegram", display_name=display_name
    )
    candidate = top(mirror)
    assert candidate.removed_account == original, trick
    assert candidate.strong and contributions(candidate)["handle"] > 3


def test_a_group_moving_to_another_platform_is_found(analyst, platforms):
    original = removed_account(
        analyst, value="umar_khorasani", platform="x", display_name="Umar Khorasani"
    )
    mirror = services.account_create(
        user=analyst, value="t.me/umar_khorasani_official", display_name="Umar Khorasani"
    )
    candidate = top(mirror)
    assert candidate.removed_account == original and candidate.strong
    assert contributions(candidate)["same_platform"] == 0


def test_a_fresh_handle_with_the_same_avatar_is_found(analyst, platforms):
    original = removed_account(analyst, value="umar_khorasani", avatar=avatar_upload(11))
    copy = upload(encoded(picture(11).resize((128, 128)), "JPEG", quality=50), "a.jpg")
    mirror = services.account_create(user=analyst, value="qalam_e_nur", platform="x", avatar=copy)
    candidate = top(mirror)
    avatar = next(f for f in candidate.features if f["name"] == "avatar")
    assert candidate.removed_account == original and candidate.strong
    assert avatar["detail"]["distance"] <= 31


@pytest.mark.parametrize(
    ("original_bio", "mirror_bio"),
    [
        ("Join https://t.me/khorasan_voice/", "new home: telegram.me/khorasan_voice"),
        ("WhatsApp +92 333 1234567", "rabta: wa.me/923331234567"),
    ],
)
def test_a_fresh_handle_with_the_same_contact_point_is_found(
    analyst, platforms, original_bio, mirror_bio
):
    original = removed_account(analyst, value="umar_khorasani", bio=original_bio)
    mirror = services.account_create(
        user=analyst, value="qalam_e_nur", platform="x", bio=mirror_bio
    )
    candidate = top(mirror)
    assert candidate.removed_account == original and candidate.strong


@pytest.mark.parametrize(
    ("handle", "display_name"),
    [
        ("umar_waziri_news", "Umar Waziri"),  # one word in common
        ("pakistan_news_live", "Pakistan News Live"),  # common words only
        ("geo_news", "Geo News"),  # a popular outlet
    ],
)
def test_hard_negatives_are_not_strong(analyst, platforms, handle, display_name):
    group = GroupFactory()
    removed_account(analyst, value="umar_khorasani", display_name="Umar Khorasani", groups=[group])
    removed_account(analyst, value="pakistan_news", display_name="Pakistan News", groups=[group])
    removed_account(analyst, value="geo_news_leaks", display_name="Geo News Leaks")
    other = services.account_create(
        user=analyst, value=handle, platform="telegram", display_name=display_name, groups=[group]
    )
    assert not MirrorCandidate.objects.filter(account=other, strong=True).exists()


def test_a_value_shared_by_many_watched_accounts_is_down_weighted(analyst, platforms):
    for n in range(9):
        removed_account(analyst, value=f"someone_{'abcdefghi'[n]}_page", bio="links: bit.ly/khabar")
    removed_account(analyst, value="umar_khorasani", bio="links: t.me/rare_channel")
    shared = services.mirror_check(platform="x", handle="qalam_nur", bio="bit.ly/khabar")
    rare = services.mirror_check(platform="x", handle="qalam_nur", bio="t.me/rare_channel")
    contact = lambda found: next(f for f in found.features if f["name"] == "contact")  # noqa: E731
    assert contact(shared[0])["contribution"] < contact(rare[0])["contribution"] / 2
    assert not shared[0].strong and rare[0].strong


def test_a_suppressed_signal_is_not_counted(analyst, supervisor, platforms):
    original = removed_account(analyst, value="umar_khorasani", bio="t.me/khorasan_voice")
    before = services.mirror_check(platform="x", handle="qalam_nur", bio="@khorasan_voice")
    with pytest.raises(NotAllowed):
        services.signal_suppress(kind="contact", value="tg:khorasan_voice", user=analyst)
    services.signal_suppress(
        kind="contact", value="tg:khorasan_voice", user=supervisor, reason="a public channel"
    )
    after = services.mirror_check(platform="x", handle="qalam_nur", bio="@khorasan_voice")
    assert before[0].removed_account == original and before[0].strong
    assert all(f["contribution"] == 0 for c in after for f in c.features if f["name"] == "contact")
    assert not any(c.strong for c in after)


def test_signal_suppress_refuses_an_unknown_kind(supervisor):
    with pytest.raises(DomainError) as exc:
        services.signal_suppress(kind="colour", value="red", user=supervisor)
    assert exc.value.field == "kind"


def test_a_rejected_pair_is_never_suggested_again(analyst, supervisor, platforms):
    removed_account(analyst, value="umar_khorasani", display_name="Umar Khorasani")
    mirror = services.account_create(
        user=analyst, value="umar_khorasani_2", platform="telegram", display_name="Umar Khorasani"
    )
    services.mirror_decide(candidate=top(mirror), user=supervisor, confirm=False)
    services.account_update(account=mirror, user=analyst, display_name="Umar Khorasani Official")
    services.mirror_candidates_refresh(account=mirror)
    assert list(
        MirrorCandidate.objects.filter(account=mirror).values_list("status", flat=True)
    ) == [MirrorStatus.REJECTED]
    assert (
        services.mirror_check(
            platform="telegram", handle="umar_khorasani_2", exclude_account=mirror
        )
        == []
    )


def test_confirming_links_the_mirror_and_copies_the_groups(analyst, supervisor, platforms):
    group = GroupFactory()
    original = removed_account(analyst, value="umar_khorasani", groups=[group])
    mirror = services.account_create(user=analyst, value="umar_khorasani_2", platform="telegram")
    services.mirror_decide(candidate=top(mirror), user=supervisor, confirm=True)
    mirror.refresh_from_db()
    assert mirror.mirror_of == original and list(mirror.groups.all()) == [group]


def test_mirror_check_writes_nothing(analyst, platforms):
    removed_account(analyst, value="umar_khorasani", display_name="Umar Khorasani")
    counts = (FlaggedAccount.objects.count(), MirrorCandidate.objects.count())
    with CaptureQueriesContext(connection) as queries:
        found = services.mirror_check(
            platform="telegram", handle="umar_khorasani_2", display_name="Umar Khorasani",
            avatar=avatar_upload(12),
        )  # fmt: skip
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert found and found[0].strong
    assert writes == []
    assert (FlaggedAccount.objects.count(), MirrorCandidate.objects.count()) == counts


def test_a_bad_avatar_is_refused_and_nothing_is_saved(analyst, platforms):
    with pytest.raises(DomainError) as exc:
        services.account_create(
            user=analyst, value="umar_khorasani", platform="x", avatar=upload(b"not an image")
        )
    assert exc.value.field == "avatar"
    assert not FlaggedAccount.objects.exists()


def test_bulk_create_scores_every_row(analyst, platforms):
    original = removed_account(analyst, value="umar_khorasani", display_name="Umar Khorasani")
    result = services.accounts_bulk_create(
        user=analyst,
        rows=[
            {
                "handle": "umar_khorasani_2",
                "platform": "telegram",
                "display_name": "Umar Khorasani",
            },
            {"handle": "bilal_waziri", "platform": "x"},
        ],
    )
    first, second = result.created
    assert top(first).removed_account == original and top(first).strong
    assert top(second) is None


def _decided(analyst, supervisor, n):
    """n removed accounts, each with a mirror (confirmed) and a look-alike (rejected)."""
    names = ["umar", "bilal", "hamza", "talha", "khalid", "zubair", "usman", "qasim", "tariq"]
    places = ["khorasani", "waziri", "mehsud", "afridi", "swati", "baluch"]
    for i in range(n):
        base = f"{names[i % len(names)]}_{places[(i // len(names)) % len(places)]}"
        removed_account(analyst, value=base, platform="telegram", display_name=base.title())
        mirror = services.account_create(user=analyst, value=f"{base}_{i}", platform="telegram")
        services.mirror_decide(candidate=top(mirror), user=supervisor, confirm=True)
        lookalike = services.account_create(user=analyst, value=f"{base}x{i}", platform="telegram")
        if top(lookalike):
            services.mirror_decide(candidate=top(lookalike), user=supervisor, confirm=False)


def test_the_model_is_refitted_from_decisions_and_its_version_recorded(
    analyst, supervisor, platforms
):
    _decided(analyst, supervisor, 30)
    assert MirrorCandidate.objects.filter(status=MirrorStatus.REJECTED).count() >= 20
    assert set(MirrorCandidate.objects.values_list("model_version", flat=True)) == {1}
    result = mirror_model_refit_task()
    again = mirror_model_refit_task()
    model = MirrorModel.objects.get(active=True)
    assert result["version"] == again["version"] == model.version == 2
    assert MirrorModel.objects.count() == 1
    assert (
        model.trained_on + model.held_back
        == MirrorCandidate.objects.exclude(status=MirrorStatus.SUGGESTED).count()
    )
    assert set(model.weights) >= {"handle", "avatar", "contact"}
    removed_account(analyst, value="fateh_noori_x", display_name="Fateh Noori")
    mirror = services.account_create(user=analyst, value="fateh_noori_x_2", platform="telegram")
    assert top(mirror).model_version == 2


def test_too_few_decisions_keep_the_default_model(analyst, supervisor, platforms):
    _decided(analyst, supervisor, 3)
    assert services.mirror_model_refit() is None
    assert not MirrorModel.objects.exists()


def test_a_suppressed_avatar_is_not_counted_even_re_encoded(analyst, supervisor, platforms):
    original = removed_account(analyst, value="umar_khorasani", avatar=avatar_upload(13))
    copy = upload(encoded(picture(13), "JPEG", quality=60), "a.jpg")
    services.signal_suppress(
        kind="avatar", value=original.avatar_pdq, user=supervisor, reason="platform default"
    )
    found = services.mirror_check(platform="x", handle="qalam_nur", avatar=copy)
    avatar = [f for c in found for f in c.features if f["name"] == "avatar"]
    assert [c.removed_account for c in found] == [original]
    assert all(f["contribution"] == 0 and f["detail"].get("suppressed") for f in avatar)


def test_a_bulk_status_change_to_removed_fills_the_watch_list(analyst, platforms):
    accounts = [
        services.account_create(user=analyst, value=f"sada_haq_{n}", platform="x") for n in range(3)
    ]
    services.accounts_bulk_set_status(accounts=accounts, user=analyst, status=AccountStatus.REMOVED)
    assert set(WatchSignal.objects.values_list("account_id", flat=True)) == {a.pk for a in accounts}
