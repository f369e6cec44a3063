"""Reads of the tracing graph. Categories are derived from the edges (never recorded as a
type): a standing case is a case; a confirmed edge from a case makes a close contact
(degree 1); a confirmed edge from a close contact makes a secondary contact (degree 2). A
person reached through several edges gets the strictest.

`derived_categories` and `category_of` derive it from the graph; `TracedPerson.category`
is the same answer kept by re-ranking for lists and counts (the tests hold them equal)."""

from django.db import connection

from fangkong.scope import system_scope
from fangkong.tracing.models import Case, Category, Contact, TracedPerson

CONFIRMED = Contact.Status.CONFIRMED
# Frontier queries are sent in chunks: SQLite takes at most 32,766 parameters a statement.
CHUNK = 5000


def chunked(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def by_ids(sql, ids, params=()):
    """The rows of `sql` for all `ids`; `IN ({ids})` in `sql` stands for them, after
    `params`. Raw SQL on purpose: the ORM prepares each of thousands of ids one by one
    (`get_prep_value`), which was a third of a re-ranking's CPU. PostgreSQL gets them as one
    array written as text (parsing and planning 5,000 placeholders took 40 ms a statement,
    and psycopg quotes a list's items one by one), unnested in a subquery: with `= ANY` of
    10⁴ ids it scanned the whole table or a bitmap of the index (220–380 ms for the edges
    reaching 10⁴ people), with the subquery it looks each id up (60–110 ms). SQLite gets
    placeholders, one statement a chunk. Rows of statements that return none
    (UPDATE) are []."""
    ids, rows = list(ids), []
    if not ids:
        return rows
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
            unnested = "IN (SELECT unnest(%s::bigint[]))"
            cursor.execute(sql.replace("IN ({ids})", unnested), [*params, array])
            return cursor.fetchall() if cursor.description is not None else []
        for chunk in chunked(ids):
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), [*params, *chunk])
            if cursor.description is not None:
                rows += cursor.fetchall()
    return rows


def derived_categories(ids):
    """{person id: derived category or ""} of many persons, from the graph, set-based: the
    confirmed edges reaching them, the edges reaching those edges' sources, and the standing
    cases among everyone so found — a few indexed queries a chunk of 5,000, whatever the
    number of persons (three correlated subqueries a person cost ~0.3 s for 10⁴)."""
    ids = list(dict.fromkeys(ids))
    first = backward(ids)
    sources = {source for source, _person in first}
    second = backward(sources)
    cases = standing_cases(set(ids) | sources | {source for source, _person in second})
    # A source reached from a case makes its own contacts secondary contacts.
    close_sources = {person for source, person in second if source in cases}
    close = {person for source, person in first if source in cases}
    secondary = {person for source, person in first if source in close_sources}
    return {
        pk: Category.CASE.value
        if pk in cases
        else Category.CLOSE_CONTACT.value
        if pk in close
        else Category.SECONDARY_CONTACT.value
        if pk in secondary
        else ""
        for pk in ids
    }


def standing_cases(ids):
    """The persons among `ids` with a standing (not ruled out) case."""
    sql = (
        f"SELECT person_id FROM {table(Case)} WHERE ruled_out_on IS NULL AND person_id IN ({{ids}})"
    )
    return {pk for (pk,) in by_ids(sql, ids)}


def category_of(person):
    """ "case", "close_contact", "secondary_contact" or None: the strictest category the
    person's edges give them, derived from the graph."""
    return derived_categories([person.pk]).get(person.pk) or None


def categories_of(persons):
    """The bulk form: {person id: category or None} of a queryset (or list) of persons, as
    kept by re-ranking (one query, no graph walk)."""
    if hasattr(persons, "values_list"):
        rows = persons.values_list("pk", "category")
    else:
        rows = [(p.pk, p.category) for p in persons]
    return {pk: category or None for pk, category in rows}


def forward(ids, status=CONFIRMED):
    """The edges leaving the persons `ids`: [(source id, person id)], one query a chunk
    (the index `contact_forward`)."""
    sql = f"SELECT source_id, person_id FROM {table(Contact)} WHERE status = %s AND source_id IN ({{ids}})"
    return by_ids(sql, ids, [status])


def backward(ids, status=CONFIRMED):
    """The edges reaching the persons `ids`: [(source id, person id)] (`contact_backward`)."""
    sql = f"SELECT source_id, person_id FROM {table(Contact)} WHERE status = %s AND person_id IN ({{ids}})"
    return by_ids(sql, ids, [status])


def kept_categories(ids):
    """{person id: (kept category, area id, area path)} of the persons `ids`."""
    sql = (
        f"SELECT id, category, area_id, area_path FROM {table(TracedPerson)} WHERE id IN ({{ids}})"
    )
    return {pk: (category, area, path) for pk, category, area, path in by_ids(sql, ids)}


def reach(start_ids, depth):
    """{person id: degree} of everyone reached from `start_ids` by confirmed edges within
    `depth` steps (the start at 0), breadth first: one indexed query per step."""
    degree = dict.fromkeys(start_ids, 0)
    frontier = list(start_ids)
    for step in range(1, depth + 1):
        if not frontier:
            break
        nxt = []
        for _source, person in forward(frontier):
            if person not in degree:
                degree[person] = step
                nxt.append(person)
        frontier = nxt
    return degree


def reach_from(start_ids, depth):
    """{person id: start id} of everyone reached from `start_ids` by confirmed edges within
    `depth` steps, each with the start nearest to them (a start is its own); of starts equally
    near, the first in `start_ids`. One indexed query per step, as `reach`: the re-ranking of
    a whole case list tells each person which case of the list moved them."""
    order = {pk: index for index, pk in enumerate(start_ids)}
    origin = {pk: pk for pk in start_ids}
    frontier = list(origin)
    for _step in range(depth):
        if not frontier:
            break
        found = {}
        for source, person in forward(frontier):
            if person in origin:
                continue
            seen = found.get(person)
            if seen is None or order[origin[source]] < order[seen]:
                found[person] = origin[source]
        origin.update(found)
        frontier = list(found)
    return origin


def neighbourhood(person, depth=2):
    """The persons a person reaches to `depth` and the edges between them: (degree map,
    [(source id, person id)]) — a case's close contacts and their contacts."""
    degree = {person.pk: 0}
    edges = []
    frontier = [person.pk]
    for step in range(1, depth + 1):
        if not frontier:
            break
        found = forward(frontier)
        edges += found
        nxt = []
        for _source, target in found:
            if target not in degree:
                degree[target] = step
                nxt.append(target)
        frontier = nxt
    return degree, edges


def standing_case(person):
    with system_scope():
        return Case.objects.filter(person=person, ruled_out_on=None).first()
