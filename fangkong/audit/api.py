"""The audit trail in the API: a read-only list for the roles that may read it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets

from fangkong.apibase import RolePermission, ScopedModelSerializer, ScopedViewSetMixin
from fangkong.audit.filters import AuditEventFilter
from fangkong.audit.models import AuditEvent
from fangkong.audit.registry import action_label


class AuditEventSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    action_label = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "area",
            "area_name",
            "detail",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_action_label(self, event):
        return str(action_label(event.action))

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event):
        """The worker's name, else the username; empty for the system."""
        user = event.actor
        if user is None:
            return ""
        worker = getattr(user, "worker", None)
        return worker.name if worker else user.get_username()


class AuditEventViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who did what to which record, newest first, in the caller's areas (supervisors,
    community workers, system administrators). Details never hold a whole ID number or phone."""

    model = AuditEvent
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [RolePermission]
    read_permission = "audit.view_auditevent"

    def get_queryset(self):
        return super().get_queryset().select_related("area", "actor__worker").order_by("-at", "-pk")


ROUTES = [("audit-events", AuditEventViewSet, "auditevent")]
