"""The demo courses, in Vietnamese as the commune and its partners write them.

The 2025 courses in sustainable coffee, pepper and durian growing (``AGRI_2025``) share
the commune's reported figure of about 550 participants; each is held as classes in the
villages that grow the crop, a class being one to three sessions (theory in the village
hall, practice in a model garden). The other courses: a 2025 sewing class (vocational,
with the trainees' support by Decision 46/2015/QĐ-TTg), 2025 information sessions on
health insurance and the 2024 Land Law, and this year's courses with upcoming sessions
(digital skills with the village teams, coffee, durian, motorbike repair, health
insurance). Organisers and trainers are made up; the programmes and rules they cite are
real.
"""

from dataclasses import dataclass
from datetime import date

from loans.models import Purpose

from ..models import CourseKind, OrganiserKind, TargetGroup, Topic

EXTENSION_CENTRE = "Trung tâm Khuyến nông tỉnh Đắk Lắk"
FARMERS_UNION = "Hội Nông dân xã Ea Ktur"
COMMUNE = "UBND xã Ea Ktur"
COFFEE_COMPANY = "Công ty Cổ phần Cà phê Tây Nguyên Xanh"
VOCATIONAL_CENTRE = "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên khu vực"
SOCIAL_INSURANCE = "Bảo hiểm xã hội tỉnh Đắk Lắk"
COMMUNE_HALL = "Hội trường UBND xã Ea Ktur"
COMMUNE_HALL_VILLAGE = "T01"  # the commune office stands in Thôn 1

# What a field-practice session's place is called, by crop.
CROP_WORDS = {"coffee": "cà phê", "pepper": "hồ tiêu", "durian": "sầu riêng"}


@dataclass(frozen=True)
class CourseSpec:
    key: str
    title: str
    topic: str
    kind: str
    organiser_kind: str
    organiser_name: str
    description: str
    trainers: tuple[str, ...]
    target_groups: tuple[str, ...] = ()
    loan_purpose: str = ""
    for_minority_villages: bool = False  # its target villages are the buôn


@dataclass(frozen=True)
class AgriSpec:
    """How a 2025 crop course was held: its share of the participants, the crop its
    trainees grow, the months its classes started in, and each class's sessions (what
    each is, "hall" or "garden", and its hours)."""

    course: CourseSpec
    share: float
    crop: str
    first_day: date
    last_day: date
    sessions: tuple[tuple[str, tuple[int, int], tuple[int, int]], ...]
    prefer_listed: bool = False  # poor and near-poor households first


MORNING = ((7, 30), (11, 0))
AFTERNOON = ((13, 30), (16, 30))
T = TargetGroup

