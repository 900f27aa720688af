// The overview (GET /console/api/overview): the business day's figures of the district or one
// station, four charts (ECharts from /console/static/vendor/, each with its figures as a table too), the
// stations and the devices needing attention, and the exports. A station's page draws its day with
// the same functions (Overview.render).
'use strict';

const Overview = (() => {
  const { el, bi, request, showError, clearMessage } = Console;
  const HEALTH = Console.HEALTH;
  const LEVELS = Console.LEVELS;
  const charts = [];

  const percent = (value) => (value === null || value === undefined ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`);
  const number = (value) => (value === null || value === undefined ? '—' : String(value));

  function today() {
    const parts = {};
    const moment = new Date(Date.now() - 4 * 3600 * 1000);  // the business day turns at 04:00
    for (const p of new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(moment)) parts[p.type] = p.value;
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  function healthBadge(health) {
    const [zh, en] = HEALTH[health] || [health, ''];
    const mark = { ok: '●', warning: '▲', alert: '◆', unknown: '○' }[health] || '';
    return el('span', { className: `health ${health}` }, `${mark} `, bi(zh, en));
  }

  /** A device's problems in words, Chinese first (Console.PROBLEMS), or a dash. */
  function problemWords(codes) {
    if (!codes || !codes.length) return '—';
    return el('ul', { className: 'problems' }, codes.map((code) => el('li', {}, Console.pair(Console.PROBLEMS, code))));
  }

  function kpi(zh, en, value, sub, short) {
    return el('div', { className: short ? 'kpi short' : 'kpi' }, el('dt', {}, bi(zh, en)),
      el('dd', {}, value, sub ? el('span', { className: 'sub' }, sub) : null));
  }

  function kpis(data) {
    const t = data.totals;
    const minutes = data.one_hour_rule_minutes;
    return el('dl', { className: 'kpis', id: 'kpis' },
      kpi('取号', 'Tickets', number(t.tickets)),
      kpi('正在等候', 'Waiting now', data.today ? number(t.waiting) : '—', data.today ? null : bi('仅当日', 'today only')),
      kpi('已办结', 'Served', number(t.served)),
      kpi('一小时率', 'Within one hour', percent(t.one_hour_share), `${t.one_hour_within}/${t.served} · ≤${minutes} 分钟`,
        t.one_hour_share !== null && t.one_hour_share < 0.9),
      kpi('满意率', 'Satisfaction', percent(t.satisfaction_rate), bi(`${t.ratings} 条评价`, 'ratings')),
      kpi('未办结差评', 'Open poor-rating orders', number(t.open_poor_orders)),
      kpi('需关注设备', 'Devices needing attention', number(t.kiosks_attention), null, t.kiosks_attention > 0));
  }

  function dataTable(id, headers, rows) {
    return el('table', { id },
      el('thead', {}, el('tr', {}, ...headers.map(([zh, en, num]) => el('th', { scope: 'col', className: num ? 'num' : null }, bi(zh, en))))),
      el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((value, i) => (i === 0
        ? el('th', { scope: 'row' }, value) : el('td', { className: 'num' }, value)))))));
  }

  /** A chart's panel: the title, the drawing (an image to assistive technology, described in words) and its figures as a table. */
  function chartPanel(id, zh, en, description, table, option) {
    const box = el('div', { className: 'chart', id: `${id}-chart`, role: 'img', 'aria-label': description });
    charts.push([box, option]);
    return el('section', { className: 'panel chart-panel', 'aria-labelledby': `${id}-title` },
      el('h2', { id: `${id}-title` }, bi(zh, en)), box,
      el('details', {}, el('summary', {}, bi('查看数据表', 'Data table')), el('div', { className: 'table-wrap' }, table)));
  }

  const AXIS_TEXT = { color: '#1b1f24', fontSize: 12 };
  function barOption(labels, values, colours, name) {
    return {
      animation: false, aria: { enabled: false }, grid: { left: 48, right: 16, top: 20, bottom: 40 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: labels, axisLabel: AXIS_TEXT },
      yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_TEXT },
      series: [{ type: 'bar', name, data: values.map((v, i) => ({ value: v, itemStyle: { color: colours ? colours[i] : '#0b4f9c' } })) }],
    };
  }

  function hoursChart(data) {
    // in the business day's order: 04:00 to 03:00 of the next date
    const ordered = [...data.by_hour.slice(4), ...data.by_hour.slice(0, 4)];
    const used = ordered.map((h, i) => (h.tickets > 0 ? i : null)).filter((i) => i !== null);
    const first = Math.min(4, ...used);  // 08:00 at least, in business order
    const last = Math.max(14, ...used);  // to 18:00 at least
    const hours = ordered.slice(first, last + 1);
    const busiest = hours.reduce((a, b) => (b.tickets > a.tickets ? b : a), hours[0]);
    const description = `按小时取号柱状图：${hours[0].hour} 点至 ${hours[hours.length - 1].hour + 1} 点，共 ${data.totals.tickets} 张，最多在 ${busiest.hour} 点（${busiest.tickets} 张）。`;
    return chartPanel('by-hour', '按小时取号', 'Tickets by hour of issue', description,
      dataTable('by-hour-table', [['时段', 'Hour'], ['取号', 'Tickets', true]], hours.map((h) => [`${h.hour}:00–${h.hour + 1}:00`, String(h.tickets)])),
      barOption(hours.map((h) => `${h.hour}时`), hours.map((h) => h.tickets), null, '取号'));
  }

  function waitsChart(data) {
    const minutes = data.one_hour_rule_minutes;
    const label = (b) => (b.to === null ? `${b.from}+ 分钟` : `${b.from}–${b.to} 分钟`);
    const over = (b) => b.from >= minutes;
    const called = data.waits.reduce((sum, b) => sum + b.tickets, 0);
    const late = data.waits.filter(over).reduce((sum, b) => sum + b.tickets, 0);
    const description = `等候时长分布柱状图：已叫号 ${called} 张，其中等候 ${minutes} 分钟以上 ${late} 张。`;
    return chartPanel('waits', '等候时长分布', 'Waiting time to the first call', description,
      dataTable('waits-table', [['抽号到叫号', 'Wait'], ['张数', 'Tickets', true]],
        data.waits.map((b) => [over(b) ? `⚠ ${label(b)}（超时 over）` : label(b), String(b.tickets)])),
      {
        ...barOption(data.waits.map((b) => (b.to === null ? `${b.from}+` : `${b.from}–${b.to}`)), data.waits.map((b) => b.tickets),
          data.waits.map((b) => (over(b) ? '#8f1d14' : '#0b4f9c')), '张数'),
        // every band named under its bar, in minutes (the axis's name says so)
        xAxis: { type: 'category', data: data.waits.map((b) => (b.to === null ? `${b.from}+` : `${b.from}–${b.to}`)),
          axisLabel: { ...AXIS_TEXT, interval: 0 }, name: '分钟 min', nameLocation: 'middle', nameGap: 26, nameTextStyle: AXIS_TEXT },
      });
  }

  function trendChart(data) {
    const dates = data.one_hour_days.dates;
    const stations = data.one_hour_days.stations.filter((s) => s.served.some((n) => n > 0));
    const description = `近 ${dates.length} 日各站点一小时率折线图（${dates[0]} 至 ${dates[dates.length - 1]}），${stations.length} 个站点有已办结的号。`;
    const option = {
      animation: false, aria: { enabled: false }, grid: { left: 56, right: 16, top: 20, bottom: 64 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { type: 'scroll', bottom: 0, textStyle: AXIS_TEXT },
      xAxis: { type: 'category', data: dates.map((d) => d.slice(5)), axisLabel: AXIS_TEXT },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { ...AXIS_TEXT, formatter: (v) => `${Math.round(v * 100)}%` } },
      series: stations.map((s) => ({ type: 'line', name: s.name, data: s.shares, connectNulls: false, symbolSize: 6 })),
    };
    const table = dataTable('trend-table', [['站点', 'Station'], ...dates.map((d) => [d.slice(5), null, true])],
      stations.map((s) => [s.name, ...s.shares.map(percent)]));
    return chartPanel('trend', '各站点一小时率（近7日）', 'Within one hour, per station per day', description, table, option);
  }

  function levelsChart(data) {
    const levels = ['1', '2', '3', '4', '5'];
    const counts = levels.map((l) => data.totals.levels[l] || 0);
    const colours = ['#8f1d14', '#b5472c', '#6b6f76', '#2f6f9f', '#1d5e2a'];
    const description = `评价等级柱状图：共 ${data.totals.ratings} 条，${levels.map((l, i) => `${LEVELS[l][0]} ${counts[i]}`).join('，')}。`;
    return chartPanel('levels', '评价等级', 'Ratings per level', description,
      dataTable('levels-table', [['等级', 'Level'], ['条数', 'Ratings', true]], levels.map((l, i) => [`${l} ${LEVELS[l][0]}`, String(counts[i])])),
      barOption(levels.map((l) => LEVELS[l][0]), counts, colours, '条数'));
  }

  function stationsTable(data) {
    const headers = [['站点', 'Station'], ['取号', 'Tickets', true], ['等候', 'Waiting', true], ['已办结', 'Served', true],
      ['一小时率', 'Within 1 h', true], ['满意率', 'Satisfaction', true], ['未办结差评', 'Open orders', true], ['需关注设备', 'Attention', true]];
    const rows = data.stations.map((s) => el('tr', { 'data-station': s.station_id },
      el('th', { scope: 'row' }, el('a', { href: `/console/stations/${encodeURIComponent(s.station_id)}` }, s.name)),
      ...[number(s.tickets), data.today ? number(s.waiting) : '—', number(s.served)].map((v) => el('td', { className: 'num' }, v)),
      el('td', { className: s.one_hour_share !== null && s.one_hour_share < 0.9 ? 'num short' : 'num' },
        s.one_hour_share !== null && s.one_hour_share < 0.9 ? '⚠ ' : null, percent(s.one_hour_share)),
      ...[percent(s.satisfaction_rate), number(s.open_poor_orders), number(s.kiosks_attention)].map((v) => el('td', { className: 'num' }, v))));
    return el('section', { className: 'panel', 'aria-labelledby': 'stations-title' }, el('h2', { id: 'stations-title' }, bi('各站点', 'Stations')),
      el('div', { className: 'table-wrap' }, el('table', { id: 'stations' },
        el('thead', {}, el('tr', {}, ...headers.map(([zh, en, num]) => el('th', { scope: 'col', className: num ? 'num' : null }, bi(zh, en))))),
        el('tbody', {}, ...rows))));
  }

  function attentionList(data) {
    const body = data.attention.length
      ? el('table', { id: 'attention' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, bi('设备', 'Device')),
        el('th', { scope: 'col' }, bi('站点', 'Station')), el('th', { scope: 'col' }, bi('状态', 'Health')), el('th', { scope: 'col' }, bi('问题', 'Problems')))),
      el('tbody', {}, ...data.attention.map((d) => el('tr', {}, el('th', { scope: 'row' }, d.kiosk_id),
        el('td', {}, Console.stationName(d.station_id)), el('td', {}, healthBadge(d.health)), el('td', {}, problemWords(d.problems))))))
      : el('p', { className: 'empty' }, bi('所有设备正常。', 'Every device is fine.'));
    return el('section', { className: 'panel', 'aria-labelledby': 'attention-title' },
      el('h2', { id: 'attention-title' }, bi('需关注的设备', 'Devices needing attention')), el('div', { className: 'table-wrap' }, body));
  }

  /** Draw the charts whose panels are in the page (ECharts, when it is served; else the tables say it). */
  function drawCharts() {
    const pending = charts.splice(0);
    for (const [box, option] of pending) {
      if (!window.echarts) {
        box.replaceChildren(el('p', { className: 'chart-missing' }, bi('图表组件未安装，请看下方数据表。', 'The chart library is not installed; see the data table.')));
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
        continue;
      }
      const chart = window.echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption(option);
      window.addEventListener('resize', () => chart.resize());
    }
  }

  /** The day's figures into ``holder``; ``withStations``: the stations' table too (the overview itself). */
  function render(holder, data, withStations) {
    holder.replaceChildren(...[kpis(data),
      el('div', { className: 'charts' }, hoursChart(data), waitsChart(data), trendChart(data), levelsChart(data)),
      withStations ? stationsTable(data) : null, attentionList(data)].filter(Boolean));
    drawCharts();
  }

  function exportLinks(params) {
    const day = params.get('date');
    const station = params.get('station');
    const base = (extra) => new URLSearchParams({ ...extra, ...(station ? { station } : {}) });
    const link = (kind, extra, zh, en) => el('a', { className: 'btn secondary', href: `/console/api/overview/export.${kind}?${base(extra)}` }, bi(zh, en));
    return [link('csv', { date: day }, '当日 CSV', 'Day'), link('xlsx', { date: day }, '当日 XLSX', 'Day'),
      link('csv', { month: day.slice(0, 7) }, '本月 CSV', 'Month'), link('xlsx', { month: day.slice(0, 7) }, '本月 XLSX', 'Month')];
  }

  async function load() {
    const params = new URLSearchParams({ date: document.getElementById('day').value || today() });
    const station = document.getElementById('station').value;
    if (station) params.set('station', station);
    history.replaceState(null, '', `/console/overview?${params}`);
    document.getElementById('exports').replaceChildren(...exportLinks(params));
    const box = document.getElementById('page-message');
    const holder = document.getElementById('overview');
    const result = await request('GET', `/console/api/overview?${params}`);
    if (!result.ok) {
      holder.replaceChildren();
      showError(box, result);
      return;
    }
    clearMessage(box);
    render(holder, result.data, true);
    holder.setAttribute('data-loaded', result.data.business_date);
  }

  async function main() {
    await Console.start('overview');
    const given = new URLSearchParams(location.search);
    document.getElementById('day').value = /^\d{4}-\d{2}-\d{2}$/.test(given.get('date') || '') ? given.get('date') : today();
    const station = document.getElementById('station');
    Console.fillStations(station, given.get('station'));
    document.getElementById('overview-form').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    await load();
  }

  return { main, render, today, percent, number, healthBadge, problemWords, drawCharts, HEALTH };
})();

if (document.querySelector('[data-overview="page"]')) Console.run(Overview.main);
