"""The API of supplies: lists through `visible_to(user, perm)` and the FilterSets of the
pages; writes through the services the pages call. A movement carries a client UUID, so a
retried request records once (201 the first time, 200 after); a shortage or a negative
quantity is a 400 saying why, and nothing is saved."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.apibase import RolePermission, ScopedViewSet, created, require
from fangkong.areas.models import Area
from fangkong.scope import scope_paths
from fangkong.supplies import selectors, services
from fangkong.supplies.filters import MovementFilter, StockFilter
from fangkong.supplies.models import Stock, StockMovement
from fangkong.supplies.permissions import ISSUE, MANAGE, VIEW_STOCK
from fangkong.supplies.serializers import (
    ItemRollSerializer,
    RecordMovementSerializer,
    ReverseMovementSerializer,
    SetMinimumSerializer,
    StockMovementSerializer,
    StockSerializer,
    SupplyItemSerializer,
)


class SupplyItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The catalogue of supplies (the same for every area), for whoever reads stocks."""

    serializer_class = SupplyItemSerializer
    permission_classes = [RolePermission]
    read_permission = VIEW_STOCK
    pagination_class = None

    def get_queryset(self):
        return selectors.items()


class StockViewSet(ScopedViewSet):
    """Each area's stock of each item, with its minimum level and how long it lasts at the
    rate of the last 14 days. `rollup` sums an area's subtree per item; POST `minimum` sets
    an area's minimum level of an item."""

    model = Stock
    serializer_class = StockSerializer
    filterset_class = StockFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "item")

    def list(self, request):
        records = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(records)
        rows = selectors.with_days_left(request.user, page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, pk=None):
        return self.answer(selectors.with_days_left(request.user, [self.get_object()])[0])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "within",
                OpenApiTypes.STR,
                description="The area's code; the caller's own area if none is given.",
            )
        ],
        responses=ItemRollSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def rollup(self, request):
        """Per item, the area's whole subtree: in stock, stocks below their minimum, issued
        in the last 14 days and the days it lasts at that rate."""
        areas = Area.objects.visible_to(request.user, VIEW_STOCK)
        code = request.query_params.get("within", "")
        if code:
            area = get_object_or_404(areas, code=code)
        else:  # the caller's own (first) area
            area = areas.get(path=scope_paths(request.user, VIEW_STOCK)[0])
        rolls = selectors.rollup(request.user, area)
        return Response(ItemRollSerializer(rolls, many=True).data)

    @extend_schema(request=SetMinimumSerializer, responses=StockSerializer)
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def minimum(self, request):
        require(request, MANAGE)
        data = self.write(SetMinimumSerializer)
        stock = self.run_service(services.set_minimum, **data)
        return self.answer(selectors.with_days_left(request.user, [stock])[0])


class StockMovementViewSet(ScopedViewSet):
    """Movements of the stocks of the caller's areas, latest first: received, issued,
    transferred down (one record, on the receiving area, naming the area that gave) and
    counted, and reversals of movements entered wrongly. POST records one; `reverse` undoes
    one."""

    model = StockMovement
    serializer_class = StockMovementSerializer
    filterset_class = MovementFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "from_area", "item", "reversal")

    @extend_schema(
        request=RecordMovementSerializer,
        responses={201: StockMovementSerializer, 200: StockMovementSerializer},
    )
    def create(self, request):
        require(request, ISSUE)
        data = self.write(RecordMovementSerializer)
        movement = self.run_service(services.record_movement, **data)
        return self.answer(self.get_queryset().get(pk=movement.pk), created(movement))

    @extend_schema(
        request=ReverseMovementSerializer,
        responses={201: StockMovementSerializer, 200: StockMovementSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def reverse(self, request, pk=None):
        """Undo a movement entered wrongly by a counter-movement (`reversed`) with the
        reason; a transfer is undone on both sides. Only who may record the movement may;
        a movement reversed already, or whose stock would go below zero, is a 400. The
        answer is the reversal (201; 200 for a retried request)."""
        movement = self.get_object()
        data = self.write(ReverseMovementSerializer)
        reversal = self.run_service(services.reverse_movement, movement=movement, **data)
        return self.answer(self.get_queryset().get(pk=reversal.pk), created(reversal))


ROUTES = [
    ("supply-items", SupplyItemViewSet, "supply-item"),
    ("stocks", StockViewSet, "stock"),
    ("stock-movements", StockMovementViewSet, "stock-movement"),
]
