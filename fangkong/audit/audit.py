"""The actions the audit app itself owns: exporting a list (any app's; each names its list)."""

from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import describe_export
from fangkong.audit.registry import register_actions, register_details

register_actions({"export": _("List exported")})
register_details("export", describe_export)
