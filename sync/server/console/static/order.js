// One work order: its facts, deadlines and steps; the actions this role may take now
// (order_actions.js); and for the caller alone the resident's phone number, each view audited.
'use strict';

const Order = (() => {
  const { el, bi, pair, request, dateTime, showError, showMessage, clearMessage, STATES, LEVELS, ROLES, ACTIONS } = Console;
  const orderId = decodeURIComponent(location.pathname.split('/').pop());
  const OUTCOMES = { reached: ['已联系上', 'reached'], not_reached: ['未联系上', 'not reached'] };
  const KINDS = { malicious: ['恶意差评', 'malicious rating'], mistaken: ['误评', 'rated by mistake'] };
  const DECISIONS = { uphold: ['维持申诉', 'upheld'], reject: ['驳回申诉', 'rejected'] };

  function fact(dl, zh, en, ...value) {
    dl.append(el('dt', {}, bi(zh, en)), el('dd', {}, ...(value.length ? value : ['—'])));
  }

  function said(data) {
    const lines = [];
    const add = (zh, en, value) => lines.push(el('p', { className: 'said' }, bi(`${zh}：`, `${en}:`), ' ', value));
    if (!data) return lines;
    if (data.unit) add('承办单位', 'Unit', data.unit);
    if (data.outcome) add('回访结果', 'Outcome', pair(OUTCOMES, data.outcome));
    if (data.resident_said) add('群众反映', 'Resident said', data.resident_said);
    if (data.changes) add('整改情况', 'Changes', data.changes);
    if (data.level) add('新的评价', 'New level', pair(LEVELS, data.level));
    if (data.kind) add('申诉类型', 'Kind', pair(KINDS, data.kind));
    if (data.decision) add('裁定', 'Decision', pair(DECISIONS, data.decision));
    if (data.note) add('备注', 'Note', data.note);
    if (data.reason) add('理由', 'Reason', data.reason);
    return lines;
  }

  function renderFacts(order) {
    const dl = document.getElementById('facts');
    dl.replaceChildren();
    const state = [el('span', { className: 'badge state' }, pair(STATES, order.state))];
    if (order.overdue) state.push(' ', el('span', { className: 'badge late' }, '⚠ 已超期', el('span', { lang: 'en', className: 'en', text: 'Overdue' })));
    fact(dl, '状态', 'State', ...state);
    fact(dl, '站点', 'Station', Console.stationName(order.station_id));
    fact(dl, '事项', 'Service', `${Console.serviceName(order.service_code)}（${order.service_code || '—'}）`);
    fact(dl, '窗口', 'Counter', order.counter_id || '—');
    fact(dl, '评价', 'Level', el('span', { className: order.level <= 2 ? 'low' : null }, pair(LEVELS, order.level)));
    fact(dl, '差评原因', 'Reasons', order.reasons.length ? order.reasons.map(Console.reasonText).join('、') : '—');
    fact(dl, '评价时间', 'Rated', dateTime(order.rated_at));
    fact(dl, '承办单位', 'Unit', order.unit || '—');
    fact(dl, '开单时间', 'Opened', dateTime(order.opened_at));
    if (order.closed_at) fact(dl, '办结时间', 'Closed', dateTime(order.closed_at));
    const facts = order.facts || {};
    if (facts.call_attempts) fact(dl, '回访次数', 'Call attempts', String(facts.call_attempts));
    if (facts.re_rating) fact(dl, '满意度测评', 'Re-rated', pair(LEVELS, facts.re_rating.level));
    if (facts.appeal) {
      const appeal = facts.appeal;
      fact(dl, '申诉', 'Appeal', pair(KINDS, appeal.kind), '：', appeal.reason || '—',
        appeal.decision ? el('span', { className: 'sub' }, bi('裁定：', 'Decision:'), ' ', pair(DECISIONS, appeal.decision),
          '：', appeal.decision_reason || '') : null);
    }
    if (order.appealed_from) fact(dl, '申诉前状态', 'Before the appeal', pair(STATES, order.appealed_from));
    if (order.personal_data_purged) fact(dl, '个人信息', 'Personal data', bi('已按保存期限清除', 'purged after the retention period'));
    fact(dl, '工单号', 'Order', order.order_id);
  }

  function renderDeadlines(order) {
    const dl = document.getElementById('deadlines');
    dl.replaceChildren();
    for (const [key, zh, en] of [['call_back', '回访', 'Call back'], ['rectify', '整改', 'Rectify']]) {
      const due = order.deadlines[key];
      const mark = due.done ? el('span', { className: 'badge done' }, '✓ 已完成', el('span', { lang: 'en', className: 'en', text: 'Done' }))
        : due.overdue ? el('span', { className: 'badge late' }, '⚠ 已超期', el('span', { lang: 'en', className: 'en', text: 'Overdue' })) : null;
      fact(dl, `${zh}（${due.working_days} 个工作日）`, `${en} (${due.working_days} working days)`, dateTime(due.due), ' ', mark);
    }
    if (order.calendar === 'weekends_only') {
      fact(dl, '日历', 'Calendar', el('span', { className: 'badge calendar' }, '按周一至周五估算',
        el('span', { lang: 'en', className: 'en', text: 'Weekends-only calendar' })),
      el('span', { className: 'sub' }, bi('该年度法定节假日安排尚未公布。', 'The official holidays of that year are not published yet.')));
    }
  }

  function renderSteps(order) {
    const list = document.getElementById('steps');
    if (!order.steps.length) {
      list.replaceChildren(el('li', { className: 'empty' }, bi('尚无办理记录。', 'No steps yet.')));
      return;
    }
    list.replaceChildren(...order.steps.map((step) => el('li', {},
      el('div', { className: 'when' }, `${dateTime(step.at)} · ${step.by}（`, pair(ROLES, step.role), '）'),
      el('div', {}, el('strong', {}, pair(ACTIONS, step.action)), '：', pair(STATES, step.from), ' → ', pair(STATES, step.to)),
      ...said(step.data))));
  }

  async function load() {
    const result = await request('GET', `/console/api/work-orders/${encodeURIComponent(orderId)}`);
    if (!result.ok) {
      showError(document.getElementById('page-message'), result);
      return null;
    }
    const order = result.data;
    document.getElementById('order-title').replaceChildren(bi(`工单 ${order.order_id.slice(0, 8)}`, `Work order ${order.order_id.slice(0, 8)}`));
    renderFacts(order);
    renderDeadlines(order);
    renderSteps(order);
    OrderActions.render(order, Console.me, { reload: load });
    return order;
  }

  async function showContact() {
    const box = document.getElementById('contact-message');
    const result = await request('GET', `/console/api/work-orders/${encodeURIComponent(orderId)}/contact`);
    if (!result.ok) {
      showError(box, result);
      return;
    }
    clearMessage(box);
    const dl = document.getElementById('contact');
    dl.replaceChildren();
    if (result.data.personal_data_purged) {
      showMessage(box, 'info', '联系方式已按保存期限清除。', 'The contact was purged after the retention period.');
    }
    fact(dl, '电话号码', 'Phone', result.data.contact_phone || '—');
    fact(dl, '评价内容', 'Comment', result.data.comment || '—');
    dl.hidden = false;
    document.getElementById('show-contact').hidden = true;
  }

  async function main() {
    const me = await Console.start('orders');
    if (me.role === 'caller') {
      document.getElementById('contact-panel').hidden = false;
      document.getElementById('show-contact').addEventListener('click', showContact);
    } else {
      document.getElementById('contact-panel').remove();  // nobody else sees phone numbers
    }
    await load();
  }

  return { main, load };
})();

Console.run(Order.main);
