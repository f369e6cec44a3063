"""The data scope: the one security mechanism (ARCHITECTURE.md).

What a user may do with a kind of record is the union of the subtrees of the roles that
grant that permission. Every place-bound record stores its area's materialised path, so
the scope is a prefix filter in SQL: `Model.objects.visible_to(user, perm)`.

The scope fails closed by construction: the scoped manager is every place-bound model's
default manager, so `Model.objects.filter(...)`, related managers (`worker.roles.all()`),
`get_object_or_404(Model, ...)`, form choice fields and DRF's default querysets raise
`ScopeError` unless the query says whose scope applies. System code that must see every
record (management commands, background tasks, the admin of system administrators, demo,
bench, and the few services that check a rule across areas) opens `system_scope()`:
`grep -rn "system_scope()"` lists every such place.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection, models
from django.db.models import Lookup, Q

from fangkong.permissions import all_permissions, kinds_granting, permissions_of
from fangkong.rows import fetchall


class ScopeError(RuntimeError):
    """A place-bound model was queried without saying whose scope applies."""


_system = ContextVar("fangkong_system_scope", default=False)


@contextmanager
def _opened():
    token = _system.set(True)
    try:
        yield
    finally:
        _system.reset(token)


def system_scope():
    """Inside it, place-bound models may be queried whole. Each use is a deliberate bypass;
    the mechanism's own reads (uniqueness, a scoped queryset's start) use `_opened`, and the
    roles are read in SQL (`_read_roles`)."""
    return _opened()


@functools.cache
def _roles_parts():
    """The tables of roles, workers and areas, and the columns `keep_roles` takes: a role's
    path and kind, then its area's columns (the role aliased r, its area ra)."""
    role, worker, area = (apps.get_model("areas", m) for m in ("Role", "Worker", "Area"))
    columns = ", ".join(f'ra."{f.column}"' for f in area._meta.concrete_fields)
    tables = (f'"{model._meta.db_table}"' for model in (role, worker, area))
    return (f'r."area_path", r."kind", {columns}', *tables)


@functools.cache
def _roles_statement():
    """The SQL of a user's active roles with their areas' columns, from the models' tables."""
    columns, role, worker, area = _roles_parts()
    return (
        f'SELECT {columns} FROM {role} r JOIN {worker} w ON w."id" = r."worker_id" '
        f'JOIN {area} ra ON ra."id" = r."area_id" '
        'WHERE w."user_id" = %s AND w."is_active" ORDER BY r."area_path", r."kind"'
    )


def roles_joined(worker):
    """(columns, joins, order) to read the active roles of the worker aliased `worker` with
    another statement's row, one row a role (NULLs for a worker without any), for
    `keep_roles`: the API's token reads its user's roles this way, in the same statement."""
    columns, role, _worker, area = _roles_parts()
    joins = (
        f'LEFT JOIN {role} r ON r."worker_id" = {worker}."id" AND {worker}."is_active" '
        f'LEFT JOIN {area} ra ON ra."id" = r."area_id"'
    )
    return columns, joins, 'r."area_path", r."kind"'


def keep_roles(user, rows):
    """Put the roles of `rows` (the columns of `roles_joined`; a row without a role is left
    out) on the user object, for the request."""
    area = apps.get_model("areas", "Area")
    names = [f.attname for f in area._meta.concrete_fields]
    rows = [row for row in rows if row[0] is not None]
    user._fangkong_roles = tuple((path, kind) for path, kind, *_values in rows)
    user._fangkong_role_areas = {
        path: area.from_db(connection.alias, names, values) for path, _kind, *values in rows
    }


def _read_roles(user):
    """Read the user's active roles and their areas once per request, onto the user object.

    Every request reads them (the menu, each permission check). Built through the ORM this
    one statement cost 0.4 ms of Python a request, twenty times what the database takes to
    answer it (bench/RESULTS.md), hence the SQL. Nothing is kept beyond the request: a role
    granted or revoked counts from the user's next request."""
    keep_roles(user, fetchall(_roles_statement(), [user.pk]))


def roles_of(user):
    """(area path, kind) of the user's active roles, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    if getattr(user, "_fangkong_roles", None) is None:
        _read_roles(user)
    return user._fangkong_roles


def role_areas(user):
    """The areas of the user's active roles by path, read with the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    if getattr(user, "_fangkong_role_areas", None) is None:
        _read_roles(user)
    return user._fangkong_role_areas


def outermost(paths):
    """The paths without one nested in another (a subtree inside a subtree adds nothing)."""
    paths = sorted(set(paths))
    return tuple(p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i]))


def scope_paths(user, perm):
    """The area paths below which the user holds `perm`."""
    kinds = kinds_granting(perm)
    return outermost(path for path, kind in roles_of(user) if kind in kinds)


def holds(user, perm, path):
    """Whether one of the user's roles grants `perm` on the area or record at `path`."""
    return any(path.startswith(p) for p in scope_paths(user, perm))


