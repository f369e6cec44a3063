from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "fangkong.vaccination"
    verbose_name = _("Vaccination of workers")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.vaccination import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.vaccination.permissions import GRANTS
        from fangkong.vaccination.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
