from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "fangkong.elections"
    verbose_name = _("Committee elections")

    def ready(self):
        from fangkong.elections import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.elections.permissions import GRANTS
        from fangkong.elections.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
