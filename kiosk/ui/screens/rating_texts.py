"""The words of the rating screen: the five levels, the default reasons, the result texts, and
why a ticket cannot be rated (the station's and the district's words, sync.protocol.ratings.WORDS,
which tests/ui/test_rating_check_flow.py holds these to).

Marked for translation in the "RatingScreen" context, as kiosk.domain.ratings names them.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from kiosk.domain.ratings import LEVEL_NAMES, Level

translate = QCoreApplication.translate

RESULTS = {
    "ok": (QT_TRANSLATE_NOOP("RatingScreen", "谢谢您的评价！"),
           QT_TRANSLATE_NOOP("RatingScreen", "您的意见会帮助我们把服务做得更好。\nThank you for your feedback.")),
    "already_rated": (QT_TRANSLATE_NOOP("RatingScreen", "这个号码已经评价过了"),
                      QT_TRANSLATE_NOOP("RatingScreen", "这个号码已经评价过了，感谢您的参与。\n"
                                                        "This number has already been rated.")),
    "invalid_rating": (QT_TRANSLATE_NOOP("RatingScreen", "评价没有提交成功"),
                       QT_TRANSLATE_NOOP("RatingScreen", "请返回再试一次，或到服务台反映。\nThe rating could not be saved.")),
    "failed": (QT_TRANSLATE_NOOP("RatingScreen", "暂时无法提交评价"),
               QT_TRANSLATE_NOOP("RatingScreen", "请稍后再试，或到服务台反映意见。\nRating is unavailable right now.")),
}
# Why the holder of a ticket may not rate it now, by the rule's code (the same words as
# sync.protocol.ratings.WORDS; the server's own words are shown for a code not listed here).
REFUSALS = {
    "no_ticket": QT_TRANSLATE_NOOP("RatingScreen", "没有找到这张号票，请核对票号"),
    "not_served": QT_TRANSLATE_NOOP("RatingScreen", "这张号票还没有办结，办结后才能评价"),
    "not_holder": QT_TRANSLATE_NOOP("RatingScreen", "评价码不对，请核对号票上的6位评价码"),
    "wrong_station": QT_TRANSLATE_NOOP("RatingScreen", "这张号票不是本站点的，请到取号的站点评价"),
    "rating_closed": QT_TRANSLATE_NOOP("RatingScreen", "这张号票的评价时间已过"),
    "already_rated": QT_TRANSLATE_NOOP("RatingScreen", "这张号票已经评价过了，每次办事只评价一次"),
}
REFUSAL_TITLE = QT_TRANSLATE_NOOP("RatingScreen", "这张号票现在不能评价")
CANNOT_CHECK = (QT_TRANSLATE_NOOP("RatingScreen", "现在暂时无法核对这张号票"),
                QT_TRANSLATE_NOOP("RatingScreen", "请稍后再试；也可以在办事窗口的窗口评价器上评价，"
                                                  "或用手机扫描号票上的二维码评价。"))
NO_CARD_PROOF = QT_TRANSLATE_NOOP("RatingScreen", "这台自助机不能用身份证核对，请输入号票上的评价码")
# After a refusal: which step the resident goes back to, to correct what was typed.
RETRY_STEP = {"not_holder": "code", "no_ticket": "number", "wrong_station": "number", "not_served": "number"}

# The five levels and the default reasons, as kiosk.domain.ratings names them.
LEVEL_TEXTS = (QT_TRANSLATE_NOOP("RatingScreen", "非常满意"), QT_TRANSLATE_NOOP("RatingScreen", "满意"),
               QT_TRANSLATE_NOOP("RatingScreen", "基本满意"), QT_TRANSLATE_NOOP("RatingScreen", "不满意"),
               QT_TRANSLATE_NOOP("RatingScreen", "非常不满意"))
REASON_TEXTS = (QT_TRANSLATE_NOOP("RatingScreen", "服务态度差"), QT_TRANSLATE_NOOP("RatingScreen", "等候时间长"),
                QT_TRANSLATE_NOOP("RatingScreen", "告知不清、材料要求不明"), QT_TRANSLATE_NOOP("RatingScreen", "办理效率低"),
                QT_TRANSLATE_NOOP("RatingScreen", "多次跑腿"), QT_TRANSLATE_NOOP("RatingScreen", "环境设施差"),
                QT_TRANSLATE_NOOP("RatingScreen", "其他"))


def level_name(level: int) -> str:
    return translate("RatingScreen", LEVEL_NAMES[Level(level)])
