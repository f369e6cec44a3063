"""The demo's directives (通知): the county's notice on winter prevention to its townships,
asking an implementation report with a figure from the records and one typed; the login
`township` forwards it to its communities with what the township adds (its text and a
figure of its own to type, 返乡人员数); the login `community` acknowledges and reports, the
township sends the report back with its reason and the community sends an amended version,
waiting for the township's review; two other communities acknowledge, the rest wait.
A second notice of the county, to every community and asking no report, is two days old
and overdue for acknowledgement in some of them (its deadline moved into the past, as time
would have)."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.demo.monitoring import quiet_community
from fangkong.directives import asks, report_services, services
from fangkong.directives.models import DirectiveReceipt
from fangkong.scope import system_scope


def login_area(username, kind):
    role = (
        Role.objects.filter(kind=kind, worker__user__username=username)
        .select_related("area", "worker__user")
        .first()
    )
    return (role.worker.user, role.area) if role else (None, None)


def communities_but_the_quiet_one(area):
    """The codes of the communities below `area` but the one with nothing to report
    (`quiet_community`), which receives no directive either."""
    quiet = quiet_community()
    communities = Area.objects.filter(level=Level.COMMUNITY, path__startswith=area.path)
    return list(communities.exclude(pk=getattr(quiet, "pk", None)).values_list("code", flat=True))


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        county_user, county = login_area("county", RoleKind.SUPERVISOR)
        township_user, township = login_area("township", RoleKind.SUPERVISOR)
        community_user, community = login_area("community", RoleKind.COMMUNITY_WORKER)
        if county is None or county.level != Level.COUNTY:
            return
        now = timezone.now()
        winter = services.issue_directive(
            actor=county_user,
            area=county,
            title="关于做好冬春季新冠肺炎疫情防控工作的通知",
            doc_number="鲤防指〔2026〕12号",
            body=(
                "各街道（镇）：\n为做好冬春季疫情防控，现就有关事项通知如下：\n"
                "一、全面排查农贸市场、车站、养老机构等重点场所；\n"
                "二、落实返乡人员健康监测；\n三、请于规定时限内报送落实情况。"
            ),
            ack_due_at=now + datetime.timedelta(hours=24),
            report_due_at=now + datetime.timedelta(days=4),
            figures=["directive_reports_due"],
            asked=["排查重点场所数", "张贴宣传海报数"],
            level=Level.TOWNSHIP,
        )
        if township is not None:
            receipt = DirectiveReceipt.objects.get(directive=winter, area=township)
            services.forward(
                actor=township_user,
                receipt=receipt,
                level=Level.COMMUNITY,
                ack_due_at=now + datetime.timedelta(hours=20),
                report_due_at=now + datetime.timedelta(days=3),
                addition="各社区（村）另须每日17时前报送重点场所排查台账，并拍照留存。",
                asked=["返乡人员数"],
                within=communities_but_the_quiet_one(township),
            )
            below = list(DirectiveReceipt.objects.filter(parent=receipt).select_related("area"))
            for other in [r for r in below if community is None or r.area_id != community.pk][:2]:
                other.acknowledged_at = now - datetime.timedelta(hours=rng.randrange(1, 5))
                other.save(update_fields=["acknowledged_at"])
        if community is not None:
            mine = DirectiveReceipt.objects.filter(directive=winter, area=community).first()
            if mine is not None:
                services.acknowledge(actor=community_user, receipt=mine)
                added = asks.added_key(mine.parent_id, 0)
                first = report_services.send_report(
                    actor=community_user,
                    receipt=mine,
                    typed={"asked-0": 14, "asked-1": 6, added: 23},
                    summary="已排查辖区农贸市场、养老院等重点场所14处，张贴海报6张。",
                )
                report_services.send_back(
                    actor=township_user,
                    report=first,
                    reason="海报数与照片台账不一致（台账为60张），请核对后重新报送。",
                )
                report_services.send_report(
                    actor=community_user,
                    receipt=mine,
                    typed={"asked-0": 14, "asked-1": 60, added: 23},
                    summary="已排查辖区农贸市场、养老院等重点场所14处，张贴海报60张（已更正）。",
                )
        notice = services.issue_directive(
            actor=county_user,
            area=county,
            title="关于暂停举办大型聚集性活动的通知",
            doc_number="鲤防指〔2026〕11号",
            body="各社区（村）：即日起暂停举办庙会、大型宴席等聚集性活动，请签收并转告群众。",
            ack_due_at=now + datetime.timedelta(hours=24),
            level=Level.COMMUNITY,
            within=communities_but_the_quiet_one(county),
        )
        DirectiveReceipt.objects.filter(directive=notice).update(
            received_at=now - datetime.timedelta(days=2),
            ack_due_at=now - datetime.timedelta(days=1),
        )
        receipts = list(
            DirectiveReceipt.objects.filter(directive=notice).values_list("pk", flat=True)
        )
        done = [pk for pk in receipts if rng.random() < 0.7]
        DirectiveReceipt.objects.filter(pk__in=done).update(
            acknowledged_at=now - datetime.timedelta(days=1, hours=6)
        )
        if stdout:
            stdout.write(f"directives: 2, sent to {len(receipts)} communities and more\n")
