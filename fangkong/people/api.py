"""The people API: households, residents and key groups of the caller's areas.

Every list and lookup goes through `visible_to(user, perm)` with the permission it exercises
(a list the caller's roles cannot read is a 403, a record they cannot view a 404, and so is
every action on it); every write through the same service
the pages call. ID numbers and phones are masked in every answer but the reveal, which is
audited like the button on the resident's page.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet
from fangkong.areas.filters import IdFilter
from fangkong.people import services
from fangkong.people.api_serializers import (
    AssignedSerializer,
    AssignHouseholdsSerializer,
    EndKeyGroupSerializer,
    HouseholdSerializer,
    IdentitySerializer,
    KeyGroupCreateSerializer,
    KeyGroupSerializer,
    MoveSerializer,
    ResidentCreateSerializer,
    ResidentSerializer,
    ResidentWriteSerializer,
    StatusSerializer,
)
from fangkong.people.filters import HouseholdFilter, KeyGroupFilter, ResidentFilter
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import current_key_groups


class ResidentSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text=_(
            "Name, pinyin initials, ID number or its last 4–6 characters, phone or its last 4 digits"
        ),
    )


@extend_schema_view(
    create=extend_schema(request=HouseholdSerializer, responses={201: HouseholdSerializer}),
    update=extend_schema(request=HouseholdSerializer, responses=HouseholdSerializer),
    partial_update=extend_schema(request=HouseholdSerializer, responses=HouseholdSerializer),
)
class HouseholdViewSet(ScopedViewSet):
    """Households of the caller's areas, with the worker responsible for each (包片联户).

    Moving a household to a building of another grid moves its members with it.
    """

    model = Household
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    read_permission = "people.view_household"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "assignment__worker")
            .order_by("area_path", "building_id", "number")
        )

    def create(self, request):
        data = self.write(HouseholdSerializer)
        household = self.run_service(services.create_household, **data)
        return self.answer(household, HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        household = self.get_object()
        data = self.write(HouseholdSerializer, instance=household, partial=partial)
        household = self.run_service(
            services.update_household,
            household=household,
            number=data.get("number", household.number),
            address=data.get("address", household.address),
            building=data.get("building"),
        )
        return self.answer(household)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=AssignHouseholdsSerializer, responses=AssignedSerializer)
    @action(detail=False, methods=["post"])
    def assign(self, request):
        """Make one worker responsible for these households (replacing whoever was)."""
        data = self.write(AssignHouseholdsSerializer)
        count = self.run_service(services.assign_households, **data)
        return Response({"assigned": count})


@extend_schema_view(
    list=extend_schema(
        description="Residents of the caller's areas; `q` searches. A search by a whole ID "
        "number or phone is better POSTed to `search/`: then it never travels in a URL."
    ),
    create=extend_schema(request=ResidentCreateSerializer, responses={201: ResidentSerializer}),
    update=extend_schema(request=ResidentWriteSerializer, responses=ResidentSerializer),
    partial_update=extend_schema(request=ResidentWriteSerializer, responses=ResidentSerializer),
)
class ResidentViewSet(ScopedViewSet):
    """Residents of the caller's areas; ID numbers and phones are masked.

    `q` finds a person by the start of the name, pinyin initials (张三: zs), the whole ID
    number or its last 4–6 characters, the whole phone or its last 4 digits. A change of
    household is `move`, moving out or death is `status`, never an edit or a deletion.
    """

    model = Resident
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter
    read_permission = "people.view_resident"

    def get_queryset(self):
        return super().get_queryset().order_by("area_path", "household_id", "id")

    def filter_queryset(self, queryset):
        return self.joined(super().filter_queryset(queryset))

    def joined(self, residents):
        # Joins after the search: it narrows a tail search with `.only()`, which a
        # select_related on the queryset it is given would break.
        return residents.select_related("area").prefetch_related(
            Prefetch(
                "key_groups",
                queryset=current_key_groups(self.request.user),
                to_attr="current_tags",
            )
        )

    @extend_schema(
        request=ResidentSearchSerializer,
        responses=ResidentSerializer(many=True),
        parameters=[
            OpenApiParameter("page", int, description="A page number of the list."),
            # The search is the body's: never in the query string.
            OpenApiParameter("q", exclude=True),
            OpenApiParameter("q_token", exclude=True),
        ],
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        """The list, searched by the body's `q` (as `q` of the list): a whole ID number or
        phone then travels in no URL, so in no access log. The list's other filters
        (`within`, `status`, `key_group` …) and `page` stay in the query string."""
        text = self.write(ResidentSearchSerializer)["q"]
        params = request.query_params.copy()
        params.pop("q_token", None)
        params["q"] = text
        filterset = ResidentFilter(params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        page = self.paginate_queryset(self.joined(filterset.qs))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        data = self.write(ResidentCreateSerializer)
        data = {key: value for key, value in data.items() if value is not None}
        resident = self.run_service(services.register_resident, **data)
        return self.answer(resident, HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        resident = self.get_object()
        data = self.write(ResidentWriteSerializer, instance=resident, partial=partial)
        resident = self.run_service(
            services.update_resident,
            resident=resident,
            name=data.get("name", resident.name),
            relation_to_head=data.get("relation_to_head", resident.relation_to_head),
            residence=data.get("residence", resident.residence),
            # None keeps the number on record: absent, or sent back masked.
            id_number=data.get("id_number"),
            phone=data.get("phone"),
            sex=data.get("sex", resident.sex),
            birth_date=data.get("birth_date", resident.birth_date),
        )
        return self.answer(self.get_object())

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=None, responses=IdentitySerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The whole ID number and phone of one person, for a role with the reveal permission.

        Each call writes an audit record ("resident.reveal"); the answer is not to be cached.
        """
        resident = self.get_object()
        revealed = self.run_service(services.reveal_identity, resident=resident)
        return Response(
            IdentitySerializer(revealed).data, headers={"Cache-Control": "no-store, private"}
        )

    @extend_schema(request=MoveSerializer, responses=ResidentSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """The person moves to another household, also in another grid; key groups follow."""
        resident = self.get_object()
        data = self.write(MoveSerializer)
        self.run_service(services.move_resident, resident=resident, **data)
        return self.answer(self.get_object())  # the new household is in scope too

    @extend_schema(request=StatusSerializer, responses=ResidentSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Moved out, deceased (ending the person's key groups), or living here again."""
        resident = self.get_object()
        data = self.write(StatusSerializer)
        self.run_service(services.set_resident_status, resident=resident, **data)
        return self.answer(self.get_object())


class KeyGroupApiFilter(KeyGroupFilter):
    resident = IdFilter(field_name="resident_id", label=_("resident"))


@extend_schema_view(
    create=extend_schema(request=KeyGroupCreateSerializer, responses={201: KeyGroupSerializer}),
)
class KeyGroupViewSet(ScopedViewSet):
    """Key-group tags (重点人群) of residents of the caller's areas, current and ended.

    A tag is never deleted: `end` closes it and it stays in the person's history.
    """

    model = KeyGroup
    serializer_class = KeyGroupSerializer
    filterset_class = KeyGroupApiFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "resident", "recorded_by__worker")
            .order_by("area_path", "resident_id", "kind", "id")
        )

    def create(self, request):
        data = self.write(KeyGroupCreateSerializer)
        tag = self.run_service(services.tag_key_group, **data)
        return self.answer(self.get_queryset().get(pk=tag.pk), HTTP_201_CREATED)

    @extend_schema(request=EndKeyGroupSerializer, responses=KeyGroupSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The person is no longer in this group (from `ended_on`, today if left out)."""
        tag = self.get_object()
        data = self.write(EndKeyGroupSerializer)
        self.run_service(services.end_key_group, tag=tag, **data)
        return self.answer(self.get_object())


ROUTES = [
    ("households", HouseholdViewSet, "household"),
    ("residents", ResidentViewSet, "resident"),
    ("key-groups", KeyGroupViewSet, "keygroup"),
]
