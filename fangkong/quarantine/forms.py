"""Forms of the quarantine pages; the services check every rule again."""

import uuid

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.quarantine.models import Category, QuarantineSite, Room, free_now
from fangkong.quarantine.permissions import CHANGE_TRANSFER, VIEW_SITE
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.transfers import Vehicle
from fangkong.web import StyledForm


class StartForm(StyledForm):
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("As the rule says")), *Quarantine.Kind.choices],
        required=False,
    )
    source = forms.ChoiceField(
        label=_("started from"),
        choices=[c for c in Quarantine.Source.choices if c[0] != Quarantine.Source.RELEASE],
    )
    source_note = forms.CharField(label=_("note"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("starts on"),
        required=False,
        validators=[dates.PLAN_START],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    batch = forms.CharField(
        label=_("intake batch"),
        max_length=30,
        required=False,
        help_text=_("Central quarantine: people of one batch share floors and vehicles."),
    )
    care = forms.ChoiceField(
        label=_("needs a companion"), choices=Quarantine.Care.choices, required=False
    )
    needs_accessible = forms.BooleanField(label=_("needs an accessible room"), required=False)


class VerificationStartForm(StartForm):
    """Started from a verification result: the category and the source follow from it."""

    category = None
    source = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = _(
            "By the rule of verified persons, or of the person's tracing category where that "
            "is stricter."
        )


class PlaceForm(StyledForm):
    room = forms.ModelChoiceField(label=_("room"), queryset=Room.objects.none())

    def __init__(self, *args, user, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = Room.objects.visible_to(user, VIEW_SITE).select_related("site", "floor")
        if site is not None:
            rooms = rooms.filter(site=site)
        self.fields["room"].queryset = rooms.filter(
            free_now() | Q(state=Room.State.OCCUPIED)
        ).order_by("site", "floor__number", "number")
        self.fields["room"].label_from_instance = lambda r: (
            f"{r.site.name} {r.floor} {r.number}（{r.get_current_state_display()}，{r.capacity}床）"
        )


class TestForm(StyledForm):
    test = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    result = forms.ChoiceField(
        label=_("result"),
        choices=[
            (TestResult.Result.NEGATIVE, _("Negative")),
            (TestResult.Result.POSITIVE, _("Positive")),
        ],
    )
    sampled_on = forms.DateField(
        label=_("sampled on"),
        required=False,
        validators=[dates.RECORDED_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class EndForm(StyledForm):
    reason = forms.CharField(label=_("reason"), max_length=200)


class SiteForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    hold_hours = forms.IntegerField(
        label=_("hold after disinfection (hours)"), min_value=0, max_value=240, initial=24
    )
    located_in = forms.CharField(
        label=_("located in (community code)"),
        max_length=15,
        required=False,
        help_text=_(
            "The division code of the community the building stands in: its free rooms "
            "count in that community's daily report."
        ),
    )


class RoomsForm(StyledForm):
    floor = forms.IntegerField(label=_("floor"), min_value=-5, max_value=200)
    numbers = forms.CharField(
        label=_("room numbers"), max_length=500, help_text=_("For example 301-320, 325")
    )
    capacity = forms.IntegerField(label=_("beds"), min_value=1, max_value=8, initial=1)
    accessible = forms.BooleanField(label=_("accessible"), required=False)


class RoomForm(StyledForm):
    room = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VehicleForm(StyledForm):
    plate = forms.CharField(label=_("plate number"), max_length=10)
    driver = forms.CharField(label=_("driver"), max_length=50)
    driver_phone = forms.CharField(label=_("driver's phone"), max_length=20, required=False)
    seats = forms.IntegerField(label=_("passenger seats"), min_value=1, max_value=60)


class TransferForm(StyledForm):
    site = forms.ModelChoiceField(label=_("site"), queryset=QuarantineSite.objects.none())
    pickup_place = forms.CharField(label=_("where to wait"), max_length=200)
    pickup_at = forms.DateTimeField(
        label=_("pick-up time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    bring = forms.CharField(
        label=_("what to bring"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quarantines = forms.ModelMultipleChoiceField(
        label=_("people waiting for transfer"),
        queryset=Quarantine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = QuarantineSite.objects.visible_to(user, VIEW_SITE).filter(
            is_active=True
        )
        self.fields["quarantines"].queryset = (
            Quarantine.objects.visible_to(user, CHANGE_TRANSFER)
            .within(area)
            .filter(kind=Quarantine.Kind.CENTRAL, status=Quarantine.Status.WAITING, transfer=None)
            .select_related("person")
        )
        self.fields["quarantines"].label_from_instance = lambda q: (
            f"{q.person.name}（{q.get_category_display()}{'，' + q.batch if q.batch else ''}）"
        )
        self.fields["quarantines"].widget.attrs["class"] = ""


class TripForm(StyledForm):
    vehicle = forms.ModelChoiceField(label=_("vehicle"), queryset=Vehicle.objects.none())
    quarantines = forms.ModelMultipleChoiceField(
        label=_("passengers"),
        queryset=Quarantine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.visible_to(
            user, "quarantine.view_transfer"
        ).filter(is_active=True)
        self.fields["quarantines"].queryset = (
            Quarantine.objects.visible_to(user, "quarantine.view_transfer")
            .filter(transfer=transfer, trip=None)
            .select_related("person")
        )
        self.fields["quarantines"].label_from_instance = lambda q: (
            f"{q.person.name}（{q.get_category_display()}）"
        )
        self.fields["quarantines"].widget.attrs["class"] = ""
