from rest_framework import mixins, serializers, viewsets

from fangkong.apibase import (
    RolePermission,
    ScopedModelSerializer,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
)
from fangkong.areas import services
from fangkong.areas.filters import AreaFilter, BuildingFilter, RoleFilter, WorkerFilter
from fangkong.areas.models import AREA_CODE, Area, Building, Level, Role, Worker, is_area_code
from fangkong.areas.selectors import workers_with_visible_roles


class AreaCodeField(serializers.SlugRelatedField):
    """An area named by its code, looked up only when the text has the form of a code."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not is_area_code(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data)


class AreaSerializer(ScopedModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent_code", "path"]


class AreaViewSet(ScopedReadOnlyViewSet):
    """Areas of the caller's scope (province down to grid), looked up by division code."""

    model = Area
    permission_classes = [RolePermission]
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern

    def get_queryset(self):
        return super().get_queryset().select_related("parent").order_by("path")


class BuildingSerializer(ScopedModelSerializer):
    area = AreaCodeField(queryset=Area.objects.none())
    responsible_worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = Building
        fields = ["id", "area", "name", "kind", "address", "responsible_worker"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Related records are looked up in the caller's scope too.
            self.fields["area"].queryset = Area.objects.visible_to(
                request.user, "areas.view_area"
            ).filter(level=Level.GRID)
            self.fields["responsible_worker"].queryset = Worker.objects.visible_to(
                request.user, "areas.view_worker"
            )


class BuildingViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Buildings (natural villages, compounds, buildings) in the grids of the caller's areas."""

    model = Building
    permission_classes = [RolePermission]
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("area_path", "name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self.run_service(
            services.save_building, grid=data.pop("area"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self.run_service(
            services.save_building, building=serializer.instance, grid=data.pop("area"), **data
        )


class RoleSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Role
        fields = ["id", "area", "kind"]


class GrantRoleSerializer(ScopedModelSerializer):
    area = AreaCodeField(queryset=Area.objects.none())
    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())

    class Meta:
        model = Role
        fields = ["id", "worker", "area", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.visible_to(request.user, "areas.view_area")
            self.fields["worker"].queryset = Worker.objects.visible_to(
                request.user, "areas.view_worker"
            )


class RoleViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Roles of workers on areas; granting and revoking follow the same rules as the pages."""

    model = Role
    permission_classes = [RolePermission]
    serializer_class = GrantRoleSerializer
    filterset_class = RoleFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("area_path", "kind")

    def perform_create(self, serializer):
        serializer.instance = self.run_service(services.grant_role, **serializer.validated_data)

    def perform_destroy(self, instance):
        self.run_service(services.revoke_role, role=instance)


class WorkerSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    roles = RoleSerializer(source="visible_roles", many=True, read_only=True)

    class Meta:
        model = Worker
        fields = ["id", "area", "name", "phone", "affiliation", "is_active", "roles"]


class WorkerViewSet(ScopedReadOnlyViewSet):
    """Workers serving in the caller's areas, with those of their roles that lie in scope."""

    model = Worker
    permission_classes = [RolePermission]
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter

    def get_queryset(self):
        return workers_with_visible_roles(self.request.user).order_by("area_path", "name")


ROUTES = [
    ("areas", AreaViewSet, "area"),
    ("buildings", BuildingViewSet, "building"),
    ("workers", WorkerViewSet, "worker"),
    ("roles", RoleViewSet, "role"),
]
