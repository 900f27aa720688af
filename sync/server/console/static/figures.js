// The 好差评 figures of a month (GET /console/api/figures): totals and by station, service, counter
// and channel; rates as percentages, null as "—", a 实名差评回访率 under 100 % marked; XLSX export.
'use strict';

const Figures = (() => {
  const { el, bi, request, showError, showMessage, clearMessage } = Console;
  // U+200B marks where a long heading may break (the headings keep their words together)
  const LEVEL_COLUMNS = [['5', '非常\u200b满意', 'V. satisfied'], ['4', '满意', 'Satisfied'], ['3', '基本\u200b满意', 'Fairly'],
    ['2', '不满意', 'Dissatisfied'], ['1', '非常\u200b不满意', 'V. dissatisfied']];
  const COLUMNS = [['ratings', '评价数', 'Ratings'], ['satisfaction_rate', '满意率', 'Satisfaction', 'rate'],
    ['poor', '差评', 'Poor'], ['real_name_poor', '实名\u200b差评', 'Real-name poor'],
    ['real_name_called_back', '已回访', 'Called back'], ['callback_rate', '实名差评\u200b回访率', 'Call-back rate', 'rate'],
    ['rectified', '已整改', 'Rectified'], ['rectify_rate', '整改率', 'Rectify rate', 'rate'],
    ['overdue', '超期', 'Overdue'], ['appeals', '申诉', 'Appeals'], ['appeals_upheld', '申诉\u200b成立', 'Upheld']];
  const GROUPS = [['by_station', '按站点', 'By station'], ['by_service', '按事项', 'By service'],
    ['by_counter', '按窗口', 'By counter'], ['by_channel', '按渠道', 'By channel']];

  function previousMonth() {
    const now = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
    let year = Number(now.find((p) => p.type === 'year').value);
    let month = Number(now.find((p) => p.type === 'month').value) - 1;
    if (month === 0) { month = 12; year -= 1; }
    return `${year}-${String(month).padStart(2, '0')}`;
  }

  function percent(value) {
    return value === null || value === undefined ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
  }

  function cell(row, [key, , , kind]) {
    const value = row[key];
    if (kind !== 'rate') return el('td', { className: 'num' }, value === null || value === undefined ? '—' : String(value));
    const short = key === 'callback_rate' && value !== null && value !== undefined && value < 1;
    return el('td', { className: short ? 'num short' : 'num' }, short ? '⚠ ' : null, percent(value),
      short ? el('span', { className: 'skip' }, '未达 100% below 100 %') : null);
  }

  function table(id, zh, en, rows) {
    const head = el('tr', {}, el('th', { scope: 'col' }, bi('名称', 'Name')),
      ...LEVEL_COLUMNS.map(([level, lzh, len]) => el('th', { scope: 'col', className: 'num' }, bi(`${level} ${lzh}`, len))),
      ...COLUMNS.map(([, czh, cen]) => el('th', { scope: 'col', className: 'num' }, bi(czh, cen))));
    const body = rows.length ? rows.map((row) => el('tr', { 'data-key': row.key === null ? '' : String(row.key) },
      el('th', { scope: 'row' }, row.label || row.key || '—'),
      ...LEVEL_COLUMNS.map(([level]) => el('td', { className: 'num' }, String((row.levels || {})[level] ?? 0))),
      ...COLUMNS.map((column) => cell(row, column))))
      : [el('tr', {}, el('td', { colspan: String(1 + LEVEL_COLUMNS.length + COLUMNS.length), className: 'empty' }, bi('本月没有评价。', 'No ratings this month.')))];
    return el('section', { className: 'panel', 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title` }, bi(zh, en)),
      el('div', { className: 'table-wrap' }, el('table', { id, className: 'figures' }, el('thead', {}, head), el('tbody', {}, ...body))));
  }

  function query() {
    const params = new URLSearchParams({ month: document.getElementById('month').value });
    const station = document.getElementById('station').value;
    if (station) params.set('station', station);
    return params;
  }

  async function load() {
    const params = query();
    document.getElementById('export').href = `/console/api/figures/export.xlsx?${params}`;
    history.replaceState(null, '', `/console/figures?${params}`);
    const box = document.getElementById('page-message');
    const holder = document.getElementById('figures');
    const result = await request('GET', `/console/api/figures?${params}`);
    if (!result.ok) {
      holder.replaceChildren();
      if (result.status === 404 && !(result.data && result.data.error === 'not_found' && /month|station/.test(result.data.detail || ''))) {
        showMessage(box, 'info', '统计功能暂不可用，请稍后再试。', 'The figures are not available yet; please try again later.',
          result.data && result.data.detail);
      } else {
        showError(box, result);
      }
      return;
    }
    clearMessage(box);
    const data = result.data;
    holder.replaceChildren(table('totals', `${data.month} 合计`, 'Totals', [data.totals]),
      ...GROUPS.map(([key, zh, en]) => table(key, zh, en, data[key] || [])));
  }

  async function main() {
    await Console.start('figures');
    const given = new URLSearchParams(location.search);
    const month = document.getElementById('month');
    month.value = /^\d{4}-\d{2}$/.test(given.get('month') || '') ? given.get('month') : previousMonth();
    const station = document.getElementById('station');
    Console.fillStations(station, given.get('station'));
    document.getElementById('figures-form').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    await load();
  }

  return { main, previousMonth };
})();

Console.run(Figures.main);
