"""Forms of supplies. A movement's form carries a client uuid made when the page is shown,
so a form sent twice records once. Quantities are checked by the services (one message for
the page and the API: a negative quantity is refused in words, not by the browser)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.supplies.models import StockMovement, SupplyItem
from fangkong.supplies.services import MOVEMENT_DAY, REASON_LENGTH
from fangkong.visits.forms import DayInput, today
from fangkong.web import StyledForm, uuid_field


def item_field():
    return forms.ModelChoiceField(
        label=_("supply item"), queryset=SupplyItem.objects.filter(is_active=True)
    )


class MovementForm(StyledForm):
    client_uuid = uuid_field()
    kind = forms.ChoiceField(label=_("kind of movement"))
    item = item_field()
    quantity = forms.IntegerField(
        label=_("quantity"),
        help_text=_("For a stocktake: the quantity counted."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    to_area = forms.ChoiceField(label=_("transferred down to"), required=False)
    happened_on = forms.DateField(
        label=_("date"),
        initial=today,
        required=False,
        widget=DayInput(),
        validators=[MOVEMENT_DAY],
    )
    party = forms.CharField(label=_("from whom or to whom"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, kinds=(), below=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k, label) for k, label in StockMovement.Kind.choices if k in kinds
        ]
        self.below = {area.code: area for area in below}
        self.fields["to_area"].choices = [("", "—"), *((a.code, a.name) for a in below)]
        if not below:
            del self.fields["to_area"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == StockMovement.Kind.TRANSFERRED and not data.get("to_area"):
            self.add_error("to_area", _("Choose the area the supplies go to."))
        return data


class MinimumForm(StyledForm):
    item = item_field()
    minimum = forms.IntegerField(
        label=_("minimum level"),
        help_text=_("Below it the area's workers are told; 0 for none."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ReverseForm(StyledForm):
    client_uuid = uuid_field()
    reason = forms.CharField(
        label=_("reason"),
        max_length=REASON_LENGTH,
        help_text=_("What was entered wrongly. The movement stays, with its reversal beside it."),
    )
