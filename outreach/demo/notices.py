"""The village groups notices go to, and a few notices.

Every village gets a console group (on ``make run`` a notice then shows in the console
outbox; the demo never calls Zalo, and has no real Zalo group ids). The ethnic-minority
hamlets and a few thôn whose Zalo group is a personal one get a relay group too: the
village officer forwards the notice and confirms.

The notices: two finished in the past (a loan transaction day, with an Ê Đê line for the
hamlets, and a coffee replanting training), one approved for tomorrow 07:30 (health
insurance card renewals), and one the demo village officer wrote for their village,
awaiting approval. Plain values; the times are computed from ``now``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from ..models import Audience, GroupChannel, NoticeStatus
from .registry import OFFICER, OFFICIAL, DemoVillage

# Thôn settled from the northern mountains whose Zalo group an elder runs from his phone.
RELAY_THON = ("Thôn 13", "Thôn Tân Lập", "Thôn Đoàn Kết")
# Thôn and buôn that grow most of the commune's coffee: the replanting training.
COFFEE_VILLAGES = ("T01", "T03", "T05", "T08", "T11", "T14", "T18", "T21", "T22",
                   "T28", "B02", "B07", "B09")  # fmt: skip
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
EDE = "Ê Đê"


@dataclass(frozen=True)
class GroupPlan:
    village: int
    channel: str
    name: str


@dataclass(frozen=True)
class NoticePlan:
    title: str
    body: str
    audience: str
    status: str
    scheduled_at: datetime
    created_at: datetime
    author: str  # OFFICIAL or OFFICER
    approved_at: datetime | None = None  # approved by the demo official
    dispatched_at: datetime | None = None
    villages: tuple[int, ...] = ()  # for chosen villages
    second_language: str = ""
    body_second: str = ""
    second_language_villages: tuple[int, ...] = ()


def plan_groups(villages: Sequence[DemoVillage]) -> list[GroupPlan]:
    groups = [
        GroupPlan(v.pk, GroupChannel.CONSOLE, f"Nhóm Zalo {v.name} (demo)")
        for v in villages
    ]
    groups += [
        GroupPlan(
            v.pk,
            GroupChannel.RELAY,
            f"Nhóm Zalo của {v.name_in_sentence} (chuyển tiếp)",
        )
        for v in villages
        if v.is_ethnic_minority or v.name in RELAY_THON
    ]
    return groups


def _on_weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _when(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} ngày {day:%d/%m/%Y}"


def plan_notices(
    villages: Sequence[DemoVillage],
    *,
    now: datetime,
    tz: tzinfo,
    officer_village: int | None = None,
) -> list[NoticePlan]:
    today = now.astimezone(tz).date()

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=tz)

    minority = tuple(v.pk for v in villages if v.is_ethnic_minority)
    coffee = tuple(v.pk for v in villages if v.code in COFFEE_VILLAGES) or tuple(
        v.pk for v in villages[:8]
    )
    notices = []

    sent = today - timedelta(days=38)
    bank_day = _on_weekday(sent + timedelta(days=4))
    notices.append(NoticePlan(
        title=f"Lịch giao dịch của Ngân hàng Chính sách xã hội ngày {bank_day:%d/%m/%Y}",
        body=(
            "Ngân hàng Chính sách xã hội tổ chức phiên giao dịch tại Điểm giao dịch xã "
            f"(hội trường UBND xã Ea Ktur) vào sáng {_when(bank_day)}, từ 7 giờ 30 "
            "đến 11 giờ.\n\n"
            "Các tổ tiết kiệm và vay vốn, các hộ vay vốn đến đúng giờ để trả lãi, trả "
            "nợ gốc đến hạn, gửi tiết kiệm và làm thủ tục vay mới. Khi đi nhớ mang theo "
            "căn cước và sổ vay vốn.\n\n"
            "Hộ cần hỗ trợ làm hồ sơ vay, liên hệ tổ trưởng tổ tiết kiệm và vay vốn "
            "hoặc tổ công nghệ số cộng đồng của thôn, buôn."
        ),
        audience=Audience.ALL_VILLAGES, status=NoticeStatus.DONE,
        scheduled_at=at(sent, 7), created_at=at(sent - timedelta(days=1), 14),
        author=OFFICIAL, approved_at=at(sent - timedelta(days=1), 14, 45),
        dispatched_at=at(sent, 7) + timedelta(seconds=20),
        second_language=EDE if minority else "",
        # PLACEHOLDER: a short line standing in for the Ê Đê text; to be replaced by a
        # speaker's translation before anyone reads it as Ê Đê.
        body_second=(
            f"Ayŏng adei hlăm buôn: hruê {bank_day:%d/%m/%Y}, mông 7:30, ti sang "
            "UBND xã Ea Ktur; djă ba căn cước leh anăn hră čan prăk."
        ) if minority else "",
        second_language_villages=minority,
    ))  # fmt: skip

    sent = today - timedelta(days=17)
    course = _on_weekday(sent + timedelta(days=6))
    notices.append(NoticePlan(
        title=f"Mời tập huấn kỹ thuật tái canh cà phê ngày {course:%d/%m/%Y}",
        body=(
            "UBND xã phối hợp với cán bộ khuyến nông tổ chức lớp tập huấn kỹ thuật tái "
            "canh cà phê: chọn giống, xử lý đất trước khi trồng lại, bón phân cân đối "
            "và tưới nước tiết kiệm.\n\n"
            f"Thời gian: 7 giờ 30 {_when(course)}. "
            "Địa điểm: hội trường UBND xã Ea Ktur.\n\n"
            "Mời các hộ có vườn cà phê già cỗi cần tái canh đến dự, ưu tiên hộ nghèo, "
            "hộ cận nghèo. Học viên được phát tài liệu, không phải đóng học phí. Đăng ký "
            f"với trưởng thôn, buôn trước ngày {course - timedelta(days=2):%d/%m}."
        ),
        audience=Audience.CHOSEN_VILLAGES, villages=coffee, status=NoticeStatus.DONE,
        scheduled_at=at(sent, 16, 30), created_at=at(sent - timedelta(days=1), 9),
        author=OFFICIAL, approved_at=at(sent - timedelta(days=1), 10, 15),
        dispatched_at=at(sent, 16, 30) + timedelta(seconds=20),
    ))  # fmt: skip

    tomorrow = today + timedelta(days=1)
    notices.append(NoticePlan(
        title="Rà soát, gia hạn thẻ bảo hiểm y tế",
        body=(
            "Thẻ bảo hiểm y tế của nhiều người dân sắp hết hạn. Từ ngày "
            f"{tomorrow:%d/%m} đến ngày {tomorrow + timedelta(days=25):%d/%m/%Y}, cán "
            "bộ thôn, buôn và tổ công nghệ số cộng đồng rà soát danh sách và hướng dẫn "
            "gia hạn thẻ:\n"
            "- Người thuộc hộ nghèo, hộ cận nghèo và người được Nhà nước đóng hoặc hỗ "
            "trợ đóng: kiểm tra tên mình trong danh sách của thôn, buôn.\n"
            "- Hộ gia đình tự đóng: nộp tại điểm thu của xã hoặc đóng qua ứng dụng "
            "VssID.\n\n"
            "Có thể xem thẻ bảo hiểm y tế trên ứng dụng VNeID. Cần hỗ trợ, liên hệ "
            "trưởng thôn, buôn hoặc bộ phận một cửa UBND xã."
        ),
        audience=Audience.ALL_VILLAGES, status=NoticeStatus.SCHEDULED,
        scheduled_at=at(tomorrow, 7, 30),
        created_at=min(at(today - timedelta(days=1), 15), now),
        author=OFFICIAL, approved_at=min(at(today - timedelta(days=1), 16, 10), now),
    ))  # fmt: skip

    village = next((v for v in villages if v.pk == officer_village), None)
    if village is not None:
        saturday = today + timedelta(days=3 + (5 - (today + timedelta(days=3)).weekday())
                                     % 7)  # fmt: skip
        notices.append(NoticePlan(
            title=f"{village.name}: hướng dẫn cài đặt và sử dụng ứng dụng VNeID",
            body=(
                f"Tổ công nghệ số cộng đồng {village.name_in_sentence} hướng dẫn bà con "
                "cài đặt ứng dụng VNeID, đăng nhập tài khoản định danh điện tử và xem "
                "thẻ bảo hiểm y tế trên điện thoại.\n\n"
                f"Thời gian: 8 giờ {_when(saturday)}. Địa điểm: nhà sinh hoạt cộng đồng "
                f"{village.name_in_sentence}.\n\n"
                "Mang theo điện thoại và căn cước. Ai chưa có điện thoại thông minh "
                "cũng có thể đến để được hướng dẫn giúp người thân."
            ),
            audience=Audience.CHOSEN_VILLAGES, villages=(village.pk,),
            status=NoticeStatus.SUBMITTED,
            scheduled_at=at(saturday - timedelta(days=2), 17),
            created_at=now - timedelta(hours=2), author=OFFICER,
        ))  # fmt: skip
    return notices
