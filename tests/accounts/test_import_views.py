"""The import runs page, the review queue and group suggestions (accounts/import_views.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.importers.sources import ListFile
from accounts.models import DesignationImport, GroupMatchReview
from accounts.services.designation_imports import designation_import
from core.errors import DomainError
from tests.accounts.designation_files import sample
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/imports/"
QUEUE_URL = "/imports/reviews/"


def logged_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def pending_review(administrator) -> GroupMatchReview:
    services.group_create(user=administrator, name="Jaysh al-Muhajiroun wal-Ansar")
    csv = b"authority,name\npk_nacta,Jaish al-Muhajireen wal-Ansar\n"
    designation_import(source="nacta", list_file=ListFile("nacta.csv", csv), user=administrator)
    return GroupMatchReview.objects.get()


def test_urls_are_named():
    assert reverse("imports:list") == LIST_URL
    assert reverse("imports:reviews") == QUEUE_URL
    assert reverse("imports:decide", args=[7]) == "/imports/reviews/7/decide/"


# --- import runs -------------------------------------------------------------------------------


def test_import_list_needs_a_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_import_list_needs_a_role(client):
    assert logged_in(client, UserFactory(username="norole")).get(LIST_URL).status_code == 403


def test_import_list_shows_source_file_hash_counts_errors_and_who(client, analyst, administrator):
    run = designation_import(source="un", path_or_url=sample("un_sample.xml"), user=administrator)
    with pytest.raises(DomainError):
        designation_import(source="un", path_or_url=sample("truncated_un.xml"))
    failed = DesignationImport.objects.get(status="failed")

    response = logged_in(client, analyst).get(LIST_URL)

    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [failed.pk, run.pk]
    html = response.content.decode()
    row = html[html.index(f'id="import-{run.pk}"') :]
    for value in (str(sample("un_sample.xml")), run.file_sha256, ">4<", ">1<", "administrator"):
        assert value in row[: row.index("</tr>")]
    failed_row = html[html.index(f'id="import-{failed.pk}"') :]
    failed_row = failed_row[: failed_row.index("</tr>")]
    assert "looks truncated" in failed_row
    assert "system" in failed_row


def test_import_list_queries_do_not_grow_with_runs(client, analyst, administrator,
                                                   django_assert_max_num_queries):  # fmt: skip
    for _ in range(30):
        DesignationImport.objects.create(source="un", file_name="un.xml", started_by=administrator)
    client = logged_in(client, analyst)

    # session, user, permissions (2), count, page
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)
    assert len(response.context["page"]) == 30


# --- review queue -----------------------------------------------------------------------------


def test_review_queue_is_for_supervisors(client, analyst, supervisor, pending_review):
    assert logged_in(client, analyst).get(QUEUE_URL).status_code == 403

    response = logged_in(Client(), supervisor).get(QUEUE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Jaish al-Muhajireen wal-Ansar" in html
    assert "Jaysh al-Muhajiroun wal-Ansar" in html
    assert f'action="/imports/reviews/{pending_review.pk}/decide/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="merge"' in html and 'value="keep_apart"' in html


def test_review_queue_queries_do_not_grow_with_reviews(client, supervisor, administrator,
                                                       django_assert_max_num_queries):  # fmt: skip
    run = DesignationImport.objects.create(source="nacta", file_name="nacta.csv")
    for number in range(5):
        entry = services.group_create(user=administrator, name=f"Entry {number}")
        candidate = services.group_create(user=administrator, name=f"Candidate {number}")
        designation, _ = services.designation_record(
            user=administrator, group=entry, authority="pk_nacta", source_record_id=str(number)
        )
        GroupMatchReview.objects.create(
            import_run=run, designation=designation, candidate=candidate, score=0.8
        )
    client = logged_in(client, supervisor)

    # session, user, permissions (2), count, page, designations of both groups
    with django_assert_max_num_queries(8):
        response = client.get(QUEUE_URL)
    assert len(response.context["page"]) == 5


def test_supervisor_merges_from_the_queue(client, supervisor, pending_review):
    url = reverse("imports:decide", args=[pending_review.pk])

    response = logged_in(client, supervisor).post(url, {"decision": "merge"}, follow=True)

    pending_review.refresh_from_db()
    assert (pending_review.status, pending_review.decided_by) == ("merged", supervisor)
    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "Merged into “Jaysh al-Muhajiroun wal-Ansar”." in response.content.decode()


def test_supervisor_keeps_apart_from_the_queue(client, supervisor, pending_review):
    url = reverse("imports:decide", args=[pending_review.pk])

    logged_in(client, supervisor).post(url, {"decision": "keep_apart"})

    pending_review.refresh_from_db()
    assert pending_review.status == "kept_apart"


def test_deciding_twice_says_so(client, supervisor, pending_review):
    url = reverse("imports:decide", args=[pending_review.pk])
    client = logged_in(client, supervisor)
    client.post(url, {"decision": "keep_apart"})

    response = client.post(url, {"decision": "merge"}, follow=True)

    assert "This match was already decided." in response.content.decode()
    pending_review.refresh_from_db()
    assert pending_review.status == "kept_apart"


def test_decide_refuses_an_unknown_decision(client, supervisor, pending_review):
    url = reverse("imports:decide", args=[pending_review.pk])

    response = logged_in(client, supervisor).post(url, {"decision": "delete"}, follow=True)

    assert "Choose to merge or to keep apart." in response.content.decode()
    pending_review.refresh_from_db()
    assert pending_review.status == "pending"


def test_decide_is_post_only_with_csrf_and_for_supervisors(client, analyst, supervisor,
                                                          pending_review):  # fmt: skip
    url = reverse("imports:decide", args=[pending_review.pk])
    assert logged_in(Client(), supervisor).get(url).status_code == 405
    assert logged_in(client, analyst).post(url, {"decision": "merge"}).status_code == 403
    strict = logged_in(Client(enforce_csrf_checks=True), supervisor)
    assert strict.post(url, {"decision": "merge"}).status_code == 403
    assert (
        logged_in(Client(), supervisor).post("/imports/reviews/999999/decide/").status_code == 404
    )
    pending_review.refresh_from_db()
    assert pending_review.status == "pending"
