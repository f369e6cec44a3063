"""The API of the division of duties (职责分工): the rows of the caller's areas (`within` an
area, or of one `area` only), and adding, changing and removing them through the services the
pages call. A retried add with the same `client_uuid` answers the row it made (201, then 200)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from fangkong.apibase import ScopedFieldsMixin, ScopedViewSet
from fangkong.areas.api import AreaCodeField
from fangkong.areas.filters import WithinAreaFilter
from fangkong.areas.models import Area, RoleKind, Worker
from fangkong.workforce import responsibility_services as services
from fangkong.workforce.models import Responsibility
from fangkong.workforce.permissions import SET_RESPONSIBILITY


class ResponsibilityFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    area = django_filters.CharFilter(field_name="area__code", label=_("of the area with this code"))

    class Meta:
        model = Responsibility
        fields = ["position"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True, allow_null=True)
    role_kind = serializers.ChoiceField(choices=RoleKind.choices, allow_blank=True)

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "area",
            "area_name",
            "position",
            "worker",
            "worker_name",
            "role_kind",
            "duties",
            "order",
            "updated_at",
        ]
        read_only_fields = fields  # an answer only: see notices' NoticeVersionSerializer


class ChangeSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"worker": Worker}

    position = serializers.ChoiceField(choices=Responsibility.Position.choices)
    worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(), required=False, allow_null=True, default=None
    )
    role_kind = serializers.ChoiceField(
        choices=RoleKind.choices, required=False, allow_blank=True, default=""
    )
    duties = serializers.CharField(max_length=services.DUTIES_LENGTH)
    order = serializers.IntegerField(min_value=0, max_value=999, required=False, default=0)


class AddSerializer(ChangeSerializer):
    scoped_fields = {"worker": Worker, "area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The area's code.")
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class ResponsibilityViewSet(ScopedViewSet):
    """The division of duties of the caller's areas: who leads, coordinates and reports, and
    what each role kind does. POST adds a row; PUT changes one; DELETE removes it."""

    model = Responsibility
    serializer_class = ResponsibilitySerializer
    filterset_class = ResponsibilityFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(
        request=AddSerializer,
        responses={201: ResponsibilitySerializer, 200: ResponsibilitySerializer},
    )
    def create(self, request):
        if not request.user.has_perm(SET_RESPONSIBILITY):
            raise exceptions.PermissionDenied
        data = self.write(AddSerializer)
        row = self.run_service(services.add_responsibility, **data)
        status = HTTP_201_CREATED if row.created else 200
        return self.answer(self.get_queryset().get(pk=row.pk), status)

    @extend_schema(request=ChangeSerializer, responses=ResponsibilitySerializer)
    def update(self, request, pk=None):
        row = self.get_object()
        data = self.write(ChangeSerializer)
        self.run_service(services.change_responsibility, responsibility=row, **data)
        return self.answer(self.get_queryset().get(pk=row.pk))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        row = self.get_object()
        self.run_service(services.remove_responsibility, responsibility=row)
        return Response(status=HTTP_204_NO_CONTENT)