COFFEE_REPLANTING = CourseSpec(
    key="coffee-replanting-2025",
    title="Tái canh và chăm sóc cà phê bền vững",
    topic=Topic.COFFEE,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.EXTENSION_CENTRE,
    organiser_name=EXTENSION_CENTRE,
    description=(
        "Tập huấn kỹ thuật tái canh cà phê vối: chọn giống ghép năng suất cao (TR4, "
        "TR9, TRS1), xử lý đất và luân canh trước khi trồng lại, bón phân cân đối theo "
        "kết quả phân tích đất, tưới nước tiết kiệm, trồng cây che bóng và cây xen.\n\n"
        "Mỗi lớp gồm một buổi lý thuyết tại nhà văn hóa thôn, buôn và một buổi thực "
        "hành tại vườn mô hình. Học viên được phát tài liệu, không phải đóng học phí."
    ),
    trainers=("KS. Trần Văn Lợi", "KS. Nguyễn Thị Thu Hằng"),
    loan_purpose=Purpose.COFFEE,
)
COFFEE_4C = CourseSpec(
    key="coffee-4c-2025",
    title="Sản xuất cà phê bền vững theo Bộ quy tắc 4C",
    topic=Topic.COFFEE,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.COMPANY,
    organiser_name=COFFEE_COMPANY,
    description=(
        "Công ty phối hợp với UBND xã hướng dẫn nông hộ sản xuất cà phê theo Bộ quy "
        "tắc 4C: ghi nhật ký sản xuất, dùng phân bón và thuốc bảo vệ thực vật an toàn, "
        "bảo hộ lao động, thu hái quả chín, phơi sấy và bảo quản cà phê nhân đúng cách.\n\n"
        "Lớp gồm ba buổi. Hộ học đủ ba buổi được công ty hỗ trợ đánh giá chứng nhận và "
        "ký hợp đồng thu mua cà phê đạt chuẩn với giá cộng thêm."
    ),
    trainers=("Lê Quang Vinh – cán bộ kỹ thuật của công ty", "KS. Phan Thị Ngọc Ánh"),
    loan_purpose=Purpose.COFFEE,
)
COFFEE_HAMLETS = CourseSpec(
    key="coffee-hamlets-2025",
    title="Chăm sóc cà phê cho hộ nghèo, cận nghèo đồng bào dân tộc thiểu số",
    topic=Topic.COFFEE,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.COMMUNE,
    organiser_name=f"{COMMUNE} phối hợp {EXTENSION_CENTRE}",
    description=(
        "Thuộc Chương trình mục tiêu quốc gia phát triển kinh tế – xã hội vùng đồng bào "
        "dân tộc thiểu số và miền núi. Hướng dẫn cắt cành, tạo tán, bón phân, làm bồn "
        "giữ ẩm và phòng trừ rệp sáp, mọt đục quả cho vườn cà phê của hộ.\n\n"
        "Giảng bằng tiếng Việt, có người phiên dịch tiếng Ê Đê. Ưu tiên hộ nghèo, hộ cận "
        "nghèo ở các buôn; học viên được hỗ trợ tiền ăn và tài liệu."
    ),
    trainers=("KS. Y Khuê Êban", "KS. Trần Văn Lợi"),
    target_groups=(T.POOR, T.NEAR_POOR, T.ETHNIC_MINORITY),
    loan_purpose=Purpose.COFFEE,
    for_minority_villages=True,
)
PEPPER = CourseSpec(
    key="pepper-2025",
    title="Trồng hồ tiêu bền vững, phòng trừ bệnh chết nhanh, chết chậm",
    topic=Topic.PEPPER,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.MASS_ORGANISATION,
    organiser_name=FARMERS_UNION,
    description=(
        "Hội Nông dân xã phối hợp Trạm Trồng trọt và Bảo vệ thực vật tập huấn: trồng "
        "tiêu trên trụ sống, thoát nước cho vườn trong mùa mưa, bón phân hữu cơ vi sinh, "
        "dùng nấm Trichoderma phòng bệnh chết nhanh, chết chậm, giảm thuốc bảo vệ thực "
        "vật để hạt tiêu đạt yêu cầu xuất khẩu."
    ),
    trainers=("KS. Hoàng Văn Tùng", "Vũ Thị Hạnh – Hội Nông dân xã"),
    loan_purpose=Purpose.PEPPER,
)
DURIAN = CourseSpec(
    key="durian-2025",
    title="Kỹ thuật trồng, chăm sóc sầu riêng và xử lý ra hoa",
    topic=Topic.DURIAN,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.EXTENSION_CENTRE,
    organiser_name=EXTENSION_CENTRE,
    description=(
        "Chọn giống sầu riêng (Ri6, Dona), thiết kế vườn, tưới và bón phân theo từng "
        "giai đoạn, xử lý ra hoa, tỉa hoa, tỉa quả, phòng bệnh xì mủ, thối rễ; thu hoạch "
        "đúng độ chín, ghi chép để vườn được cấp mã số vùng trồng phục vụ xuất khẩu."
    ),
    trainers=("ThS. Đặng Minh Khoa", "KS. Nguyễn Thị Thu Hằng"),
    loan_purpose=Purpose.DURIAN,
)
DURIAN_INTERCROP = CourseSpec(
    key="durian-intercrop-2025",
    title="Trồng xen sầu riêng trong vườn cà phê: tham quan mô hình",
    topic=Topic.DURIAN,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.MASS_ORGANISATION,
    organiser_name=FARMERS_UNION,
    description=(
        "Tham quan vườn cà phê trồng xen sầu riêng cho thu hoạch ổn định: mật độ, khoảng "
        "cách, nước tưới và phân bón cho hai loại cây, chi phí đầu tư và vốn vay. Nông dân "
        "giỏi chia sẻ kinh nghiệm, khuyến cáo không chặt bỏ cà phê chạy theo phong trào."
    ),
    trainers=("Nông dân sản xuất giỏi Lê Văn Thịnh", "Vũ Thị Hạnh – Hội Nông dân xã"),
    loan_purpose=Purpose.DURIAN,
)

_THEORY, _PRACTICE = ("hall", MORNING[0], MORNING[1]), ("garden", *MORNING)
AGRI_2025 = (
    AgriSpec(COFFEE_REPLANTING, 0.30, "coffee", date(2025, 3, 3), date(2025, 7, 18),
             (_THEORY, ("garden", (7, 30), (10, 30)))),
    AgriSpec(COFFEE_4C, 0.18, "coffee", date(2025, 6, 2), date(2025, 9, 26),
             (("hall", *AFTERNOON), ("hall", *AFTERNOON), ("garden", *MORNING))),
    AgriSpec(COFFEE_HAMLETS, 0.14, "coffee", date(2025, 4, 7), date(2025, 8, 22),
             (_THEORY, _PRACTICE), prefer_listed=True),
    AgriSpec(PEPPER, 0.17, "pepper", date(2025, 6, 9), date(2025, 9, 19),
             (("hall", *AFTERNOON), ("garden", *MORNING))),
    AgriSpec(DURIAN, 0.14, "durian", date(2025, 9, 8), date(2025, 12, 12),
             (_THEORY, _PRACTICE)),
    AgriSpec(DURIAN_INTERCROP, 0.07, "durian", date(2025, 2, 10), date(2025, 4, 25),
             (("garden", (7, 0), (11, 30)),)),
)  # fmt: skip

