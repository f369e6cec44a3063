from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.response.models import RiskLevel
from fangkong.subsidies.models import Period, Subsidy, SubsidyRule
from fangkong.subsidies.services import MOST_A_DAY, MOST_A_PERIOD, MOST_DAYS


def yuan(required=True, **kwargs):
    return serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=required,
        allow_null=not required,
        **({"default": None} if not required else {}),
        **kwargs,
    )


class SubsidySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    final_amount = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)

    class Meta:
        model = Subsidy
        fields = [
            "id",
            "area",
            "worker",
            "worker_name",
            "period",
            "period_start",
            "period_end",
            "rule",
            "days_medium",
            "days_high",
            "from_roster",
            "eligible",
            "amount",
            "adjusted_amount",
            "adjust_reason",
            "final_amount",
            "status",
            "computed_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class SubsidyRuleSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = SubsidyRule
        fields = [
            "id",
            "area",
            "effective_from",
            "period",
            "rate_medium",
            "rate_high",
            "min_days",
            "cap",
            "note",
            "set_at",
        ]
        read_only_fields = fields


class SetRuleSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The county's code.")
    effective_from = serializers.DateField(validators=[dates.PLAN_START])
    period = serializers.ChoiceField(choices=Period.choices)
    # Optional here: the service refuses a rule without a rate with its own message.
    rate_medium = yuan(required=False, max_value=MOST_A_DAY)
    rate_high = yuan(required=False, max_value=MOST_A_DAY)
    min_days = serializers.IntegerField(min_value=0, max_value=MOST_DAYS, default=1)
    cap = yuan(required=False, max_value=MOST_A_PERIOD)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ComputeSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(
        queryset=Area.objects.none(), help_text="The county, township or community's code."
    )
    day = serializers.DateField(
        validators=[dates.RECORDED_DAY], help_text="A day of the period to compute."
    )


class ComputedSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    period = serializers.ChoiceField(choices=Period.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    removed = serializers.IntegerField()
    kept = serializers.IntegerField()


class AdjustSerializer(serializers.Serializer):
    amount = yuan(max_value=MOST_A_PERIOD)
    reason = serializers.CharField(max_length=300)


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    area = serializers.CharField()
    source = serializers.CharField()
