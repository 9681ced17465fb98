"""Django's PostgreSQL backend with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` before the first query of every request
that reuses a connection: a round trip to the server on every page. A connection the server
has closed (a restart, a failover, a terminated backend) has its farewell message or end of
file waiting on the socket; one that is still open and idle has nothing to read. So the
socket is polled first, which costs a system call, and Django's full check runs only when
something is waiting.
"""

import select

from django.db.backends.postgresql import base


def has_pending_input(fileno: int) -> bool:
    """Whether the socket has something to read (or was closed), without waiting."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not has_pending_input(self.connection.fileno())
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
