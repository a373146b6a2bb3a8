"""The words on the demo records, in Vietnamese as officials write them: notes on
contacts and follow-ups, what a meeting or a loudspeaker announcement was about, notes
on assisted applications."""

from ..models import ContactOutcome, ContactTopicChoice, PublicService

T = ContactTopicChoice

# What a village-wide contact was about, as a phrase: "phổ biến {phrase}".
TOPIC_PHRASES = {
    T.LOANS: "vay vốn ưu đãi của Ngân hàng Chính sách xã hội",
    T.LAND: "thủ tục cấp giấy chứng nhận quyền sử dụng đất",
    T.TRAININGS: "lớp tập huấn trồng cà phê, sầu riêng, hồ tiêu bền vững",
    T.VOCATIONAL: "lớp dạy nghề cho lao động nông thôn",
    T.JOBS: "thông tin tuyển dụng lao động",
    T.HEALTH_INSURANCE: "gia hạn thẻ bảo hiểm y tế",
    T.LEGAL_AID: "trợ giúp pháp lý miễn phí",
}

# Notes on a household contact, by its first topic.
HOUSEHOLD_NOTES = {
    T.LOANS: [
        "Hướng dẫn hồ sơ vay vốn hộ nghèo qua tổ tiết kiệm và vay vốn.",
        "Hộ cần vay để mua giống cà phê tái canh, hẹn làm hồ sơ.",
        "Nhắc hộ trả lãi đúng kỳ tại điểm giao dịch xã.",
        "Giới thiệu chương trình vay nước sạch và vệ sinh môi trường.",
        "Hộ hỏi về vay vốn cho con đi học.",
    ],
    T.LAND: [
        "Hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
        "Hộ hỏi về tách thửa đất cho con.",
    ],
    T.TRAININGS: [
        "Mời tham gia lớp tập huấn tái canh cà phê.",
        "Giới thiệu lớp trồng sầu riêng bền vững.",
        "Hộ muốn học kỹ thuật trồng hồ tiêu, đã ghi tên.",
    ],
    T.VOCATIONAL: [
        "Giới thiệu lớp học nghề may cho lao động nữ.",
        "Tư vấn học nghề sửa chữa máy nông nghiệp.",
        "Con trai của hộ muốn học nghề điện dân dụng.",
    ],
    T.JOBS: [
        "Thông tin tuyển lao động đi làm tại khu công nghiệp.",
        "Giới thiệu việc làm thời vụ hái cà phê.",
    ],
    T.HEALTH_INSURANCE: [
        "Kiểm tra hạn thẻ bảo hiểm y tế của các thành viên.",
        "Hướng dẫn cấp lại thẻ bảo hiểm y tế bị mất.",
        "Hướng dẫn xem thẻ bảo hiểm y tế trên ứng dụng VNeID.",
    ],
    T.LEGAL_AID: [
        "Giới thiệu trợ giúp pháp lý miễn phí cho hộ nghèo.",
        "Hộ hỏi về tranh chấp ranh giới đất với hộ bên cạnh.",
    ],
}
OUTCOME_NOTES = {
    ContactOutcome.NOT_REACHED: [
        "Không có ai ở nhà, hẹn quay lại.",
        "Cả nhà đi rẫy.",
        "Gọi không nghe máy.",
        "Chủ hộ đi làm ăn xa.",
    ],
    ContactOutcome.DECLINED: [
        "Hộ chưa có nhu cầu.",
        "Hộ đã vay đủ, chưa cần thêm.",
    ],
}
FOLLOW_UP_NOTES = {
    T.LOANS: "Đã đến lại, hộ đã nộp hồ sơ vay qua tổ tiết kiệm và vay vốn.",
    T.LAND: "Đã hướng dẫn chuẩn bị giấy tờ, hộ sẽ nộp tại bộ phận một cửa.",
    T.TRAININGS: "Hộ đã đăng ký lớp tập huấn.",
    T.VOCATIONAL: "Đã gửi tên đăng ký học nghề lên xã.",
    T.JOBS: "Đã chuyển thông tin tuyển dụng cho hộ.",
    T.HEALTH_INSURANCE: "Đã hướng dẫn gia hạn thẻ bảo hiểm y tế.",
    T.LEGAL_AID: "Đã hẹn gặp cán bộ trợ giúp pháp lý.",
}
REACHED_AGAIN = "Đã gặp được chủ hộ, thông báo đầy đủ."

