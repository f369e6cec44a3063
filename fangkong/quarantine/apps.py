from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed(sender, **kwargs):
    from fangkong.monitoring.models import MonitoringCategory, Symptom
    from fangkong.quarantine.defaults import seed_defaults
    from fangkong.quarantine.models import QuarantineRule

    seed_defaults(QuarantineRule, MonitoringCategory, Symptom)


class QuarantineConfig(AppConfig):
    name = "fangkong.quarantine"
    verbose_name = _("Quarantine")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.quarantine import area_hooks, audit, entitled  # noqa: F401  (register on import)
        from fangkong.quarantine.permissions import GRANTS
        from fangkong.quarantine.reporting import SECTION
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
        post_migrate.connect(seed, sender=self)
        from fangkong.quarantine.reactions import on_categories_changed
        from fangkong.tracing.signals import categories_changed

        categories_changed.connect(
            on_categories_changed, dispatch_uid="quarantine.on_categories_changed"
        )
