from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "fangkong.audit"
    verbose_name = _("Audit")

    def ready(self):
        from fangkong.areas.registry import MenuLink, register
        from fangkong.audit.permissions import GRANTS
        from fangkong.permissions import grant

        grant(GRANTS)
        register(
            MenuLink(
                _("Audit log"), "audit.view_auditevent", "audit_event_list", order=1, group="system"
            )
        )
        import fangkong.audit.audit  # noqa: F401  (registers the audit app's own actions)
