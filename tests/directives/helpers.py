import datetime

from django.utils import timezone

from fangkong.directives import report_services, services
from fangkong.directives.models import DirectiveReceipt
from tests.world import every

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
TOWNSHIP2 = "350502002000"
COMMUNITY = "350502001001"
COMMUNITY2 = "350502002001"


def hours(n):
    return timezone.now() + datetime.timedelta(hours=n)


def issue(world, *, level="township", report=True, asked=("排查场所数",), **more):
    """The county's directive to its townships (or the level asked), report in 3 days."""
    values = {
        "actor": world.users["county"],
        "area": world.areas[COUNTY],
        "title": "关于加强防控的通知",
        "doc_number": "鲤防〔2026〕1号",
        "body": "各街道：请落实。",
        "ack_due_at": hours(24),
        "report_due_at": hours(72) if report else None,
        "asked": list(asked) if report else [],
        "level": level,
    }
    values.update(more)
    return services.issue_directive(**values)


def receipt_of(directive, code):
    return (
        every(DirectiveReceipt)
        .select_related("area", "directive")
        .get(directive=directive, area__code=code)
    )


def forward_to_community(world, directive, addition="各社区须每日上报。"):
    receipt = receipt_of(directive, TOWNSHIP)
    return services.forward(
        actor=world.users["township"],
        receipt=receipt,
        level="community",
        ack_due_at=hours(20),
        report_due_at=hours(60),
        addition=addition,
    )


def report(world, directive, code, username, **typed):
    """The area's report with its typed figures (asked-0 = 5 unless given)."""
    return report_services.send_report(
        actor=world.users[username],
        receipt=receipt_of(directive, code),
        typed=typed or {"asked-0": 5},
    )
