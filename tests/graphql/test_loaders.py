"""The operation's loaders hold nothing once its answer is complete."""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from service.graphql.loaders import Loaders


def test_forget_empties_every_loader() -> None:
    loaders = Loaders(session=None)  # type: ignore[arg-type]  # nothing is read here
    every: list[DataLoader[Any, Any]] = [v for v in vars(loaders).values() if isinstance(v, DataLoader)]
    assert len(every) >= 5
    for number, loader in enumerate(every):
        loader.prime(number, object())
        assert loader.cache_map.get(number) is not None
    loaders.forget()
    assert all(loader.cache_map.get(number) is None for number, loader in enumerate(every))
    assert all(loader.batch is None for loader in every)
