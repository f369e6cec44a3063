from fangkong.areas import services
from fangkong.areas.models import RoleKind, Worker
from fangkong.audit.models import AuditEvent


def test_new_accounts_and_role_changes_are_audited(world):
    actor = world.users["community"]
    worker = services.add_worker(
        actor=actor,
        area=world.areas["350502001001"],
        name="审计测试",
        affiliation="volunteer",
        username="shenji",
        password="Audit-me-2026",
    )
    role = services.grant_role(
        actor=actor, worker=worker, area=world.areas["350502001001001"], kind=RoleKind.VOLUNTEER
    )
    services.revoke_role(actor=actor, role=role)
    events = list(
        AuditEvent.all_objects.filter(target_type="worker", target_id=worker.pk).order_by(
            "at", "pk"
        )
    )
    assert [(e.action, e.actor, e.detail) for e in events] == [
        ("add_worker", actor, {"username": "shenji"}),
        ("grant_role", actor, {"kind": "volunteer"}),
        ("revoke_role", actor, {"kind": "volunteer"}),
    ]
    assert events[1].area_path == world.areas["350502001001001"].path


def test_audit_events_are_scoped_like_everything_else(world):
    services.update_worker(
        actor=world.users["township2"],
        worker=Worker.all_objects.get(pk=4003),
        name="丙格网格员",
        affiliation="community",
        is_active=False,
    )
    assert AuditEvent.objects.visible_to(world.users["township2"]).count() == 1
    assert AuditEvent.objects.visible_to(world.users["township"]).count() == 0
