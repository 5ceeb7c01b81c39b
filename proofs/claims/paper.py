"""The paper's stated values, in one place.

Quoted beside our results for comparison; never used as a result.  Source:
Ferreira da Silva & Wehner, "Entanglement improves coordination in distributed systems", QuNet '25.

>>> STATED["classical"], STATED["C_t"]
(0.7616, 0.33)
"""

from __future__ import annotations

__all__ = ["CLASSICAL", "C_T", "DIGITS", "LINEAR", "LINEAR_PARAMS", "QUADRATIC", "STATED"]

#: Sec. 4.3: the C_t at which the classical value is smallest.
C_T = 0.33
#: Eq. 5: classical value by simulated annealing at C_t, N = 1000.
CLASSICAL = 0.7616
#: Eq. 6: linear angle ansatz value and its coefficients (d0, d1, d2).
LINEAR = 0.8140
LINEAR_PARAMS = (3.709, -2.760, -2.759)
#: Sec. 4.4: quadratic angle ansatz value.
QUADRATIC = 0.8147
#: The paper quotes four decimals.
DIGITS = 1e-4

#: JSON-ready copy for CLI output.
STATED = {
    "C_t": C_T,
    "classical": CLASSICAL,
    "ansatz_linear": LINEAR,
    "ansatz_linear_params": list(LINEAR_PARAMS),
    "ansatz_quadratic": QUADRATIC,
}
