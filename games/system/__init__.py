"""The paper's two-server system: routings and a fast discrete-event simulator.

>>> from games.system import IdealRouting, simulate
>>> from analytic.rules import SumThresholdRule
>>> r = simulate(IdealRouting(SumThresholdRule(1.5)), lam=0.6, mu=1.0, n_pairs=10000, seed=0)
>>> 0.0 < r.p_split < 1.0
True
"""

from games.system.routing import AngleRouting, IdealRouting, RandomRouting, Routing, StepRouting
from games.system.simulate import SimulationResult, simulate, simulate_inputs

__all__ = [
    "AngleRouting",
    "IdealRouting",
    "RandomRouting",
    "Routing",
    "SimulationResult",
    "StepRouting",
    "simulate",
    "simulate_inputs",
]
