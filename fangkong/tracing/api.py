"""The tracing API: traced persons, cases (recorded with a client UUID; each with its chain),
case lists imported from a file (retried by their upload's UUID), contacts (recorded with a
client UUID; suggestions confirmed or dismissed) and the tracing tasks of the communities
where contacts live. Reads go through `visible_to`; writes through the services the pages
call."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet
from fangkong.tracing import case_changes, services
from fangkong.tracing.chain import MAX_DEPTH, chain_of
from fangkong.tracing.filters import CaseFilter, ContactFilter, PersonFilter, TaskFilter
from fangkong.tracing.import_services import import_cases
from fangkong.tracing.models import Case, CaseImport, Contact, TracedPerson, TracingTask
from fangkong.tracing.permissions import (
    ADD_CASE,
    ADD_CONTACT,
    CHANGE_CASE,
    DO_TASK,
    VIEW_CONTACT,
    VIEW_IMPORT,
)
from fangkong.tracing.serializers import (
    CaseImportDetailSerializer,
    CaseImportSerializer,
    CaseImportUploadSerializer,
    ChainSerializer,
    ContactDecisionSerializer,
    ReclassifySerializer,
    RecordCaseSerializer,
    RecordContactSerializer,
    RuleOutSerializer,
    TracedPersonSerializer,
    TracingCaseSerializer,
    TracingContactSerializer,
    TracingTaskDoneSerializer,
    TracingTaskSerializer,
)

PERSON_FIELDS = ("name", "id_number", "phone", "address", "area")


def _person(user, data, perm):
    """The person a body names, or the one it types in (created in the caller's transaction)."""
    fields = {k: data.pop(k) for k in PERSON_FIELDS}
    person = data.pop("person")
    if person is not None:
        return person
    if perm == ADD_CASE and not user.has_perm(perm, fields["area"]):
        raise DjangoPermissionDenied(_("You may not record cases in this area."))
    return services.add_person(actor=user, **fields)


class TracedPersonViewSet(ScopedViewSet):
    """The persons of the tracing graph in the caller's areas, with their derived category
    (case, close contact, secondary contact). ID numbers and phones are masked."""

    model = TracedPerson
    serializer_class = TracedPersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")


class CaseViewSet(ScopedViewSet):
    """The cases of the caller's areas, latest first. POST records one: `person` (a traced
    person) or a person typed in (`name`, `id_number`, `phone`, `area`); sent again with the
    same `client_uuid` it answers 200 with the case it made. `chain` gives the persons
    reached from the case, to `depth` (1–6), a page of at most 5,000 nodes at a time."""

    model = Case

    serializer_class = TracingCaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "area")

    @extend_schema(
        request=RecordCaseSerializer,
        responses={201: TracingCaseSerializer, 200: TracingCaseSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(ADD_CASE):
            raise exceptions.PermissionDenied
        data = self.write(RecordCaseSerializer)

        def record(actor, **data):
            if made := services.recorded_before(Case, data["client_uuid"]):
                return made
            with transaction.atomic():
                person = _person(actor, data, ADD_CASE)
                return services.record_case(actor=actor, person=person, **data)

        case = self.run_service(record, **data)
        return self.answer(case, HTTP_201_CREATED if getattr(case, "created", True) else 200)

    def _change(self, serializer_class, service):
        case = self.get_object()
        if not self.request.user.has_perm(CHANGE_CASE, case):
            raise exceptions.PermissionDenied
        data = self.write(serializer_class)
        self.run_service(service, case=case, **data)
        return self.answer(self.get_object())

    @extend_schema(request=ReclassifySerializer, responses=TracingCaseSerializer)
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        """A suspected case confirmed or found asymptomatic; an asymptomatic one confirmed."""
        return self._change(ReclassifySerializer, case_changes.reclassify_case)

    @extend_schema(request=RuleOutSerializer, responses=TracingCaseSerializer)
    @action(detail=True, methods=["post"], url_path="rule-out")
    def rule_out(self, request, pk=None):
        """A suspected case ruled out, with the day and the reason; its contacts re-ranked."""
        return self._change(RuleOutSerializer, case_changes.rule_out_case)

    @extend_schema(
        parameters=[
            OpenApiParameter("depth", OpenApiTypes.INT, description="1–6, 2 unless given"),
            OpenApiParameter("page", OpenApiTypes.INT, description="the part of the chain"),
        ],
        responses=ChainSerializer,
    )
    @action(detail=True, methods=["get"])
    def chain(self, request, pk=None):
        case = self.get_object()
        depth = _whole(request.query_params.get("depth"), 2, MAX_DEPTH)
        page = _whole(request.query_params.get("page"), 1, 10_000)
        chain = chain_of(request.user, case.person, depth=depth, page=page)
        return Response(ChainSerializer(chain).data)


def _whole(text, default, largest):
    if text in (None, ""):
        return default
    if not str(text).isdigit() or not 1 <= int(text) <= largest:
        raise exceptions.ValidationError(_("Give a whole number from 1 to %(n)d.") % {"n": largest})
    return int(text)


class ContactViewSet(ScopedViewSet):
    """The contacts (edges) seen from either of their ends in the caller's areas. POST
    records one from `source` to `person` (or a person typed in, who may live in another
    community: a tracing task is sent there); retried with the same `client_uuid`, it
    answers 200. `decide` confirms or dismisses a suggested contact."""

    model = Contact
    read_permission = VIEW_CONTACT
    serializer_class = TracingContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self):
        return super().get_queryset().select_related("source", "person", "area")

    @extend_schema(
        request=RecordContactSerializer,
        responses={201: TracingContactSerializer, 200: TracingContactSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(ADD_CONTACT):
            raise exceptions.PermissionDenied
        data = self.write(RecordContactSerializer)

        def record(actor, source, **data):
            if made := services.recorded_before(Contact, data["client_uuid"]):
                return made
            with transaction.atomic():
                person = _person(actor, data, ADD_CONTACT)
                return services.add_contact(actor=actor, source=source, person=person, **data)

        contact = self.run_service(record, **data)
        with_ends = Contact.objects.visible_to(request.user, VIEW_CONTACT).get(pk=contact.pk)
        created = getattr(contact, "created", True)
        return self.answer(with_ends, HTTP_201_CREATED if created else 200)

    @extend_schema(request=ContactDecisionSerializer, responses=TracingContactSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        contact = self.get_object()
        if not request.user.has_perm(ADD_CONTACT):
            raise exceptions.PermissionDenied
        data = self.write(ContactDecisionSerializer)
        self.run_service(
            services.decide_suggestion, contact=contact, confirm=data["decision"] == "confirm"
        )
        return self.answer(self.get_object())


class TracingTaskViewSet(ScopedViewSet):
    """The tracing tasks of the caller's communities and grids: who to reach, when and where
    the exposure was, the category of what they were exposed to (never who). `done` closes
    one with what was done."""

    model = TracingTask

    serializer_class = TracingTaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "area", "contact__source")

    @extend_schema(request=TracingTaskDoneSerializer, responses=TracingTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        task = self.get_object()
        if not request.user.has_perm(DO_TASK, task):
            raise exceptions.PermissionDenied
        data = self.write(TracingTaskDoneSerializer)
        self.run_service(services.close_task, task=task, **data)
        return self.answer(self.get_object())


class CaseImportViewSet(ScopedViewSet):
    """Case lists reported by a higher level, imported into the caller's areas (as the page
    /cases/import/ does). POST (multipart: `area`, `list_reference`, `upload`, `uuid`,
    `skip_faulty`) checks the whole file first: if any row is faulty, no case is recorded,
    the import is `refused` and `problems` lists every fault by row and column. Upload the
    corrected file, or the same one with `skip_faulty` to take the good rows only, with a new
    `uuid`: sent again with the same `uuid`, an upload answers 200 with the import it made."""

    model = CaseImport
    read_permission = VIEW_IMPORT
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "uploaded_by")

    def get_serializer_class(self):
        return CaseImportSerializer if self.action == "list" else CaseImportDetailSerializer

    @extend_schema(
        request={"multipart/form-data": CaseImportUploadSerializer},
        responses={201: CaseImportDetailSerializer, 200: CaseImportDetailSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(ADD_CASE):
            raise exceptions.PermissionDenied
        job = self.run_service(import_cases, **self.write(CaseImportUploadSerializer))
        shown = self.get_queryset().filter(pk=job.pk).first() or job
        return self.answer(shown, HTTP_201_CREATED if job.created else 200)


ROUTES = [
    ("traced-persons", TracedPersonViewSet, "traced-person"),
    ("cases", CaseViewSet, "case"),
    ("case-imports", CaseImportViewSet, "case-import"),
    ("contacts", ContactViewSet, "contact"),
    ("tracing-tasks", TracingTaskViewSet, "tracing-task"),
]