MEETING = "Họp {kind} tháng {month:%m/%Y}: phổ biến {phrases}."
LOUDSPEAKER = "Phát trên loa truyền thanh của {kind}: {phrase}."
ZALO_POST = "Đăng trong nhóm Zalo của {kind}: {phrase}."

S = PublicService
APPLICATION_NOTES = {
    S.VNEID: [
        "Hướng dẫn cài ứng dụng VNeID và đăng ký tài khoản định danh điện tử.",
        "Đăng ký tài khoản định danh điện tử cho chủ hộ, chờ công an xã duyệt.",
    ],
    S.HEALTH_INSURANCE: [
        "Gia hạn thẻ bảo hiểm y tế hộ gia đình.",
        "Cấp lại thẻ bảo hiểm y tế bị mất.",
    ],
    S.BIRTH_REGISTRATION: [
        "Đăng ký khai sinh cho cháu mới sinh, liên thông cấp thẻ bảo hiểm y tế."
    ],
    S.DEATH_REGISTRATION: ["Đăng ký khai tử cho người thân."],
    S.RESIDENCE: [
        "Đăng ký thường trú cho con dâu.",
        "Đăng ký tạm trú cho người thuê nhà làm rẫy.",
    ],
    S.SOCIAL_ALLOWANCE: [
        "Đề nghị trợ cấp xã hội hằng tháng cho người cao tuổi.",
        "Đề nghị trợ cấp cho người khuyết tật trong hộ.",
    ],
    S.LAND: ["Đăng ký biến động đất đai (tặng cho quyền sử dụng đất)."],
    S.BUSINESS: ["Đăng ký hộ kinh doanh tạp hóa."],
    S.CRIMINAL_RECORD: ["Cấp phiếu lý lịch tư pháp để đi làm ở khu công nghiệp."],
    S.OTHER: [""],
}
# What an application for "another service" was (its ``service_detail``).
OTHER_SERVICES = [
    "Đăng ký kết hôn",
    "Xác nhận tình trạng hôn nhân",
    "Cấp bản sao trích lục khai sinh",
    "Đăng ký tạm vắng",
]
NEEDS_MORE_NOTE = "Cần bổ sung bản chụp giấy tờ, đã hẹn hộ chuẩn bị."
REJECTED_NOTE = "Hồ sơ bị trả lại: ảnh giấy tờ không rõ, đã hướng dẫn nộp lại."

# What a resident wrote on the public request form, by topic (as the service stores it).
REQUEST_WORDS = {
    T.LOANS: [
        "Tôi muốn vay vốn để mua bò giống.",
        "Nhà tôi cần vay để tái canh cà phê, gọi giúp tôi buổi chiều.",
        "Cho tôi hỏi thủ tục vay vốn hộ cận nghèo.",
    ],
    T.TRAININGS: [
        "Cho tôi đăng ký lớp trồng sầu riêng sắp tới.",
        "Vợ chồng tôi muốn học lớp chăm sóc cà phê.",
    ],
    T.HEALTH_INSURANCE: [
        "Thẻ bảo hiểm y tế của con tôi sắp hết hạn.",
        "Tôi bị mất thẻ bảo hiểm y tế, muốn làm lại.",
    ],
    T.VOCATIONAL: ["Con gái tôi muốn học nghề may."],
    T.JOBS: ["Tôi muốn tìm việc làm ở khu công nghiệp."],
}
REQUEST_WORDS_PREFIX = "Người dân nhắn: "
REQUEST_DONE_NOTE = "Đã gọi lại cho người dân và hướng dẫn."
