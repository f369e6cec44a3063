"""The checkpoint API: checkpoints (list, read, set the mode, look a resident up), passages
(list, record one, record a batch of the offline queue) and gate alerts (list, read,
dispose). Lists and lookups go through `visible_to(user, perm)`; every write goes through
the service the pages call."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin
from fangkong.checkpoints import recording, selectors, services
from fangkong.checkpoints.filters import CheckpointFilter, GateAlertFilter, PassageFilter
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage
from fangkong.checkpoints.offline_api import ROUTES as OFFLINE_ROUTES
from fangkong.checkpoints.pass_api import PassViewSet
from fangkong.checkpoints.permissions import (
    CHANGE,
    DISPOSE,
    RECORD,
    VIEW,
    VIEW_ALERTS,
    VIEW_PASSAGES,
)
from fangkong.checkpoints.registration_api import RegistrationViewSet
from fangkong.checkpoints.serializers import (
    BatchAnswerSerializer,
    BatchSerializer,
    CheckpointSerializer,
    GateAlertSerializer,
    GateDisposeSerializer,
    ModeSerializer,
    PassageSerializer,
    PersonFoundSerializer,
    RecordPassageSerializer,
)
from fangkong.scope import holds


class CheckpointViewSet(ScopedViewSet):
    """The checkpoints of the caller's areas, each with its mode (open or closed
    management)."""

    model = Checkpoint
    read_permission = VIEW
    serializer_class = CheckpointSerializer
    filterset_class = CheckpointFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=ModeSerializer, responses=CheckpointSerializer)
    @action(detail=True, methods=["post"])
    def mode(self, request, pk=None):
        """Open the checkpoint or put it under closed management (封闭管理): the community
        worker or a supervisor of its area."""
        checkpoint = self.get_object()
        if not request.user.has_perm(CHANGE, checkpoint):
            raise exceptions.PermissionDenied
        body = self.write(ModeSerializer)
        return self.answer(self.run_service(services.set_mode, checkpoint=checkpoint, **body))


class LookupViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The gate's lookup of a checkpoint, for the staff who record passages there (a
    checkpoint where the caller may not record is not found)."""

    model = Checkpoint
    read_permission = RECORD
    permission_classes = [RolePermission]
    serializer_class = PersonFoundSerializer
    pagination_class = None  # at most 10, answered as a plain list

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="A name, pinyin initials or the last 4 ID digits."
            )
        ],
        responses=PersonFoundSerializer(many=True),
    )
    def retrieve(self, request, pk=None):
        """Residents of the checkpoint's community matching `q` (at most 10): a name, a
        masked ID number and a household each, for the staff recording passages there."""
        found = selectors.lookup(self.get_object(), request.query_params.get("q", ""))
        return Response(PersonFoundSerializer(found, many=True).data)


def record_one(*, actor, checkpoint, gates=None, **data):
    """Record one validated passage body (`checkpoint` an id, looked up among the checkpoints
    the actor sees: `visible_to(actor, VIEW)`, its statement written once) through the
    service; Django's refusals are raised. `gates` keeps the checkpoints read for the
    passages of one batch."""
    gates = {} if gates is None else gates
    if checkpoint not in gates:
        gates[checkpoint] = recording.checkpoint(checkpoint)
    found = gates[checkpoint]
    if found is None or not holds(actor, VIEW, found.area_path):
        raise DjangoValidationError({"checkpoint": _("No such checkpoint.")})
    return services.record_passage(actor=actor, checkpoint=found, **data)


# Built once per process: a serializer's fields are made afresh for each instance (for these
# two, a third of a recorded passage's time in DRF). Neither keeps state between uses.
RECORD_BODY = RecordPassageSerializer()
BATCH_COMMIT = 50
PASSAGE_ANSWER = PassageSerializer()


