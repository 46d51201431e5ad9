"""Observations built for a dashboard are the objects the dataclass would build."""

from __future__ import annotations

from service.domain.figures import FigureKey, Point
from service.graphql.types.indicators import Indicator
from service.graphql.types.observations import Observation, ObservedSeries, _observation


def test_an_observation_built_without_init_is_the_same_object() -> None:
    indicator = Indicator.__new__(Indicator)
    series = ObservedSeries.of(FigureKey("onestop.consultations", 2026, "total"), indicator, "13")
    point = Point(4, 100, 100, None, None, None, "13", 0.5, 1)
    built, expected = _observation(point, series), Observation(point=point, series=series)
    assert type(built) is Observation and vars(built) == vars(expected)
    assert built.id() == expected.id() and built.node_key() == "onestop.consultations:13:total:2026:4"
