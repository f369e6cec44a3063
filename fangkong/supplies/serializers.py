from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.supplies.models import Stock, StockMovement, SupplyItem
from fangkong.supplies.services import MOVEMENT_DAY, NEEDS, REASON_LENGTH

QUANTITY_HELP = (
    "A whole number of the item's unit: how many were received, issued or transferred; "
    "for a stocktake, how many were counted. A negative number is refused."
)


class SupplyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupplyItem
        fields = ["id", "code", "name", "category", "unit"]
        read_only_fields = fields


class StockSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    below_minimum = serializers.BooleanField(read_only=True)
    used = serializers.IntegerField(
        read_only=True, default=0, help_text="Issued or transferred down in the last 14 days."
    )
    days_left = serializers.IntegerField(
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Days the stock lasts at the rate of the last 14 days; null if none was used.",
    )

    class Meta:
        model = Stock
        fields = [
            "id",
            "area",
            "area_name",
            "item",
            "item_name",
            "unit",
            "quantity",
            "minimum",
            "below_minimum",
            "below_since",
            "used",
            "days_left",
        ]
        read_only_fields = fields


class StockMovementSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    from_area = serializers.CharField(
        source="from_area.code", read_only=True, default=None, allow_null=True
    )
    item_name = serializers.CharField(source="item.name", read_only=True)
    reversed_by = serializers.SerializerMethodField(
        help_text="The id of the movement that reversed this one; null if none did."
    )

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "kind",
            "area",
            "from_area",
            "item",
            "item_name",
            "quantity",
            "change",
            "balance_after",
            "from_balance_after",
            "happened_on",
            "party",
            "note",
            "reverses",
            "reversed_by",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_reversed_by(self, movement) -> int | None:
        reversal = getattr(movement, "reversal", None)  # select_related by the viewset
        return reversal.pk if reversal is not None else None


def item_field():
    return serializers.PrimaryKeyRelatedField(queryset=SupplyItem.objects.filter(is_active=True))


class RecordMovementSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "from_area": Area}

    kind = serializers.ChoiceField(
        choices=[c for c in StockMovement.Kind.choices if c[0] in NEEDS],
        help_text="A reversal is made by POST /stock-movements/{id}/reverse/.",
    )
    area = AreaCodeField(
        queryset=Area.objects.none(),
        help_text="The code of the area whose stock changes (of a transfer: the area receiving).",
    )
    from_area = AreaCodeField(
        queryset=Area.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A transfer only: the code of the area giving, above the one receiving.",
    )
    item = item_field()
    quantity = serializers.IntegerField(help_text=QUANTITY_HELP)
    happened_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[MOVEMENT_DAY]
    )
    party = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class ReverseMovementSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_LENGTH, help_text="Why the movement is reversed (it was entered wrongly)."
    )
    client_uuid = uuid_field()


class SetMinimumSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The area's code.")
    item = item_field()
    minimum = serializers.IntegerField(help_text="The minimum level; 0 for none.")


class ItemRollSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    quantity = serializers.IntegerField(help_text="In stock in the whole subtree.")
    below = serializers.IntegerField(help_text="Stocks of the subtree below their minimum.")
    used = serializers.IntegerField(help_text="Issued in the subtree in the last 14 days.")
    days_left = serializers.IntegerField(allow_null=True)
