"""Garbage-collector settings for the long-running processes (API and worker).

A dashboard answer creates some 100,000 short-lived objects. With CPython's default thresholds
that starts a collection every 700 allocations, and each full collection walks every object the
process holds (modules, the schema, SQLAlchemy's caches): a third of a dashboard request's time
in ``make bench``'s profile. Objects alive after start-up are frozen out of collections and the
young generation is allowed to grow before it is collected. Reference cycles are still collected.
"""

from __future__ import annotations

import gc

#: Allocations (net of deallocations) before a young collection; CPython's default is 700.
YOUNG_THRESHOLD = 50_000
#: Young collections before a middle one, middle before a full one (CPython's: 10 and 10).
OLDER_THRESHOLDS = (20, 100)


def settle_after_start_up() -> None:
    """Collect once, freeze what start-up left (it lives as long as the process), raise thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
