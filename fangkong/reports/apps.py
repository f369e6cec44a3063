from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed(sender, **kwargs):
    from fangkong.reports.deadlines import seed_deadlines

    seed_deadlines()


class ReportsConfig(AppConfig):
    name = "fangkong.reports"
    verbose_name = _("Daily reports")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.reports.permissions import GRANTS

        grant(GRANTS)
        post_migrate.connect(seed, sender=self)
