"""Background work of the people registry (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task


@task()
def validate_import(job_id, language):
    """Check the file of a resident import and store its preview."""
    from fangkong.people import import_jobs

    import_jobs.validate(job_id, language)


@task()
def commit_import(job_id, actor_id, language):
    """Write the valid rows of a confirmed resident import, all or nothing."""
    from fangkong.people import import_jobs

    import_jobs.save(job_id, actor_id, language)
