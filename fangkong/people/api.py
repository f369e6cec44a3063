from rest_framework import serializers

from fangkong.apibase import ScopedReadOnlyViewSet
from fangkong.people.filters import HouseholdFilter, ResidentFilter
from fangkong.people.models import Household, Resident


class HouseholdSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "area", "building", "number", "address"]


class ResidentSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "area",
            "household",
            "name",
            "sex",
            "age",
            "id_number",
            "phone",
            "relation_to_head",
            "residence",
        ]


class HouseholdViewSet(ScopedReadOnlyViewSet):
    """Households of the caller's areas."""

    model = Household
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("area_path", "number")


class ResidentViewSet(ScopedReadOnlyViewSet):
    """Residents of the caller's areas; ID numbers and phones are masked."""

    model = Resident
    serializer_class = ResidentSerializer
    filterset_class = ResidentFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("area_path", "id")


ROUTES = [
    ("households", HouseholdViewSet, "household"),
    ("residents", ResidentViewSet, "resident"),
]
