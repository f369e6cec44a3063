from rest_framework import serializers

from fangkong.care.models import (
    Channel,
    FeverClinic,
    Provider,
    ServiceRequest,
    ServiceType,
    SymptomReport,
)
from fangkong.care.permissions import ADD
from fangkong.people.models import Household, Resident


class ServiceRequestSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True, allow_null=True)
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "client_uuid",
            "area_code",
            "household",
            "service_type",
            "details",
            "channel",
            "status",
            "provider",
            "created_at",
            "due_at",
            "dispatched_at",
            "started_at",
            "done_at",
            "delivered",
            "cancelled_reason",
            "confirmed_at",
            "rating",
            "comment",
        ]
        read_only_fields = fields


class NewServiceRequestSerializer(serializers.Serializer):
    """A request recorded on a household's behalf (a phone call, a visit, or typed in for a
    resident who asked online)."""

    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    details = serializers.CharField(max_length=500)
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="How the request came in.")
    client_uuid = serializers.UUIDField(
        help_text="The caller's id of this request: sent again, it answers the request it made."
    )
    resident = serializers.PrimaryKeyRelatedField(
        queryset=Resident.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="For whom, a member of the household.",
    )
    contact_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request:
            user = request.user
            self.fields["household"].queryset = Household.objects.visible_to(user, ADD)
            self.fields["resident"].queryset = Resident.objects.visible_to(
                user, "people.view_resident"
            )


class ServiceDispatchSerializer(serializers.Serializer):
    provider = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="A provider in use who takes the request's type and serves its area.",
    )


class ServiceDoneSerializer(serializers.Serializer):
    delivered = serializers.CharField(max_length=500, help_text="What was delivered or done.")


class ServiceConfirmSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ServiceCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ProviderSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "area_code", "name", "kind", "phone", "service_types", "is_active"]
        read_only_fields = fields


class FeverClinicSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = FeverClinic
        fields = ["id", "area_code", "name", "address", "phone", "hours", "is_active"]
        read_only_fields = fields


class SymptomReportSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)
    # Blank until the report is handled: the schema's enum says so (DRF drops allow_blank
    # from a read-only model field's kwargs, so the field is declared).
    outcome = serializers.ChoiceField(
        choices=SymptomReport.Outcome.choices,
        read_only=True,
        allow_blank=True,
        label=SymptomReport._meta.get_field("outcome").verbose_name,
    )

    class Meta:
        model = SymptomReport
        fields = [
            "id",
            "area_code",
            "household",
            "name",
            "temperature",
            "channel",
            "received_at",
            "outcome",
            "outcome_note",
            "handled_at",
        ]
        read_only_fields = fields
