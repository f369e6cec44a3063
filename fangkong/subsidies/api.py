"""The API of subsidies: the list to review (the FilterSet of the page), computing an area's
period, the days behind a subsidy, its review, and the counties' rules; writes through the
services the pages call."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet, require
from fangkong.subsidies import services
from fangkong.subsidies.filters import SubsidyFilter, SubsidyRuleFilter
from fangkong.subsidies.models import Subsidy, SubsidyRule
from fangkong.subsidies.permissions import COMPUTE, SET_RULES
from fangkong.subsidies.serializers import (
    AdjustSerializer,
    ComputedSerializer,
    ComputeSerializer,
    DaySerializer,
    SetRuleSerializer,
    SubsidyRuleSerializer,
    SubsidySerializer,
)
from fangkong.subsidies.views import days_of


class SubsidyViewSet(ScopedViewSet):
    """Subsidies of the workers of the caller's areas, latest period first. `compute` makes
    or brings up to date an area's list for the period of a day; `approve` and `adjust`
    review one; `days` lists the days the records give."""

    model = Subsidy
    serializer_class = SubsidySerializer
    filterset_class = SubsidyFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(request=ComputeSerializer, responses={201: ComputedSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        require(request, COMPUTE)
        data = self.write(ComputeSerializer)
        computed = self.run_service(services.compute, **data)
        return Response(ComputedSerializer(computed).data, status=HTTP_201_CREATED)

    @extend_schema(request=None, responses=SubsidySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.answer(self.run_service(services.approve, subsidy=self.get_object()))

    @extend_schema(request=AdjustSerializer, responses=SubsidySerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        subsidy = self.get_object()
        data = self.write(AdjustSerializer)
        return self.answer(self.run_service(services.adjust, subsidy=subsidy, **data))

    @extend_schema(responses=DaySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def days(self, request, pk=None):
        """The days of the period the worker served in a medium- or high-risk area."""
        days = days_of(self.get_object())
        return Response(
            DaySerializer(
                [{**d, "level": d["level"].value, "source": str(d["source"])} for d in days],
                many=True,
            ).data
        )


class SubsidyRuleViewSet(ScopedViewSet):
    """The counties' subsidy rules, latest first. POST sets one (replacing the county's rule
    of the same day); a rule without a rate per day is refused."""

    model = SubsidyRule
    serializer_class = SubsidyRuleSerializer
    filterset_class = SubsidyRuleFilter

    def get_queryset(self):
        return (
            super().get_queryset().select_related("area").order_by("area_path", "-effective_from")
        )

    @extend_schema(request=SetRuleSerializer, responses={201: SubsidyRuleSerializer})
    def create(self, request):
        require(request, SET_RULES)
        data = self.write(SetRuleSerializer)
        return self.answer(self.run_service(services.set_rule, **data), HTTP_201_CREATED)


ROUTES = [
    ("subsidies", SubsidyViewSet, "subsidy"),
    ("subsidy-rules", SubsidyRuleViewSet, "subsidy-rule"),
]
