"""Games, discretisations, strategies and heuristic searches (estimates only)."""

from games.catalogue import linear_boundary_game, paper_game, sum_threshold_game
from games.discretise import Discretisation, discretise
from games.errors import AnsatzError, GameParameterError, GameTypeError, SearchError, StrategyError
from games.estimate import Estimate
from games.spec import Boundary, HyperbolicBoundary, LinearBoundary, SumThresholdBoundary, XorGame
from games.strategies import AngleStrategy, StepStrategy, ThresholdStrategy, VectorStrategy

__all__ = [
    "AngleStrategy",
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
    "discretise",
    "linear_boundary_game",
    "paper_game",
    "sum_threshold_game",
]
