import csv
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.choices import AccountStatus, Authority
from accounts.models import Designation, Evidence, FlaggedAccount, Tag
from tests.accounts.avatar_images import encoded, picture
from tests.factories import AccountFactory, GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def let(platforms):
    group = GroupFactory(name="Lashkar-e-Tayyiba")
    group.aliases.create(name="لشکر طیبہ", name_key="لشکر طیبہ")
    group.aliases.create(name="LeT", name_key="let")
    return group


def entry(client, **data):
    return client.post(reverse("accounts:entry"), data)


# ------------------------------------------------------------------------------------------
# Quick entry
# ------------------------------------------------------------------------------------------


def test_entry_saves_account_with_groups_tags_and_evidence_and_keeps_groups(
    client, analyst, let, media
):
    client.force_login(analyst)
    shot = SimpleUploadedFile("shot.png", b"png bytes", "image/png")
    response = client.post(
        reverse("accounts:entry"),
        {
            "value": "https://t.me/Sada_e_Haq",
            "display_name": "صدائے حق",
            "groups": [let.pk],
            "tags": "first-batch, urdu",
            "evidence_files": [shot],
            "evidence_url": "https://web.archive.org/web/2026/t.me/sada_e_haq",
            "evidence_note": "profile page",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:entry')}?groups={let.pk}"
    account = FlaggedAccount.objects.get()
    assert (account.platform.slug, account.handle, account.display_name) == (
        "telegram",
        "Sada_e_Haq",
        "صدائے حق",
    )
    assert list(account.groups.all()) == [let]
    assert sorted(account.tags.values_list("name", flat=True)) == ["first-batch", "urdu"]
    evidence = {e.kind: e for e in account.evidence.all()}
    assert evidence["file"].sha256 == hashlib.sha256(b"png bytes").hexdigest()
    assert evidence["url"].url == "https://web.archive.org/web/2026/t.me/sada_e_haq"
    assert {e.note for e in evidence.values()} == {"profile page"}

    page = client.get(response["Location"])
    assert "Saved Telegram account Sada_e_Haq." in page.content.decode()
    chosen = page.context["form"].selected_groups()
    assert list(chosen) == [let]


def test_entry_refuses_duplicate_names_it_and_saves_nothing(client, analyst, platforms, media):
    existing = services.account_create(user=analyst, value="https://x.com/sada_ehaq")
    client.force_login(analyst)
    response = entry(
        client,
        value="https://mobile.twitter.com/SADA_EHAQ?s=20",
        evidence_url="https://example.org/capture",
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["value"]
    assert errors == ["X account “sada_ehaq” is already recorded (status: Active)."]
    assert response.context["duplicate"] == existing
    assert reverse("accounts:detail", args=[existing.pk]) in response.content.decode()
    assert FlaggedAccount.objects.count() == 1 and Evidence.objects.count() == 0


def test_entry_with_a_bad_evidence_file_saves_no_account(
    client, analyst, platforms, media, settings
):
    settings.EVIDENCE_MAX_BYTES = 4
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:entry"),
        {
            "value": "https://t.me/new_one",
            "evidence_files": [SimpleUploadedFile("a.png", b"12345")],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["evidence_files"] == [
        "The file is larger than the 0 MB allowed for evidence."
    ]
    assert FlaggedAccount.objects.count() == 0


def test_entry_bare_handle_needs_a_platform(client, analyst, platforms):
    client.force_login(analyst)
    response = entry(client, value="@sada_ehaq")
    assert response.status_code == 400
    assert response.context["form"].errors["platform"]
    assert entry(client, value="@sada_ehaq", platform="x").status_code == 302
    assert FlaggedAccount.objects.get().platform.slug == "x"


def test_entry_check_detects_platform_and_says_it_is_new(client, analyst, platforms):
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry_check"), {"value": "youtube.com/@nawa.media"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="entry-detected"' in html and "YouTube" in html
    assert 'data-testid="entry-new"' in html and "duplicate-warning" not in html


def test_entry_check_warns_of_an_existing_record(client, analyst, platforms):
    existing = services.account_create(user=analyst, value="https://t.me/sada_e_haq")
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry_check"), {"value": "t.me/SADA_E_HAQ"})
    html = response.content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert reverse("accounts:detail", args=[existing.pk]) in html


def test_entry_check_warns_of_a_likely_mirror_of_a_removed_account(client, analyst, platforms):
    removed = services.account_create(user=analyst, value="https://t.me/sada_e_haq")
    services.account_set_status(account=removed, user=analyst, status=AccountStatus.REMOVED)
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry_check"), {"value": "t.me/sada_e_haq_2"})
    html = response.content.decode()
    assert 'data-testid="mirror-warning"' in html and "similar handle" in html
    assert reverse("accounts:detail", args=[removed.pk]) in html
    assert "duplicate-warning" not in html


def test_entry_check_explains_input_it_cannot_read(client, analyst, platforms):
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry_check"), {"value": "https://example.org/x"})
    assert 'data-testid="entry-problem"' in response.content.decode()
    assert "example.org is not an address on" in response.content.decode()


def test_group_picker_finds_by_alias_in_arabic_script_and_leaves_out_chosen(client, analyst, let):
    other = GroupFactory(name="Lashkar i Jhangvi")
    client.force_login(analyst)
    found = client.get(reverse("accounts:group_picker"), {"group_q": "طیبہ"})
    assert list(found.context["groups"]) == [let]
    both = client.get(reverse("accounts:group_picker"), {"group_q": "Lashkar"})
    assert list(both.context["groups"]) == [other, let]  # by name: " " sorts before "-"
    minus = client.get(reverse("accounts:group_picker"), {"group_q": "Lashkar", "groups": let.pk})
    assert list(minus.context["groups"]) == [other]


# ------------------------------------------------------------------------------------------
# List, bulk actions, export
# ------------------------------------------------------------------------------------------


def _many_accounts(platforms, n, groups):
    tag = Tag.objects.create(name="batch")
    accounts = []
    for i in range(n):
        account = AccountFactory(
            platform=platforms["x" if i % 2 else "telegram"], handle=f"acct_{i:03d}"
        )
        account.groups.set(groups)
        account.tags.add(tag)
        accounts.append(account)
    return accounts


def test_account_list_queries_do_not_grow_with_rows(
    client, analyst, platforms, django_assert_max_num_queries
):
    groups = [GroupFactory(), GroupFactory()]
    _many_accounts(platforms, 40, groups)
    client.force_login(analyst)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("accounts:list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 40


def test_account_list_filters_sorts_and_paginates(client, analyst, platforms):
    _many_accounts(platforms, 60, [])
    client.force_login(analyst)
    telegram = client.get(reverse("accounts:list"), {"platform": "telegram", "sort": "handle"})
    page = telegram.context["page"]
    assert page.paginator.count == 30
    handles = [a.handle for a in page.object_list]
    assert handles[:3] == ["acct_000", "acct_002", "acct_004"] and handles == sorted(handles)
    descending = client.get(reverse("accounts:list"), {"sort": "-handle", "page": 2})
    assert [a.handle for a in descending.context["page"].object_list][:2] == [
        "acct_009",
        "acct_008",
    ]
    searched = client.get(reverse("accounts:list"), {"q": "acct_05"})
    assert searched.context["page"].paginator.count == 10


def test_account_list_htmx_request_returns_only_the_table(client, analyst, platforms):
    AccountFactory(platform=platforms["x"], handle="only_one")
    client.force_login(analyst)
    response = client.get(reverse("accounts:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "only_one" in html and "<html" not in html


def test_a_filtered_htmx_answer_redraws_the_export_links_with_its_filters(
    client, analyst, platforms
):
    client.force_login(analyst)
    response = client.get(
        reverse("accounts:list"), {"platform": "telegram", "q": "sada"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    actions = html[html.index('id="account-list-actions"') :]
    assert 'hx-swap-oob="true"' in html[: html.index("</div>", html.index("account-list-actions"))]
    for name in ("accounts:export", "accounts:export_xlsx"):
        assert f'{reverse(name)}?platform=telegram&amp;q=sada"' in actions
    full = client.get(reverse("accounts:list"), {"platform": "x"}).content.decode()
    assert "hx-swap-oob" not in full and f'{reverse("accounts:export")}?platform=x"' in full


def test_bulk_status_change_is_audited_for_each_account(client, analyst, platforms):
    a, b, c = _many_accounts(platforms, 3, [])
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:bulk"),
        {"ids": [a.pk, b.pk], "action": "status", "status": "reported", "next": "/accounts/?q=x"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/?q=x"
    statuses = dict(FlaggedAccount.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "reported", b.pk: "reported", c.pk: "active"}
    last = a.history.first()
    assert (last.history_user, last.history_change_reason) == (
        analyst,
        "bulk change in the account list",
    )


def test_bulk_action_without_ticks_changes_nothing_and_says_why(client, analyst, platforms):
    AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:bulk"), {"action": "status", "status": "removed"}, follow=True
    )
    assert "Tick at least one account first." in response.content.decode()
    assert FlaggedAccount.objects.get().status == "active"


def test_bulk_redirect_ignores_next_pointing_off_site(client, analyst, platforms):
    a = AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:bulk"),
        {"ids": [a.pk], "action": "status", "status": "reported", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("accounts:list")


def test_bulk_export_writes_the_ticked_accounts_as_safe_csv(client, analyst, platforms):
    group = GroupFactory(name="Jaish-i-Mohammed")
    safe = AccountFactory(platform=platforms["x"], handle="plain", display_name="ابو")
    safe.groups.add(group)
    formula = AccountFactory(platform=platforms["x"], handle="evil", display_name="=HYPERLINK(1)")
    AccountFactory(platform=platforms["x"], handle="not_ticked")
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:bulk"), {"ids": [safe.pk, formula.pk], "action": "export"}
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [(r["handle"], r["display_name"], r["groups"]) for r in rows] == [
        ("plain", "ابو", "Jaish-i-Mohammed"),
        ("evil", "'=HYPERLINK(1)", ""),
    ]


def test_export_all_matching_follows_the_filters(client, analyst, platforms):
    _many_accounts(platforms, 6, [])
    client.force_login(analyst)
    response = client.get(reverse("accounts:export"), {"platform": "x"})
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r["platform"] for r in rows} == {"x"} and len(rows) == 3


# ------------------------------------------------------------------------------------------
# Detail, evidence, status, mirrors
# ------------------------------------------------------------------------------------------


def test_detail_shows_evidence_hash_groups_designations_and_history(client, analyst, let, media):
    let.designations.create(authority="un", reference="QDe.118", source_record_id="QDe.118")
    account = services.account_create(
        user=analyst, value="https://x.com/sada_ehaq", groups=[let], reason="first batch"
    )
    services.evidence_capture(account=account, user=analyst, text="captured bio")
    services.account_set_status(account=account, user=analyst, status="reported", reason="sent")
    client.force_login(analyst)
    response = client.get(reverse("accounts:detail", args=[account.pk]))
    html = response.content.decode()
    assert hashlib.sha256(b"captured bio").hexdigest() in html
    assert "QDe.118" in html and "Lashkar-e-Tayyiba" in html
    history = response.context["history"]
    assert [e.kind for e in history] == ["changed", "changed", "created"]
    status_change = history[0].change_of("status")
    assert (status_change.old, status_change.new) == ("Active", "Reported")
    assert history[1].change_of("groups").new == "Lashkar-e-Tayyiba"
    assert [e.reason for e in response.context["status_timeline"]] == ["first batch", "sent"]


def test_detail_of_unknown_account_is_404(client, analyst, platforms):
    client.force_login(analyst)
    assert client.get(reverse("accounts:detail", args=[999])).status_code == 404


def test_evidence_added_on_the_detail_page(client, analyst, platforms, media):
    account = AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:evidence_add", args=[account.pk]),
        {"evidence_text": "bio says: join us", "evidence_note": "copied 10:02"},
    )
    assert response.status_code == 302
    evidence = account.evidence.get()
    assert (evidence.kind, evidence.text, evidence.note) == (
        "text",
        "bio says: join us",
        "copied 10:02",
    )


def test_evidence_form_without_anything_is_refused(client, analyst, platforms):
    account = AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(reverse("accounts:evidence_add", args=[account.pk]), {})
    assert response.status_code == 400
    assert response.context["evidence_form"].non_field_errors() == [
        "Attach a file, a URL or captured text."
    ]
    assert Evidence.objects.count() == 0


def test_evidence_file_is_downloaded_only_by_signed_in_staff(
    client, analyst, platforms, media, django_user_model
):
    account = AccountFactory(platform=platforms["x"])
    evidence = services.evidence_capture(
        account=account,
        user=analyst,
        file=SimpleUploadedFile("shot.png", encoded(picture(1)), "image/png"),
    )
    url = reverse("accounts:evidence_file", args=[evidence.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    response = client.get(url)
    served = b"".join(response.streaming_content)
    assert response.status_code == 200 and served == evidence.display_file.open().read()
    assert 'attachment; filename="shot.png"' in response["Content-Disposition"]


def test_status_change_from_the_detail_page(client, analyst, platforms):
    account = AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:status", args=[account.pk]), {"status": "suspended", "reason": "gone"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == "suspended"
    assert account.history.first().history_change_reason == "gone"


def test_group_pages_show_aliases_designations_and_counts(
    client, analyst, let, platforms, django_assert_max_num_queries
):
    let.designations.create(
        authority="pk_nacta", reference="", source_record_id="n-1", listed_on="2002-01-14"
    )
    for status in ("active", "removed", "removed"):
        AccountFactory(platform=platforms["telegram"], status=status).groups.add(let)
    for _ in range(5):
        GroupFactory().aliases.create(name="alias", name_key="alias")
    client.force_login(analyst)
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("accounts:groups"))
    row = next(g for g in listing.context["groups"] if g.pk == let.pk)
    assert (row.account_count, row.live_count) == (3, 1)
    detail = client.get(reverse("accounts:group_detail", args=[let.pk]))
    assert detail.context["counts"] == [
        {"slug": "telegram", "name": "Telegram", "total": 3, "active": 1, "removed": 2}
    ]
    assert "لشکر طیبہ" in detail.content.decode() and "2002-01-14" in detail.content.decode()


@pytest.mark.parametrize(
    "name",
    ["accounts:list", "accounts:entry", "accounts:groups", "accounts:export"],
)
def test_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_user_without_role_gets_the_403_page(client, django_user_model, platforms):
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    response = client.get(reverse("accounts:entry"))
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()


def test_entry_check_suggests_groups_named_in_the_handle(client, analyst, platforms):
    ttp = GroupFactory(name="Tehrik-e Taliban Pakistan")
    ttp.aliases.create(name="TTP", name_key="ttp")
    client.force_login(analyst)
    response = client.get(reverse("accounts:entry_check"), {"value": "https://t.me/TTP_media"})
    assert response.context["suggested_groups"] == [ttp]
    assert f'data-group="{ttp.pk}"' in response.content.decode()
    chosen = client.get(
        reverse("accounts:entry_check"), {"value": "https://t.me/TTP_media", "groups": ttp.pk}
    )
    assert chosen.context["suggested_groups"] == []


def test_group_list_filters_through_the_groups_filterset(client, analyst, let):
    other = GroupFactory(name="Jaish-e-Mohammed", country="Pakistan")
    Designation.objects.create(group=let, authority=Authority.UN, source_record_id="1")
    client.force_login(analyst)

    by_alias = client.get(reverse("accounts:groups"), {"q": "LeT"})
    by_authority = client.get(reverse("accounts:groups"), {"authority": Authority.UN})
    by_country = client.get(reverse("accounts:groups"), {"country": "pakistan"})

    assert list(by_alias.context["groups"]) == [let]
    assert list(by_authority.context["groups"]) == [let]
    assert list(by_country.context["groups"]) == [other]
