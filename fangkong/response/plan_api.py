"""The API of plans and responses: the measures (added through the service the pages call),
an area's whole plan with what it inherits and what was added below, the documents'
versions, the responses and their tasks (marked done, with evidence, through the service).

Lists and lookups go through `visible_to(user, perm)` with each model's view permission."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.areas.models import AREA_CODE, Area
from fangkong.response import response_services, selectors, task_services
from fangkong.response.models import EmergencyResponse, Measure, MeasureTask, PlanDocument
from fangkong.response.permissions import ADD_MEASURE, VIEW_DOCUMENTS, VIEW_PLAN
from fangkong.response.plan_serializers import (
    AddMeasureSerializer,
    EmergencyResponseSerializer,
    MeasureSerializer,
    MeasureTaskDoneSerializer,
    MeasureTaskReassignSerializer,
    MeasureTaskSerializer,
    PlanDocumentSerializer,
    ResponsePlanSerializer,
)


class OwnAreaFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    area = django_filters.CharFilter(field_name="area__code", label=_("the area's own (by code)"))


class MeasureFilter(OwnAreaFilter):
    extra = django_filters.BooleanFilter(label=_("only the extras (加码), or none of them"))

    class Meta:
        model = Measure
        fields = ["level"]


class MeasureViewSet(ScopedViewSet):
    """The measures of the plans of the caller's areas. POST adds one to an area's own plan
    (supervisors and community workers); where a plan above already asks measures it is
    marked `extra` (加码), and a response active on the area at that level gets it as a task."""

    model = Measure
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=AddMeasureSerializer, responses={201: MeasureSerializer})
    def create(self, request):
        if not request.user.has_perm(ADD_MEASURE):
            raise exceptions.PermissionDenied
        measure = self.run_service(
            response_services.add_measure, **self.write(AddMeasureSerializer)
        )
        return self.answer(measure, HTTP_201_CREATED)


class ResponsePlanViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """An area's response plan: its measures and those inherited from the areas above, the
    measures the areas below added (加码), and, for its planners, its documents' versions."""

    model = Area
    read_permission = VIEW_PLAN
    permission_classes = [RolePermission]
    serializer_class = ResponsePlanSerializer
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern

    def get_queryset(self):
        return Area.objects.visible_to(self.request.user, "areas.view_area")

    def retrieve(self, request, code=None):
        area = self.get_object()
        user = request.user
        if not user.has_perm(VIEW_PLAN, area):
            raise exceptions.NotFound
        documents = (
            selectors.documents_of(user, area) if user.has_perm(VIEW_DOCUMENTS, area) else None
        )
        data = {
            "area": area,
            "measures": selectors.plan_of(area),
            "added_below": selectors.added_below(user, area),
            "documents": documents,
        }
        return Response(ResponsePlanSerializer(data).data)


class DocumentFilter(OwnAreaFilter):
    class Meta:
        model = PlanDocument
        fields = ["kind"]


class PlanDocumentViewSet(ScopedViewSet):
    """Every version of the plan documents of the caller's areas, latest first by kind; each
    downloads from `download` (a scoped page, never a public file)."""

    model = PlanDocument
    serializer_class = PlanDocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")


class ResponseFilter(OwnAreaFilter):
    active = django_filters.BooleanFilter(
        field_name="ended_at", lookup_expr="isnull", label=_("active (true) or ended (false)")
    )

    class Meta:
        model = EmergencyResponse
        fields = ["level"]


class EmergencyResponseViewSet(ScopedViewSet):
    """The emergency responses of the caller's areas (started by a rise of the level, ended
    by its return to low), latest first."""

    model = EmergencyResponse
    serializer_class = EmergencyResponseSerializer
    filterset_class = ResponseFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")


class TaskFilter(OwnAreaFilter):
    mine = django_filters.BooleanFilter(method="of_mine", label=_("only the caller's own"))
    open = django_filters.BooleanFilter(method="still_open", label=_("not done, response active"))
    overdue = django_filters.BooleanFilter(method="past_due", label=_("open and past due"))
    # By id: a model choice would look the response up outside any scope.
    response = IdFilter(field_name="response_id", label=_("emergency response"))

    class Meta:
        model = MeasureTask
        fields = []

    def of_mine(self, queryset, name, value):
        return selectors.owned_by(queryset, self.request.user) if value else queryset

    def still_open(self, queryset, name, value):
        return selectors.open_tasks(queryset) if value else queryset

    def past_due(self, queryset, name, value):
        return selectors.overdue(queryset) if value else queryset


class MeasureTaskViewSet(ScopedViewSet):
    """The measure tasks of the caller's areas (those they own lie in their own areas), by
    deadline. `done` marks one done with a note and/or an evidence file, for its owner or a
    worker following the area; sent again, it answers the task as it is."""

    model = MeasureTask
    serializer_class = MeasureTaskSerializer
    filterset_class = TaskFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "owner", "response")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(request=MeasureTaskDoneSerializer, responses=MeasureTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        task = self.get_object()
        data = self.write(MeasureTaskDoneSerializer)
        if not response_services.may_complete(request.user, task):
            raise exceptions.PermissionDenied
        self.run_service(response_services.complete_task, task=task, **data)
        return self.answer(self.get_object())

    @extend_schema(request=MeasureTaskReassignSerializer, responses=MeasureTaskSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Give the task to another worker of the response's area (or to whoever holds
        `owner_kind` there) with a new deadline and the reason, for a worker following the
        response's area; the new owner is told. Sent again, it changes nothing more."""
        task = self.get_object()
        if not task_services.may_reassign(request.user, task):
            raise exceptions.PermissionDenied
        data = self.write(MeasureTaskReassignSerializer)
        owner = data.pop("owner")
        if owner is not None:
            owner = self.run_service(task_services.worker_for, pk=owner, task=task)
        self.run_service(task_services.reassign_task, task=task, owner=owner, **data)
        return self.answer(self.get_object())


ROUTES = [
    ("measures", MeasureViewSet, "measure"),
    ("response-plans", ResponsePlanViewSet, "response-plan"),
    ("plan-documents", PlanDocumentViewSet, "plan-document"),
    ("emergency-responses", EmergencyResponseViewSet, "emergency-response"),
    ("measure-tasks", MeasureTaskViewSet, "measure-task"),
]
