"""A lock-free :func:`functools.cached_property` for immutable objects.

Python 3.11's ``functools.cached_property`` takes a per-class lock on every
first access (removed in 3.12); objects made afresh per call (a game, its
validated matrix) pay it once per property.  :class:`once` computes the value
on first access and stores it in the instance ``__dict__`` under the same
name, so later accesses are plain attribute reads (a non-data descriptor is
shadowed by the instance dictionary).  Two threads racing on the first access
may both compute the value; for the pure functions of immutable objects it is
used for, both get equal values.

>>> class Box:
...     def __init__(self, n):
...         self.n = n
...     @once
...     def square(self):
...         return self.n * self.n
>>> b = Box(3)
>>> b.square, "square" in b.__dict__
(9, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["once"]

T = TypeVar("T")


class once(Generic[T]):
    """Decorator: a property computed once per instance and kept in its ``__dict__`` (module docstring)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | once[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value
