"""Django's database sessions, read in one SQL statement.

Every logged-in request reads its session. Building that lookup through the ORM cost 0.2 ms
of Python a request, ten times what the database takes to answer it from the primary key
(bench/RESULTS.md); the row, its expiry and everything else are Django's."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data" FROM "{model._meta.db_table}" '
                'WHERE "session_key" = %s AND "expire_date" > %s',
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's: an unknown or expired key starts a new session.
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
