"""Names and numbers for demo people: family and given names by ethnic group, mobile
phone numbers and national ID numbers, drawn from a seeded ``random.Random``."""

from random import Random

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
