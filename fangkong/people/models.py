from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.scope import PlaceBound
from fangkong.pii import EncryptedTextField, mask_id_number, mask_phone


class Household(PlaceBound):
    building = models.ForeignKey(
        "areas.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    number = models.CharField(_("house number"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "building_id", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="household_number_unique")
        ]

    def __str__(self):
        return f"{self.building.name} {self.number}"


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Resident(PlaceBound):
    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        TENANT = "tenant", _("Tenant")
        OTHER = "other", _("Other")

    class Residence(models.TextChoices):
        REGISTERED_LIVING = "registered_living", _("Registered, living here")
        REGISTERED_AWAY = "registered_away", _("Registered, living elsewhere")
        LIVING_HERE = "living_here", _("Living here, registered elsewhere")

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    relation_to_head = models.CharField(
        _("relation to head"), max_length=12, choices=Relation.choices, default=Relation.HEAD
    )
    residence = models.CharField(
        _("residence status"),
        max_length=20,
        choices=Residence.choices,
        default=Residence.REGISTERED_LIVING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "household_id", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            # One person, one record: the digest of the ID number is unique when present.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="resident_id_number_unique",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def age(self):
        """Whole years today. Pages show the age, not the birth date, which together with the
        masked ID number would give the whole number away."""
        if not self.birth_date:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)
