"""The API of services for residents: service requests (those of the caller's areas and those
given to them as a provider), providers, fever clinics and symptom self-reports, read through
the same scope and FilterSets as the pages. A request is recorded on a household's behalf,
dispatched, started, marked done, confirmed and cancelled through the services the pages call;
recorded again with the same `client_uuid`, it answers the request already made (200)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedReadOnlyViewSet, ScopedViewSet
from fangkong.care import selectors, services
from fangkong.care.filters import ProviderFilter, ServiceRequestFilter, SymptomReportFilter
from fangkong.care.models import FeverClinic, Provider, ServiceRequest, SymptomReport
from fangkong.care.permissions import ADD, VIEW, VIEW_CLINICS, VIEW_PROVIDERS, VIEW_REPORTS
from fangkong.care.serializers import (
    FeverClinicSerializer,
    NewServiceRequestSerializer,
    ProviderSerializer,
    ServiceCancelSerializer,
    ServiceConfirmSerializer,
    ServiceDispatchSerializer,
    ServiceDoneSerializer,
    ServiceRequestSerializer,
    SymptomReportSerializer,
)


class RequestReader(RolePermission):
    """The list for those who follow requests and for a provider's worker or volunteer, who
    reads the requests given to them."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) or (
            request.user.is_authenticated and selectors.may_read_requests(request.user)
        )


class ServiceRequestViewSet(ScopedViewSet):
    """Service requests of the caller's areas, and those given to them as a provider, latest
    first. POST records one for a household (the channel says how it came in)."""

    model = ServiceRequest
    read_permission = VIEW
    serializer_class = ServiceRequestSerializer
    permission_classes = [RequestReader]
    filterset_class = ServiceRequestFilter

    def get_queryset(self):
        return (
            selectors.requests(self.request.user)
            .select_related("area")
            .order_by("-created_at", "-id")
        )

    def list(self, request):
        """The page's ids first, latest first (`selectors.LatestFirst`), then their rows."""
        filtered = ServiceRequestFilter(
            request.query_params, selectors.requests(request.user), request=request
        )
        if not filtered.is_valid():
            raise exceptions.ValidationError(filtered.errors)
        ids = self.paginate_queryset(selectors.LatestFirst(filtered.qs, filtered.scope()))
        rows = {row.pk: row for row in self.get_queryset().filter(pk__in=list(ids))}
        found = [rows[pk] for pk in ids if pk in rows]
        return self.get_paginated_response(self.get_serializer(found, many=True).data)

    def answer_with(self, service, code=200):
        return self.answer(self.get_queryset().get(pk=service.pk), code)

    @extend_schema(
        request=NewServiceRequestSerializer,
        responses={201: ServiceRequestSerializer, 200: ServiceRequestSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(ADD):
            raise exceptions.PermissionDenied
        body = self.write(NewServiceRequestSerializer)
        made = self.run_service(services.request_service, **body)
        return self.answer_with(made, HTTP_201_CREATED if made.created else 200)

    @extend_schema(request=ServiceDispatchSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def send(self, request, pk=None):
        """Give the request to a provider; one who does not take its type or serve its area
        is refused with the reason."""
        service = self.get_object()
        provider = self.provider_named(service, self.write(ServiceDispatchSerializer)["provider"])
        self.run_service(services.dispatch, service_request=service, provider=provider)
        return self.answer_with(service)

    def provider_named(self, service, pk):
        """A provider the caller may read, or one registered elsewhere that serves the
        request's area (a county's transport company): the service says why either is refused.
        Any other id is not told apart from one never used."""
        user = self.request.user
        found = selectors.providers(user, VIEW_PROVIDERS).filter(pk=pk).first()
        if found is None:
            paths = selectors.ancestor_paths(service.area_path)
            with services.system_scope():  # only providers serving this request's area
                found = Provider.objects.filter(pk=pk, service_areas__path__in=paths).first()
        if found is None:
            raise exceptions.ValidationError({"provider": [_("No such record.")]})
        return found

    @extend_schema(request=None, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The provider has started (on the way, buying, at the door)."""
        service = self.get_object()
        return self.answer_with(self.run_service(services.start, service_request=service))

    @extend_schema(request=ServiceDoneSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Delivered: what was brought or done; the resident then confirms."""
        service = self.get_object()
        body = self.write(ServiceDoneSerializer)
        done = self.run_service(services.complete, service_request=service, **body)
        return self.answer_with(done)

    @extend_schema(request=ServiceConfirmSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirmed (and rated 1–5) on the resident's behalf, once the request is done."""
        service = self.get_object()
        body = self.write(ServiceConfirmSerializer)
        return self.answer_with(self.run_service(services.confirm, service_request=service, **body))

    @extend_schema(request=ServiceCancelSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        service = self.get_object()
        body = self.write(ServiceCancelSerializer)
        return self.answer_with(self.run_service(services.cancel, service_request=service, **body))


class ProviderViewSet(ScopedReadOnlyViewSet):
    """Service providers registered in the caller's areas."""

    model = Provider
    read_permission = VIEW_PROVIDERS
    serializer_class = ProviderSerializer
    permission_classes = [RolePermission]
    filterset_class = ProviderFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")


class FeverClinicViewSet(ScopedReadOnlyViewSet):
    """Fever clinics of the counties of the caller's areas."""

    model = FeverClinic
    read_permission = VIEW_CLINICS
    serializer_class = FeverClinicSerializer
    permission_classes = [RolePermission]

    def get_queryset(self):
        return super().get_queryset().select_related("area")


class SymptomReportViewSet(ScopedReadOnlyViewSet):
    """Symptom self-reports of the caller's areas, latest first."""

    model = SymptomReport
    read_permission = VIEW_REPORTS
    serializer_class = SymptomReportSerializer
    permission_classes = [RolePermission]
    filterset_class = SymptomReportFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")


ROUTES = [
    ("service-requests", ServiceRequestViewSet, "service-request"),
    ("service-providers", ProviderViewSet, "service-provider"),
    ("fever-clinics", FeverClinicViewSet, "fever-clinic"),
    ("symptom-reports", SymptomReportViewSet, "symptom-report"),
]
