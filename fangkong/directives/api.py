"""The API of directives: the directives the caller's areas issued (and issuing one, with
its progress), the directives their areas received (acknowledging, forwarding and reporting
on one) and the implementation reports — through the services and FilterSets the pages
use; a retried request does its work once."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from fangkong.apibase import ScopedViewSet, created
from fangkong.areas.models import Area, is_area_code
from fangkong.directives import report_services, selectors, services
from fangkong.directives.filters import DirectiveFilter, ReceiptFilter, ReportFilter
from fangkong.directives.models import Directive, DirectiveReceipt, ImplementationReport
from fangkong.directives.permissions import ACT, ISSUE, REVIEW, VIEW_RECEIPT
from fangkong.directives.serializers import (
    DirectiveProgressSerializer,
    DirectiveReceiptDetailSerializer,
    DirectiveReceiptSerializer,
    DirectiveSerializer,
    ForwardDirectiveSerializer,
    ImplementationReportSerializer,
    IssueDirectiveSerializer,
    SendBackSerializer,
    SendImplementationReportSerializer,
    ask_data,
)


def progress_data(user, directive, area):
    found = selectors.progress(user, directive, area, timezone.now())
    totals = found["totals"]
    return {
        "area": area.code,
        "totals": totals,
        "forwarded": totals["forwarded"],
        "children": [
            {"area": child.code, "name": child.name, **counts}
            for child, counts in found["children"]
        ],
        "sums": [ask_data(row, row.value) for row in found["sums"]],
    }


class DirectiveViewSet(ScopedViewSet):
    """Directives issued by the caller's areas and the areas below them, newest first. POST
    (JSON, or multipart with attachments) issues one as one of the caller's own areas."""

    model = Directive
    serializer_class = DirectiveSerializer
    filterset_class = DirectiveFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area").prefetch_related("attachments")

    @extend_schema(
        request=IssueDirectiveSerializer,
        responses={201: DirectiveSerializer, 200: DirectiveSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(ISSUE):
            raise exceptions.PermissionDenied
        data = self.write(IssueDirectiveSerializer)
        directive = self.run_service(services.issue_directive, **data)
        return self.answer(self.get_queryset().get(pk=directive.pk), created(directive))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "within", str, description="Count below this area (the issuer's by default)."
            )
        ],
        responses=DirectiveProgressSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def progress(self, request, pk=None):
        """Acknowledged, reported and late among the areas carrying it out, per child area,
        and the live sums of the figures reported."""
        directive = self.get_object()
        area = directive.area
        code = request.query_params.get("within", "")
        if is_area_code(code):
            area = (
                Area.objects.visible_to(request.user, VIEW_RECEIPT)
                .filter(code=code, path__under=directive.area_path)
                .first()
            ) or area
        return Response(
            DirectiveProgressSerializer(progress_data(request.user, directive, area)).data
        )


class ReceiptViewSet(ScopedViewSet):
    """Directives received by the caller's areas and the areas below them. The receiving
    area's own workers acknowledge, forward and report."""

    model = DirectiveReceipt
    serializer_class = DirectiveReceiptSerializer
    filterset_class = ReceiptFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "directive__area")
            .order_by("-received_at", "-id")
        )

    def get_serializer_class(self):
        return (
            DirectiveReceiptDetailSerializer
            if self.action != "list"
            else DirectiveReceiptSerializer
        )

    def answer_receipt(self, receipt):
        receipt = self.get_queryset().select_related("parent").get(pk=receipt.pk)
        context = {"chain": selectors.chain(receipt), "asks": selectors.asks_for(receipt)}
        return Response(DirectiveReceiptDetailSerializer(receipt, context=context).data)

    @extend_schema(responses=DirectiveReceiptDetailSerializer)
    def retrieve(self, request, pk=None):
        """One received directive with what came down to it, each text marked by level."""
        return self.answer_receipt(self.get_object())

    def acting_on(self):
        """The receipt, acted on by its own area's workers: a 403 with the reason else."""
        receipt = self.get_object()
        if not self.request.user.has_perm(ACT, receipt):
            raise exceptions.PermissionDenied
        self.run_service(lambda actor: services.check_own(actor, receipt))
        return receipt

    @extend_schema(request=None, responses=DirectiveReceiptDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """签收; acknowledging again changes nothing."""
        receipt = self.run_service(services.acknowledge, receipt=self.acting_on())
        return self.answer_receipt(receipt)

    @extend_schema(request=ForwardDirectiveSerializer, responses=DirectiveReceiptDetailSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """转发 to areas below with what this level adds; once per receipt."""
        receipt = self.acting_on()
        data = self.write(ForwardDirectiveSerializer)
        receipt = self.run_service(services.forward, receipt=receipt, **data)
        return self.answer_receipt(receipt)

    @extend_schema(
        request=SendImplementationReportSerializer,
        responses={201: ImplementationReportSerializer, 200: ImplementationReportSerializer},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """The implementation report: the known figures are taken from the records; only the
        asked ones are typed. Sent once; a retry with the same client_uuid answers it."""
        receipt = self.acting_on()
        data = self.write(SendImplementationReportSerializer)
        report = self.run_service(report_services.send_report, receipt=receipt, **data)
        return Response(ImplementationReportSerializer(report).data, status=created(report))


class ReportViewSet(ScopedViewSet):
    """Implementation reports of the caller's areas and the areas below them, every version
    (`receipt=` lists one received directive's). The level above a report reviews it."""

    model = ImplementationReport
    serializer_class = ImplementationReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("-sent_at", "-id")

    def reviewing(self):
        report = self.get_object()
        if not self.request.user.has_perm(REVIEW, report):
            raise exceptions.PermissionDenied
        return report

    @extend_schema(request=None, responses=ImplementationReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a version waiting for review (the level above only): the area can no
        longer change it. Approving again changes nothing."""
        report = self.run_service(report_services.approve_report, report=self.reviewing())
        return self.answer(self.get_queryset().get(pk=report.pk))

    @extend_schema(request=SendBackSerializer, responses=ImplementationReportSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Send a version back with the reason (the level above only, while its own report
        that includes it is not sent): the area amends it and sends a new version."""
        report = self.reviewing()
        data = self.write(SendBackSerializer)
        report = self.run_service(report_services.send_back, report=report, **data)
        return self.answer(self.get_queryset().get(pk=report.pk))


ROUTES = [
    ("directives", DirectiveViewSet, "directive"),
    ("directive-receipts", ReceiptViewSet, "directive-receipt"),
    ("implementation-reports", ReportViewSet, "implementation-report"),
]
