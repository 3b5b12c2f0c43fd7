import pytest
from django.utils import timezone
from taxii2client.common import TokenAuth
from taxii2client.v21 import Server, as_pages

from accounts.models import FlaggedAccount
from sharing.stix.export import bundle_objects
from sharing.stix.ids import user_account_id
from sharing.taxii.collections import collection_id
from tests.api_fixtures import token_client
from tests.factories import AccountFactory
from tracker.api.tokens import api_token_issue
from tracker.models import ApiToken

TAXII = "application/taxii+json;version=2.1"


@pytest.fixture
def taxii_server(live_server, supervisor):
    _token, key = api_token_issue(user=supervisor, name="opencti", scope=ApiToken.Scope.READ)
    return Server(f"{live_server.url}/taxii2/", auth=TokenAuth(key))


def _collection(server, title):
    (root,) = server.api_roots
    return next(c for c in root.collections if c.title == title)


def test_taxii2_client_pages_through_a_collection_with_added_after(world, taxii_server):
    since = timezone.now()
    fresh = [AccountFactory(platform=world.original.platform, handle=f"lej_{n}") for n in range(3)]
    for account in fresh:
        account.groups.set([world.groups[0]])
        account.save()  # the group link is part of the record: its date_added moves on
    collection = _collection(taxii_server, "All accounts")

    pages = list(as_pages(collection.get_objects, per_request=2, added_after=since))

    objects = [o for page in pages for o in page.get("objects", [])]
    assert len(pages) == 3
    assert [len(p["objects"]) for p in pages] == [2, 2, 2]
    assert len({o["id"] for o in objects}) == 6
    assert sorted(o["account_login"] for o in objects if o["type"] == "user-account") == [
        "lej_0",
        "lej_1",
        "lej_2",
    ]
    assert {o["relationship_type"] for o in objects if o["type"] == "relationship"} == {
        "attributed-to"
    }


def test_a_collection_serves_every_object_of_its_platform_once(world, taxii_server):
    collection = _collection(taxii_server, "Telegram accounts")
    objects = [
        o for page in as_pages(collection.get_objects, per_request=1) for o in page["objects"]
    ]
    expected = list(bundle_objects(accounts=FlaggedAccount.objects.filter(handle="ttp_news")))
    assert sorted(o["id"] for o in objects) == sorted(o["id"] for o in expected)
    assert {o["type"] for o in objects} == {"user-account", "relationship", "intrusion-set"}


def test_discovery_and_collections_are_served_with_the_taxii_media_type(world, taxii_server):
    (root,) = taxii_server.api_roots
    assert root.versions == [TAXII]
    titles = [c.title for c in root.collections]
    assert titles[0] == "All accounts" and "X accounts" in titles
    assert all(c.can_read and not c.can_write for c in root.collections)


@pytest.fixture
def objects_url():
    return f"/taxii2/api/collections/{collection_id('all')}/objects/"


def test_objects_page_headers_match_type_and_next(world, supervisor, objects_url):
    client = token_client(supervisor, ApiToken.Scope.READ)
    response = client.get(
        objects_url, {"limit": 2, "match[type]": "user-account"}, HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 200
    assert response["Content-Type"] == TAXII
    body = response.json()
    assert [o["type"] for o in body["objects"]] == ["user-account", "user-account"]
    assert body["more"] is True
    assert response["X-TAXII-Date-Added-First"] <= response["X-TAXII-Date-Added-Last"]
    rest = client.get(
        objects_url,
        {"limit": 2, "match[type]": "user-account", "next": body["next"]},
        HTTP_ACCEPT=TAXII,
    ).json()
    assert [o["type"] for o in rest["objects"]] == ["user-account"]
    assert rest["more"] is False
    logins = {o["account_login"] for o in body["objects"] + rest["objects"]}
    assert logins == {"lej_media", "lej_media2", "ttp_news"}


def test_manifest_lists_ids_versions_and_dates(world, supervisor):
    client = token_client(supervisor, ApiToken.Scope.READ)
    url = f"/taxii2/api/collections/{collection_id('all')}/manifest/"
    body = client.get(url, {"match[type]": "intrusion-set"}, HTTP_ACCEPT=TAXII).json()
    assert len(body["objects"]) == 2
    assert all(m["media_type"] == "application/stix+json;version=2.1" for m in body["objects"])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"added_after": "yesterday"}, "added_after"), ({"next": "not-a-cursor"}, "next")],
)
def test_bad_paging_parameters_are_a_clear_400(world, supervisor, objects_url, params, field):
    response = token_client(supervisor, ApiToken.Scope.READ).get(
        objects_url, params, HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "api/",
        "api/collections/",
        "api/collections/{c}/",
        "api/collections/{c}/objects/",
        "api/collections/{c}/manifest/",
        "api/collections/{c}/objects/{o}/",
        "api/collections/{c}/objects/{o}/versions/",
    ],
)
def test_anonymous_and_roleless_callers_are_refused_everywhere(db, client, django_user_model, path):
    url = "/taxii2/" + path.format(c=collection_id("all"), o=user_account_id("twitter", "abc"))
    assert client.get(url, HTTP_ACCEPT=TAXII).status_code == 401
    nobody = django_user_model.objects.create(username="nobody")
    assert token_client(nobody, ApiToken.Scope.READ).get(url, HTTP_ACCEPT=TAXII).status_code == 403


