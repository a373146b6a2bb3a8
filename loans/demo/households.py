"""What the demo loan book needs to know about the registered villages and households,
as plain values (``loans.seeding`` reads them from the registry in a few queries)."""

from dataclasses import dataclass, field

from households.models import PovertyStatus

LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
ESCAPED = (PovertyStatus.ESCAPED_POOR, PovertyStatus.ESCAPED_NEAR_POOR)


@dataclass(frozen=True)
class DemoVillage:
    pk: int
    name: str
    is_ethnic_minority: bool


@dataclass(frozen=True)
class DemoHousehold:
    pk: int
    village: int  # DemoVillage.pk
    in_minority_village: bool
    head_is_minority: bool
    head_name: str
    phone: str
    statuses: dict[int, str] = field(default_factory=dict)  # review year -> status
    # review year -> the deprivations the plan reads; every review year has an entry
    deprived: dict[int, frozenset[str]] = field(default_factory=dict)
    members: int = 0
    students: int = 0
    college_students: int = 0  # students aged 18 or more
    crops: tuple[str, ...] = ()
    farms: bool = False

    def status_in(self, year: int) -> str | None:
        """The latest review status of ``year`` or before."""
        years = [y for y in self.statuses if y <= year]
        return self.statuses[max(years)] if years else None

    def lacks(self, year: int, *codes: str) -> bool:
        """Whether the latest review up to ``year`` found any of these deprivations."""
        years = [y for y in self.deprived if y <= year]
        return bool(years) and bool(self.deprived[max(years)] & set(codes))

    @property
    def ever_listed(self) -> bool:
        return any(s in LISTED for s in self.statuses.values())
