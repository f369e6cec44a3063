"""The API of self-registrations for the checkpoint's staff: the registrations waiting (at
most 2 hours old), confirm one (it becomes a passage) or reject it. The visitor's own form
is a public page, not part of the API."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet
from fangkong.checkpoints import self_registration
from fangkong.checkpoints.filters import RegistrationFilter
from fangkong.checkpoints.models import HealthCode, Registration
from fangkong.checkpoints.permissions import CONFIRM, VIEW_REGISTRATIONS
from fangkong.checkpoints.serializers import PassageSerializer


class RegistrationSerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "checkpoint",
            "name",
            "id_number_masked",
            "phone_masked",
            "reason",
            "direction",
            "household_text",
            "submitted_at",
            "status",
        ]
        read_only_fields = fields


class ConfirmSerializer(serializers.Serializer):
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1)
    health_code = serializers.ChoiceField(choices=HealthCode.choices, default=HealthCode.GREEN)


class RegistrationViewSet(ScopedViewSet):
    """Visitors' own registrations waiting at the caller's checkpoints, oldest first
    (`checkpoint=<id>` for one gate)."""

    model = Registration
    read_permission = VIEW_REGISTRATIONS
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return self_registration.pending(self.request.user)

    def decided(self):
        registration = self.get_object()
        if not self.request.user.has_perm(CONFIRM, registration):
            raise exceptions.PermissionDenied
        return registration

    @extend_schema(request=ConfirmSerializer, responses={201: PassageSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the registration with the temperature taken and the health code seen:
        it becomes the visitor's passage, raising the gate alerts it calls for."""
        registration = self.decided()
        body = self.write(ConfirmSerializer)
        passage = self.run_service(self_registration.confirm, registration=registration, **body)
        return Response(PassageSerializer(passage).data, status=HTTP_201_CREATED)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the registration: the visitor is not let through on it."""
        registration = self.decided()
        return self.answer(self.run_service(self_registration.reject, registration=registration))
