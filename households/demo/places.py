"""The demo commune and its villages: who lives where, how many households, how poor.

Figures follow ``shared/domain/ea_ktur.md``: 46 villages, 14 of them ethnic-minority hamlets
(buôn), about 8,500 households, about 38% ethnic minority, Buôn Tiêu with 628 households of
which 59 poor and 73 near-poor in the 2025 review.
"""

from dataclasses import dataclass

COMMUNE = {"code": "EAKTUR", "name": "Xã Ea Ktur", "province": "Đắk Lắk"}  # rural
DEFAULT_HOUSEHOLDS = 8500
REVIEW_YEARS = (2024, 2025)


@dataclass(frozen=True)
class Profile:
    """Who lives in a kind of village: ethnic mix, household sizes, poverty and devices."""

    ethnic: dict[str, int]  # ethnic group code -> weight
    sizes: dict[int, int]  # persons per household -> weight
    rates: dict[int, tuple[float, float]]  # review year -> (poor, near-poor) share
    average_share: float  # above the line: share at "average living standard"
    smartphone: float
    crops: dict[str, int]
    area_median_ha: float


_THON_SIZES = {2: 10, 3: 25, 4: 35, 5: 20, 6: 10}
_BUON_SIZES = {2: 5, 3: 10, 4: 22, 5: 33, 6: 30}
_THON_CROPS = {"coffee": 60, "durian": 22, "pepper": 20, "fruit": 10, "livestock": 10,
               "maize": 6, "rice": 5, "cassava": 3, "other": 3}  # fmt: skip
_BUON_CROPS = {"coffee": 50, "rice": 25, "cassava": 18, "maize": 15, "livestock": 12,
               "pepper": 10, "durian": 6, "fruit": 4, "other": 2}  # fmt: skip
PROFILES = {
    "kinh": Profile(
        {"01": 970, "02": 8, "07": 6, "12": 8, "03": 4, "09": 4},
        _THON_SIZES, {2024: (0.031, 0.041), 2025: (0.024, 0.033)}, 0.14, 0.78, _THON_CROPS, 1.1,
    ),
    # Thôn settled by families from the northern mountains: Tày, Nùng, Thái, Dao.
    "mixed": Profile(
        {"01": 63, "02": 13, "07": 12, "03": 5, "09": 5, "12": 2},
        _THON_SIZES, {2024: (0.045, 0.055), 2025: (0.036, 0.046)}, 0.22, 0.70, _THON_CROPS, 1.0,
    ),
    "ede": Profile(
        {"12": 93, "20": 4, "01": 2, "02": 1},
        _BUON_SIZES, {2024: (0.123, 0.135), 2025: (0.100, 0.115)}, 0.40, 0.55, _BUON_CROPS, 0.8,
    ),
    "mnong": Profile(
        {"20": 74, "12": 22, "01": 4},
        _BUON_SIZES, {2024: (0.130, 0.140), 2025: (0.105, 0.120)}, 0.42, 0.50, _BUON_CROPS, 0.8,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class VillageSpec:
    code: str
    name: str
    kind: str  # households.models.VillageKind value
    households: int  # at the default size
    profile: str
    rates: dict[int, tuple[float, float]] | None = None  # else the profile's

    @property
    def is_ethnic_minority(self) -> bool:
        return self.kind == "buon"


_MIXED = {
    "Thôn 10",
    "Thôn 13",
    "Thôn 17",
    "Thôn Tân Lập",
    "Thôn Tân Phong",
    "Thôn Đoàn Kết",
}
_THON = [(f"Thôn {i}", n) for i, n in enumerate(
    [212, 185, 214, 168, 196, 230, 154, 178, 205, 163, 187, 221, 149, 174, 198, 166, 143,
     209, 181, 157], start=1)] + [
    ("Thôn Kim Châu", 176), ("Thôn Ea Tiêu", 192), ("Thôn Tân Hòa", 158),
    ("Thôn Tân Lập", 147), ("Thôn Tân Phong", 169), ("Thôn Đoàn Kết", 188),
    ("Thôn Quyết Thắng", 152), ("Thôn Thanh Bình", 171), ("Thôn Cao Thành", 164),
    ("Thôn Kim Phát", 183), ("Thôn Hòa Bình", 139), ("Thôn Thắng Lợi", 171),
]  # fmt: skip
_BUON = [
    ("Buôn Tiêu", 628, "ede"), ("Buôn Ea Tiêu", 215, "ede"), ("Buôn Kla", 188, "ede"),
    ("Buôn Kmrơng Prong A", 172, "ede"), ("Buôn Kmrơng Prong B", 164, "ede"),
    ("Buôn Ko Ênin", 158, "ede"), ("Buôn Ea Kmar", 181, "ede"), ("Buôn Ea Knuôl", 149, "ede"),
    ("Buôn Cư Dluê", 176, "mnong"), ("Buôn Ea Bông", 163, "mnong"),
    ("Buôn Kô Êmông", 142, "ede"), ("Buôn Hra", 155, "ede"), ("Buôn Ea Ktur", 138, "ede"),
    ("Buôn Cư Êbur", 171, "ede"),
]  # fmt: skip
# Buôn Tiêu's 2025 review as the commune reported it: 59 poor and 73 near-poor of 628.
_BUON_TIEU_RATES = {2024: (72 / 628, 86 / 628), 2025: (59 / 628, 73 / 628)}
VILLAGES = [
    VillageSpec(f"T{i:02d}", name, "thon", n, "mixed" if name in _MIXED else "kinh")
    for i, (name, n) in enumerate(_THON, start=1)
] + [
    VillageSpec(f"B{i:02d}", name, "buon", n, profile,
                _BUON_TIEU_RATES if name == "Buôn Tiêu" else None)
    for i, (name, n, profile) in enumerate(_BUON, start=1)
]  # fmt: skip


def village_sizes(total: int) -> list[int]:
    """Households per village (in ``VILLAGES`` order) for ``total``: the default figures,
    scaled by largest remainder so they add up exactly."""
    default = sum(v.households for v in VILLAGES)
    shares = [v.households * total / default for v in VILLAGES]
    sizes = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (sizes[i] - shares[i], i))
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes
