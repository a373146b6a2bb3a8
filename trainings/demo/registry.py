"""What the trainings demo needs to know about the registry, as plain values
(``trainings.seeding`` reads them in three queries), and who writes a planned row."""

from dataclasses import dataclass, field
from datetime import date

# Who registers people and marks attendance: the demo commune official, or the demo
# village officer for sessions held in their own village. ``trainings.seeding`` maps
# these to the demo logins.
OFFICIAL, OFFICER = "official", "officer"

KINH = "01"
# The yearly review is recorded in mid-December (``households.seeding``): until then the
# previous year's list is the one in force.
REVIEW_RECORDED = (12, 15)


@dataclass(frozen=True)
class DemoVillage:
    pk: int
    code: str
    name: str
    is_ethnic_minority: bool
    households: int  # active households

    @property
    def name_in_sentence(self) -> str:
        """ "Buôn Tiêu" -> "buôn Tiêu", "Thôn 5" -> "thôn 5" (mid-sentence)."""
        first, _, rest = self.name.partition(" ")
        if first.lower() in ("thôn", "buôn") and rest:
            return f"{first.lower()} {rest}"
        return self.name

    @property
    def meeting_place(self) -> str:
        """Where a village holds its meetings."""
        if self.is_ethnic_minority:
            return f"Nhà sinh hoạt cộng đồng {self.name_in_sentence}"
        return f"Nhà văn hóa {self.name_in_sentence}"


@dataclass(frozen=True)
class DemoHousehold:
    pk: int
    village: int  # DemoVillage.pk
    crops: frozenset[str]  # households.models.Crop values
    statuses: dict[int, str] = field(default_factory=dict, hash=False)  # year -> status

    def status_on(self, day: date) -> str:
        """The poverty status on the list in force that day ("" when none was)."""
        in_force = day.year if (day.month, day.day) >= REVIEW_RECORDED else day.year - 1
        years = [y for y in self.statuses if y <= in_force]
        return self.statuses[max(years)] if years else ""


@dataclass(frozen=True)
class DemoPerson:
    """An active member of an active household."""

    pk: int
    household: int  # DemoHousehold.pk
    village: int  # DemoVillage.pk
    full_name: str
    sex: str
    birth_year: int
    relation: str
    ethnic: str  # ethnic group code

    def age_in(self, year: int) -> int:
        return year - self.birth_year

    @property
    def minority(self) -> bool:
        return self.ethnic != KINH
