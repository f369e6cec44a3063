"""What each app tells the audit trail about its own records, registered in its `ready()`.

- `register_actions({code: label})`: the action codes the app's services write (`<noun>.<verb>`)
  with the label the audit page shows;
- `register_target(type, label, model=..., related=[...], url=...)`: a kind of record events
  are about (`target_type` is the model name), linked on the page while in the reader's scope;
- `register_export_list(name, title, filterset=None)`: a list whose export is audited, so the
  filters of an export read as the list's own labels;
- `register_details(code, describe, mentions=None)`: an action's detail in words.

Nothing here names an app: adding one touches no central list.
"""

from dataclasses import dataclass

_ACTIONS = {}  # code -> label
_TARGETS = {}  # target type -> Target
_EXPORT_LISTS = {}  # list name -> ExportList
_DETAILS = {}  # code -> Details


@dataclass(frozen=True)
class Target:
    label: object
    model: type = None
    related: tuple = ()
    url: object = None  # record -> URL of its page


@dataclass(frozen=True)
class ExportList:
    title: object
    filterset: type = None


@dataclass(frozen=True)
class Details:
    describe: object  # (detail, name_of) -> [lines]; name_of(type, pk) names a record
    mentions: object = None  # detail -> {target type: ids} to fetch with the page


def register_actions(actions):
    for code, label in actions.items():
        if code in _ACTIONS and _ACTIONS[code] != label:
            raise ValueError(f"the audit action {code!r} is registered twice")
        _ACTIONS[code] = label


def register_target(target_type, label, *, model=None, related=(), url=None):
    _TARGETS[target_type] = Target(label=label, model=model, related=tuple(related), url=url)


def register_export_list(name, title, filterset=None):
    _EXPORT_LISTS[name] = ExportList(title=title, filterset=filterset)


def register_details(codes, describe, mentions=None):
    for code in [codes] if isinstance(codes, str) else codes:
        _DETAILS[code] = Details(describe=describe, mentions=mentions)


def actions():
    """{code: label} of every registered action, in the order of registration."""
    return dict(_ACTIONS)


def action_label(code):
    return _ACTIONS.get(code, code)


def targets():
    return dict(_TARGETS)


def target_label(target_type):
    target = _TARGETS.get(target_type)
    return target.label if target else target_type


def export_list(name):
    return _EXPORT_LISTS.get(name)


def details(code):
    return _DETAILS.get(code)
