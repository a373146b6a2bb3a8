"""Demo data for Xã Ea Ktur: demo logins, villages, names, numbers and families.

Plain data and pure functions over a seeded ``random.Random``, no database access; the
``seed_demo`` command assembles households and their yearly reviews from these parts and
writes them. Figures follow ``shared/domain/ea_ktur.md``: 46 villages, 14 of them
ethnic-minority hamlets (buôn), about 8,500 households, about 38% ethnic minority, Buôn Tiêu
with 628 households of which 59 poor and 73 near-poor in the 2025 review.
"""

from dataclasses import dataclass
from random import Random

DEMO_PASSWORD = "eaktur-demo-2025"  # noqa: S105 (demo data only, printed on purpose)
DEMO_USERS = [
    # Vietnamese forms split a name into "họ và chữ đệm" (last_name) and "tên" (first_name);
    # an Ê Đê name ends with the clan, which is the family name.
    {"username": "quantri", "full_name": "Nguyễn Thị Thu Hà", "last_name": "Nguyễn Thị Thu", "first_name": "Hà",
     "role": "commune_admin", "is_staff": True, "villages": [],
     "label": "commune administrator"},
    {"username": "canbo", "full_name": "Trần Văn Minh", "last_name": "Trần Văn", "first_name": "Minh",
     "role": "commune_official", "is_staff": True, "villages": [],
     "label": "commune official"},
    {"username": "thonbuontieu", "full_name": "Y Bhin Niê", "last_name": "Niê", "first_name": "Y Bhin",
     "role": "village_officer", "is_staff": False, "villages": ["B01"],
     "label": "village officer (Buôn Tiêu)"},
]  # fmt: skip
DEMO_LOGINS = [(u["username"], DEMO_PASSWORD, u["label"]) for u in DEMO_USERS]

COMMUNE = {"code": "EAKTUR", "name": "Xã Ea Ktur", "province": "Đắk Lắk"}  # rural
DEFAULT_HOUSEHOLDS = 8500
REVIEW_YEARS = (2024, 2025)
AGE_YEAR = 2025  # ages, schooling and insurance are as of the 2025 review


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


# --- Names ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


def _weighted(text: str) -> dict[str, int]:
    """ "Nguyễn:38, Trần:11" -> {"Nguyễn": 38, "Trần": 11}; names may contain spaces."""
    pairs = (item.rsplit(":", 1) for item in text.split(","))
    return {name.strip(): int(weight) for name, weight in pairs}


