from rest_framework import serializers

from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Level
from fangkong.directives.models import (
    Directive,
    DirectiveReceipt,
    ImplementationReport,
    ReportState,
)
from fangkong.directives.permissions import ISSUE


class DirectiveAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class DirectiveSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True, help_text="The issuer.")
    area_name = serializers.CharField(source="area.name", read_only=True)
    attachments = DirectiveAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "area",
            "area_name",
            "title",
            "doc_number",
            "body",
            "ack_due_at",
            "report_due_at",
            "figures",
            "asked",
            "issued_at",
            "attachments",
            "client_uuid",
        ]
        read_only_fields = fields


class DirectiveSendingSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.choices, help_text="The level of the areas it goes to, below the sender's."
    )
    within = serializers.ListField(
        child=serializers.RegexField(r"^[0-9]{12}([0-9]{3})?$"),
        required=False,
        default=list,
        max_length=500,
        help_text="Codes of areas below the sender: only the areas of `level` under them "
        "receive it. Empty: every area of `level` below the sender.",
    )
    ack_due_at = serializers.DateTimeField(help_text="Acknowledge by.")
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10
    )


class IssueDirectiveSerializer(DirectiveSendingSerializer):
    area = AreaCodeField(
        queryset=Area.objects.none(), help_text="The issuing area: one of the caller's own."
    )
    title = serializers.CharField(max_length=200)
    doc_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, help_text="Plain text; shown as typed.")
    report_due_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Null: no report asked."
    )
    figures = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=100,
        help_text="Keys of daily-report figures the report takes from the records.",
    )
    asked = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=10,
        help_text="Labels of the figures the receivers type.",
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The client's id of this directive: sent again, it answers the one it made.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.visible_to(request.user, ISSUE)


class DirectiveReceiptSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True, help_text="The receiver.")
    area_name = serializers.CharField(source="area.name", read_only=True)
    level = serializers.CharField(source="area.level", read_only=True)
    directive_title = serializers.CharField(source="directive.title", read_only=True)
    issuer = serializers.CharField(source="directive.area.code", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The receipt of the level that forwarded it."
    )
    added_figures = serializers.JSONField(
        source="figures",
        read_only=True,
        help_text="Keys of daily-report figures this level added when forwarding it.",
    )
    added_asked = serializers.JSONField(
        source="asked",
        read_only=True,
        help_text="Labels of typed figures this level added when forwarding it.",
    )

    class Meta:
        model = DirectiveReceipt
        fields = [
            "id",
            "directive",
            "directive_title",
            "issuer",
            "area",
            "area_name",
            "level",
            "parent",
            "received_at",
            "ack_due_at",
            "report_due_at",
            "acknowledged_at",
            "forwarded_at",
            "addition",
            "added_figures",
            "added_asked",
            "reported_at",
            "approved_at",
            "returned_at",
        ]
        read_only_fields = fields


class DirectiveAskSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='The key of its value in a report ("asked-…": typed).')
    label = serializers.CharField()
    typed = serializers.BooleanField(help_text="False: taken from the records, never typed.")
    added_by = serializers.CharField(
        allow_null=True, help_text="The code of the level that added it; null: the issuer."
    )


def ask_data(ask, value=None):
    data = {
        "key": ask.key,
        "label": str(ask.label),
        "typed": ask.typed,
        "added_by": ask.by.code if ask.by is not None else None,
    }
    if value is not None:
        data["value"] = value
    return data


class DirectiveLevelTextSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="The level of the area that wrote it.")
    area = serializers.CharField()
    area_name = serializers.CharField()
    text = serializers.CharField(help_text="The directive's body, or what that level added.")
    figures_added = serializers.ListField(
        child=serializers.CharField(), help_text="Labels of the figures that level added."
    )


class DirectiveReceiptDetailSerializer(DirectiveReceiptSerializer):
    texts = serializers.SerializerMethodField(
        help_text="What came down to the area, from the issuer down, each marked by level."
    )
    doc_number = serializers.CharField(source="directive.doc_number", read_only=True)
    figures = serializers.JSONField(source="directive.figures", read_only=True)
    asked = serializers.JSONField(source="directive.asked", read_only=True)
    asks = serializers.SerializerMethodField(
        help_text="Every figure the area's report gives: the issuer's, then those each level "
        "above added (and, once it forwarded, its own), in this order."
    )

    class Meta(DirectiveReceiptSerializer.Meta):
        fields = [
            *DirectiveReceiptSerializer.Meta.fields,
            "doc_number",
            "figures",
            "asked",
            "asks",
            "texts",
        ]
        read_only_fields = fields

    def get_asks(self, receipt) -> DirectiveAskSerializer(many=True):
        return [ask_data(ask) for ask in self.context.get("asks", [])]

    def get_texts(self, receipt) -> DirectiveLevelTextSerializer(many=True):
        chain = self.context.get("chain", [])
        asked = self.context.get("asks", [])
        directive = receipt.directive
        texts = [(directive.area, directive.body)] + [(r.area, r.addition) for r in chain]
        return [
            {
                "level": area.level,
                "area": area.code,
                "area_name": area.name,
                "text": text,
                "figures_added": [
                    str(a.label) for a in asked if a.by is not None and a.by.pk == area.pk
                ],
            }
            for area, text in texts
        ]


class ForwardDirectiveSerializer(DirectiveSendingSerializer):
    addition = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text="What this level adds for the areas below.",
    )
    report_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    figures = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=100,
        help_text="Keys of daily-report figures this level adds to the report it asks below.",
    )
    asked = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        max_length=10,
        help_text="Labels of figures this level adds for the areas below to type; none "
        "already asked of it.",
    )


class ImplementationReportSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    state = serializers.ChoiceField(
        choices=ReportState.choices,
        read_only=True,
        help_text="The review of the level above: waiting, approved (locked) or sent back.",
    )

    class Meta:
        model = ImplementationReport
        fields = [
            "id",
            "receipt",
            "directive",
            "area",
            "version",
            "state",
            "figures",
            "typed",
            "rolled_up",
            "summary",
            "sent_at",
            "reviewed_at",
            "review_note",
            "client_uuid",
        ]
        read_only_fields = fields


class SendImplementationReportSerializer(serializers.Serializer):
    typed = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10**9),
        required=False,
        default=dict,
        help_text="The typed figures by key (the typed `asks` of the received directive: "
        '"asked-0" … of the issuer, "asked-<receipt>-<i>" added by a level above); '
        "ignored for a level that forwarded it (the sum below).",
    )
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class SendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the report is sent back: the area reads it to amend it."
    )


class ReceiptCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    ack_late = serializers.IntegerField()
    reported = serializers.IntegerField()
    approved = serializers.IntegerField(help_text="Reports approved by the level above.")
    returned = serializers.IntegerField(help_text="Reports sent back, not yet sent again.")
    report_late = serializers.IntegerField()


class ChildDirectiveProgressSerializer(ReceiptCountsSerializer):
    area = serializers.CharField()
    name = serializers.CharField()


class DirectiveFigureSumSerializer(DirectiveAskSerializer):
    value = serializers.IntegerField()


class DirectiveProgressSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The area whose subtree is counted.")
    totals = ReceiptCountsSerializer()
    forwarded = serializers.IntegerField(help_text="Levels below that forwarded it.")
    children = ChildDirectiveProgressSerializer(many=True)
    sums = DirectiveFigureSumSerializer(
        many=True, help_text="Live sums of the figures reported below."
    )
