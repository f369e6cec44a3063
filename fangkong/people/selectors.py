"""Reads of the people registry."""

from django.db.models import Count

from fangkong.areas.models import Building


def buildings_with_counts(grid):
    """The buildings of a grid with their household and resident counts (grid already in scope)."""
    return (
        Building.all_objects.filter(area=grid)
        .select_related("responsible_worker")
        .annotate(
            household_count=Count("households", distinct=True),
            resident_count=Count("households__residents", distinct=True),
        )
        .order_by("name")
    )


def households_with_counts(building):
    return building.households.annotate(resident_count=Count("residents")).order_by("number")