class PassageViewSet(ScopedViewSet):
    """Passages at the caller's checkpoints, latest first. POST records one; sent again with
    the same `client_uuid`, it answers 200 with the passage already recorded."""

    model = Passage
    read_permission = VIEW_PASSAGES
    serializer_class = PassageSerializer
    filterset_class = PassageFilter

    def get_queryset(self):
        return super().get_queryset().select_related("resident", "alert")

    def check_recorder(self):
        if not self.request.user.has_perm(RECORD):
            raise exceptions.PermissionDenied

    @extend_schema(
        request=RecordPassageSerializer, responses={201: PassageSerializer, 200: PassageSerializer}
    )
    def create(self, request):
        self.check_recorder()
        try:
            body = RECORD_BODY.run_validation(request.data)
        except exceptions.ValidationError as error:
            raise exceptions.ValidationError(error.detail) from None
        passage = self.run_service(record_one, **body)
        return Response(
            PASSAGE_ANSWER.to_representation(passage),
            status=HTTP_201_CREATED if passage.created else 200,
        )

    @extend_schema(request=BatchSerializer, responses=BatchAnswerSerializer)
    @action(detail=False, methods=["post"])
    def batch(self, request):
        """Up to 500 passages of a device's offline queue, each recorded or refused on its
        own: `results` answers them in order with `created`, `existing` (its `client_uuid`
        was recorded already) or `refused` with the reasons."""
        self.check_recorder()
        items = request.data.get("passages") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or not items:
            raise exceptions.ValidationError({"passages": [_("Send a list of passages.")]})
        if len(items) > BatchSerializer().fields["passages"].max_length:
            raise exceptions.ValidationError(
                {"passages": [_("Send at most 500 passages at a time.")]}
            )
        results, gates = [], {}
        # A commit per BATCH_COMMIT passages, not per passage (each commit is a flush of the
        # database's log); each passage keeps its own savepoint, so one refused or failing
        # passage leaves the others recorded.
        for start in range(0, len(items), BATCH_COMMIT):
            with transaction.atomic():
                results += [
                    self.batch_item(item, gates) for item in items[start : start + BATCH_COMMIT]
                ]
        return Response({"results": results})

    def batch_item(self, item, gates):
        uuid = item.get("client_uuid") if isinstance(item, dict) else None
        try:
            body = RECORD_BODY.run_validation(item)
        except exceptions.ValidationError as error:
            # A null item is refused before its fields are read, with a bare list: the answer
            # keeps `errors` an object.
            detail = error.detail
            return refused(
                uuid, detail if isinstance(detail, dict) else {"non_field_errors": detail}
            )
        try:
            passage = record_one(actor=self.request.user, gates=gates, **body)
        except DjangoValidationError as error:
            return refused(
                uuid,
                error.message_dict
                if hasattr(error, "error_dict")
                else {"non_field_errors": error.messages},
            )
        except DjangoPermissionDenied as error:
            return refused(uuid, {"non_field_errors": [str(error)]})
        status = "created" if passage.created else "existing"
        return {
            "client_uuid": str(passage.client_uuid),
            "status": status,
            "id": passage.pk,
            "errors": None,
        }


def refused(uuid, errors):
    return {
        "client_uuid": str(uuid) if uuid else None,
        "status": "refused",
        "id": None,
        "errors": errors,
    }


class GateAlertViewSet(ScopedViewSet):
    """Gate alerts of the caller's areas, latest first (`open=true`: those not yet dealt
    with)."""

    model = GateAlert
    read_permission = VIEW_ALERTS
    serializer_class = GateAlertSerializer
    filterset_class = GateAlertFilter

    def get_queryset(self):
        return super().get_queryset().select_related("passage__resident", "worker")

    @extend_schema(request=GateDisposeSerializer, responses=GateAlertSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        """Record what was done about the alert, which closes it."""
        alert = self.get_object()
        if not request.user.has_perm(DISPOSE, alert):
            raise exceptions.PermissionDenied
        body = self.write(GateDisposeSerializer)
        self.run_service(
            services.dispose_gate_alert,
            alert=alert,
            disposition=body["disposition"],
            note=body["note"],
        )
        return self.answer(self.get_queryset().get(pk=alert.pk))


ROUTES = [
    ("checkpoints", CheckpointViewSet, "checkpoint"),
    ("checkpoint-lookup", LookupViewSet, "checkpoint-lookup"),
    ("passages", PassageViewSet, "passage"),
    ("gate-alerts", GateAlertViewSet, "gate-alert"),
    ("checkpoint-registrations", RegistrationViewSet, "checkpoint-registration"),
    ("passes", PassViewSet, "pass"),
    *OFFLINE_ROUTES,
]
