// A station's page (GET /console/api/stations/{id}): where it is, its hours, its kiosks with their
// health, its counters, and its business day's figures and charts (Overview.render).
'use strict';

const StationPage = (() => {
  const { el, bi, request, showError, clearMessage } = Console;
  const { percent, number, healthBadge, problemWords } = Overview;
  const DAYS = { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' };
  const KINDS = { center: ['街道便民服务中心', 'Subdistrict centre'], community: ['社区便民服务站', 'Community station'],
    post: ['政务服务驿站', 'Service post'] };
  const stationId = decodeURIComponent(location.pathname.split('/').pop());

  function days(text) {
    const [from, to] = String(text).split('-').map(Number);
    if (!from) return String(text);
    return to ? `${DAYS[from] || from}至${DAYS[to] || to}` : (DAYS[from] || String(from));
  }

  function facts(station) {
    const kind = KINDS[station.kind];
    const rows = [
      [['地址', 'Address'], station.address || '—'],
      [['电话', 'Phone'], station.phone || '—'],
      [['类型', 'Kind'], kind ? bi(kind[0], kind[1]) : (station.kind || '—')],
      [['办理时间', 'Hours'], (station.hours || []).length
        ? el('ul', { className: 'hours' }, ...station.hours.map((h) => el('li', {}, `${days(h.days)} ${h.open}–${h.close}`))) : '—'],
      [['事项', 'Services'], `${station.services} 项`],
      [['坐标', 'Coordinates'], station.lat === null ? '—' : `${station.lat.toFixed(4)}, ${station.lon.toFixed(4)}`],
    ];
    document.getElementById('facts').replaceChildren(...rows.flatMap(([[zh, en], value]) => [el('dt', {}, bi(zh, en)), el('dd', {}, value)]));
  }

  function kiosks(list) {
    const holder = document.getElementById('kiosks');
    if (!list.length) {
      holder.replaceChildren(el('p', { className: 'empty' }, bi('尚无设备登记。', 'No device enrolled yet.')));
      return;
    }
    holder.replaceChildren(el('table', { id: 'kiosk-table' },
      el('thead', {}, el('tr', {}, ...[['编号', 'Id'], ['类型', 'Role'], ['状态', 'Health'], ['问题', 'Problems'], ['最近上报', 'Last report']]
        .map(([zh, en]) => el('th', { scope: 'col' }, bi(zh, en))))),
      el('tbody', {}, ...list.map((k) => el('tr', { 'data-kiosk': k.kiosk_id }, el('th', { scope: 'row' }, k.kiosk_id),
        el('td', {}, k.role === 'station' ? bi('站点服务', 'Station service') : bi('自助终端', 'Kiosk')),
        el('td', {}, healthBadge(k.health)), el('td', {}, problemWords(k.problems)),
        el('td', {}, Console.dateTime(k.received_at)))))));
  }

  function counters(list) {
    const holder = document.getElementById('counters');
    if (!list.length) {
      holder.replaceChildren(el('p', { className: 'empty' }, bi('近30日没有指明窗口的评价。', 'No rating named a counter in the last 30 days.')));
      return;
    }
    holder.replaceChildren(el('table', { id: 'counter-table' },
      el('thead', {}, el('tr', {}, ...[['窗口', 'Counter'], ['评价数', 'Ratings', 1], ['差评', 'Poor', 1], ['满意率', 'Satisfaction', 1]]
        .map(([zh, en, num]) => el('th', { scope: 'col', className: num ? 'num' : null }, bi(zh, en))))),
      el('tbody', {}, ...list.map((c) => el('tr', {}, el('th', { scope: 'row' }, c.counter_id),
        el('td', { className: 'num' }, number(c.ratings)), el('td', { className: 'num' }, number(c.poor)),
        el('td', { className: 'num' }, percent(c.satisfaction_rate)))))));
  }

  function exportLinks(day) {
    const link = (kind, extra, zh, en) => el('a', { className: 'btn secondary',
      href: `/console/api/overview/export.${kind}?${new URLSearchParams({ ...extra, station: stationId })}` }, bi(zh, en));
    return [link('csv', { date: day }, '当日 CSV', 'Day'), link('xlsx', { date: day }, '当日 XLSX', 'Day'),
      link('csv', { month: day.slice(0, 7) }, '本月 CSV', 'Month'), link('xlsx', { month: day.slice(0, 7) }, '本月 XLSX', 'Month')];
  }

  async function load() {
    const day = document.getElementById('day').value || Overview.today();
    history.replaceState(null, '', `${location.pathname}?date=${day}`);
    document.getElementById('exports').replaceChildren(...exportLinks(day));
    const box = document.getElementById('page-message');
    const result = await request('GET', `/console/api/stations/${encodeURIComponent(stationId)}?date=${day}`);
    if (!result.ok) {
      showError(box, result);
      return;
    }
    clearMessage(box);
    const data = result.data;
    document.getElementById('station-name').replaceChildren(bi(data.station.name || stationId, data.station.name_en));
    document.title = `${data.station.name || stationId} · 区级管理后台 District console`;
    facts(data.station);
    kiosks(data.kiosks);
    counters(data.counters);
    const holder = document.getElementById('station-day');
    Overview.render(holder, data.overview, false);
    holder.setAttribute('data-loaded', data.overview.business_date);
  }

  async function main() {
    await Console.start('station');
    const given = new URLSearchParams(location.search);
    document.getElementById('day').value = /^\d{4}-\d{2}-\d{2}$/.test(given.get('date') || '') ? given.get('date') : Overview.today();
    document.getElementById('station-form').addEventListener('submit', (event) => { event.preventDefault(); load(); });
    await load();
  }

  return { main };
})();

Console.run(StationPage.main);
