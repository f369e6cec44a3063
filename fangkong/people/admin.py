from django.contrib import admin

from fangkong.people.models import Household, Resident


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["building", "number", "area"]
    search_fields = ["number", "building__name"]
    raw_id_fields = ["building", "area"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["name", "sex", "birth_date", "id_number_masked", "household"]
    list_filter = ["sex", "residence"]
    search_fields = ["name"]
    raw_id_fields = ["household", "area"]
    exclude = ["id_number", "phone"]
