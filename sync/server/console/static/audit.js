// The audit log (the district administrator's): newest first, paged back with next_before.
'use strict';

const Audit = (() => {
  const { el, bi, pair, request, dateTime, showError, clearMessage, ROLES } = Console;
  const ACTIONS = { view_contact: ['查看联系方式', 'viewed the contact'] };

  const PAGE = 50;

  function record(text) {
    const order = /^work_order:(.+)$/.exec(text || '');
    return order ? el('a', { href: `/console/orders/${encodeURIComponent(order[1])}` }, text) : (text || '—');
  }

  function row(entry) {
    return el('tr', { 'data-entry': String(entry.id) },
      el('td', {}, dateTime(entry.at)), el('td', {}, entry.actor), el('td', {}, pair(ROLES, entry.role)),
      el('td', {}, pair(ACTIONS, entry.action)), el('td', {}, record(entry.record)), el('td', {}, entry.client || '—'));
  }

  async function load(before) {
    const query = `?limit=${PAGE}` + (before ? `&before=${encodeURIComponent(before)}` : '');
    const result = await request('GET', `/console/api/audit${query}`);
    const box = document.getElementById('page-message');
    const body = document.querySelector('#audit tbody');
    if (!result.ok) {
      showError(box, result);
      return;
    }
    clearMessage(box);
    const entries = result.data.entries;
    body.replaceChildren(...entries.map(row));
    if (!entries.length) body.append(el('tr', {}, el('td', { colspan: '6', className: 'empty' }, bi('没有记录。', 'No entries.'))));
    const older = document.getElementById('older');
    older.hidden = result.data.next_before === null || result.data.next_before === undefined;
    older.dataset.before = older.hidden ? '' : String(result.data.next_before);
    document.getElementById('newest').hidden = !before;
  }

  async function main() {
    await Console.start('audit');
    document.getElementById('older').addEventListener('click', (event) => load(event.currentTarget.dataset.before));
    document.getElementById('newest').addEventListener('click', () => load(null));
    await load(null);
  }

  return { main };
})();

Console.run(Audit.main);
