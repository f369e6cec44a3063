from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed(sender, **kwargs):
    from fangkong.monitoring.defaults import seed_defaults
    from fangkong.monitoring.models import MonitoringCategory, Symptom

    seed_defaults(Symptom, MonitoringCategory)


class MonitoringConfig(AppConfig):
    name = "fangkong.monitoring"
    verbose_name = _("Health monitoring")

    def ready(self):
        from fangkong.monitoring import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.monitoring.permissions import GRANTS
        from fangkong.monitoring.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        post_migrate.connect(seed, sender=self)
        grant(GRANTS)
        register(SECTION)
