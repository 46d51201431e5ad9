"""GraphQL types of places: Prefecture (都道府県), Region (地方区分 / 経済産業局) and RegionKind."""

from __future__ import annotations

import enum

import strawberry

from service import reference


@strawberry.enum(description="The two ways prefectures are grouped.")
class RegionKind(enum.Enum):
    AREA = strawberry.enum_value("area", description="The 8 areas (八地方区分).")
    BUREAU = strawberry.enum_value(
        "bureau",
        description="The METI regional bureaus (経済産業局 and 沖縄総合事務局) that administer the centers.",
    )


@strawberry.type(description="A prefecture (都道府県) and its よろず支援拠点.")
class Prefecture:
    code: str = strawberry.field(description="JIS X 0401 code, `01` (北海道) to `47` (沖縄県).")
    name: str = strawberry.field(description="Japanese name, e.g. 東京都.")
    short_name: str = strawberry.field(description="Name without 都/府/県, e.g. 東京.")
    name_en: str = strawberry.field(description="English name, e.g. Tokyo.")
    report_order: int = strawberry.field(
        description="Position in the results pages, which list prefectures by bureau."
    )
    area_code: strawberry.Private[str]
    bureau_code: strawberry.Private[str]

    @strawberry.field(description="The 8-area region (地方区分) the prefecture belongs to.")
    def area(self) -> Region:
        return Region.of(_region(self.area_code))

    @strawberry.field(description="The METI regional bureau (経済産業局) that administers its center.")
    def bureau(self) -> Region:
        return Region.of(_region(self.bureau_code))

    @classmethod
    def of(cls, pref: reference.Prefecture) -> Prefecture:
        """The GraphQL view of a reference prefecture."""
        return cls(
            code=pref.code,
            name=pref.name,
            short_name=pref.short_name,
            name_en=pref.name_en,
            report_order=pref.report_order,
            area_code=pref.area,
            bureau_code=pref.bureau,
        )


@strawberry.type(description="A group of prefectures: an area (地方) or a METI bureau (経済産業局).")
class Region:
    code: str = strawberry.field(description="Stable code, e.g. `kanto` or `meti_kanto`.")
    kind: RegionKind = strawberry.field(description="Area or bureau.")
    name: str = strawberry.field(description="Japanese name, e.g. 関東地方, 関東経済産業局.")
    name_en: str = strawberry.field(description="English name.")

    @strawberry.field(description="Member prefectures, in the order the results pages list them.")
    def prefectures(self) -> list[Prefecture]:
        return [Prefecture.of(p) for p in reference.region_prefectures(_region(self.code))]

    @classmethod
    def of(cls, region: reference.Region) -> Region:
        """The GraphQL view of a reference region."""
        return cls(code=region.code, kind=RegionKind(region.kind), name=region.name, name_en=region.name_en)


def _region(code: str) -> reference.Region:
    found = reference.find_region(code)
    if found is None:
        raise KeyError(code)
    return found
