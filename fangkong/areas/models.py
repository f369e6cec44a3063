import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.pii import EncryptedTextField, mask_phone
from fangkong.scope import PathField, PlaceBound, ScopedModel


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


LEVEL_ORDER = [level.value for level in Level]
# How many leading digits of the 12-digit division code name an area of each level;
# a child's code starts with its parent's significant digits.
SIGNIFICANT_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "community": 12}
GRID_SUFFIX_DIGITS = 3


AREA_CODE = re.compile(r"[0-9]{12}(?:[0-9]{3})?")


def is_area_code(value):
    """Whether the text has the form of a division or grid code (before any lookup with it)."""
    return bool(AREA_CODE.fullmatch(str(value)))


def code_fits_level(code, level):
    """A 12-digit division code names its level's digits and is zero after them."""
    significant = SIGNIFICANT_DIGITS.get(level)
    if not (significant and re.fullmatch(r"[0-9]{12}", code)):
        return False
    before = LEVEL_ORDER[LEVEL_ORDER.index(level) - 1] if level != Level.PROVINCE else None
    own_digits = code[SIGNIFICANT_DIGITS[before] if before else 0 : significant]
    return code[significant:].strip("0") == "" and own_digits.strip("0") != ""


def path_of_code(code):
    """The materialised path of the area with this code, worked out from the code alone: a
    child's code starts with its parent's significant digits and no level is skipped
    (`Area.clean`). None for a text that cannot be an area's code."""
    code = str(code)
    if len(code) == 12 + GRID_SUFFIX_DIGITS:
        community = path_of_code(code[:12])
        return f"{community}{code}/" if community else None
    codes = []
    for level in LEVEL_ORDER[:-1]:
        codes.append(code[: SIGNIFICANT_DIGITS[level]].ljust(12, "0"))
        if codes[-1] == code:
            return "/" + "/".join(codes) + "/" if code_fits_level(code, level) else None
    return None


class Area(ScopedModel):
    scope_path_field = "path"

    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = PathField(unique=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return LEVEL_ORDER.index(self.level)

    @property
    def child_level(self):
        return LEVEL_ORDER[self.depth + 1] if self.level != Level.GRID else None

    def ancestor_codes(self):
        return self.path.strip("/").split("/")

    def clean(self):
        errors = {}
        if not self.parent and self.level != Level.PROVINCE:
            errors["parent"] = _("Every area but a province has a parent area.")
        elif self.parent and self.level != self.parent.child_level:
            errors["level"] = _("Below a %(parent)s comes a %(child)s.") % {
                "parent": self.parent.get_level_display(),
                "child": Level(self.parent.child_level).label if self.parent.child_level else "—",
            }
        elif self.level == Level.GRID:
            if not (
                re.fullmatch(rf"[0-9]{{{12 + GRID_SUFFIX_DIGITS}}}", self.code)
                and self.code.startswith(self.parent.code)
            ):
                errors["code"] = _(
                    "A grid code is its community's 12-digit code followed by 3 digits."
                )
        elif not code_fits_level(self.code, self.level):
            errors["code"] = _(
                "A %(level)s code has 12 digits: %(significant)d that name it, then zeros."
            ) % {"level": self.get_level_display(), "significant": SIGNIFICANT_DIGITS[self.level]}
        elif self.parent:
            prefix = self.parent.code[: SIGNIFICANT_DIGITS[self.parent.level]]
            if not self.code.startswith(prefix):
                errors["code"] = _(
                    "The code does not belong to the parent area (it should start with %(p)s)."
                ) % {"p": prefix}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)


class Building(PlaceBound):
    class Kind(models.TextChoices):
        NATURAL_VILLAGE = "natural_village", _("Natural village")
        COMPOUND = "compound", _("Compound")
        BUILDING = "building", _("Building")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUILDING)
    address = models.CharField(_("address"), max_length=200, blank=True)
    responsible_worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            # Its own message: Django's default names the fields ("包含 Area 和 名称 的 楼栋 已经存在。").
            models.UniqueConstraint(
                fields=["area", "name"],
                name="building_name_unique_in_grid",
                violation_error_message=_("This grid already has a building of this name."),
            )
        ]

    def __str__(self):
        return self.name


class Worker(PlaceBound):
    """A person who works in prevention; `area` is the unit they belong to and serve."""

    class Affiliation(models.TextChoices):
        COMMUNITY = "community", _("Community staff")
        DISPATCHED = "dispatched", _("Dispatched cadre")
        PROPERTY = "property", _("Property company")
        POLICE = "police", _("Police")
        MEDICAL_WORKER = "medical_worker", _("Medical institution")
        SOCIAL_WORKER = "social_worker", _("Social worker")
        VOLUNTEER = "volunteer", _("Volunteer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
    )
    name = models.CharField(_("name"), max_length=50)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    affiliation = models.CharField(_("affiliation"), max_length=20, choices=Affiliation.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when someone else chose the password (a new account): the worker replaces it first.
    must_change_password = models.BooleanField(default=False, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return self.name

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


class RoleKind(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SUPERVISOR = "supervisor", _("County/township supervisor")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    MEDICAL_WORKER = "medical_worker", _("Medical worker")
    GRID_WORKER = "grid_worker", _("Grid worker")
    BUILDING_HEAD = "building_head", _("Building head")
    GROUP_LEADER = "group_leader", _("Group leader")
    CHECKPOINT_STAFF = "checkpoint_staff", _("Checkpoint staff")
    VOLUNTEER = "volunteer", _("Volunteer")


class Role(PlaceBound):
    """A worker's role on one area: they see its subtree and act there with the role's permissions."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "area", "kind"],
                name="role_unique",
                violation_error_message=_("This worker already holds this role on this area."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} @ {self.area}"
