import os

import mpmath
import pytest
from hypothesis import settings

settings.register_profile("qcoord", max_examples=40, deadline=None)
settings.load_profile("qcoord")
os.environ.setdefault("QCOORD_PROGRESS", "0")


@pytest.fixture(autouse=True)
def _restore_precision():
    """Every test starts and ends with the same mpmath and arb precision: a test that sets its own leaves no trace.

    Reference values computed with mpmath at a module's chosen precision must not depend on which test ran
    before (the suite runs in random order).
    """
    from flint import ctx

    mp_prec, arb_prec = mpmath.mp.prec, ctx.prec
    yield
    mpmath.mp.prec, ctx.prec = mp_prec, arb_prec