class PathField(models.CharField):
    """A materialised area path: the codes from the root down, "/"-separated, "/" at both ends."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)


@PathField.register_lookup
class Under(Lookup):
    """`path__under=prefix`: the path lies in the subtree whose path is `prefix`.

    Written so that each database answers it from the path index: PostgreSQL with LIKE on
    its pattern-ops index, SQLite (whose LIKE ignores case and so any index) as a range.
    Paths hold only digits and "/", and "0" sorts right after "/", so the subtree of
    "/35/" is every path from "/35/" up to, not including, "/350".
    """

    lookup_name = "under"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} LIKE %s", [*lhs_params, prefix + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, prefix, prefix[:-1] + "0"]


@models.CharField.register_lookup
class Prefix(Lookup):
    """`field__prefix=text`: the value starts with `text`, answered from the field's index.

    Django's `startswith` is LIKE, which SQLite cannot answer from an index; a range can.
    PostgreSQL gets LIKE with the wildcards in `text` escaped (its index uses pattern ops).
    """

    lookup_name = "prefix"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        text = str(self.rhs)
        if connection.vendor == "postgresql":
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, text, text + "\U0010ffff"]


def path_q(field, paths):
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__under": path})
    return query


def _guarded(name):
    method = getattr(models.QuerySet, name)

    def run(self, *args, **kwargs):
        if not self._scope_stated:
            raise ScopeError(
                f"{self.model.__name__}.objects needs a scope: "
                "use .visible_to(user, perm), or system_scope() in system code"
            )
        return method(self, *args, **kwargs)

    run.__name__ = name
    return run


class ScopedQuerySet(models.QuerySet):
    """A queryset that runs only once it says whose scope applies.

    It may be built and refined freely (libraries build querysets to introspect them), but
    every way of running it (iterating, counting, `get`, `update`, `delete`, being used as a
    subquery) raises `ScopeError` unless it came from `visible_to(user, perm)`, from `none()`,
    or was started inside `system_scope()`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_stated = _system.get()

    def _clone(self):
        clone = super()._clone()
        clone._scope_stated = self._scope_stated
        return clone

    for _name in (
        "_fetch_all",
        "iterator",
        "count",
        "exists",
        "contains",
        "aggregate",
        "update",
        "_update",
        "delete",
        "explain",
        "resolve_expression",
    ):
        locals()[_name] = _guarded(_name)
    del _name

    def _stated(self):
        clone = self._chain()
        clone._scope_stated = True
        return clone

    def visible_to(self, user, perm):
        """The records below the areas of the user's roles that grant `perm`."""
        paths = scope_paths(user, perm)
        return self._stated().filter(path_q(self.model.scope_path_field, paths))

    def within(self, area):
        """Records in the subtree of one area (narrowing a queryset already scoped)."""
        return self.filter(**{f"{self.model.scope_path_field}__under": area.path})

    def none(self):
        # An empty queryset reveals nothing; libraries (filters, schema) ask for one.
        return super().none()._stated()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """The default manager of every place-bound model. Related managers are built from it, so
    `household.residents.all()` fails closed as well, while `household.residents.visible_to(
    user, perm)` keeps the relation's filter and adds the scope."""

    # Writing reveals nothing: whether the actor may write there is the services' rule.
    def create(self, **kwargs):
        return self.get_queryset()._stated().create(**kwargs)

    def bulk_create(self, objs, **kwargs):
        return self.get_queryset()._stated().bulk_create(objs, **kwargs)


def for_uniqueness(model):
    """Every record of a model, for checking that a value is not taken: uniqueness holds
    across the country and the answer says only "taken", never by whom or where."""
    with _opened():
        return model.objects.all()


class ScopedModel(models.Model):
    """A model behind the scope. Uniqueness is checked across the whole country, which says
    only "taken", never by whom."""

    objects = ScopedManager()

    class Meta:
        abstract = True

    def validate_unique(self, exclude=None):
        with _opened():  # see for_uniqueness
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        with _opened():
            super().validate_constraints(exclude=exclude)


class PlaceBound(ScopedModel):
    """A record that belongs to a place: it carries its area and that area's path."""

    scope_path_field = "area_path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    area_path = PathField(db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)


class PasswordBackend(ModelBackend):
    """Django's password log-in, granting no permissions of its own: every permission comes
    from roles (RoleBackend). Django's backend reads the user's and their groups'
    permissions, two queries a request, which the product never grants (the admin is for
    superusers, who hold every permission anyway). The user is loaded with their worker
    profile, which every page reads (menu, password-change check)."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("worker")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


class RoleBackend:
    """An authentication backend that authenticates nobody and answers Django's permission
    API from roles: `user.has_perm(perm)` when any role grants it, `user.has_perm(perm,
    record)` only when a role whose subtree holds the record grants it."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if perm not in all_permissions():
            return False
        path = getattr(obj, obj.scope_path_field) if obj is not None else None
        return any(
            perm in permissions_of(kind) and (path is None or path.startswith(role_path))
            for role_path, kind in roles_of(user_obj)
        )

    def has_module_perms(self, user_obj, app_label):
        return any(
            p.startswith(f"{app_label}.")
            for _path, kind in roles_of(user_obj)
            for p in permissions_of(kind)
        )
