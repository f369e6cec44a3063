from django.utils.translation import gettext as _
from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.people.import_api import ProblemSerializer
from fangkong.tracing.forms import import_areas, living_areas
from fangkong.tracing.models import (
    Case,
    CaseImport,
    Category,
    Contact,
    TracedPerson,
    TracingTask,
)


class TracedPersonSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    # Blank until re-ranking gives the person a category.
    category = serializers.ChoiceField(
        choices=Category.choices,
        read_only=True,
        allow_blank=True,
        label=TracedPerson._meta.get_field("category").verbose_name,
    )

    class Meta:
        model = TracedPerson
        fields = [
            "id",
            "name",
            "area",
            "area_name",
            "resident",
            "id_number",
            "phone",
            "category",
            "category_since",
            "created_at",
        ]
        read_only_fields = fields


class TracingCaseSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "person_name",
            "area",
            "classification",
            "onset_on",
            "reported_on",
            "isolated_on",
            "source",
            "list_reference",
            "note",
            "ruled_out_on",
            "ruled_out_reason",
            "recorded_at",
        ]
        read_only_fields = fields


class NewPersonFields(ScopedFieldsMixin, serializers.Serializer):
    """The person recorded: `person` (a traced person the caller may read) or the fields of
    a person typed in (an ID number of the registry takes the resident as they are)."""

    scoped_fields = {"person": TracedPerson}

    person = serializers.PrimaryKeyRelatedField(
        queryset=TracedPerson.objects.none(), required=False, allow_null=True, default=None
    )
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    area = AreaCodeField(
        queryset=Area.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Where a person typed in lives (a community or grid code of the county).",
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The client's id of this recording: sent again, it answers what it made.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["area"].queryset = (
            living_areas(request.user) if request else Area.objects.none()
        )

    def validate(self, data):
        if data.get("person") is None:
            if not data.get("name", "").strip():
                raise serializers.ValidationError({"name": _("Enter the person's name.")})
            if data.get("area") is None:
                raise serializers.ValidationError(
                    {"area": _("Say where the person lives (a community or grid code).")}
                )
        return data


class RecordCaseSerializer(NewPersonFields):
    classification = serializers.ChoiceField(choices=Case.Classification.choices)
    reported_on = serializers.DateField(validators=[dates.RECORDED_DAY])
    onset_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    isolated_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    source = serializers.ChoiceField(choices=Case.Source.choices)
    list_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TracingContactSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "source",
            "source_name",
            "person",
            "person_name",
            "area",
            "exposed_on",
            "last_exposed_on",
            "setting",
            "status",
            "note",
            "identified_at",
        ]
        read_only_fields = fields


class RecordContactSerializer(NewPersonFields):
    scoped_fields = {"person": TracedPerson, "source": TracedPerson}

    source = serializers.PrimaryKeyRelatedField(queryset=TracedPerson.objects.none())
    exposed_on = serializers.DateField(validators=[dates.RECORDED_DAY])
    last_exposed_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    setting = serializers.ChoiceField(choices=Contact.Setting.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReclassifySerializer(serializers.Serializer):
    classification = serializers.ChoiceField(choices=Case.Classification.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RuleOutSerializer(serializers.Serializer):
    ruled_out_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class ContactDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("confirm", "confirm"), ("dismiss", "dismiss")])


class TracingTaskSerializer(serializers.ModelSerializer):
    """What the contact's community needs: who, when, where, and the source's category only."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    exposed_on = serializers.DateField(source="contact.exposed_on", read_only=True)
    last_exposed_on = serializers.DateField(
        source="contact.last_exposed_on", read_only=True, allow_null=True
    )
    setting = serializers.ChoiceField(
        source="contact.setting", choices=Contact.Setting.choices, read_only=True
    )
    source_category = serializers.CharField(
        source="contact.source.category",
        read_only=True,
        help_text="What the person was exposed to, never who: case, close_contact, "
        "secondary_contact or empty.",
    )
    category = serializers.CharField(
        source="person.category",
        read_only=True,
        help_text="The person's own category (as source_category).",
    )

    class Meta:
        model = TracingTask
        fields = [
            "id",
            "person",
            "person_name",
            "area",
            "area_name",
            "exposed_on",
            "last_exposed_on",
            "setting",
            "source_category",
            "category",
            "created_at",
            "done_at",
            "outcome",
        ]
        read_only_fields = fields


class TracingTaskDoneSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=500)


class ChainNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(help_text="Masked when the caller may not read the person.")
    degree = serializers.IntegerField()
    category = serializers.CharField()
    area = serializers.CharField(help_text="The area's name.")
    visible = serializers.BooleanField()
    parent = serializers.IntegerField(allow_null=True)
    exposed_on = serializers.DateField(allow_null=True)


class ChainSerializer(serializers.Serializer):
    root = serializers.IntegerField()
    depth = serializers.IntegerField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    nodes = ChainNodeSerializer(many=True)
    edges = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="[source id, person id] pairs among the page's nodes.",
    )


class CaseImportSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = CaseImport
        fields = [
            "id",
            "uuid",
            "area",
            "area_name",
            "list_reference",
            "file_name",
            "status",
            "rows_total",
            "cases_recorded",
            "rows_matched",
            "rows_skipped",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class CaseImportDetailSerializer(CaseImportSerializer):
    problems = ProblemSerializer(many=True, read_only=True)

    class Meta(CaseImportSerializer.Meta):
        fields = [*CaseImportSerializer.Meta.fields, "problems"]
        read_only_fields = fields


# The page's form (`CaseImportForm`) as a multipart body.
class CaseImportUploadSerializer(serializers.Serializer):
    area = AreaCodeField(
        queryset=Area.objects.none(),
        help_text="The code of the county, township or community the list is taken into.",
    )
    list_reference = serializers.CharField(max_length=100)
    upload = serializers.FileField(help_text=".xlsx, .xls, .ods or .csv")
    skip_faulty = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Take the good rows and leave the faulty ones out (reported in problems).",
    )
    uuid = serializers.UUIDField(
        help_text="Made by the client: a retried upload answers the import it made."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["area"].queryset = (
            import_areas(request.user) if request else Area.objects.none()
        )
