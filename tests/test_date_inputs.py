"""Every date box shows its value (issue 13, point 1).

A date widget renders its value in the language's first DATE_INPUT_FORMATS; Django's zh_Hans
formats start with `%Y/%m/%d`, which `<input type="date">` rejects, so the box showed empty
and a save sent nothing. fangkong/formats puts ISO first; these tests find every date field
of every form and filter of the product rather than naming them, so a new one is covered.
"""

import datetime
import importlib
import re

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from fangkong.people.models import Resident
from tests.world import every

# Any day will do: a day of this month, written every way a user types it.
DAY = datetime.date.today().replace(day=3)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def product_classes(base):
    """Subclasses of `base` defined in the product's forms and filters modules."""
    for config in apps.get_app_configs():
        if config.name.startswith("fangkong"):
            for module in ("forms", "filters"):
                try:
                    importlib.import_module(f"{config.name}.{module}")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.{module}":
                        raise
    return sorted(
        {c for c in subclasses(base) if c.__module__.startswith("fangkong.")},
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def date_fields():
    for form in product_classes(forms.BaseForm):
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField):
                yield f"{form.__module__}.{form.__qualname__}.{name}", field
    for filterset in product_classes(django_filters.FilterSet):
        for name, date_filter in filterset.base_filters.items():
            if isinstance(date_filter.field, forms.DateField):
                yield f"{filterset.__module__}.{filterset.__qualname__}.{name}", date_filter.field


def test_the_product_has_date_fields_to_check():
    names = [name for name, _ in date_fields()]
    assert "fangkong.people.forms.KeyGroupForm.found_on" in names
    assert "fangkong.audit.filters.AuditEventFilter.date_from" in names


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_renders_its_value_in_iso(language):
    with translation.override(language):
        for name, field in date_fields():
            html = field.widget.render("day", DAY)
            assert f'value="{DAY.isoformat()}"' in html, f"{name} renders {html}"


@pytest.mark.parametrize(
    "typed",
    [
        DAY.isoformat(),
        DAY.strftime("%Y/%m/%d"),
        f"{DAY.year}年{DAY.month}月{DAY.day}日",
        DAY.strftime("%Y年%m月%d日"),
    ],
)
def test_dates_typed_the_usual_ways_are_still_read(typed):
    with translation.override("zh-hans"):
        assert forms.DateField().clean(typed) == DAY


def value_of(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_the_key_group_form_shows_today(world, as_user):
    resident = world.residents["350502001001001"]
    text = as_user(world.users["grid"]).get(reverse("resident_detail", args=[resident.pk]))
    assert value_of(text.content.decode(), "found_on") == timezone.localdate().isoformat()


def test_moving_out_starts_with_today(world, as_user):
    resident = world.residents["350502001001001"]
    text = as_user(world.users["grid"]).get(reverse("resident_status", args=[resident.pk]))
    assert value_of(text.content.decode(), "since") == timezone.localdate().isoformat()


def test_saving_the_edit_form_as_shown_keeps_the_birth_date_of_a_person_without_id(world, as_user):
    resident = world.residents["350502001001001"]
    born = timezone.localdate().replace(year=timezone.localdate().year - 76, day=1)
    every(Resident).filter(pk=resident.pk).update(
        id_number="", id_number_hash="", id_number_tail="", birth_date=born, sex="female"
    )
    client = as_user(world.users["grid"])
    url = reverse("resident_edit", args=[resident.pk])
    form = client.get(url).context["form"]
    shown = {name: form[name].value() or "" for name in form.fields}
    assert value_of(client.get(url).content.decode(), "birth_date") == born.isoformat()
    shown["birth_date"] = born.isoformat()
    shown["name"] = "甲格居民改"
    response = client.post(url, shown)
    assert response.status_code == 302, response.context["form"].errors
    resident = every(Resident).get(pk=resident.pk)
    assert (resident.name, resident.birth_date, resident.sex) == ("甲格居民改", born, "female")


def test_a_person_with_an_id_number_keeps_the_birth_date_it_gives(world, as_user):
    resident = world.residents["350502001001001"]
    client = as_user(world.users["grid"])
    url = reverse("resident_edit", args=[resident.pk])
    form = client.get(url).context["form"]
    # Derived from the ID number: not offered, so not sent, so not erased.
    assert "birth_date" not in form.fields and "sex" not in form.fields
    shown = {name: form[name].value() or "" for name in form.fields}
    assert client.post(url, shown).status_code == 302
    assert every(Resident).get(pk=resident.pk).birth_date == datetime.date(1990, 1, 1)
