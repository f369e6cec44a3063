"""The libraries' apps under Chinese names in the admin: their own configs name them in
English, untranslated ("Axes", "Tasks Database Backend")."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lockouts")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
