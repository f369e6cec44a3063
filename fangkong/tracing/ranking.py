"""Re-ranking (重新研判): when the graph changes around a person (they become a case, a
case is ruled out, an edge is confirmed or dismissed), everyone within two confirmed steps
after them may change category. Their categories are derived again from the graph, in
bulk; each change is kept as a `RankChange` with its reason and announced through
`signals.category_changed` inside the caller's transaction (quarantine re-derives its
measures from it). Persons who newly became close contacts get their household members
suggested as secondary contacts, for a worker to confirm."""

from django.db import connection
from django.utils import timezone

from fangkong.scope import system_scope
from fangkong.tracing import selectors
from fangkong.tracing.models import STRICTNESS, Category, RankChange, TracedPerson
from fangkong.tracing.signals import categories_changed, category_changed
from fangkong.tracing.suggestions import suggest_households

# How far a change can move categories: a case's contacts (1) and theirs (2).
REACH = 2


def rerank(*, actor, start_ids, reason, trigger=None, causes=None):
    """Derive again the categories of the persons `start_ids` and of everyone they reach
    within two steps; write the changes. Returns [(person id, old, new)]. Called inside the
    transaction of the change.

    `causes` ({start id: (reason, trigger id)}) is for many changes re-ranked at once (a case
    list: one re-ranking, not one a case): each change is then logged with the reason and
    trigger of the start nearest to the person (`selectors.reach_from`), as re-ranking after
    that start alone would log it, and the bulk signal carries them (`reasons`); `reason`
    is then the whole's (the list's)."""
    trigger_id = trigger.pk if trigger is not None else None
    if causes:
        origin = selectors.reach_from(start_ids, REACH)
        cause = {pk: causes[start] for pk, start in origin.items()}
    else:
        origin = selectors.reach(start_ids, REACH)
        cause = None
    derived = selectors.derived_categories(origin)
    now = timezone.now()
    changes = []
    current = selectors.kept_categories(origin)
    by_new = {}
    for pk, (old, area_id, path) in current.items():
        new = derived.get(pk, "")
        if new != old:
            why, by = cause[pk] if cause else (reason, trigger_id)
            changes.append((pk, old, new, area_id, path, why, by))
            by_new.setdefault(new, []).append(pk)
    update = (
        f"UPDATE {selectors.table(TracedPerson)} SET category = %s, category_since = %s "
        "WHERE id IN ({ids})"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    for new, ids in by_new.items():
        selectors.by_ids(update, ids, [new, stamp])
    _log(changes, actor, now)
    if changes and categories_changed.has_listeners(TracedPerson):
        extra = {"reasons": {c[0]: c[5] for c in changes}} if cause else {}
        categories_changed.send(
            sender=TracedPerson,
            changes=[(pk, old, new) for pk, old, new, *_rest in changes],
            reason=reason,
            actor=actor,
            **extra,
        )
    if changes and category_changed.has_listeners(TracedPerson):
        with system_scope():
            persons = {}
            for chunk in selectors.chunked([c[0] for c in changes]):
                persons.update(TracedPerson.objects.in_bulk(chunk))
        for pk, old, new, _area, _path, why, _by in changes:
            category_changed.send(
                sender=TracedPerson,
                person=persons[pk],
                old=old,
                new=new,
                reason=why,
                actor=actor,
            )
    newly_close = [
        pk
        for pk, old, new, *_rest in changes
        if new == Category.CLOSE_CONTACT and STRICTNESS[old] > STRICTNESS[new]
    ]
    if newly_close:
        suggest_households(actor=actor, person_ids=newly_close)
    return [(pk, old, new) for pk, old, new, *_rest in changes]


def _log(changes, actor, now):
    """The `RankChange` rows in bulk: a re-ranking may change 10⁴ people, and `bulk_create`
    compiles every value of every row (a third of a second per thousand rows,
    bench/RESULTS.md). PostgreSQL takes them by COPY (an executemany is still a statement a
    row there: 1.4 s for 10,101 rows at a load of 10; multi-row INSERTs of 9,000 parameters
    were slower still), SQLite by one executemany."""
    if not changes:
        return
    table = connection.ops.quote_name(RankChange._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in (
            "area_id",
            "area_path",
            "person_id",
            "old",
            "new",
            "reason",
            "trigger_id",
            "changed_by_id",
            "changed_at",
        )
    )
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (area_id, path, pk, old, new, str(why)[:300], by, actor_id, stamp)
        for pk, old, new, area_id, path, why, by in changes
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text format written here in one piece: psycopg's write_row dumps each
            # value through its adapters, 17 µs a row. Paths, categories, ids and the time
            # hold no separator; a reason (one for many rows) is escaped once.
            reasons, ids = {}, {None: r"\N"}
            stamp_text = str(stamp)
            actor_text = r"\N" if actor_id is None else str(actor_id)
            lines = [
                f"{area_id}\t{path}\t{pk}\t{old}\t{new}\t"
                f"{reasons.get(why) or reasons.setdefault(why, why.translate(COPY_ESCAPES))}\t"
                f"{ids.get(by) or ids.setdefault(by, str(by))}\t{actor_text}\t{stamp_text}\n"
                for area_id, path, pk, old, new, why, by, _actor, _stamp in rows
            ]
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write("".join(lines))
        else:
            marks = ", ".join(["%s"] * 9)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
