"""Imports and match decisions from the admin (accounts/admin.py): the same services as every
other door."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.importers.sources import ListFile
from accounts.models import Designation, DesignationImport, GroupMatchReview, ProscribedGroup
from accounts.services.designation_imports import designation_import
from tests.accounts.designation_files import sample

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/accounts/designationimport/add/"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name).read_bytes())


def test_add_shows_the_upload_form(admin_client):
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<option value="nacta">' in html


def test_uploaded_list_is_imported_by_the_administrator(admin_client, administrator):
    response = admin_client.post(ADD_URL, {"source": "un", "file": upload("un_sample.xml")})

    run = DesignationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_designationimport_change", args=[run.pk])
    assert (run.status, run.created_count, run.started_by) == ("succeeded", 4, administrator)
    assert run.file_name == "un_sample.xml"
    assert {h.history_user for h in Designation.history.all()} == {administrator}


def test_uploaded_ofac_csv_takes_its_alt_file(admin_client):
    admin_client.post(
        ADD_URL,
        {
            "source": "ofac",
            "file": upload("ofac_sdn_sample.csv"),
            "alt_file": upload("ofac_alt_sample.csv"),
        },
    )

    run = DesignationImport.objects.get()
    assert run.file_name == "ofac_sdn_sample.csv (aliases: ofac_alt_sample.csv)"
    let = Designation.objects.get(authority="us_fto", source_record_id="7140")
    assert "ARMY OF THE PURE" in let.aliases_as_listed


def test_refused_upload_shows_the_error_on_the_failed_run(admin_client):
    response = admin_client.post(
        ADD_URL, {"source": "un", "file": upload("billion_laughs.xml")}, follow=True
    )

    run = DesignationImport.objects.get()
    assert run.status == "failed"
    assert response.redirect_chain[-1][0] == reverse(
        "admin:accounts_designationimport_change", args=[run.pk]
    )
    assert "The file declares a DTD or entities" in response.content.decode()
    assert ProscribedGroup.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "un"}, "Upload a file or give its URL (one of the two)."),
        (
            {"source": "un", "file": "un_sample.xml", "alt_file": "ofac_alt_sample.csv"},
            "An alt.csv goes with an uploaded OFAC sdn.csv only.",
        ),
    ],
)
def test_upload_form_errors_import_nothing(admin_client, data, message):
    data = {key: upload(value) if key.endswith("file") else value for key, value in data.items()}

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert DesignationImport.objects.count() == 0


def test_supervisors_cannot_import_from_the_admin(client, supervisor):
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)

    assert client.get(ADD_URL).status_code == 403
    assert (
        client.post(ADD_URL, {"source": "un", "file": upload("un_sample.xml")}).status_code == 403
    )
    assert DesignationImport.objects.count() == 0


def test_admin_action_merges_the_selected_matches(admin_client, administrator):
    candidate = services.group_create(user=administrator, name="Jaysh al-Muhajiroun wal-Ansar")
    csv = b"authority,name\npk_nacta,Jaish al-Muhajireen wal-Ansar\n"
    designation_import(source="nacta", list_file=ListFile("nacta.csv", csv))
    review = GroupMatchReview.objects.get()

    response = admin_client.post(
        "/admin/accounts/groupmatchreview/",
        {"action": "merge_selected", "_selected_action": [review.pk]},
        follow=True,
    )

    review.refresh_from_db()
    assert (review.status, review.decided_by) == ("merged", administrator)
    assert Designation.objects.get(authority="pk_nacta").group == candidate
    assert "1 match(es) decided." in response.content.decode()
