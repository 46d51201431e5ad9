"""Observations built from their parts are the objects the dataclass would build; their ids."""

from __future__ import annotations

from service.domain import reference
from service.domain.figures import FigureKey, Point
from service.graphql.reads import Built
from service.graphql.types.indicators import Indicator
from service.graphql.types.node import encode_global_id
from service.graphql.types.observations import Observation, ObservedSeries


def test_an_observation_built_from_its_parts_is_the_same_object() -> None:
    indicator = Indicator.__new__(Indicator)
    series = ObservedSeries.of(FigureKey("onestop.consultations", 2026, "total"), indicator, "13")
    point = Point(4, 100, 100, None, None, None, "13", 0.5, 1)
    built, expected = Built(Observation, [(point, series)])[0], Observation(point=point, series=series)
    assert type(built) is Observation and vars(built) == vars(expected)
    assert built.id() == expected.id() and built.node_key() == "onestop.consultations:13:total:2026:4"


def test_every_observation_id_is_the_global_id_of_its_key() -> None:
    indicator = Indicator.__new__(Indicator)
    stems = {0: 0, 1: 0, 2: 0}  # stems of each length modulo 3 (where the id is cut in two)
    for spec in reference.indicator_catalogue():
        for breakdown in spec.breakdowns:
            for prefecture in ("01", "13", "47"):
                key = FigureKey(spec.code, 2026, breakdown)
                series = ObservedSeries.of(key, indicator, prefecture)
                stems[len(f"Observation:{spec.code}:{prefecture}:{breakdown}:2026:") % 3] += 1
                for month in range(1, 13):
                    point = Point(month, 1, 1, None, None, None, prefecture, None, 1)
                    observation = Built(Observation, [(point, series)])[0]
                    assert observation.id() == encode_global_id("Observation", observation.node_key())
    assert all(stems.values()), stems
