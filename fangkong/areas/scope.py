"""The data scope: the one security mechanism (ARCHITECTURE.md).

A user sees exactly the union of the subtrees of their roles' areas. Every
place-bound record stores its area's materialised path, so the scope is a prefix
filter in SQL. The default `objects` manager fails closed: it refuses to build a
queryset until the caller says `visible_to(user)` or, for system code, `unscoped()`.
"""

from django.db import models
from django.db.models import Lookup, Q


class ScopeError(RuntimeError):
    """A place-bound model was queried without saying whose scope applies."""


def roles_of(user):
    """(area path, kind) of the user's active roles, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_fangkong_roles", None)
    if cached is None:
        from fangkong.areas.models import Role

        cached = tuple(
            Role.all_objects.filter(worker__user=user, worker__is_active=True)
            .order_by("area_path")
            .values_list("area_path", "kind")
        )
        user._fangkong_roles = cached
    return cached


def scope_paths(user):
    """The area paths the user sees below, without a path nested in another."""
    paths = sorted({path for path, _kind in roles_of(user)})
    return tuple(p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i]))


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


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(path_q(self.model.scope_path_field, scope_paths(user)))

    def within(self, area):
        """Records in the subtree of one area (itself a record the caller could see)."""
        return self.filter(**{f"{self.model.scope_path_field}__under": area.path})


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    def get_queryset(self):
        raise ScopeError(
            f"{self.model.__name__}.objects needs a scope: "
            "use .visible_to(user), or .unscoped() in system code"
        )

    def visible_to(self, user):
        return super().get_queryset().visible_to(user)

    def unscoped(self):
        return super().get_queryset()

    def none(self):
        # An empty queryset reveals nothing; libraries (filters, schema) ask for one.
        return super().get_queryset().none()


class PlaceBound(models.Model):
    """A record that belongs to a place: it carries its area and that area's path."""

    scope_path_field = "area_path"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    area_path = PathField(db_index=True, editable=False)

    objects = ScopedManager()
    # Admin, related managers and deletion use the default manager; they must keep working.
    all_objects = models.Manager()

    class Meta:
        abstract = True
        default_manager_name = "all_objects"

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)