_SURNAMES = {
    "01": _weighted(
        "Nguyễn:38, Trần:11, Lê:9, Phạm:7, Hoàng:5, Phan:4, Vũ:4, Võ:4, Huỳnh:3, Đặng:2,"
        "Bùi:2, Đỗ:2, Hồ:2, Ngô:2, Dương:1, Lý:1, Đinh:1, Trương:1, Mai:1, Đoàn:1, Lương:1,"
        "Hà:1, Cao:1, Tạ:1, Lưu:1, Tô:1"
    ),
    "02": _weighted(
        "Hoàng:5, Nông:5, Lương:3, Hà:3, Ma:2, Bế:2, Đàm:2, Lục:2, Vi:2, Lâm:2"
    ),
    "07": _weighted("Hoàng:5, Nông:4, Lý:3, Lục:2, Vi:2, Lăng:2, Chu:2, Mã:1, Sầm:1"),
    "03": _weighted("Lò:5, Lường:4, Cầm:3, Quàng:2, Vi:2, Hà:2, Tòng:2, Lù:1, Điêu:1"),
    "09": _weighted("Triệu:5, Bàn:4, Đặng:3, Lý:2, Chảo:2, Phùng:1"),
    "12": _weighted(
        "Niê:18, Êban:12, Mlô:10, Ksơr:8, Byă:8, Adrơng:6, Knul:6, Êya:5, Buôn Krông:5,"
        "Hđơk:4, Kbuôr:4, Niê Kdăm:3, Buôn Yă:3, Êñuôl:3, Ktla:3, Ayŭn:3, Kpă:2, Hwing:2"
    ),
    "20": _weighted("Bdap:14, Ndu:10, Nđơr:9, Liêng:6, Siu:4, Jang:4, Bing:3"),
}
_KINH_GIVEN = {
    "male": _words(
        "Hùng Dũng Tuấn Minh Hải Nam Sơn Long Thắng Cường Quang Phúc Tài Toàn Bình "
        "Hòa Trung Việt Khoa Đạt Huy Hiếu Thành Lâm Vinh Tâm Tùng Kiên Lợi Sáng Hưng Phong "
        "An Đông Bảo Khánh Duy Phát Tiến Thịnh Lộc Nhân Hậu Quý Trí"
    ),
    "female": _words(
        "Lan Hoa Hương Mai Hạnh Thảo Trang Linh Nga Hằng Thủy Phương Yến Nhung Tuyết "
        "Loan Liên Hà Huyền Ngọc Oanh Dung Hiền Vân Anh Nhi Vy Hồng Xuân Thu Nhàn Quyên Trinh "
        "Diệu Thơm Lý Tâm Ánh Giang"
    ),
}
_KINH_MIDDLE = {
    "male": _weighted("Văn:40, Đức:8, Hữu:8, Ngọc:5, Minh:6, Quang:5, Thanh:5, Xuân:4, "
                      "Công:4, Đình:4, Anh:3, Quốc:3, Trọng:2, Tuấn:2, Gia:2"),
    "female": _weighted("Thị:55, Ngọc:6, Thu:5, Thanh:5, Kim:4, Minh:3, Hồng:4, Mỹ:3, "
                        "Bảo:2, Phương:3, Khánh:2, Diệu:2, Hoài:2"),
}  # fmt: skip
_NORTH_GIVEN = {
    "male": _words(
        "Sáng Pánh Sinh Khiêm Tỉnh Chản Seo Phẩu Lả Sình Quyết Dìn Chiến Thào"
    ),
    "female": _words("Hoa Thắm Mai Sợi Phượng Chiên Mỉn Dịu Nhì Xuân Pằng Mùi Lìn Say"),
}
_HIGHLAND_GIVEN = {
    "12": {
        "male": _words(
            "Bhin Kông Blô Jut Ngông Dhiêng Suôn Khuê Wai Jôn Nuel Krim Tlang Bhiết "
            "Dlăng Kuăn Djuan Bliêng Hlơn Duel Nguôt Kuênh Juin Thuột Kđăm Yơn Siêng Thanh Hiếu "
            "Phi Sơn Dũng Nam"
        ),
        "female": _words(
            "Hen Zuê Nhung Ngơn Bia Hlon Juăn Bliên Yam Mlai Dơng Jen Ruyn Liên Ngăm "
            "Khuyên Tuyết Blim Duin Rin Huê Wen Mút Yuin Nhi Lan Mai Linh Thu"
        ),
    },
    "20": {
        "male": _words(
            "Kđoang Nhuôn Brông Ji Pơ Tlang Jơh Prông Mrang Đam Wer Rông Gun Bhông Jam Sô"
        ),
        "female": _words("Vin Jăn Blôi Plang Ngơn Drim Mai Bam Kim Rin Luy Nhàn Jai"),
    },
}
_MATRILINEAL = {"12", "20"}  # Ê Đê and M'nông children take their mother's clan


