"""Numba kernel of the two-server queue (Lindley recursion) and its plain-Python twin.

Both servers are FIFO.  ``free[s]`` is the time at which server ``s`` will
have finished every customer assigned so far.  A customer (or a bunched
pair) arriving at time ``tau`` waits ``max(0, free[s] - tau)``; if
``free[s] < tau`` the server was running the baseline task since
``free[s]``, so an idle period of length ``tau - free[s]`` ends now.  Inside a
bunched pair the customer served second also waits for the first.

The twin :func:`queue_twin` is the same algorithm in plain Python; tests check
that both agree exactly, and that both agree with the independent event-driven
simulator in the tests (``tests/games/system/eventloop.py``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["empty_outputs", "queue_kernel", "queue_twin", "record_idle"]


@njit(cache=True, nogil=True)
def record_idle(idle_len, idle_srv, idle_at, n_idle, length, s, at) -> int:  # noqa: ANN001
    """Write idle period number ``n_idle`` (its length, server and the arrival ``at`` that ended it); return ``n_idle + 1``."""
    idle_len[n_idle] = length
    idle_srv[n_idle] = s
    idle_at[n_idle] = at
    return n_idle + 1


@njit(cache=True, nogil=True)
def queue_kernel(arrivals, x1, x2, srv_a, srv_b, a_first, free, offset, wait_out, idle_len, idle_srv, idle_pair):  # noqa: ANN001, ANN202
    """Run one block of pairs; update ``free`` in place; return the number of idle periods.

    ``wait_out[i]`` receives the summed waiting time of pair ``i``'s two
    customers; idle periods are written to ``idle_len``/``idle_srv``/``idle_pair``
    (``idle_pair`` = global index ``offset + i`` of the pair that ended it).
    """
    n_idle = 0
    for i in range(arrivals.shape[0]):
        tau = arrivals[i]
        sa = srv_a[i]
        sb = srv_b[i]
        if sa == sb:
            s = sa
            f = free[s]
            if f < tau:
                n_idle = record_idle(idle_len, idle_srv, idle_pair, n_idle, tau - f, s, offset + i)
                f = tau
            v = f - tau
            first = x1[i] if a_first[i] else x2[i]
            wait_out[i] = 2.0 * v + first
            free[s] = f + x1[i] + x2[i]
        else:
            total = 0.0
            for c in range(2):
                s = sa if c == 0 else sb
                x = x1[i] if c == 0 else x2[i]
                f = free[s]
                if f < tau:
                    n_idle = record_idle(idle_len, idle_srv, idle_pair, n_idle, tau - f, s, offset + i)
                    f = tau
                total += f - tau
                free[s] = f + x
            wait_out[i] = total
    return n_idle


def queue_twin(arrivals, x1, x2, srv_a, srv_b, a_first, free, offset, wait_out, idle_len, idle_srv, idle_pair):  # noqa: ANN001, ANN202
    """Plain-Python twin of :func:`queue_kernel` (same contract), written per customer."""
    n_idle = 0
    for i in range(len(arrivals)):
        tau = float(arrivals[i])
        if srv_a[i] == srv_b[i]:
            order = [(int(srv_a[i]), float(x1[i])), (int(srv_b[i]), float(x2[i]))]
            if not a_first[i]:
                order.reverse()
        else:
            order = [(int(srv_a[i]), float(x1[i])), (int(srv_b[i]), float(x2[i]))]
        total = 0.0
        for s, x in order:
            start = max(free[s], tau)
            if free[s] < tau:
                idle_len[n_idle], idle_srv[n_idle], idle_pair[n_idle] = tau - free[s], s, offset + i
                n_idle += 1
            total += start - tau
            free[s] = start + x
        wait_out[i] = total
    return n_idle


def empty_outputs(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Output buffers for a block of ``n`` pairs (at most 2 idle periods per pair)."""
    return np.empty(n), np.empty(2 * n), np.empty(2 * n, dtype=np.int8), np.empty(2 * n, dtype=np.int64)
