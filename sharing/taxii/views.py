"""TAXII 2.1 endpoints (read-only). Authentication, the role check (`required_permissions`),
throttling and the error document come from the API's REST_FRAMEWORK settings, as for every
/api/v1/ resource; anonymous callers get 401."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.security import security_report

from ..stix.export import MEDIA_TYPE as STIX_MEDIA_TYPE
from .collections import (
    Cursor,
    collection_get,
    collections,
    object_version,
    page,
    parse_added_after,
    parse_ids,
    parse_versions,
)

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
READ = ("accounts.view_flaggedaccount", "accounts.view_proscribedgroup")


class TaxiiRenderer(JSONRenderer):
    media_type = TAXII_MEDIA_TYPE
    charset = None
    format = "taxii"


class TaxiiView(APIView):
    renderer_classes = [TaxiiRenderer, JSONRenderer]
    required_permissions = {"get": READ}
    schema = None  # TAXII has its own specification; it is not part of the v1 schema


def _collection_info(collection) -> dict:
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA_TYPE],
    }


class DiscoveryView(TaxiiView):
    def get(self, request):
        root = request.build_absolute_uri(reverse("taxii:root"))
        return Response(
            {
                "title": "Proscribed-accounts tracker",
                "description": "Flagged accounts of proscribed organisations, as STIX 2.1.",
                "default": root,
                "api_roots": [root],
            }
        )


class ApiRootView(TaxiiView):
    def get(self, request):
        return Response(
            {
                "title": "Flagged accounts",
                "versions": [TAXII_MEDIA_TYPE],
                "max_content_length": 0,  # read-only: nothing may be posted
            }
        )


class CollectionListView(TaxiiView):
    def get(self, request):
        return Response({"collections": [_collection_info(c) for c in collections()]})


def _collection(pk):
    collection = collection_get(pk)
    if collection is None:
        raise Http404
    return collection


class CollectionView(TaxiiView):
    def get(self, request, pk):
        return Response(_collection_info(_collection(pk)))


def _taxii_time(moment) -> str:
    # Microseconds: a poller passing X-TAXII-Date-Added-Last back as added_after resumes exactly.
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _PagedView(TaxiiView):
    def _page(self, request, pk, object_id=None):
        collection = _collection(pk)
        params = request.query_params
        cursor = None
        if params.get("next"):
            cursor = Cursor.decode(params["next"])
        elif params.get("added_after"):
            cursor = Cursor.after(parse_added_after(params["added_after"]))
        try:
            limit = int(params.get("limit") or settings.TAXII_PAGE_SIZE)
        except ValueError:
            limit = 0
        limit = max(1, min(limit, settings.TAXII_MAX_PAGE_SIZE))
        types = {t for t in params.get("match[type]", "").split(",") if t} or None
        if object_id is not None:
            ids = parse_ids(object_id, field="object_id")
        else:
            ids = parse_ids(params.get("match[id]", ""))
        versions = parse_versions(params.get("match[version]", ""))
        found = page(
            collection, cursor=cursor, limit=limit, types=types, ids=ids, versions=versions
        )
        security_report("feed_pull", request=request, detail=f"taxii:{collection.key}")
        headers = {}
        if found.objects:
            headers["X-TAXII-Date-Added-First"] = _taxii_time(found.objects[0][0])
            headers["X-TAXII-Date-Added-Last"] = _taxii_time(found.objects[-1][0])
        body = {"more": found.more}
        if found.next:
            body["next"] = found.next
        return found, body, headers


class ObjectsView(_PagedView):
    def get(self, request, pk):
        found, body, headers = self._page(request, pk)
        if found.objects:
            body["objects"] = [obj for _at, obj in found.objects]
        return Response(body, headers=headers)


class ObjectView(_PagedView):
    """One object by its id (every version of it: this server keeps one); 404 if the
    collection has none with that id."""

    def get(self, request, pk, object_id):
        found, body, headers = self._page(request, pk, object_id=object_id)
        if not found.objects and not request.query_params.get("next"):
            raise Http404
        if found.objects:
            body["objects"] = [obj for _at, obj in found.objects]
        return Response(body, headers=headers)


class ObjectVersionsView(_PagedView):
    """The versions of one object (this server keeps one); 404 if the collection has none."""

    def get(self, request, pk, object_id):
        found, body, headers = self._page(request, pk, object_id=object_id)
        if not found.objects and not request.query_params.get("next"):
            raise Http404
        body["versions"] = [object_version(obj, at) for at, obj in found.objects]
        return Response(body, headers=headers)


class ManifestView(_PagedView):
    def get(self, request, pk):
        found, body, headers = self._page(request, pk)
        if found.objects:
            body["objects"] = [
                {
                    "id": obj["id"],
                    "date_added": _taxii_time(at),
                    "version": object_version(obj, at),
                    "media_type": STIX_MEDIA_TYPE,
                }
                for at, obj in found.objects
            ]
        return Response(body, headers=headers)
