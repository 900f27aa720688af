"""A map without tiles: this station in the middle, rings at 5, 10 and 15 minutes' walk, the others
placed by latitude and longitude (equirectangular around this station). Stations beyond the map's
edge sit on the edge, pointing their way, so none is left out.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.domain.walking import RING_MINUTES, WALKING_M_PER_MIN, haversine_m, offset_m, ring_radius_m, walking_minutes
from kiosk.ui.theme import BLUE, BLUE_DARK, GREEN, MUTED, RED, TEXT, WHITE

MAP_BACKGROUND = "#EAF0F6"
RING_FILL = ("#D6E6F5", "#E0ECF7", "#E6EFF8")
NAME_SUFFIXES = ("便民服务中心", "便民服务站", "政务服务驿站")

translate = QCoreApplication.translate


def short_name(name: str) -> str:
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class StationMap(QWidget):
    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        self._sizes = sizes
        self._here = None
        self._others: list = []
        self._speed = WALKING_M_PER_MIN
        self._font_scale = 1.0
        self.setMinimumSize(sizes.px(400), sizes.px(400))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_stations(self, stations, here_station_id: str, speed_m_per_min: float = WALKING_M_PER_MIN) -> None:
        stations = list(stations)
        self._speed = speed_m_per_min
        self._here = next((s for s in stations if s.id == here_station_id), stations[0] if stations else None)
        self._others = [s for s in stations if s is not self._here]
        self.update()

    def set_elder(self, elder: bool) -> None:
        """长辈模式: larger labels on the map."""
        self._font_scale = 1.4 if elder else 1.0
        self.update()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def extent_m(self) -> float:
        """The distance from the centre to the map's nearest edge, in metres."""
        return ring_radius_m(RING_MINUTES[-1], self._speed) * 1.2

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        px = self._sizes.px
        p.fillRect(self.rect(), QColor(MAP_BACKGROUND))
        if self._here is None:
            p.setPen(QColor(MUTED))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, translate("StationMap", "暂无站点信息"))
            p.end()
            return
        centre = QPointF(self.width() / 2, self.height() / 2)
        scale = (min(self.width(), self.height()) / 2 - px(30)) / self.extent_m()
        small = QFont(self.font())
        small.setPixelSize(px(24 * self._font_scale))
        label_font = QFont(self.font())
        label_font.setPixelSize(px(28 * self._font_scale))
        label_font.setBold(True)
        placed: list[QRectF] = []
        self._paint_rings(p, centre, scale, small, placed)
        here_point = (self._here.lat, self._here.lon)
        for station in sorted(self._others, key=lambda s: -haversine_m(*here_point, s.lat, s.lon)):
            east, north = offset_m(here_point, (station.lat, station.lon))
            minutes = walking_minutes(haversine_m(*here_point, station.lat, station.lon), self._speed)
            point = QPointF(centre.x() + east * scale, centre.y() - north * scale)
            inside = self.rect().adjusted(px(24), px(24), -px(24), -px(24))
            if inside.contains(point.toPoint()):
                self._paint_pin(p, point, QColor(BLUE))
            else:
                point = self._edge_point(centre, point, QRectF(inside))
                self._paint_arrow(p, point, math.atan2(-north, east))
            label = translate("StationMap", "{name} {n}分钟").format(name=short_name(station.name), n=minutes)
            self._paint_label(p, point, label, label_font, placed)
        self._paint_here(p, centre, label_font, placed)
        self._paint_compass(p, small)
        p.end()

    def _paint_rings(self, p, centre, scale, font, placed) -> None:
        p.setFont(font)
        for minutes, fill in reversed(list(zip(RING_MINUTES, RING_FILL))):
            r = ring_radius_m(minutes, self._speed) * scale
            p.setPen(QPen(QColor(BLUE), self._sizes.px(3), Qt.PenStyle.DashLine))
            p.setBrush(QColor(fill))
            p.drawEllipse(centre, r, r)
        for minutes in RING_MINUTES:
            r = ring_radius_m(minutes, self._speed) * scale
            text = translate("StationMap", "步行{n}分钟").format(n=minutes)
            metrics = QFontMetricsF(font)
            box = QRectF(0, 0, metrics.horizontalAdvance(text) + self._sizes.px(16), metrics.height() + 4)
            box.moveCenter(QPointF(centre.x(), centre.y() - r))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(WHITE))
            p.drawRoundedRect(box, 6, 6)
            p.setPen(QColor(BLUE_DARK))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            placed.append(box)

    def _paint_pin(self, p, point, colour) -> None:
        r = self._sizes.px(13)
        p.setPen(QPen(QColor(WHITE), self._sizes.px(4)))
        p.setBrush(colour)
        p.drawEllipse(point, r, r)

    def _paint_arrow(self, p, point, angle) -> None:
        size = self._sizes.px(20)
        tip = QPointF(point.x() + math.cos(angle) * size, point.y() + math.sin(angle) * size)
        left = QPointF(point.x() + math.cos(angle + 2.5) * size * 0.8, point.y() + math.sin(angle + 2.5) * size * 0.8)
        right = QPointF(point.x() + math.cos(angle - 2.5) * size * 0.8, point.y() + math.sin(angle - 2.5) * size * 0.8)
        p.setPen(QPen(QColor(WHITE), self._sizes.px(3)))
        p.setBrush(QColor(MUTED))
        p.drawPolygon(QPolygonF([tip, left, right]))

    def _paint_here(self, p, centre, font, placed) -> None:
        r = self._sizes.px(22)
        p.setPen(QPen(QColor(WHITE), self._sizes.px(5)))
        p.setBrush(QColor(RED))
        star = QPainterPath()
        for i in range(10):
            radius = r if i % 2 == 0 else r * 0.45
            a = -math.pi / 2 + i * math.pi / 5
            q = QPointF(centre.x() + radius * math.cos(a), centre.y() + radius * math.sin(a))
            star.moveTo(q) if i == 0 else star.lineTo(q)
        star.closeSubpath()
        p.drawPath(star)
        self._paint_label(p, centre, translate("StationMap", "您在这里：{name}").format(name=short_name(self._here.name)),
                          font, placed,
                          colour=QColor(RED), prefer_below=True)

    def _paint_label(self, p, point, text, font, placed, colour=None, prefer_below=False) -> None:
        metrics = QFontMetricsF(font)
        pad = self._sizes.px(8)
        w, h = metrics.horizontalAdvance(text) + 2 * pad, metrics.height() + pad
        gap = self._sizes.px(20)
        candidates = [QPointF(point.x() + gap, point.y() - h / 2), QPointF(point.x() - gap - w, point.y() - h / 2),
                      QPointF(point.x() - w / 2, point.y() + gap), QPointF(point.x() - w / 2, point.y() - gap - h)]
        if prefer_below:
            candidates.insert(0, candidates.pop(2))
        bounds = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        boxes = [QRectF(c.x(), c.y(), w, h) for c in candidates]
        fits = [b for b in boxes if bounds.contains(b)] or [self._clamped(boxes[0], bounds)]
        box = next((b for b in fits if not any(b.intersects(o) for o in placed)), fits[0])
        placed.append(box)
        p.setPen(QPen(QColor(colour or BLUE_DARK), 1))
        p.setBrush(QColor(255, 255, 255, 235))
        p.drawRoundedRect(box, pad, pad)
        p.setFont(font)
        p.setPen(QColor(colour or TEXT))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _clamped(box: QRectF, bounds: QRectF) -> QRectF:
        x = min(max(box.x(), bounds.left()), bounds.right() - box.width())
        y = min(max(box.y(), bounds.top()), bounds.bottom() - box.height())
        return QRectF(x, y, box.width(), box.height())

    @staticmethod
    def _edge_point(centre: QPointF, point: QPointF, inside: QRectF) -> QPointF:
        dx, dy = point.x() - centre.x(), point.y() - centre.y()
        tx = (inside.width() / 2) / abs(dx) if dx else math.inf
        ty = (inside.height() / 2) / abs(dy) if dy else math.inf
        t = min(tx, ty, 1.0)
        return QPointF(centre.x() + dx * t, centre.y() + dy * t)

    def _paint_compass(self, p, font) -> None:
        px = self._sizes.px
        p.setFont(font)
        box = QRectF(px(16), px(16), px(70), px(70))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(WHITE))
        p.drawEllipse(box)
        p.setPen(QColor(GREEN))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, translate("StationMap", "↑\n北"))
