"""What tracing tells other apps (quarantine, reports), which it never imports.

`category_changed`: sent by re-ranking (`fangkong.tracing.ranking.rerank`) inside the
transaction of the change that caused it, once per person whose derived category changed:
sender=TracedPerson, person, old, new (Category values, "" for none), reason (text), actor.
A receiver that raises undoes the change with everything else.

`categories_changed`: the same news once per re-ranking, for receivers that act in bulk
(one query for 10⁴ people instead of 10⁴): sender=TracedPerson, changes=[(person id, old,
new)], reason, actor. Sent before the per-person signals, in the same transaction. A
re-ranking of a whole case list (one for all its cases) gives the list's reason as `reason`
and each person's own (the reason of the list's case nearest to them, which
`category_changed` carries) as `reasons` ({person id: reason}); receivers that keep a
reason per person should prefer `reasons.get(pk, reason)`.
"""

from django.dispatch import Signal

category_changed = Signal()
categories_changed = Signal()