SEWING = CourseSpec(
    key="sewing-2025",
    title="Dạy nghề may công nghiệp cho lao động nữ nông thôn (khóa 2025)",
    topic=Topic.VOCATIONAL_TRADE,
    kind=CourseKind.VOCATIONAL,
    organiser_kind=OrganiserKind.OTHER,
    organiser_name=VOCATIONAL_CENTRE,
    description=(
        "Lớp sơ cấp nghề may công nghiệp, học các buổi chiều tại hội trường UBND xã. "
        "Học viên được hỗ trợ chi phí đào tạo theo Quyết định 46/2015/QĐ-TTg: 4.000.000 "
        "đồng với người dân tộc thiểu số thuộc hộ nghèo; 3.000.000 đồng với người dân "
        "tộc thiểu số hoặc người thuộc hộ nghèo; 2.500.000 đồng với người thuộc hộ cận "
        "nghèo; 2.000.000 đồng với lao động nông thôn khác.\n\n"
        "Học xong được cấp chứng chỉ sơ cấp và giới thiệu việc làm tại các xưởng may."
    ),
    trainers=("Cô Đỗ Thị Thanh Hương",),
    target_groups=(T.WOMEN, T.POOR, T.NEAR_POOR, T.ETHNIC_MINORITY),
    loan_purpose=Purpose.JOB,
)
HEALTH_INSURANCE_2025 = CourseSpec(
    key="health-insurance-2025",
    title="Phổ biến chính sách bảo hiểm y tế, bảo hiểm xã hội tự nguyện",
    topic=Topic.HEALTH_INSURANCE,
    kind=CourseKind.INFORMATION,
    organiser_kind=OrganiserKind.OTHER,
    organiser_name=SOCIAL_INSURANCE,
    description=(
        "Quyền lợi khi khám chữa bệnh bằng thẻ bảo hiểm y tế; Nhà nước đóng hoặc hỗ trợ "
        "đóng cho người thuộc hộ nghèo, hộ cận nghèo, người dân tộc thiểu số; cách gia "
        "hạn thẻ và xem thẻ trên VNeID, VssID. Giới thiệu bảo hiểm xã hội tự nguyện cho "
        "người lao động tự do."
    ),
    trainers=("Bùi Thị Kim Oanh – Bảo hiểm xã hội tỉnh",),
    target_groups=(T.POOR, T.NEAR_POOR),
)
LAND_LAW = CourseSpec(
    key="land-law-2025",
    title="Phổ biến Luật Đất đai năm 2024 và thủ tục cấp giấy chứng nhận",
    topic=Topic.LAND_POLICY,
    kind=CourseKind.INFORMATION,
    organiser_kind=OrganiserKind.COMMUNE,
    organiser_name=COMMUNE,
    description=(
        "Báo cáo viên pháp luật giới thiệu những điểm mới của Luật Đất đai năm 2024: cấp "
        "giấy chứng nhận cho đất không có giấy tờ, tách thửa, chuyển mục đích sử dụng "
        "đất, chính sách đất đai với đồng bào dân tộc thiểu số; hướng dẫn nộp hồ sơ tại "
        "bộ phận một cửa và trên Cổng dịch vụ công quốc gia."
    ),
    trainers=("Ngô Đức Thành – công chức địa chính xã",),
    target_groups=(T.ETHNIC_MINORITY,),
)
# The courses of this year (the year of ``today``), with upcoming sessions.
DIGITAL = CourseSpec(
    key="digital",
    title="Kỹ năng số cho người dân: VNeID, dịch vụ công trực tuyến, thanh toán "
    "không dùng tiền mặt",
    topic=Topic.DIGITAL_SKILLS,
    kind=CourseKind.INFORMATION,
    organiser_kind=OrganiserKind.COMMUNE,
    organiser_name=f"{COMMUNE} và các tổ công nghệ số cộng đồng",
    description=(
        "Tổ công nghệ số cộng đồng của thôn, buôn hướng dẫn bà con: kích hoạt tài khoản "
        "định danh điện tử mức 2 trên VNeID, tích hợp thẻ bảo hiểm y tế, nộp hồ sơ trên "
        "Cổng dịch vụ công quốc gia, thanh toán bằng mã QR, nhận biết lừa đảo qua mạng.\n\n"
        "Mang theo điện thoại thông minh và căn cước. Người chưa có điện thoại thông "
        "minh cũng có thể đến để được hướng dẫn giúp người thân."
    ),
    trainers=(),  # the village's team
)
COFFEE_FERTILISER = CourseSpec(
    key="coffee-fertiliser",
    title="Bón phân cân đối và tưới nước tiết kiệm cho cà phê",
    topic=Topic.COFFEE,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.EXTENSION_CENTRE,
    organiser_name=EXTENSION_CENTRE,
    description=(
        "Bón phân theo nhu cầu của cây và kết quả phân tích đất, kết hợp phân hữu cơ, "
        "giảm phân hóa học; tưới nhỏ giọt và tưới gốc tiết kiệm nước trong mùa khô; "
        "che phủ đất giữ ẩm. Học viên được phát tài liệu, không phải đóng học phí."
    ),
    trainers=("KS. Nguyễn Thị Thu Hằng",),
    loan_purpose=Purpose.COFFEE,
)
DURIAN_IPM = CourseSpec(
    key="durian-ipm",
    title="Quản lý dịch hại tổng hợp (IPM) trên cây sầu riêng",
    topic=Topic.DURIAN,
    kind=CourseKind.EXTENSION,
    organiser_kind=OrganiserKind.MASS_ORGANISATION,
    organiser_name=FARMERS_UNION,
    description=(
        "Nhận biết và phòng trừ bệnh xì mủ, thối trái, rầy phấn, sâu đục trái theo hướng "
        "quản lý dịch hại tổng hợp; dùng thuốc bảo vệ thực vật đúng cách, đúng thời gian "
        "cách ly để sầu riêng không bị trả về vì dư lượng khi xuất khẩu."
    ),
    trainers=("ThS. Đặng Minh Khoa",),
    loan_purpose=Purpose.DURIAN,
)
MOTORBIKE = CourseSpec(
    key="motorbike",
    title="Dạy nghề sửa chữa xe máy cho thanh niên dân tộc thiểu số",
    topic=Topic.VOCATIONAL_TRADE,
    kind=CourseKind.VOCATIONAL,
    organiser_kind=OrganiserKind.OTHER,
    organiser_name=VOCATIONAL_CENTRE,
    description=(
        "Lớp sơ cấp nghề sửa chữa xe máy (3 tháng), học tại xưởng thực hành. Học viên "
        "được hỗ trợ chi phí đào tạo theo Quyết định 46/2015/QĐ-TTg: 4.000.000 đồng với "
        "người dân tộc thiểu số thuộc hộ nghèo; 3.000.000 đồng với người dân tộc thiểu "
        "số hoặc người thuộc hộ nghèo; 2.500.000 đồng với người thuộc hộ cận nghèo; "
        "2.000.000 đồng với lao động nông thôn khác. Được vay vốn tạo việc làm để mở "
        "tiệm sau khi học xong."
    ),
    trainers=("Thầy Lương Văn Hậu",),
    target_groups=(T.YOUTH, T.ETHNIC_MINORITY, T.POOR),
    loan_purpose=Purpose.JOB,
    for_minority_villages=True,
)
HEALTH_INSURANCE = CourseSpec(
    key="health-insurance",
    title="Bảo hiểm y tế hộ gia đình: quyền lợi, gia hạn thẻ và khám chữa bệnh",
    topic=Topic.HEALTH_INSURANCE,
    kind=CourseKind.INFORMATION,
    organiser_kind=OrganiserKind.OTHER,
    organiser_name=SOCIAL_INSURANCE,
    description=(
        "Mức đóng bảo hiểm y tế hộ gia đình và mức giảm từ người thứ hai, quyền lợi khi "
        "khám chữa bệnh đúng tuyến và thông tuyến, gia hạn thẻ trước khi hết hạn, xem "
        "thẻ trên VNeID. Người thuộc hộ nghèo, hộ cận nghèo kiểm tra tên mình trong "
        "danh sách được Nhà nước đóng, hỗ trợ đóng."
    ),
    trainers=("Bùi Thị Kim Oanh – Bảo hiểm xã hội tỉnh",),
    target_groups=(T.POOR, T.NEAR_POOR),
)

# When and where the other courses were held.
SEWING_OPENED = date(2025, 7, 7)  # the course was set up
SEWING_FIRST_DAY = date(2025, 8, 5)  # a Tuesday
SEWING_SESSIONS = 10
# (course, villages of its sessions, the first day, people at the commune's own size)
INFORMATION_2025 = (
    (HEALTH_INSURANCE_2025, ("B01", "T04", "B05", "T12", "T23"), date(2025, 3, 18), 32),
    (LAND_LAW, ("T10", "B04", "T20", "B08"), date(2025, 5, 13), 28),
)
DIGITAL_HELD_IN = ("T02", "B06", "T15")
WORKSHOP = "Xưởng thực hành, Trung tâm học tập cộng đồng {village}"
