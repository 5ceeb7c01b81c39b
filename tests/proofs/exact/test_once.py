"""proofs.exact.once: computed once per instance, then a plain attribute read."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from proofs.exact.once import once


@dataclass(frozen=True)
class _Frozen:
    n: int

    @once
    def square(self) -> int:
        calls.append(self.n)
        return self.n * self.n


calls: list[int] = []


def test_computed_once_per_instance_and_stored_in_the_instance_dict() -> None:
    calls.clear()
    a, b = _Frozen(3), _Frozen(4)
    assert (a.square, a.square, b.square) == (9, 9, 16)
    assert calls == [3, 4]  # once each
    assert a.__dict__["square"] == 9


def test_class_access_returns_the_descriptor_with_the_docstring() -> None:
    class C:
        @once
        def v(self) -> int:
            """The doc."""
            return 1

    assert isinstance(C.__dict__["v"], once)
    assert C.v.__doc__ == "The doc."
    assert C().v == 1


def test_exceptions_are_not_cached() -> None:
    class C:
        tries = 0

        @once
        def v(self) -> int:
            C.tries += 1
            raise ValueError("no")

    c = C()
    for _ in range(2):
        with pytest.raises(ValueError, match="no"):
            _ = c.v
    assert C.tries == 2 and "v" not in c.__dict__
