from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "fangkong.verification"
    verbose_name = _("Verification lists")

    def ready(self):
        from fangkong.reports.registry import register
        from fangkong.verification.reporting import SECTION

        register(SECTION)
