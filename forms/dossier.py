"""The one-step dossier form: document date, addressee and the council meeting's data."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField

from forms.base import Form
from forms.dates import DayFirstDateField
from forms.fields import TEXT_FILTERS
from forms.fields import length
from forms.fields import number_range
from forms.fields import optional
from forms.fields import required


class DossierForm(Form):
    issued_on = DayFirstDateField(
        "Ngày ký các văn bản (tờ trình, danh sách, quyết định)",
        [required()],
        description="Thẩm quyền khen thưởng được xác định theo ngày này (cấp huyện chấm dứt "
        "từ 01/7/2025).",
    )
    org_name = StringField(
        "Tên cơ quan viết trong câu văn",
        [required(), length(255)],
        filters=TEXT_FILTERS,
        description="Ví dụ “Trường THCS Mỹ Thạnh” (không viết hoa toàn bộ).",
    )
    authority = StringField(
        "Thẩm quyền ban hành quyết định của đơn vị, ghi trên giấy khen",
        [required(), length(255)],
        filters=TEXT_FILTERS,
        description="Ví dụ “Hiệu trưởng Trường THCS Mỹ Thạnh”.",
    )
    kinh_gui = TextAreaField(
        "Tờ trình kính gửi (cấp trên trực tiếp)",
        [required(), length(1000)],
        filters=TEXT_FILTERS,
        description="Mọi tờ trình đề nghị đi qua cấp trên trực tiếp; mặc định lấy ở Quản trị → "
        "Sửa thông tin cơ quan. Mỗi dòng một nơi nhận.",
    )
    recipients = TextAreaField(
        "Nơi nhận khác (tờ trình, quyết định)",
        [optional(), length(2000)],
        filters=TEXT_FILTERS,
        description="Mỗi dòng một nơi nhận; “Như trên”, “Lưu: VT” được thêm tự động.",
    )
    meeting_date = DayFirstDateField("Ngày họp Hội đồng", [required()])
    start_time = StringField(
        "Giờ bắt đầu", [required(), length(40)], filters=TEXT_FILTERS, default="14 giờ 00"
    )
    end_time = StringField(
        "Giờ kết thúc", [required(), length(40)], filters=TEXT_FILTERS, default="16 giờ 30"
    )
    place = StringField("Địa điểm họp", [required(), length(255)], filters=TEXT_FILTERS)
    chair = StringField("Chủ tọa", [required(), length(120)], filters=TEXT_FILTERS)
    chair_position = StringField(
        "Chức vụ của chủ tọa", [required(), length(160)], filters=TEXT_FILTERS
    )
    secretary = StringField("Thư ký", [required(), length(120)], filters=TEXT_FILTERS)
    secretary_position = StringField(
        "Chức vụ của thư ký", [required(), length(160)], filters=TEXT_FILTERS
    )
    members_present = IntegerField("Số thành viên có mặt", [required(), number_range(1, 1000)])
    absent = StringField(
        "Vắng mặt (họ tên, lý do)",
        [optional(), length(500)],
        filters=TEXT_FILTERS,
        description="Để trống nếu đủ thành viên.",
    )
    agenda = TextAreaField(
        "Nội dung cuộc họp",
        [required(), length(4000)],
        filters=TEXT_FILTERS,
        description="Mỗi dòng là một đoạn văn trong biên bản.",
    )
