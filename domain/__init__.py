"""Pure rules of Vietnamese official documents and emulation work (standard library only).

Nothing in this package imports a third-party library or touches I/O beyond reading its
own data; forms, templates, the worker, the parser and the compliance checker all call
these functions so that each rule lives in exactly one place.

Glossary (Vietnamese term → identifier used in code):

=============================  =====================================================
văn thư                        clerk (the records officer who numbers and issues)
văn bản hành chính             administrative document
Quốc hiệu / Tiêu ngữ           national title / motto (header, right block)
cơ quan ban hành               issuing body (``issuer``)
cơ quan chủ quản               parent body (``parent_issuer``)
số / ký hiệu                   number / symbol (``number``, ``symbol``)
sổ văn bản đi                  outgoing register (``register``)
phát hành                      issue (allocates the number and date)
thu hồi                        withdraw
địa danh                       place name (``place``)
tên loại văn bản               document type name (``DocType.name``)
trích yếu                      summary line (``summary`` / ``title``)
V/v (về việc)                  the summary line of a công văn
công văn                       letter without a type name (code ``CV`` here)
căn cứ                         legal basis lines
nơi nhận / kính gửi            distribution list / addressees
quyền hạn (TM., KT., Q., TL.,  signing authority prefix (``authority``)
TUQ.)
chức vụ                        position
thi đua / khen thưởng          emulation / commendation
danh hiệu thi đua              emulation title
đợt thi đua                    emulation round (``Round``)
Lao động tiên tiến (LĐTT)      "Advanced worker" individual title
Chiến sĩ thi đua cơ sở         grassroots emulation fighter title
(CSTĐCS)
Tập thể lao động tiên tiến /   advanced / excellent collective titles
xuất sắc (TTLĐTT / TTLĐXS)
điển hình tiên tiến            exemplary person or collective (nomination)
tóm tắt thành tích             summary of achievements
sáng kiến                      initiative (innovation)
Hội đồng Thi đua - Khen        emulation and commendation council (``council``)
thưởng (HĐTĐKT)
hoàn thành xuất sắc nhiệm vụ   "completed tasks excellently" rating (HTXS)
Giấy khen / Bằng khen          certificate of merit (unit / ministry-province level)
tổ (chuyên môn)                unit / department inside a school
năm học                        school year (September → May)
=============================  =====================================================
"""
