"""Background work of the people registry (django-tasks; `manage.py db_worker` runs it).

The tasks are defined beside the service they run (`import_jobs`), which enqueues them; this
module is where the worker and `fangkong.tasks` find them (queued tasks name this path).
"""

from fangkong.people import import_jobs
from fangkong.people.import_jobs import commit_import, validate_import
from fangkong.tasks import recovery

__all__ = ["commit_import", "resident_imports", "validate_import"]


@recovery
def resident_imports(before):
    """Fail the imports whose worker was lost before `before` (`manage.py recover_jobs`)."""
    return import_jobs.recover(before)
