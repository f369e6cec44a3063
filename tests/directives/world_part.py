"""What directives add to each grid of the test world (tests/world.py): a directive of the
grid's community to the grid, with a file; the grid's receipt, acknowledged; its report,
sent. Primary keys 16000 + …"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fangkong.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveReceipt,
    ImplementationFigure,
    ImplementationReport,
)
from tests.world import every

PDF = b"%PDF-1.4 directive"


def make(world, code, tag, i):
    grid = world.areas[code]
    now = timezone.now()
    directive = every(Directive).create(
        pk=16000 + i,
        area=grid.parent,
        title=f"{tag}通知",
        doc_number=f"{tag}〔2026〕{i}号",
        body=f"{tag}正文",
        ack_due_at=now + datetime.timedelta(days=2),
        report_due_at=now + datetime.timedelta(days=3),
        asked=["排查场所数"],
    )
    attachment = DirectiveAttachment(
        pk=16040 + i, directive=directive, name=f"{tag}附件.pdf", size=18
    )
    attachment.file.save(f"{tag}附件.pdf", ContentFile(PDF), save=False)
    attachment.save()
    receipt = every(DirectiveReceipt).create(
        pk=16010 + i,
        directive=directive,
        area=grid,
        ack_due_at=directive.ack_due_at,
        report_due_at=directive.report_due_at,
        acknowledged_at=now - datetime.timedelta(hours=1),
        reported_at=now - datetime.timedelta(minutes=30),
    )
    report = every(ImplementationReport).create(
        pk=16020 + i,
        receipt=receipt,
        directive=directive,
        area=grid,
        typed={"asked-0": i},
        summary=f"{tag}落实",
    )
    every(ImplementationFigure).create(
        pk=16030 + i, report=report, directive=directive, area=grid, key="asked-0", value=i
    )
    return {"directive": directive, "directive_receipt": receipt, "implementation_report": report}
