"""The API of trainings and drills: lists through `visible_to(user, perm)` and the
FilterSet of the pages; writes through the services the pages call. Recording carries a
client UUID, so a retried request records once (201 the first time, 200 after). An area's
coverage per role is `training-coverage/<code>/`."""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin, created, require
from fangkong.areas.filters import IdFilter
from fangkong.areas.models import AREA_CODE, Area
from fangkong.training import selectors, services
from fangkong.training.filters import TrainingFilter
from fangkong.training.models import Attendance, Training
from fangkong.training.permissions import RECORD_TRAINING, VIEW_TRAINING
from fangkong.training.serializers import (
    AssessmentSerializer,
    AttendanceSerializer,
    AttendeesSerializer,
    MaterialsSerializer,
    RecordTrainingSerializer,
    TrainingCoverageQuery,
    TrainingSerializer,
    WorkerCoverageSerializer,
    WorkerSerializer,
    coverage_data,
)


class TrainingViewSet(ScopedViewSet):
    """Trainings and emergency drills of the caller's areas, latest first. POST records one
    (JSON, or multipart with its materials) with the ids of its attendees."""

    model = Training
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(
        request={
            "application/json": RecordTrainingSerializer,
            "multipart/form-data": RecordTrainingSerializer,
        },
        responses={201: TrainingSerializer, 200: TrainingSerializer},
    )
    def create(self, request):
        require(request, RECORD_TRAINING)
        data = self.write(RecordTrainingSerializer)
        training = self.run_service(services.record_training, **data)
        return self.answer(self.get_queryset().get(pk=training.pk), created(training))

    @extend_schema(request=AttendeesSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request, pk=None):
        """More attendees; those already recorded are left as they are."""
        training = self.get_object()
        data = self.write(AttendeesSerializer)
        return self.answer(self.run_service(services.add_attendees, training=training, **data))

    @extend_schema(request=AssessmentSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        """Each attendee's assessment: passed, not passed or null (not assessed); a
        second one corrects the first."""
        training = self.get_object()
        results = [
            (row["worker"], row["passed"]) for row in self.write(AssessmentSerializer)["results"]
        ]
        return self.answer(
            self.run_service(services.record_assessment, training=training, results=results)
        )

    @extend_schema(request=WorkerSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"], url_path="remove-attendee")
    def remove_attendee(self, request, pk=None):
        training = self.get_object()
        data = self.write(WorkerSerializer)
        return self.answer(self.run_service(services.remove_attendee, training=training, **data))

    @extend_schema(
        request={"multipart/form-data": MaterialsSerializer}, responses=TrainingSerializer
    )
    @action(detail=True, methods=["post"])
    def materials(self, request, pk=None):
        """Attach the materials (replacing any before)."""
        training = self.get_object()
        data = self.write(MaterialsSerializer)
        return self.answer(self.run_service(services.attach_materials, training=training, **data))


class AttendanceFilter(filters.FilterSet):
    worker = IdFilter(field_name="worker_id", label="worker")
    training = IdFilter(field_name="training_id", label="training")

    class Meta:
        model = Attendance
        fields = []


class AttendanceViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who attended which training or drill: each worker's record (`?worker=`) and each
    training's attendees (`?training=`), of the workers of the caller's areas."""

    model = Attendance
    permission_classes = [RolePermission]
    read_permission = VIEW_TRAINING
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")


class TrainingCoverageViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """An area's training coverage: of the active workers of each role (or affiliation),
    how many attended a training or drill in the period (the last year unless given); the
    area first, then each child area."""

    model = Area
    permission_classes = [RolePermission]
    read_permission = VIEW_TRAINING
    serializer_class = WorkerCoverageSerializer
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="First day (YYYY-MM-DD)."),
            OpenApiParameter("until", str, description="Last day (YYYY-MM-DD)."),
            OpenApiParameter("kind", str, enum=Training.Kind.values),
            OpenApiParameter("by", str, enum=["role", "affiliation"]),
        ]
    )
    def retrieve(self, request, code=None):
        area = self.get_object()
        query = TrainingCoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        since, until = selectors.default_period()
        since = query.validated_data.get("since", since)
        until = query.validated_data.get("until", until)
        if since > until:
            raise exceptions.ValidationError(
                {"until": [_("The end cannot come before the start.")]}
            )
        by = query.validated_data["by"]
        found = selectors.coverage(
            request.user,
            area,
            selectors.children_of(request.user, area),
            since=since,
            until=until,
            kind=query.validated_data.get("kind", ""),
            by=by,
        )
        data = coverage_data(found, since=since, until=until, by=by)
        return Response(WorkerCoverageSerializer(data).data)


ROUTES = [
    ("trainings", TrainingViewSet, "training"),
    ("training-attendances", AttendanceViewSet, "training-attendance"),
    ("training-coverage", TrainingCoverageViewSet, "training-coverage"),
]