def test_unknown_collection_is_404(db, supervisor):
    url = "/taxii2/api/collections/00000000-0000-4000-8000-000000000000/objects/"
    assert (
        token_client(supervisor, ApiToken.Scope.READ).get(url, HTTP_ACCEPT=TAXII).status_code == 404
    )


def _bundle_by_id(**sets) -> dict[str, dict]:
    return {o["id"]: o for o in bundle_objects(**sets)}


@pytest.mark.parametrize("kind", ["user-account", "intrusion-set", "relationship", "file"])
def test_taxii2_client_gets_one_object_by_its_id(world, taxii_server, kind):
    expected = _bundle_by_id(accounts=FlaggedAccount.objects.all())
    wanted = [o for o in expected.values() if o["type"] == kind]
    if kind == "relationship":  # the mirror's link to its original
        wanted = [o for o in wanted if o["relationship_type"] == "derived-from"]
    obj = wanted[0]
    collection = _collection(taxii_server, "All accounts")

    envelope = collection.get_object(obj["id"])

    assert envelope["objects"] == [obj]
    versions = collection.object_versions(obj["id"])["versions"]
    assert len(versions) == 1
    assert collection.get_object(obj["id"], version=versions[0])["objects"] == [obj]
    assert collection.get_object(obj["id"], version="first")["objects"] == [obj]


def test_an_object_of_another_collection_or_unknown_is_404(world, supervisor):
    client = token_client(supervisor, ApiToken.Scope.READ)
    ttp = user_account_id("telegram", "ttp_news")
    x_collection = f"/taxii2/api/collections/{collection_id('x')}/objects/"
    assert client.get(f"{x_collection}{ttp}/", HTTP_ACCEPT=TAXII).status_code == 404
    unknown = user_account_id("twitter", "nobody_here")
    assert client.get(f"{x_collection}{unknown}/", HTTP_ACCEPT=TAXII).status_code == 404
    all_collection = f"/taxii2/api/collections/{collection_id('all')}/objects/"
    assert client.get(f"{all_collection}{ttp}/", HTTP_ACCEPT=TAXII).status_code == 200


def test_match_id_and_version_filter_the_objects(world, taxii_server):
    expected = _bundle_by_id(accounts=FlaggedAccount.objects.all())
    mirror = user_account_id("twitter", "lej_media2")
    group = next(i for i, o in expected.items() if o["type"] == "intrusion-set")
    collection = _collection(taxii_server, "All accounts")

    found = collection.get_objects(id=f"{mirror},{group}")["objects"]

    assert sorted(o["id"] for o in found) == sorted([mirror, group])
    assert [o for o in found if o["id"] == group] == [expected[group]]
    modified = expected[group]["modified"]
    only_group = collection.get_objects(id=f"{mirror},{group}", version=modified)["objects"]
    assert [o["id"] for o in only_group] == [group]
    assert "objects" not in collection.get_objects(id=group, version="2001-01-01T00:00:00.000Z")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"match[id]": "user-account--not-a-uuid"}, "match[id]"),
        ({"match[id]": "nonsense"}, "match[id]"),
        ({"match[version]": "yesterday"}, "match[version]"),
    ],
)
def test_bad_match_parameters_are_a_clear_400(world, supervisor, objects_url, params, field):
    response = token_client(supervisor, ApiToken.Scope.READ).get(
        objects_url, params, HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_malformed_object_id_is_a_400(world, supervisor, objects_url):
    response = token_client(supervisor, ApiToken.Scope.READ).get(
        f"{objects_url}not-an-id/", HTTP_ACCEPT=TAXII
    )
    assert response.status_code == 400
    assert "object_id" in response.json()["error"]["fields"]
