from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Building, RoleKind, Worker
from fangkong.areas.permissions import grantable_kinds
from fangkong.web import StyledForm


class AreaNameForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)


class GridForm(StyledForm):
    code = forms.CharField(
        label=_("grid code"),
        max_length=15,
        help_text=_("The community's 12-digit code followed by 3 digits."),
    )
    name = forms.CharField(label=_("name"), max_length=100)


class BuildingForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Building.Kind.choices)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    responsible_worker = forms.ModelChoiceField(
        label=_("responsible worker"), queryset=Worker.objects.none(), required=False
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_worker"].queryset = workers


class WorkerForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    affiliation = forms.ChoiceField(label=_("affiliation"), choices=Worker.Affiliation.choices)


class WorkerEditForm(WorkerForm):
    is_active = forms.BooleanField(label=_("active"), required=False)

    def __init__(self, *args, current_phone, **kwargs):
        super().__init__(*args, **kwargs)
        # The number on record is never sent back to the browser in full.
        self.fields["phone"].help_text = _("On record: %(phone)s. Leave empty to keep it.") % {
            "phone": current_phone or "—"
        }


class NewWorkerForm(WorkerForm):
    area = forms.ModelChoiceField(label=_("serves in"), queryset=None)
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for a worker who does not log in."),
    )
    password = forms.CharField(
        label=_("initial password"), widget=forms.PasswordInput, required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean(self):
        data = super().clean()
        if data.get("username") and not data.get("password"):
            self.add_error("password", _("A worker who logs in needs an initial password."))
        return data


class RoleForm(StyledForm):
    """A role to grant: only the kinds `user` may grant on one of `areas` are offered, and
    nothing is chosen until the user picks (a preselected kind is granted by a hurried tap).

    With `kinds_url`, choosing an area replaces the role select with the kinds grantable on
    that area (htmx, `worker_role_kinds`); without script the union stays and `clean` refuses
    a kind the chosen area does not allow."""

    area = forms.ModelChoiceField(label=_("area"), queryset=None, empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("role"))

    def __init__(self, *args, user, areas, kinds_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offered = {area.pk: grantable_kinds(user, area) for area in areas}
        # Few areas offer nothing (one's own, for a peer's role): leave those out by name.
        self.fields["area"].queryset = areas.exclude(
            pk__in=[pk for pk, k in offered.items() if not k]
        )
        self.offer_kinds(set().union(*offered.values()))
        if kinds_url:
            self.fields["area"].widget.attrs.update(
                {
                    "hx-get": kinds_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_kind",
                    "hx-swap": "outerHTML",
                }
            )

    def offer_kinds(self, kinds):
        self.fields["kind"].choices = [
            ("", _("Choose…")),
            *((kind.value, kind.label) for kind in RoleKind if kind in kinds),
        ]

    def clean(self):
        data = super().clean()
        area, kind = data.get("area"), data.get("kind")
        if area and kind and kind not in grantable_kinds(self.user, area):
            self.add_error(
                "kind",
                _("You cannot grant the role %(kind)s on %(area)s.")
                % {"kind": RoleKind(kind).label, "area": area},
            )
        return data


class AreaImportForm(StyledForm):
    file = forms.FileField(
        label=_("spreadsheet"),
        help_text=_(
            "An .xlsx, .xls, .ods or .csv file with the columns code, name, level, parent code."
        ),
    )
