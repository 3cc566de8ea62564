"""Records as the site's log handler sees them: with their request and task ids."""

import contextlib
import logging

from together.logs import RequestIdFilter


class _Keep(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []
        self.addFilter(RequestIdFilter())

    def emit(self, record):
        self.records.append(record)


@contextlib.contextmanager
def captured(name, level=logging.INFO):
    """The records of logger ``name`` (and its children) while the block runs,
    each with ``request_id`` and ``task_id`` set as settings.LOGGING does."""
    logger = logging.getLogger(name)
    handler = _Keep()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
