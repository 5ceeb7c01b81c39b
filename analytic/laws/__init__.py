"""Service-time laws: the named catalogue, the closed forms of its partial moments, and the numeric law object.

Where this lives, and why.  The rest of :mod:`analytic` is sympy derivations
and the closed forms they produce; the laws are numeric (numpy/scipy, no
sympy), but they are the *closed forms* those formulas are evaluated with:
``P(X > t)``, ``E[X; X > t]`` and ``E[X^2; X > t]`` of each catalogue law
(incomplete gamma, ``Phi``, powers), which :mod:`analytic.rules` and
:mod:`analytic.waiting` integrate against.  They are also the bottom of the
import graph: :mod:`analytic` (rules, waiting, optimal, throughput),
:mod:`games` (:mod:`games.laws`, the system simulator), :mod:`bounds` and
:mod:`proofs` (not the checker core, which has its own exact enclosures in
:mod:`proofs.exact.laws`) all use them, and :mod:`games` already imports
:mod:`analytic`.  Moving them to :mod:`games` would make :mod:`analytic` import
:mod:`games`; so they stay here, as a sub-package split by concept:

* :mod:`analytic.laws.catalogue`: :class:`~analytic.laws.catalogue.LawSpec`
  (a named law of mean 1), :func:`~analytic.laws.catalogue.parse_law`,
  ``LAW_CATALOGUE`` and ``LAW_NAMES``;
* :mod:`analytic.laws.closed_forms`: the vectorised partial moments and
  quantiles of each catalogue law;
* :mod:`analytic.laws.service`: :class:`~analytic.laws.service.ServiceLaw`, the
  law object the waiting-time formulas and the solvers take (exponential,
  catalogue or any frozen scipy law).

Import from the module that defines a name; this package re-exports nothing.
"""
