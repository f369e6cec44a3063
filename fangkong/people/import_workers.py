"""Cleaning a long file's rows in two processes: this one cleans the first half while a
forked copy of it cleans the second half.

Cleaning is pure Python (ID number checks, HMAC digests, pinyin initials: about 45 µs a
row), so one process uses one core whatever the threads. The copy is forked after the
file is parsed and the cleaner made, so it needs no database, no set-up and no second
parse: it inherits Django, the settings and keys, the active language, the grids of the
area and the parsed sheet with its row iterator (a copy, which it moves on to the middle),
and sends back only its clean rows and problems (a grid by its pk, so that every row names
this process's `Area` objects again).

It is a plain forked `multiprocessing.Process` rather than a pool: it lives only while one
file is read, is stopped at once when the job is cancelled, and works wherever the check
runs (django-tasks' `db_worker`, a web request with the immediate backend, the tests). Where
processes cannot be forked, or when the copy fails, this process cleans the rest itself.
"""

import contextlib
import logging
import multiprocessing
import os
import signal

logger = logging.getLogger(__name__)

# Below this many rows a second process costs more than it saves (forking, sending rows back).
PARALLEL_FROM = 20_000


def second_process_helps():
    """Whether processes can be forked and a core is idle: on a machine whose cores are all
    busy the second process only waits for a core, and the file is parsed twice for nothing
    (100,000 rows under a load of 9 on 2 cores: 10–11 s alone, 14–19 s in two processes).
    The load average counts this process, so one busy core of two still lets it fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return cores > 1 and os.getloadavg()[0] < cores - 0.5


def clean_rows(cleaner, numbered, *, header_number, count, progress, every):
    """Clean the rows after the header; (rows, problems) in row order.

    `numbered` is the file's iterator of (number, cells), positioned after the header.
    """
    if count < PARALLEL_FROM or not second_process_helps():
        return clean_part(cleaner, numbered, progress=progress, count=count, every=every)
    middle = header_number + (count - header_number) // 2
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=clean_second_half, args=(cleaner, numbered, middle, sender), daemon=False
    )
    child.start()
    sender.close()
    try:

        def report(done, total):  # both halves advance together
            progress(header_number + 2 * (done - header_number), total)

        rows, problems = clean_part(
            cleaner, numbered, last=middle, progress=progress and report, count=count, every=every
        )
        try:
            found = receiver.recv()
        except EOFError:
            found = RuntimeError("the process cleaning the second half ended without a result")
        if isinstance(found, BaseException):
            logger.warning("cleaning the second half in another process failed: %r", found)
            more_rows, more_problems = clean_part(cleaner, numbered, count=count, every=every)
        else:
            more_rows, more_problems = found
            grids = {grid.pk: grid for grid in cleaner.grids.values()}
            for row in more_rows:
                row.grid = grids[row.grid]
        return rows + more_rows, problems + more_problems
    finally:
        receiver.close()
        if child.is_alive():
            # Cancelled, or failed here: its work is of no use. SIGKILL, as it may still have
            # the handlers of db_worker, which finishes its task on SIGTERM.
            child.kill()
        child.join()


def clean_part(cleaner, numbered, *, last=None, progress=None, count=0, every=1):
    """Clean the rows of `numbered` up to row `last` (all when None)."""
    rows, problems = [], []
    for number, cells in numbered:
        if progress and number % every == 0:
            progress(number, count)
        row, found = cleaner.clean(number, cells)
        if found:
            problems += found
        elif row is not None:
            rows.append(row)
        if number == last:
            break
    return rows, problems


def clean_second_half(cleaner, numbered, middle, sender):
    """In the forked process: clean the rows of `numbered` after `middle`, send them."""
    # Not db_worker's handlers (a Ctrl+C on the worker ends this process at once).
    for signal_name in ("SIGTERM", "SIGINT", "SIGQUIT"):
        if hasattr(signal, signal_name):
            signal.signal(getattr(signal, signal_name), signal.SIG_DFL)
    try:
        for number, _cells in numbered:
            if number == middle:
                break
        rows, problems = clean_part(cleaner, numbered)
        for row in rows:
            row.grid = row.grid.pk
        sender.send((rows, problems))
    except BaseException as error:  # any failure is reported to the parent …
        with contextlib.suppress(Exception):  # … or it sees the pipe end
            sender.send(RuntimeError(repr(error)))
    finally:
        sender.close()
