"""Games, discretisations, strategies and heuristic searches (estimates only)."""

from games.catalogue import linear_boundary_game, paper_game, sum_threshold_game
from games.classical_search import anneal, best_response, classical_estimate, polish
from games.discretise import Discretisation, discretise
from games.errors import AnsatzError, GameParameterError, GameTypeError, SearchError, StrategyError
from games.estimate import Estimate
from games.quantum_search import LINEAR, QUADRATIC, Ansatz, continuum_value, optimise_angles
from games.spec import Boundary, HyperbolicBoundary, LinearBoundary, SumThresholdBoundary, XorGame
from games.strategies import AngleStrategy, StepStrategy, ThresholdStrategy, VectorStrategy

__all__ = [
    "LINEAR",
    "QUADRATIC",
    "AngleStrategy",
    "Ansatz",
    "AnsatzError",
    "Boundary",
    "Discretisation",
    "Estimate",
    "GameParameterError",
    "GameTypeError",
    "HyperbolicBoundary",
    "LinearBoundary",
    "SearchError",
    "StepStrategy",
    "StrategyError",
    "SumThresholdBoundary",
    "ThresholdStrategy",
    "VectorStrategy",
    "XorGame",
    "anneal",
    "best_response",
    "classical_estimate",
    "continuum_value",
    "discretise",
    "linear_boundary_game",
    "optimise_angles",
    "paper_game",
    "polish",
    "sum_threshold_game",
]
