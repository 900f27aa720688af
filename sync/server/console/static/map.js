// The service-circle map (GET /console/api/map): every station and its kiosks on a plane projected
// from the stations' coordinates (metres east and north of their centre, the same scale both ways),
// drawn offline with ECharts; around each station its 10-minute walking circle (800 m) to scale, a
// 1 km scale bar; coloured by device health or by the one-hour share, with the shape and the table
// saying the same in words.
'use strict';

const ServiceMap = (() => {
  const { el, bi, request, showError, clearMessage } = Console;
  const { percent, number, healthBadge, HEALTH } = Overview;
  const M_PER_DEG_LAT = 110574;
  const M_PER_DEG_LON = 111320;
  const PAD_M = 1200;
  const GRID = { left: 24, right: 24, top: 24, bottom: 48 };
  const HEALTH_COLOUR = { ok: '#2e7d32', warning: '#c98a00', alert: '#b3261e', unknown: '#8a929c' };
  const HEALTH_SYMBOL = { ok: 'circle', warning: 'triangle', alert: 'diamond', unknown: 'emptyCircle' };
  const SHARE_BANDS = [['good', 0.9, '≥ 90%', 'at least 90 %'], ['fair', 0.75, '75–90%', '75 to 90 %'], ['poor', 0, '< 75%', 'under 75 %']];
  const SHARE_COLOUR = { good: '#2e7d32', fair: '#c98a00', poor: '#b3261e', none: '#8a929c' };
  let data = null;
  let chart = null;
  let projected = [];

  const alpha = (hex, a) => `rgba(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')}, ${a})`;
  const band = (share) => (share === null || share === undefined ? 'none' : SHARE_BANDS.find(([, low]) => share >= low)[0]);
  const mode = () => document.querySelector('input[name="colour"]:checked').value;
  const colourOf = (s) => (mode() === 'health' ? HEALTH_COLOUR[s.health] : SHARE_COLOUR[band(s.one_hour_share)]);

  function project(stations) {
    const placed = stations.filter((s) => s.lat !== null && s.lon !== null);
    if (!placed.length) return [];
    const lat0 = placed.reduce((a, s) => a + s.lat, 0) / placed.length;
    const lon0 = placed.reduce((a, s) => a + s.lon, 0) / placed.length;
    const east = M_PER_DEG_LON * Math.cos((lat0 * Math.PI) / 180);
    return placed.map((s) => ({ ...s, x: (s.lon - lon0) * east, y: (s.lat - lat0) * M_PER_DEG_LAT }));
  }

  /** Axis ranges with the same metres per pixel across and up. */
  function extent(points, width, height) {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs) - PAD_M, Math.max(...xs) + PAD_M, Math.min(...ys) - PAD_M, Math.max(...ys) + PAD_M];
    const gw = width - GRID.left - GRID.right;
    const gh = height - GRID.top - GRID.bottom;
    const perPixel = Math.max((x1 - x0) / gw, (y1 - y0) / gh);
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    return { perPixel, x: [cx - (perPixel * gw) / 2, cx + (perPixel * gw) / 2], y: [cy - (perPixel * gh) / 2, cy + (perPixel * gh) / 2] };
  }

  function kioskPoints(points) {
    const out = [];
    for (const s of points) {
      s.kiosks.forEach((k, i) => {
        const angle = (2 * Math.PI * i) / Math.max(1, s.kiosks.length) - Math.PI / 2;
        out.push({ value: [s.x + 150 * Math.cos(angle), s.y + 150 * Math.sin(angle)], name: `${k.kiosk_id}（${HEALTH[k.health][0]}）`,
          symbol: HEALTH_SYMBOL[k.health], itemStyle: { color: HEALTH_COLOUR[k.health], borderColor: '#1b1f24', borderWidth: 0.5 } });
      });
    }
    return out;
  }

  function option(box) {
    const range = extent(projected, box.clientWidth, box.clientHeight);
    const radius = data.walk_radius_m;
    return {
      animation: false, aria: { enabled: false }, grid: GRID,
      tooltip: { trigger: 'item', renderMode: 'richText' },
      xAxis: { type: 'value', min: range.x[0], max: range.x[1], show: false },
      yAxis: { type: 'value', min: range.y[0], max: range.y[1], show: false },
      series: [
        { type: 'custom', name: '步行10分钟', silent: true, z: 1,
          data: projected.map((s) => ({ value: [s.x, s.y], colour: colourOf(s) })),
          renderItem: (params, api) => {
            const centre = api.coord([api.value(0), api.value(1)]);
            const edge = api.coord([api.value(0) + radius, api.value(1)]);
            const colour = projected[params.dataIndex] ? colourOf(projected[params.dataIndex]) : '#0b4f9c';
            return { type: 'circle', shape: { cx: centre[0], cy: centre[1], r: edge[0] - centre[0] },
              style: { fill: alpha(colour, 0.12), stroke: colour, lineWidth: 1.5, lineDash: [6, 4] } };
          } },
        { type: 'scatter', name: '站点', z: 3, symbolSize: 18,
          data: projected.map((s) => ({ value: [s.x, s.y], name: s.name, id: s.station_id, symbol: HEALTH_SYMBOL[s.health],
            itemStyle: { color: colourOf(s), borderColor: '#1b1f24', borderWidth: 1 } })),
          label: { show: true, position: 'right', formatter: (p) => p.name, color: '#1b1f24', fontSize: 12,
            backgroundColor: 'rgba(255,255,255,0.85)', padding: [2, 4] },
          labelLayout: { hideOverlap: true },
          tooltip: { formatter: (p) => {
            const s = projected[p.dataIndex];
            return `${s.name}\n设备 ${HEALTH[s.health][0]} · 一小时率 ${percent(s.one_hour_share)} · 取号 ${s.tickets}`;
          } } },
        { type: 'scatter', name: '自助终端', z: 2, symbolSize: 8, data: kioskPoints(projected) },
        { type: 'custom', name: '比例尺', silent: true, z: 4, data: [[range.x[0], range.y[0]]],
          renderItem: (params, api) => {
            const start = api.coord([range.x[0] + range.perPixel * 16, range.y[0]]);
            const end = api.coord([range.x[0] + range.perPixel * 16 + 1000, range.y[0]]);
            const y = start[1] + 24;
            return { type: 'group', children: [
              { type: 'line', shape: { x1: start[0], y1: y, x2: end[0], y2: y }, style: { stroke: '#1b1f24', lineWidth: 3 } },
              { type: 'text', style: { x: start[0], y: y - 18, text: '1 公里 km', fill: '#1b1f24', font: '12px sans-serif' } }] };
          } },
      ],
    };
  }

  function legend() {
    const items = mode() === 'health'
      ? Object.entries(HEALTH).map(([key, [zh, en]]) => [key, zh, en])
      : [...SHARE_BANDS.map(([key, , zh, en]) => [key, `一小时率 ${zh}`, en]), ['none', '无已办结', 'none served']];
    document.getElementById('legend').replaceChildren(...items.map(([key, zh, en]) => el('li', {},
      el('span', { className: `swatch ${key}`, 'aria-hidden': 'true' }), bi(zh, en))),
    el('li', {}, el('span', { className: 'swatch circle', 'aria-hidden': 'true' }),
      bi(`步行${data.walk_minutes}分钟（约 ${data.walk_radius_m} 米）`, `${data.walk_minutes}-minute walk, about ${data.walk_radius_m} m`)));
  }

  function describe(box) {
    const kiosks = data.stations.reduce((sum, s) => sum + s.kiosks.length, 0);
    const alert = data.stations.filter((s) => s.health === 'alert' || s.health === 'warning').map((s) => s.name);
    const low = data.stations.filter((s) => s.one_hour_share !== null && s.one_hour_share < 0.9).map((s) => s.name);
    box.setAttribute('aria-label', `服务圈地图：${data.stations.length} 个站点、${kiosks} 台设备，每个站点周围为步行${data.walk_minutes}分钟（${data.walk_radius_m} 米）的服务圈。`
      + `设备需关注或告警的站点：${alert.join('、') || '无'}。一小时率低于 90% 的站点：${low.join('、') || '无'}。详见下方站点列表。`);
  }

  function draw() {
    const box = document.getElementById('map');
    legend();
    describe(box);
    document.getElementById('map-note').replaceChildren(bi(
      `按站点坐标投影绘制（东西、南北同一比例尺），离线无底图；终端画在所属站点周围。${data.stations.length - projected.length ? `${data.stations.length - projected.length} 个站点没有坐标，只列在表中。` : ''}`,
      'Projected from the stations\u2019 coordinates, to scale, offline, with no base map; kiosks are drawn around their station.'));
    if (!window.echarts) {
      box.replaceChildren(el('p', { className: 'chart-missing' }, bi('图表组件未安装，请看站点列表。', 'The chart library is not installed; see the table.')));
      return;
    }
    if (!projected.length) return;
    if (!chart) {
      chart = window.echarts.init(box, null, { renderer: 'canvas' });
      chart.on('click', (p) => {
        if (p.seriesIndex === 1 && projected[p.dataIndex]) location.assign(`/console/stations/${encodeURIComponent(projected[p.dataIndex].station_id)}`);
      });
      window.addEventListener('resize', () => { chart.resize(); chart.setOption(option(box), true); });
    }
    chart.setOption(option(box), true);
    box.setAttribute('data-metres-per-pixel', String(extent(projected, box.clientWidth, box.clientHeight).perPixel));
  }

  /** For the tests: where a station is drawn (pixels in the map) and the radius of its walking circle in pixels. */
  function pixels(stationId) {
    const s = projected.find((p) => p.station_id === stationId);
    if (!s || !chart) return null;
    const centre = chart.convertToPixel({ seriesIndex: 1 }, [s.x, s.y]);
    const edge = chart.convertToPixel({ seriesIndex: 1 }, [s.x + data.walk_radius_m, s.y]);
    return { x: centre[0], y: centre[1], radius: edge[0] - centre[0] };
  }

  function table() {
    const headers = [['站点', 'Station'], ['设备状态', 'Health'], ['一小时率', 'Within 1 h', true], ['取号', 'Tickets', true],
      ['等候', 'Waiting', true], ['设备', 'Devices'], ['坐标', 'Coordinates']];
    document.getElementById('map-table').replaceChildren(el('table', { id: 'map-stations' },
      el('thead', {}, el('tr', {}, ...headers.map(([zh, en, num]) => el('th', { scope: 'col', className: num ? 'num' : null }, bi(zh, en))))),
      el('tbody', {}, ...data.stations.map((s) => el('tr', { 'data-station': s.station_id },
        el('th', { scope: 'row' }, el('a', { href: `/console/stations/${encodeURIComponent(s.station_id)}` }, s.name)),
        el('td', {}, healthBadge(s.health)),
        el('td', { className: 'num' }, percent(s.one_hour_share)),
        el('td', { className: 'num' }, number(s.tickets)),
        el('td', { className: 'num' }, data.today ? number(s.waiting) : '—'),
        el('td', {}, s.kiosks.length ? s.kiosks.map((k) => `${k.kiosk_id} ${HEALTH[k.health][0]}`).join('；') : '—'),
        el('td', {}, s.lat === null ? '—' : `${s.lat.toFixed(4)}, ${s.lon.toFixed(4)}`))))));
  }

  async function load() {
    const params = new URLSearchParams({ date: document.getElementById('day').value || Overview.today() });
    history.replaceState(null, '', `/console/map?${params}`);
    const box = document.getElementById('page-message');
    const result = await request('GET', `/console/api/map?${params}`);
    if (!result.ok) {
      showError(box, result);
      return;
    }
    clearMessage(box);
    data = result.data;
    projected = project(data.stations);
    table();
    draw();
    document.getElementById('map').setAttribute('data-loaded', data.business_date);
  }

  async function main() {
    await Console.start('map');
    const given = new URLSearchParams(location.search);
    document.getElementById('day').value = /^\d{4}-\d{2}-\d{2}$/.test(given.get('date') || '') ? given.get('date') : Overview.today();
    document.getElementById('map-form').addEventListener('submit', (event) => { event.preventDefault(); load(); });
    for (const radio of document.querySelectorAll('input[name="colour"]')) radio.addEventListener('change', () => data && draw());
    await load();
  }

  return { main, pixels, get chart() { return chart; } };
})();

Console.run(ServiceMap.main);
