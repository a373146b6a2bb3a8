"""What the outreach demo needs to know about the registered villages and households,
as plain values (``outreach.seeding`` reads them from the registry in two queries)."""

from dataclasses import dataclass

from households.models import PovertyStatus

LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
ESCAPED = (PovertyStatus.ESCAPED_POOR, PovertyStatus.ESCAPED_NEAR_POOR)

# Who logs a planned row: the demo commune official, or the demo village officer in
# their own village. ``outreach.seeding`` maps these to the demo logins.
OFFICIAL, OFFICER = "official", "officer"


@dataclass(frozen=True)
class DemoVillage:
    pk: int
    code: str
    name: str
    is_ethnic_minority: bool
    households: int  # active households

    @property
    def kind_word(self) -> str:
        """ "thôn" or "buôn", as a sentence names the village's kind."""
        return "buôn" if self.is_ethnic_minority else "thôn"

    @property
    def name_in_sentence(self) -> str:
        """ "Buôn Tiêu" -> "buôn Tiêu", "Thôn 5" -> "thôn 5" (mid-sentence)."""
        first, _, rest = self.name.partition(" ")
        if first.lower() in ("thôn", "buôn") and rest:
            return f"{first.lower()} {rest}"
        return self.name


@dataclass(frozen=True)
class DemoHousehold:
    pk: int
    village: int  # DemoVillage.pk
    status: str  # the current poverty status ("" when never reviewed)
    phone_ok: bool  # has a phone and agreed to be called
    minority: bool  # the head is not Kinh

    @property
    def listed(self) -> bool:
        return self.status in LISTED
