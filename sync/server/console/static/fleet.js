// The fleet's health (GET /console/api/fleet): every kiosk and station service, most urgent first,
// the alerts of the last day, refreshed every 30 s (docs/fleet-health.md).
'use strict';

const Fleet = (() => {
  const { el, bi, request, showError, clearMessage, dateTime } = Console;
  const REFRESH_MS = 30000;
  const HEALTH = Console.HEALTH;
  const ROLES = { kiosk: ['自助终端', 'Kiosk'], station: ['站点服务', 'Station service'] };
  const PROBLEMS = Console.PROBLEMS;
  const GRAVE = ['silent', 'paper_out', 'cover_open', 'printer_offline'];
  const DEVICE_STATES = {
    ok: ['正常', 'OK'], paper_near_end: ['纸将用尽', 'Paper near end'], paper_out: ['缺纸', 'Out of paper'],
    cover_open: ['盖未关', 'Cover open'], offline: ['离线', 'Offline'], absent: ['未配置', 'None'],
    unknown: ['未知', 'Unknown'],
  };
  let timer = null;

  function word(table, key) {
    const found = table[key];
    return found ? bi(found[0], found[1]) : document.createTextNode(key === null || key === undefined ? '—' : String(key));
  }

  function ago(seconds) {
    if (seconds === null || seconds === undefined) return '';
    const minutes = Math.max(0, Math.round(seconds / 60));
    if (minutes < 60) return `${minutes} 分钟前 · ${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    return hours < 48 ? `${hours} 小时前 · ${hours} h ago` : `${Math.round(hours / 24)} 天前 · ${Math.round(hours / 24)} days ago`;
  }

  function badge(health) {
    return el('span', { className: `badge health-${health}` }, word(HEALTH, health));
  }

  function problems(list) {
    if (!list.length) return '—';
    return el('ul', { className: 'problems' }, ...list.map((code) =>
      el('li', { className: GRAVE.includes(code) ? 'grave' : null, 'data-problem': code }, word(PROBLEMS, code))));
  }

  function offset(value) {
    if (value === null || value === undefined) return '—';
    return `${value > 0 ? '+' : ''}${Number(value).toFixed(1)} s`;
  }

  function disk(value) {
    if (value === null || value === undefined) return '—';
    return value >= 1024 ? `${(value / 1024).toFixed(1)} GB` : `${value} MB`;
  }

  function row(device, now) {
    const role = ROLES[device.role] || [device.role, ''];
    const heard = device.received_at === null || device.received_at === undefined ? null : now - device.received_at;
    return el('tr', { className: `health-${device.health}`, 'data-kiosk': device.kiosk_id, 'data-health': device.health },
      el('td', {}, badge(device.health)),
      el('th', { scope: 'row' }, device.kiosk_id, el('span', { className: 'sub' }, bi(role[0], role[1])),
        el('span', { className: 'sub' }, Console.stationName(device.station_id))),
      el('td', {}, problems(device.problems || [])),
      el('td', {}, dateTime(device.received_at), heard === null ? null : el('span', { className: 'sub' }, ago(heard))),
      el('td', {}, el('span', { className: 'line', 'data-field': 'printer' }, bi('打印机', 'Printer'), '：', word(DEVICE_STATES, device.printer)),
        el('span', { className: 'line', 'data-field': 'reader' }, bi('读卡器', 'Reader'), '：', word(DEVICE_STATES, device.reader))),
      el('td', { className: 'num' }, `${device.outbox ?? '—'} / ${device.dead_letters ?? '—'}`),
      el('td', { className: 'num' }, el('span', { className: 'line' }, disk(device.disk_free_mb)),
        el('span', { className: 'line' }, offset(device.clock_offset_s))),
      el('td', {}, device.app_version || '—',
        el('span', { className: 'sub' }, bi(`目录 ${device.catalogue_version ?? '—'}`, `catalogue ${device.catalogue_version ?? '—'}`))));
  }

  function alertsTable(alerts) {
    if (!alerts.length) return el('p', { className: 'empty' }, bi('近 24 小时没有告警。', 'No alerts in the last 24 hours.'));
    const head = el('tr', {}, ...[['设备', 'Device'], ['告警', 'Alert'], ['发生', 'Since'], ['告警时间', 'Raised'], ['解除', 'Cleared']]
      .map(([zh, en]) => el('th', { scope: 'col' }, bi(zh, en))));
    return el('div', { className: 'table-wrap' }, el('table', { id: 'alert-list', className: 'fleet' }, el('thead', {}, head),
      el('tbody', {}, ...alerts.map((a) => el('tr', { className: a.cleared_at ? null : 'health-alert', 'data-kiosk': a.kiosk_id },
        el('th', { scope: 'row' }, a.kiosk_id, el('span', { className: 'sub' }, Console.stationName(a.station_id))),
        el('td', {}, word(PROBLEMS, a.kind)), el('td', {}, dateTime(a.since)), el('td', {}, dateTime(a.raised_at)),
        el('td', {}, a.cleared_at ? dateTime(a.cleared_at) : bi('未解除', 'Open')))))));
  }

  function counts(data) {
    return Object.entries(HEALTH).map(([key, [zh, en]]) => el('li', { 'data-count': key },
      el('strong', {}, String(data.counts[key] || 0)), bi(zh, en)));
  }

  function rules(limits) {
    const hold = limits.alert_hold_minutes;
    if (!hold) {
      return bi(`营业时间内 ${limits.silent_minutes} 分钟无心跳即告警；缺纸、盖开、打印机离线立即告警，恢复即解除。`,
        `Silent ${limits.silent_minutes} min in opening hours alerts; out of paper, cover open or printer offline alerts at once and clears when fixed.`);
    }
    return bi(`营业时间内 ${limits.silent_minutes} 分钟无心跳即告警；缺纸、盖开、打印机离线持续 ${hold} 分钟告警，恢复 ${hold} 分钟后解除。`,
      `Silent ${limits.silent_minutes} min in opening hours alerts; out of paper, cover open or printer offline alerts after ${hold} min and clears ${hold} min after it is fixed.`);
  }

  async function load() {
    clearTimeout(timer);
    const station = document.getElementById('station').value;
    const params = new URLSearchParams();
    if (station) params.set('station', station);
    const query = params.toString() ? `?${params}` : '';
    history.replaceState(null, '', `/console/fleet${query}`);
    const box = document.getElementById('page-message');
    const result = await request('GET', `/console/api/fleet${query}`);
    timer = setTimeout(load, REFRESH_MS);
    if (!result.ok) {
      showError(box, result);
      return;
    }
    clearMessage(box);
    const data = result.data;
    document.getElementById('counts').replaceChildren(...counts(data));
    document.getElementById('rules').replaceChildren(rules(data.thresholds));
    document.getElementById('alerts').replaceChildren(alertsTable(data.alerts));
    const body = document.querySelector('#devices tbody');
    body.replaceChildren(...(data.devices.length ? data.devices.map((d) => row(d, data.now))
      : [el('tr', {}, el('td', { colspan: '8', className: 'empty' }, bi('还没有设备。', 'No devices yet.')))]));
    document.getElementById('updated').replaceChildren(bi(`更新于 ${dateTime(data.now)}`, `Updated ${dateTime(data.now)}`));
  }

  async function main() {
    await Console.start('fleet');
    const given = new URLSearchParams(location.search);
    const station = document.getElementById('station');
    Console.fillStations(station, given.get('station'));
    document.getElementById('fleet-form').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    station.addEventListener('change', load);
    await load();
  }

  return { main };
})();

Console.run(Fleet.main);
