from django.contrib import admin

from fangkong.monitoring.models import MonitoringCategory, Symptom


@admin.register(MonitoringCategory)
class MonitoringCategoryAdmin(admin.ModelAdmin):
    """Where a system administrator adds a category or changes its length, schedule,
    fever threshold and symptoms; plans already started keep their dates."""

    list_display = ["name", "code", "default_days", "checks_per_day", "fever_at", "is_active"]
    list_editable = ["default_days", "checks_per_day", "fever_at", "is_active"]
    filter_horizontal = ["symptoms"]


@admin.register(Symptom)
class SymptomAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]
