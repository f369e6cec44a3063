"""The risk level API: current levels, their history (where a level is set, with a client
UUID so that a retried change is recorded once), and an area's effective level.

Lists and lookups go through `visible_to(user, "response.view_risklevelchange")`; the change goes
through the service the pages call."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSetMixin
from fangkong.areas.models import AREA_CODE, Area
from fangkong.response import plan_api, selectors, services
from fangkong.response.filters import ChangeFilter, RiskLevelFilter
from fangkong.response.models import AreaRisk, RiskLevelChange
from fangkong.response.permissions import SET_LEVEL, VIEW
from fangkong.response.serializers import (
    ChangeSerializer,
    EffectiveSerializer,
    RiskLevelSerializer,
    SetLevelSerializer,
)


class RiskLevelViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The current risk levels set on the caller's areas and buildings, highest first, each
    with its step-down countdown."""

    model = AreaRisk
    read_permission = VIEW
    permission_classes = [RolePermission]
    serializer_class = RiskLevelSerializer
    filterset_class = RiskLevelFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "building")


class RiskLevelChangeViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every decision on a level, latest first. POST records one on an area (`area`) or a
    building (`building`), for a supervisor of the place or above: it becomes the place's
    current level. Sent again with the same `client_uuid`, it answers 200 with the change
    it made."""

    model = RiskLevelChange
    read_permission = VIEW
    permission_classes = [RolePermission]
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "building", "set_by")

    @extend_schema(
        request=SetLevelSerializer, responses={201: ChangeSerializer, 200: ChangeSerializer}
    )
    def create(self, request):
        if not request.user.has_perm(SET_LEVEL):
            raise exceptions.PermissionDenied
        body = SetLevelSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        change = self.run_service(services.set_level, **body.validated_data)
        answer = self.get_serializer(self.get_queryset().get(pk=change.pk)).data
        return Response(answer, status=HTTP_201_CREATED if change.created else 200)


class RiskAreaViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """An area's effective risk level (the highest of its own and its ancestors'), its own
    current level and its traits."""

    model = Area
    read_permission = VIEW
    permission_classes = [RolePermission]
    serializer_class = EffectiveSerializer
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern

    def get_queryset(self):
        return Area.objects.visible_to(self.request.user, "areas.view_area")

    def retrieve(self, request, code=None):
        area = self.get_object()
        if not request.user.has_perm(VIEW, area):
            raise exceptions.NotFound
        data = {
            "area": area,
            "effective": selectors.effective_level(area),
            "own": selectors.own_level(request.user, area).first(),
            "traits": list(selectors.traits_of(request.user, area).values_list("kind", flat=True)),
        }
        return Response(EffectiveSerializer(data).data)


ROUTES = [
    ("risk-levels", RiskLevelViewSet, "risk-level"),
    ("risk-level-changes", RiskLevelChangeViewSet, "risk-level-change"),
    ("risk-areas", RiskAreaViewSet, "risk-area"),
    *plan_api.ROUTES,
]
