// The work orders list: open orders by default, filters by state and overdue, overdue rows marked
// by colour and by words with an icon; deadlines as dates in Asia/Shanghai.
'use strict';

const Orders = (() => {
  const { el, bi, pair, request, date, showError, clearMessage, STATES, LEVELS } = Console;

  function option(value, zh, en, selected) {
    return el('option', { value, selected: selected ? 'selected' : null }, `${zh} ${en}`);
  }

  function fillFilters(query) {
    const state = document.getElementById('filter-state');
    const wanted = query.get('state') || 'open';
    state.replaceChildren(option('open', '未办结', 'Open', wanted === 'open'),
      option('all', '全部', 'All', wanted === 'all'),
      ...Object.entries(STATES).map(([key, [zh, en]]) => option(key, zh, en, wanted === key)));
    const overdue = document.getElementById('filter-overdue');
    const late = query.get('overdue') || '';
    overdue.replaceChildren(option('', '不限', 'Any', late === ''), option('true', '仅超期', 'Overdue only', late === 'true'),
      option('false', '未超期', 'Not overdue', late === 'false'));
  }

  function lateBadge() {
    return el('span', { className: 'badge late' }, '⚠ 已超期', el('span', { lang: 'en', className: 'en', text: 'Overdue' }));
  }

  function calendarBadge() {
    return el('span', { className: 'badge calendar', title: '法定节假日安排尚未公布，时限按周一至周五估算' },
      '按周一至周五估算', el('span', { lang: 'en', className: 'en', text: 'Weekends-only calendar' }));
  }

  function deadlineLine(zh, en, deadline) {
    const mark = deadline.done ? el('span', { className: 'badge done' }, '✓ 已完成', el('span', { lang: 'en', className: 'en', text: 'Done' }))
      : deadline.overdue ? el('strong', { className: 'low' }, '⚠ 超期', el('span', { lang: 'en', className: 'en', text: 'late' })) : null;
    return el('span', { className: 'sub' }, `${zh}`, el('span', { lang: 'en', className: 'en', text: en }), ` ${date(deadline.due)} `, mark);
  }

  function levelCell(level) {
    return el('td', { className: level <= 2 ? 'level low' : 'level' }, pair(LEVELS, level));
  }

  function row(order) {
    const late = order.overdue;
    const reasons = order.reasons.length ? order.reasons.map(Console.reasonText).join('、') : '—';
    const state = el('td', {}, el('span', { className: 'badge state' }, pair(STATES, order.state)), late ? [' ', lateBadge()] : null);
    const deadlines = el('td', {}, deadlineLine('回访', 'call back', order.deadlines.call_back),
      deadlineLine('整改', 'rectify', order.deadlines.rectify),
      order.calendar === 'weekends_only' ? el('span', { className: 'sub' }, calendarBadge()) : null);
    const open = el('a', { href: `/console/orders/${encodeURIComponent(order.order_id)}`, className: 'btn secondary',
      'aria-label': `查看工单 Open work order ${order.order_id.slice(0, 8)}` }, bi('查看', 'Open'));
    return el('tr', { className: late ? 'overdue' : null, 'data-order': order.order_id },
      el('td', {}, Console.dateTime(order.rated_at)),
      el('td', {}, Console.stationName(order.station_id), el('span', { className: 'sub' }, order.counter_id ? `窗口 ${order.counter_id}` : '窗口 —')),
      el('td', {}, Console.serviceName(order.service_code)),
      levelCell(order.level), el('td', {}, reasons), el('td', {}, order.unit || '—'), state, deadlines, el('td', {}, open));
  }

  async function load() {
    const query = new URLSearchParams(location.search);
    fillFilters(query);
    const params = new URLSearchParams();
    const state = query.get('state') || 'open';
    if (state === 'all') params.set('all', 'true');
    else if (state !== 'open') params.set('state', state);
    if (query.get('overdue')) params.set('overdue', query.get('overdue'));
    const box = document.getElementById('page-message');
    const result = await request('GET', `/console/api/work-orders?${params}`);
    const body = document.querySelector('#orders tbody');
    if (!result.ok) {
      showError(box, result);
      body.replaceChildren();
      return;
    }
    clearMessage(box);
    const orders = result.data.work_orders;
    body.replaceChildren(...orders.map(row));
    if (!orders.length) {
      body.append(el('tr', {}, el('td', { colspan: '9', className: 'empty' }, bi('没有符合条件的工单。', 'No work orders match.'))));
    }
    const late = orders.filter((o) => o.overdue).length;
    document.getElementById('summary').replaceChildren(
      bi(`共 ${orders.length} 张工单，其中 ${late} 张已超期。`, `${orders.length} work orders, ${late} overdue.`));
  }

  async function main() {
    await Console.start('orders');
    document.getElementById('filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      const state = document.getElementById('filter-state').value;
      const overdue = document.getElementById('filter-overdue').value;
      if (state !== 'open') params.set('state', state);
      if (overdue) params.set('overdue', overdue);
      history.replaceState(null, '', `/console/orders${params.toString() ? `?${params}` : ''}`);
      load();
    });
    await load();
  }

  return { main };
})();

Console.run(Orders.main);
