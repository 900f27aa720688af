"""The words of the rating screen: the five levels, the default reasons, and the result texts.

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
