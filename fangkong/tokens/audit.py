"""The audit actions of the tokens app: a token issued and a token revoked (and why)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.tokens.models import AuthToken


def describe_token(detail, name_of=None):
    lines = [_("Token %(hint)s…") % {"hint": detail.get("hint", "")}]
    if detail.get("owner"):
        lines.append(_("Owner: %(owner)s") % {"owner": detail["owner"]})
    if detail.get("reason"):
        reasons = dict(AuthToken.Reason.choices)
        lines.append(str(reasons.get(detail["reason"], detail["reason"])))
    return lines


register_actions(
    {
        "token.create": gettext_lazy("API token issued"),
        "token.revoke": gettext_lazy("API token revoked"),
    }
)
register_target(AuthToken._meta.model_name, gettext_lazy("API token"))
register_details(["token.create", "token.revoke"], describe_token)
