"""API viewset of disclosed account-holder data: supervisors only, every read logged."""

from django.db import transaction
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import FlaggedAccount

from ... import selectors, services
from ...filtersets import (
    DisclosureFilterSet,
)
from ...models import (
    TakedownRequest,
)
from ...orderings import (
    DISCLOSURE_ORDERING,
)
from .. import examples as ex
from ..serializers import (
    DisclosureCreateSerializer,
    DisclosureSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List disclosures (supervisors; every read is logged)",
        description="Account-holder data returned by platforms. Each one returned is logged.",
        examples=[ex.example("A disclosure", ex.DISCLOSURE)],
    ),
    retrieve=extend_schema(
        summary="Get a disclosure (supervisors; the read is logged)",
        examples=[ex.example("A disclosure", ex.DISCLOSURE)],
    ),
    create=extend_schema(
        summary="Record data a platform disclosed (supervisors)",
        description=(
            "For one account of a disclosure request the platform has been sent. The request's "
            "timeline records that data arrived, never the data; the answer is a logged read."
        ),
        request=DisclosureCreateSerializer,
        responses={201: DisclosureSerializer},
        examples=[
            ex.example(
                "Disclosed",
                {"request": 311, "account": 57, "data": ex.DISCLOSURE["data"]},
                request=True,
            ),
            ex.example("Recorded", ex.DISCLOSURE),
        ],
    ),
)
class DisclosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Disclosed account-holder data: supervisors only, every read logged with channel "api"."""

    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilterSet
    ordering_spec = DISCLOSURE_ORDERING
    required_permissions = {
        "list": ("takedowns.view_disclosure", "takedowns.read_disclosure"),
        "retrieve": ("takedowns.view_disclosure", "takedowns.read_disclosure"),
        "create": ("takedowns.add_disclosure", "takedowns.read_disclosure"),
    }
    error_statuses = {"create": (409,)}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)  # each read is logged: no copy kept anywhere
        return response

    def create(self, request):
        data = DisclosureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        takedown = TakedownRequest.objects.filter(pk=fields["request"]).first()
        account = FlaggedAccount.objects.filter(pk=fields["account"]).first()
        unknown = {
            name: [_("No %s has this id.") % noun]
            for name, noun, found in (
                ("request", _("request"), takedown),
                ("account", _("account"), account),
            )
            if found is None
        }
        if unknown:
            raise ValidationError(unknown)
        with transaction.atomic():
            disclosure = services.disclosure_record(
                takedown=takedown,
                account=account,
                data=fields["data"],
                user=request.user,
                received_at=fields.get("received_at"),
            )
            services.disclosures_record_access(
                disclosures=[disclosure], user=request.user, channel="api"
            )
        disclosure = self.get_queryset().get(pk=disclosure.pk)
        return Response(DisclosureSerializer(disclosure).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return selectors.disclosure_list()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        services.disclosures_record_access(disclosures=page, user=request.user, channel="api")
        return self.get_paginated_response(DisclosureSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        disclosure = self.get_object()
        services.disclosures_record_access(
            disclosures=[disclosure], user=request.user, channel="api"
        )
        return Response(DisclosureSerializer(disclosure).data)
