"""Claims, certificate checkers, the ``qcoord`` CLI and its report.

Only checkers in this package create :class:`Bound` objects.
"""

from proofs.bound import Bound, Bracket, Target
from proofs.check import check_certificate, load_certificate
from proofs.claims import CLAIMS, Claim, ClaimResult, run_claim
from proofs.classical_bracket import classical_bracket
from proofs.errors import CertificateError, CertificateFormatError, ProofsParameterError
from proofs.quantum_bracket import quantum_bracket

__all__ = [
    "Bound",
    "Bracket",
    "CLAIMS",
    "CertificateError",
    "CertificateFormatError",
    "Claim",
    "ClaimResult",
    "ProofsParameterError",
    "Target",
    "check_certificate",
    "classical_bracket",
    "load_certificate",
    "quantum_bracket",
    "run_claim",
]
