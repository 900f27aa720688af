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
from kiosk.ui.i18n import shown
from kiosk.ui.theme import BLUE, BLUE_DARK, GREEN, MUTED, RED, TEXT, WHITE

MAP_BACKGROUND = "#EAF0F6"
RING_FILL = ("#D6E6F5", "#E0ECF7", "#E6EFF8")
NAME_SUFFIXES = ("便民服务中心", "便民服务站", "政务服务驿站", " Subdistrict Service Centre",
                 " Community Service Station", " Service Centre", " Service Station", " Service Point")

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
        self.drawn_labels: list[tuple[str, QRectF]] = []  # the last paint's station labels and their boxes
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

    def station_label(self, station, minutes: int) -> str:
        """A station's label on the map, in the current language: its short name and minutes on foot."""
        return translate("StationMap", "{name} {n}分钟").format(name=short_name(shown(station).name), n=minutes)

    def here_label(self) -> str:
        return translate("StationMap", "您在这里：{name}").format(name=short_name(shown(self._here).name))

    def labels(self) -> list[str]:
        """Every label the map draws for a station: this one first, then the others."""
        if self._here is None:
            return []
        here = (self._here.lat, self._here.lon)
        return [self.here_label()] + [
            self.station_label(s, walking_minutes(haversine_m(*here, s.lat, s.lon), self._speed)) for s in self._others]

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
        self.drawn_labels = []
        self._paint_rings(p, centre, scale, small, placed)
        marks = self._marks(centre, scale)
        placed.append(QRectF(0, 0, px(16 + 70 + 8), px(16 + 70 + 8)))  # the compass
        for point in [centre] + [point for _station, _minutes, point, _angle in marks]:
            side = px(24)  # no label on a pin, an arrow or the star
            placed.append(QRectF(point.x() - side, point.y() - side, 2 * side, 2 * side))
        here_box, here_font = self._place_label(centre, self.here_label(), label_font, placed, prefer_below=True)
        for station, minutes, point, angle in marks:  # nearest first: they choose their place first
            if angle is None:
                self._paint_pin(p, point, QColor(BLUE))
            else:
                self._paint_arrow(p, point, angle)
            label = self.station_label(station, minutes)
            self._draw_label(p, *self._place_label(point, label, label_font, placed), label)
        self._paint_here(p, centre)
        self._draw_label(p, here_box, here_font, self.here_label(), colour=QColor(RED))
        self._paint_compass(p, small)
        p.end()

    def _marks(self, centre: QPointF, scale: float) -> list[tuple]:
        """(station, minutes on foot, point, None for a pin or the angle of an arrow at the edge),
        nearest first."""
        px = self._sizes.px
        here = (self._here.lat, self._here.lon)
        inside = QRectF(self.rect().adjusted(px(24), px(24), -px(24), -px(24)))
        marks = []
        for station in sorted(self._others, key=lambda s: haversine_m(*here, s.lat, s.lon)):
            east, north = offset_m(here, (station.lat, station.lon))
            minutes = walking_minutes(haversine_m(*here, station.lat, station.lon), self._speed)
            point = QPointF(centre.x() + east * scale, centre.y() - north * scale)
            if inside.contains(point):
                marks.append((station, minutes, point, None))
            else:
                marks.append((station, minutes, self._edge_point(centre, point, inside), math.atan2(-north, east)))
        return marks

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

    def _paint_here(self, p, centre) -> None:
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

    def _place_label(self, point, text, font, placed, prefer_below=False) -> tuple[QRectF, QFont]:
        """Where a label goes and in which font: where it covers no label already placed, in a
        smaller font when the map is too crowded for the full size (long English names are)."""
        best = None
        for scale in (1.0, 0.85, 0.72):
            sized = QFont(font)
            sized.setPixelSize(max(1, round(font.pixelSize() * scale)))
            box, covered = self._label_box(point, text, sized, placed, prefer_below)
            if best is None or covered < best[2]:
                best = (box, sized, covered)
            if not covered:
                break
        placed.append(best[0])
        return best[0], best[1]

    def _label_box(self, point, text, font, placed, prefer_below) -> tuple[QRectF, float]:
        """Beside, below or above its point, then further up or down, inside the map: the place
        that covers the least of the labels already placed, and how much it covers."""
        metrics = QFontMetricsF(font)
        pad = self._sizes.px(8)
        lines = self._label_lines(text, metrics)
        w = max(metrics.horizontalAdvance(line) for line in lines) + 2 * pad
        h = metrics.height() * len(lines) + pad
        gap = self._sizes.px(20)
        steps = [k * h / 2 for k in range(13)]
        candidates = [QPointF(x, point.y() - h / 2 + sign * dy) for dy in steps for sign in (1, -1)
                      for x in (point.x() + gap, point.x() - gap - w)]  # beside, then higher or lower
        candidates += [QPointF(point.x() - w / 2 + dx, y) for dy in steps for dx in (0, w / 2, -w / 2)
                       for y in (point.y() + gap + dy, point.y() - gap - h - dy)]  # below or above
        bounds = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        boxes = [QRectF(c.x(), c.y(), w, h) for c in candidates]
        fits = [b for b in boxes if bounds.contains(b)] or [self._clamped(boxes[0], bounds)]

        def cost(box: QRectF) -> tuple:
            covered = sum(max(0.0, i.width()) * max(0.0, i.height()) for i in (box.intersected(o) for o in placed))
            away = math.hypot(box.center().x() - point.x(), box.center().y() - point.y())
            return covered, away + (0 if not prefer_below or box.top() >= point.y() else w)

        box = min(fits, key=cost)
        return box, cost(box)[0]

    def _label_lines(self, text: str, metrics: QFontMetricsF) -> list[str]:
        """A label wider than half the map breaks in two at the space nearest its middle."""
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        if metrics.horizontalAdvance(text) <= self.width() / 2 or not spaces:
            return [text]
        middle = min(spaces, key=lambda i: abs(metrics.horizontalAdvance(text[:i]) - metrics.horizontalAdvance(text) / 2))
        return [text[:middle], text[middle + 1:]]

    def _draw_label(self, p, box, font, text, colour=None) -> None:
        self.drawn_labels.append((text, QRectF(box)))
        text = "\n".join(self._label_lines(text, QFontMetricsF(font)))
        pad = self._sizes.px(8)
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
