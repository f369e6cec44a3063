from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "fangkong.visits"
    verbose_name = _("Patrols and visits")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.visits import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.visits.permissions import GRANTS
        from fangkong.visits.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
