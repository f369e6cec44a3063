"""`GET /api/checkpoint-offline/{id}/`: the offline bundle of a checkpoint
(`fangkong.checkpoints.offline`) for the staff who record passages there, with an ETag so the
gate page refreshes it cheaply whenever it is online."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from fangkong.apibase import RolePermission, ScopedViewSetMixin
from fangkong.checkpoints import offline
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.passes import Pass
from fangkong.checkpoints.permissions import RECORD


class OfflineResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    initials = serializers.CharField(help_text="Pinyin initials of the name (张三 → zs).")
    id_last4 = serializers.CharField(help_text="The last 4 characters of the ID number.")
    id_number_masked = serializers.CharField()
    household = serializers.IntegerField(allow_null=True)
    household_label = serializers.CharField()
    monitored = serializers.BooleanField(
        help_text="Under health monitoring or home quarantine today: going out raises an alert."
    )


class OfflinePassSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Pass.Kind.choices)
    code_sha256 = serializers.CharField(
        help_text="SHA-256 (hex) of the pass's signed QR code: a code scanned offline is "
        "genuine if its digest is here."
    )
    household = serializers.IntegerField(allow_null=True)
    resident = serializers.IntegerField(allow_null=True, help_text="A work pass's holder.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    exits = serializers.IntegerField(allow_null=True)
    per_days = serializers.IntegerField(allow_null=True)
    return_minutes = serializers.IntegerField(allow_null=True)
    revoked = serializers.BooleanField()
    exits_made = serializers.ListField(
        child=serializers.DateTimeField(),
        help_text="The household's exits of the last 30 days known to the server.",
    )


class OfflineBundleSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="Changes whenever the content does (the ETag).")
    made_at = serializers.DateTimeField()
    fresh_until = serializers.DateTimeField()
    checkpoint = serializers.IntegerField()
    day = serializers.DateField()
    takes_vehicles = serializers.BooleanField()
    residents = OfflineResidentSerializer(many=True)
    passes = OfflinePassSerializer(many=True)


class OfflineBundleViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The offline bundle of a checkpoint, for the staff who record passages there: the same
    scope as the gate's lookup (`checkpoint-lookup`), a checkpoint where the caller may not
    record is not found."""

    model = Checkpoint
    read_permission = RECORD
    permission_classes = [RolePermission]
    serializer_class = OfflineBundleSerializer
    pagination_class = None

    @extend_schema(
        responses={
            200: OfflineBundleSerializer,
            304: OpenApiResponse(description="Unchanged since the version sent in If-None-Match."),
        }
    )
    def retrieve(self, request, pk=None):
        """What the gate page keeps for working offline: the active residents of the
        checkpoint's community (name, initials, last 4 and masked ID digits, household,
        monitored) and the passes of the community valid today or later. Sent again with
        `If-None-Match`, an unchanged bundle is answered 304."""
        checkpoint = self.get_object()
        if not checkpoint.is_active:
            raise exceptions.PermissionDenied(_("This checkpoint is no longer in use."))
        content = offline.bundle(checkpoint)
        etag = f'"{content["version"]}"'
        if etag in request.headers.get("If-None-Match", ""):
            return Response(status=304, headers={"ETag": etag})
        return Response(content, headers={"ETag": etag})


ROUTES = [("checkpoint-offline", OfflineBundleViewSet, "checkpoint-offline")]
