"""The paper's claims, in the order of the paper, each with the check that decides it.

>>> [c.id for c in CLAIMS][:3]
['eq3-4', 'p-bunch', 'linear-game']
"""

from __future__ import annotations

from proofs.claims import analytic, classical, game, laws, noise, paper, quantum, routers, slots, system
from proofs.claims.claim import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim("eq3-4", "Sec. 4.2, Eq. 3-4", "X1 + X2 <= t  <=>  (1-a)(1-b) >= C with C = exp(-mu t), a = F(X1), b = F(X2)", "C = exp(-mu t)", analytic.check_eq3_4),
    Claim("p-bunch", "Sec. 4.2 (implicit)", "P(bunch) of the threshold rule in input space", "(not stated)", game.check_p_bunch),
    Claim("linear-game", "Sec. 4.2, ref. [1]", "The linear-boundary game has classical value 0.75 and quantum value ~0.818", "0.75 / ~0.818", game.check_linear_game),
    Claim("deterministic", "Sec. 4.3", "Deterministic strategies attain the classical value", "(standard)", classical.check_deterministic),
    Claim("eq5", "Sec. 4.3, Eq. 5", "Classical value at C_t ~ 0.33 (simulated annealing, N = 1000)", "0.7616", game.check_eq5, paper_number=paper.CLASSICAL),
    Claim("ct-min", "Sec. 4.3", "C_t ~ 0.33 minimises the classical value over C", "C_t ~ 0.33", classical.check_ct_min, paper_number=paper.C_T),
    Claim("eq6", "Sec. 4.4, Eq. 6", "Linear angle ansatz reaches 0.8140 with d ~ (3.709, -2.760, -2.759)", "0.8140", game.check_eq6, paper_number=paper.LINEAR),
    Claim("quad", "Sec. 4.4", "Quadratic angle ansatz reaches 0.8147", "0.8147", game.check_quadratic, paper_number=paper.QUADRATIC),
    Claim("linear-near-opt", "Sec. 4.4", "The optimal quantum strategy is well approximated by the linear relative-angle model", "(qualitative)", quantum.check_linear_near_opt),
    Claim("q-gt-c", "Sec. 4.5", "P_win quantum > P_win classical for the routing game", "0.8140 > 0.7616", classical.check_q_gt_c),
    Claim("thm4.1", "Sec. 4.1, Thm 4.1", "The sum-threshold rule X1 + X2 <= t* maximises E[T_B] subject to W_q <= W_l", "(theorem, proof deferred)", analytic.check_thm4_1),
    Claim("tb-formula", "Sec. 4.1 / 4.6", "E[T_B] = (1 - rho) lambda_eff E[T(L)], L ~ Exp(lambda_eff), lambda_eff = lambda (1 + p_split) / 2", "(formula)", analytic.check_tb_formula),
    Claim("condition", "Sec. 4", "E[T_B] strictly decreasing in p_split  <=>  2 E[T(L)] < E[L T(L)] / E[L]", "(condition)", analytic.check_condition),
    Claim("superlinear", "Sec. 4", "T(t) = k t^c with c > 1 satisfies the condition", "(example)", analytic.check_superlinear),
    Claim("monomial", "Sec. 4.6", "For T(t) = t^k: E[T_B] = (1 - rho) k! / lambda_eff^(k-1); decreasing in p_split iff k > 1", "(formula)", analytic.check_monomial),
    Claim("eq8", "Sec. 4.6, Eq. 8", "R_k = ((1 + p_c) / (1 + p_q))^(k-1)", "(formula)", analytic.check_eq8),
    Claim("resources", "Sec. 5", "The required resources amount to the generation and local measurement of bipartite entanglement", "(qualitative)", noise.check_resources),
)
CLAIMS += (
    Claim("split-ordering", "Sec. 4.5", "At equal QoS W_q <= W_l: p_ideal < p_q < p_c", "(qualitative)", system.check_split_ordering),
    Claim("eq7", "Sec. 4.5, Eq. 7", "E[T_B] quantum > E[T_B] classical at equal QoS", "(qualitative)", system.check_eq7),
)
CLAIMS += (
    Claim("other-laws", "Sec. 5", "A quantum advantage should persist for other service time distributions", "(conjecture)", laws.check_other_laws),
)
CLAIMS += (
    Claim("more-nodes", "Sec. 5", "Open question: more than two coordinating nodes, possibly with multipartite entanglement or networks of "
          "bipartite links", "(open question)", routers.check_more_nodes),
    Claim("timeslotting", "Sec. 3 and 5", "Lifting simultaneous arrivals by timeslotting routing decisions preserves the quantum advantage", "(conjecture)",
          slots.check_timeslotting),
)
