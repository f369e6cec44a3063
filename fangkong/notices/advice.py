"""The standard advice a worker picks to start a notice (3.4): masks, hand-washing, the
one-metre line, no gatherings, banquets. Each gives the kind, title and text of the new
notice's first draft, which the worker adapts before publishing."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fangkong.notices.models import Notice


@dataclass(frozen=True)
class Advice:
    key: str
    label: object
    kind: str
    title: object
    body: object


STANDARD = [
    Advice(
        "masks",
        _("Wear a mask"),
        Notice.Kind.ADVICE,
        _("Wear a mask in public places"),
        _(
            "Wear a mask when you go out, take public transport, shop at the market or see a "
            "doctor.\nCover your mouth and nose; change the mask when it is damp or dirty.\n"
            "Children and the elderly should be helped to wear it properly."
        ),
    ),
    Advice(
        "hand_washing",
        _("Wash your hands"),
        Notice.Kind.ADVICE,
        _("Wash your hands often"),
        _(
            "Wash your hands with soap and running water for at least 20 seconds: after coming "
            "home, before meals, after the toilet and after touching shared objects.\n"
            "Do not touch your eyes, nose or mouth with unwashed hands."
        ),
    ),
    Advice(
        "distance",
        _("One-metre line"),
        Notice.Kind.ADVICE,
        _("Keep a distance of one metre"),
        _(
            "When queuing, shopping or waiting, keep at least one metre from others "
            "(the one-metre line).\nAvoid crowded places and keep conversations short."
        ),
    ),
    Advice(
        "no_gatherings",
        _("No gatherings"),
        Notice.Kind.RULE,
        _("Do not gather"),
        _(
            "During the epidemic, do not visit one another, do not gather to play cards or "
            "chat, and do not hold crowded activities.\nStay at home as much as you can."
        ),
    ),
    Advice(
        "banquets",
        _("Banquets"),
        Notice.Kind.RULE,
        _("Postpone weddings, keep funerals simple, hold no banquets"),
        _(
            "Postpone weddings; keep funerals simple and small; hold no banquets or parties.\n"
            "Families planning such an event should tell the community in advance."
        ),
    ),
]
BY_KEY = {advice.key: advice for advice in STANDARD}
