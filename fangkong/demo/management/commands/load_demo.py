"""manage.py load_demo: fill an empty database with the demo county and print the logins."""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.demo import county as demo
from fangkong.people.models import Household, Resident
from fangkong.scope import system_scope


def width(text):
    """Columns the text takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def pad(text, columns):
    return f"{text}{' ' * (columns - width(text))}"


def table(header, rows):
    columns = [max(width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(cell, n) for cell, n in zip(row, columns, strict=True)) for row in rows]
    rule = "  ".join("-" * n for n in columns)
    head = "  ".join(pad(cell, n) for cell, n in zip(header, columns, strict=True))
    return "\n".join([head, rule, *lines])


def counts():
    """How many records of each kind the database holds: the whole country, for the console."""
    by_level = dict.fromkeys(Level, 0)
    with system_scope():
        for level in Area.objects.values_list("level", flat=True):
            by_level[Level(level)] += 1
        return [
            *[(level.label, number) for level, number in by_level.items()],
            *[
                (model._meta.verbose_name_plural, model.objects.count())
                for model in (Building, Household, Resident, Worker, Role)
            ],
        ]


def has_areas():
    # Whether the database is empty is a question about the whole country.
    with system_scope():
        return Area.objects.exists()


class Command(BaseCommand):
    help = "Fill an empty database with a demo county (鲤城区) and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=5000, help="how many residents")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database has areas"
        )

    def handle(self, *args, residents, seed, if_empty, **options):
        if settings.PRODUCTION:
            raise CommandError(_("Demo data and its shared password never go into production."))
        if has_areas():
            if not if_empty:
                raise CommandError(
                    _("The database already has areas; demo data needs an empty one.")
                )
            self.stdout.write(_("The database already has areas; no demo data loaded."))
        else:
            if residents < 1:
                raise CommandError(_("--residents must be at least 1."))
            started = time.perf_counter()
            demo.build(residents=residents, seed=seed, stdout=self.stdout)
            seconds = time.perf_counter() - started
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(_("Demo data loaded in %(s).1f s.") % {"s": seconds})
            )
            self.stdout.write("")
            self.stdout.write(table([_("Record"), _("Count")], [(str(k), n) for k, n in counts()]))
        accounts = demo.accounts()
        if accounts:
            self.stdout.write("")
            self.stdout.write(_("Demo logins (the same password for all):"))
            self.stdout.write(table([_("Username"), _("Role"), _("Area")], accounts))
            self.stdout.write("")
            self.stdout.write(_("Password: %(password)s") % {"password": demo.PASSWORD})
