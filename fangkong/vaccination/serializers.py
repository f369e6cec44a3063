from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Worker
from fangkong.training import coverage as rollup
from fangkong.vaccination import rules, selectors
from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption, Vaccine
from fangkong.vaccination.services import DOSE_DAY, EXEMPTION_END, EXEMPTION_START


class VaccinationSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Vaccination
        fields = [
            "id",
            "area",
            "worker",
            "dose_number",
            "given_on",
            "vaccine",
            "manufacturer",
            "batch",
            "completes_course",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class RecordDoseSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"worker": Worker}

    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())
    dose_number = serializers.IntegerField(min_value=1, max_value=rules.MOST_DOSES)
    given_on = serializers.DateField(validators=[DOSE_DAY])
    vaccine = serializers.ChoiceField(choices=Vaccine.choices)
    manufacturer = serializers.CharField(max_length=100)
    batch = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class ExemptionSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = VaccinationExemption
        fields = [
            "id",
            "area",
            "worker",
            "reason",
            "note",
            "starts_on",
            "ends_on",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class RecordExemptionSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"worker": Worker}

    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())
    reason = serializers.ChoiceField(choices=VaccinationExemption.Reason.choices)
    starts_on = serializers.DateField(validators=[EXEMPTION_START])
    ends_on = serializers.DateField(
        validators=[EXEMPTION_END], required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class EndExemptionSerializer(serializers.Serializer):
    ends_on = serializers.DateField(
        validators=[EXEMPTION_END], required=False, allow_null=True, default=None
    )


class DoseIntervalSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = DoseInterval
        fields = ["id", "area", "vaccine", "after_dose", "days", "set_at"]
        read_only_fields = fields


class SetIntervalSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The county's code.")
    vaccine = serializers.ChoiceField(choices=Vaccine.choices)
    after_dose = serializers.IntegerField(min_value=1, max_value=rules.MOST_DOSES)
    days = serializers.IntegerField(min_value=0, max_value=rules.LONGEST_INTERVAL)


class VaccinationCoverageQuery(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=[rollup.BY_ROLE, rollup.BY_AFFILIATION], required=False, default=rollup.BY_ROLE
    )


class DueQuery(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[value for value, _label in selectors.STATES],
        required=False,
        default=selectors.DUE,
    )
    days = serializers.IntegerField(
        min_value=0, max_value=selectors.MOST_DAYS_AHEAD, required=False, default=0
    )


class StatusSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.name")
    area = serializers.CharField(source="worker.area.code")
    state = serializers.ChoiceField(choices=selectors.STATES)
    doses = serializers.IntegerField()
    last_dose = serializers.IntegerField(source="last.dose_number", allow_null=True, default=None)
    last_given_on = serializers.DateField(source="last.given_on", allow_null=True, default=None)
    vaccine = serializers.CharField(source="last.vaccine", allow_null=True, default=None)
    next_due = serializers.DateField(allow_null=True)
    exemption = serializers.CharField(source="exemption.reason", allow_null=True, default=None)
