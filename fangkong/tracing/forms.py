import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.models import Area, Level
from fangkong.scope import outermost, roles_of, system_scope
from fangkong.tracing.models import Case, Contact
from fangkong.tracing.permissions import ADD_CASE
from fangkong.web import StyledForm


def _day(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        validators=[dates.RECORDED_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
    )


def living_areas(user):
    """The communities and grids of the counties the user works in: a contact may live in
    another community (it becomes a task there), rarely outside the county."""
    counties = outermost(
        "/" + "/".join(path.strip("/").split("/")[:3]) + "/" for path, _kind in roles_of(user)
    )
    with system_scope():
        areas = Area.objects.filter(level__in=[Level.COMMUNITY, Level.GRID])
        query = None
        for path in counties:
            q = areas.filter(path__under=path)
            query = q if query is None else query | q
        return (query if query is not None else areas.none()).order_by("path")


def import_areas(user):
    """The areas a case list may be taken into: above the grid (its rows name their
    community or grid), where the user records cases."""
    return Area.objects.visible_to(user, ADD_CASE).exclude(level=Level.GRID).order_by("path")


class PersonForm(StyledForm):
    """Who: a person typed in. An ID number of the registry takes the resident as they are."""

    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("A resident of the registry is found by their ID number."),
    )
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    area = forms.ModelChoiceField(
        label=_("lives in"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("The community or grid where the person lives; a task is sent there."),
    )
    # Another community of the county is named by its code: the list shows only the
    # reader's own areas, never the names of others.
    area_code = forms.CharField(
        label=_("or the division code of another community or grid"),
        max_length=15,
        required=False,
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        own = outermost(path for path, _kind in roles_of(user))
        mine = living_areas(user)
        query = Q(pk__in=[])
        for path in own:
            query |= Q(path__under=path)
        self.fields["area"].queryset = mine.filter(query)
        self.fields["area"].label_from_instance = lambda area: area.name

    def clean(self):
        data = super().clean()
        code = (data.get("area_code") or "").strip()
        if code:
            found = living_areas(self.user).filter(code=code).first()
            if found is None:
                self.add_error("area_code", _("No community or grid of your county has this code."))
            else:
                data["area"] = found
        elif data.get("area") is None and "area" not in self.errors:
            self.add_error("area", _("Choose where the person lives."))
        return data

    def person_data(self):
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "id_number", "phone", "area", "address")}


class CaseFields(forms.Form):
    classification = forms.ChoiceField(
        label=_("classification"), choices=Case.Classification.choices
    )
    reported_on = _day(_("report date"))
    onset_on = _day(_("onset date"), required=False)
    isolated_on = _day(_("isolation date"), required=False)
    source = forms.ChoiceField(label=_("source"), choices=Case.Source.choices)
    list_reference = forms.CharField(
        label=_("list reference"),
        max_length=100,
        required=False,
        help_text=_("The higher level's notice or list the case came in."),
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, label="")

    CASE_FIELDS = (
        "classification",
        "reported_on",
        "onset_on",
        "isolated_on",
        "source",
        "list_reference",
        "note",
        "client_uuid",
    )

    def case_data(self):
        return {k: self.cleaned_data[k] for k in self.CASE_FIELDS}


class CaseForm(CaseFields, StyledForm):
    def __init__(self, *args, initial=None, **kwargs):
        initial = {
            "reported_on": timezone.localdate(),
            "client_uuid": uuid.uuid4(),
            **(initial or {}),
        }
        super().__init__(*args, initial=initial, **kwargs)


class NewCaseForm(PersonForm, CaseFields):
    def __init__(self, *args, initial=None, **kwargs):
        initial = {
            "reported_on": timezone.localdate(),
            "client_uuid": uuid.uuid4(),
            **(initial or {}),
        }
        super().__init__(*args, initial=initial, **kwargs)


class ContactForm(PersonForm):
    exposed_on = _day(_("exposure date"))
    last_exposed_on = _day(_("last exposure"), required=False)
    setting = forms.ChoiceField(label=_("setting"), choices=Contact.Setting.choices)
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, label="")

    def __init__(self, *args, initial=None, **kwargs):
        initial = {"client_uuid": uuid.uuid4(), **(initial or {})}
        super().__init__(*args, initial=initial, **kwargs)

    def contact_data(self):
        data = self.cleaned_data
        return {
            k: data[k] for k in ("exposed_on", "last_exposed_on", "setting", "note", "client_uuid")
        }


class TaskDoneForm(StyledForm):
    outcome = forms.CharField(
        label=_("what was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. reached by phone, told to stay home, address confirmed"),
    )


class ReclassifyForm(StyledForm):
    classification = forms.ChoiceField(label=_("new classification"))
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = [
            (value, label) for value, label in Case.Classification.choices if value in choices
        ]


class RuleOutForm(StyledForm):
    ruled_out_on = _day(_("ruled out on"))
    reason = forms.CharField(
        label=_("why it is ruled out"),
        max_length=300,
        help_text=_("e.g. two negative nucleic acid tests 24 hours apart"),
    )

    def __init__(self, *args, initial=None, **kwargs):
        initial = {"ruled_out_on": timezone.localdate(), **(initial or {})}
        super().__init__(*args, initial=initial, **kwargs)


class CaseImportForm(StyledForm):
    area = forms.ModelChoiceField(
        label=_("taken into"),
        queryset=Area.objects.none(),
        help_text=_(
            "Rows without a registered ID number name their community or grid below this "
            "area; in a community or grid they may leave it empty."
        ),
    )
    list_reference = forms.CharField(
        label=_("list reference"),
        max_length=100,
        help_text=_("The higher level's notice or list the case came in."),
    )
    upload = forms.FileField(label=_("file"), help_text=_(".xlsx, .xls, .ods or .csv"))
    skip_faulty = forms.BooleanField(
        label=_("Take the good rows and leave the faulty ones out"), required=False
    )
    uuid = forms.UUIDField(widget=forms.HiddenInput, label="")

    def __init__(self, *args, user, initial=None, **kwargs):
        super().__init__(*args, initial={"uuid": uuid.uuid4(), **(initial or {})}, **kwargs)
        self.fields["area"].queryset = import_areas(user)
        self.fields["area"].label_from_instance = lambda area: area.name


class ChainFilter(forms.Form):
    depth = forms.IntegerField(min_value=1, max_value=6, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
