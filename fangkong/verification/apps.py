from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "fangkong.verification"
    verbose_name = _("Verification lists")

    def ready(self):
        from fangkong.permissions import grant
        from fangkong.reports.registry import register
        from fangkong.verification import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.verification.permissions import GRANTS
        from fangkong.verification.reporting import SECTION

        grant(GRANTS)
        register(SECTION)