def pick(rng: Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def family_name(rng: Random, ethnic: str, *, other_than: str | None = None) -> str:
    names = _SURNAMES.get(ethnic, _SURNAMES["01"])
    for _ in range(5):  # clans marry out, so a spouse's clan differs from the head's
        name = pick(rng, names)
        if name != other_than:
            return name
    return name


def person_name(rng, ethnic, sex, family, birth_year, *, avoid=None) -> str:
    """ "Nguyễn Văn Hùng", "Hoàng Thị Hoa", "Y Bhin Niê", "H'Hen Niê"; the given name is
    not one in ``avoid`` (which it joins)."""
    if ethnic in _HIGHLAND_GIVEN:
        options = _HIGHLAND_GIVEN[ethnic][sex]
    elif ethnic != "01" and rng.random() < 0.5:
        options = _NORTH_GIVEN[sex]
    else:
        options = _KINH_GIVEN[sex]
    given = rng.choice(options)
    avoid = set() if avoid is None else avoid
    for _ in range(5):
        if given not in avoid:
            break
        given = rng.choice(options)
    avoid.add(given)
    if ethnic in _HIGHLAND_GIVEN:
        return f"Y {given} {family}" if sex == "male" else f"H'{given} {family}"
    middles = _KINH_MIDDLE[sex]
    # Younger people get "Văn" and "Thị" less often.
    if birth_year >= 1990 and rng.random() < 0.5:
        middles = {k: w for k, w in middles.items() if k not in ("Văn", "Thị")}
    return f"{family} {pick(rng, middles)} {given}"


# --- Numbers ----------------------------------------------------------------------------

_MOBILE_PREFIXES = _words(  # Viettel twice: the most common network in the highlands
    "032 033 034 035 036 037 038 039 086 096 097 098 032 033 034 035 036 037 038 039 "
    "081 082 083 084 085 088 091 094 070 076 077 078 079 089 090 093 052 056 058 059"
)


class UniqueNumbers:
    """Phone and national ID numbers, never handing out one already used."""

    def __init__(self, phones=(), national_ids=()) -> None:
        self.phones = set(phones)
        self.national_ids = set(national_ids)

    def phone(self, rng: Random) -> str:
        while True:
            number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def national_id(self, rng: Random, *, birth_year: int, sex: str) -> str:
        """066 (Đắk Lắk) + century/sex digit + two-digit birth year + 6-digit serial."""
        century = 0 if birth_year < 2000 else 2
        prefix = f"066{century + (sex == 'female')}{birth_year % 100:02d}"
        while True:
            number = prefix + f"{rng.randrange(10**6):06d}"
            if number not in self.national_ids:
                self.national_ids.add(number)
                return number


# --- Families -----------------------------------------------------------------------

MEMBER_KEYS = ("full_name", "sex", "birth_year", "relation", "ethnic", "national_id",
               "is_student", "has_disability", "has_health_insurance")  # fmt: skip


def household_people(rng: Random, profile: Profile) -> list[dict]:
    """The members of one household, head first: relation, sex, age, birth year, ethnic
    group code and full name."""
    ethnic = pick(rng, profile.ethnic)
    male_share = 0.55 if ethnic in _MATRILINEAL else 0.75
    head_sex = "male" if rng.random() < male_share else "female"
    head_age = int(rng.triangular(22, 86, 44))
    people = _family(rng, pick(rng, profile.sizes), head_sex, head_age)
    _name_people(rng, people, ethnic, profile)
    return people


def _family(rng: Random, size: int, head_sex: str, head_age: int) -> list[dict]:
    """Relation, sex and age of each member: head, spouse, parents, children, or three
    generations when the head is older."""
    other = "female" if head_sex == "male" else "male"
    people = [{"relation": "head", "sex": head_sex, "age": head_age}]
    mother_age = head_age
    if size > 1 and rng.random() < (0.6 if head_age >= 70 else 0.9):
        gap = rng.randint(-2, 6)
        age = max(18, head_age - gap if head_sex == "male" else head_age + gap)
        people.append({"relation": "spouse", "sex": other, "age": age})
        mother_age = age if head_sex == "male" else head_age
    if head_age < 45:
        for _ in range(2):
            if len(people) < size and rng.random() < 0.22:
                sex = "female" if rng.random() < 0.65 else "male"
                age = min(95, head_age + rng.randint(22, 34))
                people.append({"relation": "parent", "sex": sex, "age": age})
    if head_age >= 55 and size - len(people) >= 3 and rng.random() < 0.5:
        age = max(18, mother_age - rng.randint(22, 32))
        sex = rng.choice(("male", "female"))
        people.append(
            {"relation": "child", "sex": sex, "age": age, "has_children": True}
        )
        in_law_age = max(18, age + rng.randint(-3, 3))
        in_law_sex = "female" if sex == "male" else "male"
        people.append({"relation": "in_law", "sex": in_law_sex, "age": in_law_age})
        young = min(age, in_law_age)
        while len(people) < size:
            age = rng.randint(0, min(17, young - 18))
            sex = rng.choice(("male", "female"))
            people.append({"relation": "grandchild", "sex": sex, "age": age})
    while len(people) < size:
        age = mother_age - rng.randint(18, max(18, min(42, mother_age)))
        people.append(
            {"relation": "child", "sex": rng.choice(("male", "female")), "age": age}
        )
    return people


def _name_people(
    rng: Random, people: list[dict], ethnic: str, profile: Profile
) -> None:
    """Family names follow the father (Kinh, Tày, Nùng, Thái, Dao) or the mother's clan
    (Ê Đê, M'nông); a spouse's clan differs from the head's."""
    lineage_sex = "female" if ethnic in _MATRILINEAL else "male"
    head = people[0]
    head.update(ethnic=ethnic, family=family_name(rng, ethnic))
    line = head["family"] if head["sex"] == lineage_sex else None  # the children's
    parent_of_grandchildren = None
    for person in people[1:]:
        relation = person["relation"]
        person["ethnic"] = ethnic
        if relation == "spouse":
            if rng.random() > 0.94:
                person["ethnic"] = pick(rng, profile.ethnic)
            person["family"] = family_name(
                rng, person["ethnic"], other_than=head["family"]
            )
            if person["sex"] == lineage_sex:
                same = person["ethnic"] == ethnic
                line = person["family"] if same else head["family"]
        elif relation == "parent" and person["sex"] == lineage_sex:
            person["family"] = head["family"]
        elif relation == "child":
            if line is None:  # from the parent who no longer lives here
                line = family_name(rng, ethnic, other_than=head["family"])
            person["family"] = line
            if person.get("has_children"):
                parent_of_grandchildren = person
        elif relation == "grandchild" and parent_of_grandchildren is not None:
            person["family"] = parent_of_grandchildren["family"]
        else:  # the other parent, a child-in-law
            person["family"] = family_name(rng, ethnic, other_than=head["family"])
        if relation == "in_law" and parent_of_grandchildren["sex"] != lineage_sex:
            parent_of_grandchildren = person
    given_names: set[str] = set()  # no two members share a given name
    for person in people:
        person["birth_year"] = AGE_YEAR - person["age"]
        person["full_name"] = person_name(
            rng, person["ethnic"], person["sex"], person["family"], person["birth_year"],
            avoid=given_names,
        )  # fmt: skip


def member_flags(
    rng: Random, people: list[dict], deprivations: list[str], kind: str
) -> None:
    """Schooling and health insurance agree with the 2025 review's deprivations."""
    uninsured: set[int] = set()
    if "health_insurance" in deprivations:
        older = [i for i, p in enumerate(people) if p["age"] >= 6]
        uninsured = set(rng.sample(older, min(len(older), rng.choice((1, 1, 2)))))
    out_of_school = None
    if "child_school" in deprivations:
        out_of_school = rng.choice(
            [i for i, p in enumerate(people) if 6 <= p["age"] <= 15]
        )
    for i, person in enumerate(people):
        age = person["age"]
        if 6 <= age <= 15:
            student = i != out_of_school
        elif 16 <= age <= 22:
            student = rng.random() < (0.7 if age <= 18 else 0.3) * (
                1 if kind == "thon" else 0.6
            )
        else:
            student = False
        person.update(
            is_student=student,
            has_health_insurance=i not in uninsured,
            has_disability=rng.random() < (0.05 if age >= 60 else 0.012),
        )
