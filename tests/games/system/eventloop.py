"""Plain-Python discrete-event simulation of the two-server system (reference).

Independent of the Lindley kernel: an event list (``heapq``) of departures,
explicit FIFO queues, and a baseline task that starts when a server empties.
Used by the tests (exact agreement with the kernel on the same inputs) and by
``bench/simulate.py`` as the peer implementation.
"""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np

__all__ = ["event_loop"]


def event_loop(arrivals, x1, x2, srv_a, srv_b, a_first):  # noqa: ANN001, ANN201
    """Simulate the pairs; return ``(wait_per_pair, idle_len, idle_srv, idle_pair)``.

    Departures at the same instant as an arrival are processed first.
    """
    n = len(arrivals)
    waits = np.zeros(n)
    idle_len: list[float] = []
    idle_srv: list[int] = []
    idle_pair: list[int] = []
    queue = [deque(), deque()]  # (pair index, arrival time, service time)
    busy = [False, False]
    idle_since = [0.0, 0.0]
    events: list[tuple[float, int]] = []  # (departure time, server)

    def depart(time: float, s: int) -> None:
        if queue[s]:
            i, t_arr, x = queue[s].popleft()
            waits[i] += time - t_arr
            heapq.heappush(events, (time + x, s))
        else:
            busy[s] = False
            idle_since[s] = time

    for i in range(n):
        tau = float(arrivals[i])
        while events and events[0][0] <= tau:
            tdep, s = heapq.heappop(events)
            depart(tdep, s)
        if srv_a[i] == srv_b[i] and not a_first[i]:
            customers = [(int(srv_b[i]), float(x2[i])), (int(srv_a[i]), float(x1[i]))]
        else:
            customers = [(int(srv_a[i]), float(x1[i])), (int(srv_b[i]), float(x2[i]))]
        for s, x in customers:
            if not busy[s]:
                if tau > idle_since[s]:
                    idle_len.append(tau - idle_since[s])
                    idle_srv.append(s)
                    idle_pair.append(i)
                busy[s] = True
                heapq.heappush(events, (tau + x, s))
            else:
                queue[s].append((i, tau, x))
    while events:  # serve the customers still queued (their waits are already determined)
        tdep, s = heapq.heappop(events)
        depart(tdep, s)
    return waits, np.array(idle_len), np.array(idle_srv, dtype=np.int8), np.array(idle_pair, dtype=np.int64)
