// The forms of the actions a role may take in a work order's state (docs/district.md, the table of
// states and actions); each posts to /console/api/work-orders/{id}/{action} with the CSRF header.
'use strict';

const OrderActions = (() => {
  const { el, bi, request, showError, showMessage, ACTIONS, LEVELS, STATES } = Console;
  const ADMIN = 'district_admin', HEAD = 'station_head', UNIT = 'unit', CALLER = 'caller';
  const TABLE = {
    assign: [['pending', 'assigned'], [ADMIN, HEAD]],
    verify: [['assigned'], [ADMIN, UNIT]],
    call_back: [['verifying', 'called_back'], [ADMIN, CALLER]],
    rectify: [['called_back'], [ADMIN, UNIT]],
    re_rate: [['rectified'], [ADMIN, CALLER]],
    close: [['re_rated'], [ADMIN, HEAD]],
    appeal: [['assigned', 'verifying', 'called_back'], [UNIT]],
    decide_appeal: [['appealed'], [ADMIN]],
  };

  function allowed(state, role) {
    return Object.keys(TABLE).filter((name) => TABLE[name][0].includes(state) && TABLE[name][1].includes(role));
  }

  function label(forId, zh, en, optional) {
    return el('label', { for: forId }, bi(zh, en), optional ? bi('（选填）', 'optional') : null);
  }

  function text(action, name, zh, en, { optional = false, long = false, hint = null } = {}) {
    const id = `${action}-${name}`;
    const control = long ? el('textarea', { id, name, maxlength: long ? '2000' : '1000', required: optional ? null : 'required' })
      : el('input', { id, name, maxlength: '128', required: optional ? null : 'required' });
    return el('div', { className: 'field' }, label(id, zh, en, optional), control,
      hint ? el('p', { className: 'hint' }, bi(hint[0], hint[1])) : null);
  }

  function radios(action, name, zh, en, choices) {
    return el('fieldset', {}, el('legend', {}, bi(zh, en)), ...choices.map(([value, czh, cen], index) => el('label', {},
      el('input', { type: 'radio', name: `${action}-${name}`, value, id: `${action}-${name}-${value}`, required: index === 0 ? 'required' : null }),
      bi(czh, cen))));
  }

  function unitField(order) {
    const labels = Console.labels || { units: [], services: {} };
    const department = (labels.services[order.service_code] || {}).department;
    const units = [...new Set([...(labels.units || []), order.unit, department].filter(Boolean))].sort();
    const chosen = order.state === 'pending' ? (department || order.unit) : (order.unit || department);
    const select = el('select', { id: 'assign-unit', name: 'unit', required: 'required' },
      ...units.map((unit) => el('option', { value: unit, selected: unit === chosen ? 'selected' : null }, unit)));
    return el('div', { className: 'field' }, label('assign-unit', '承办单位', 'Unit'), select,
      el('p', { className: 'hint' }, bi('默认为该事项的主管部门。', "By default the service's department.")));
  }

  function fields(action, order) {
    switch (action) {
      case 'assign': return [unitField(order)];
      case 'verify': return [text(action, 'note', '核实情况', 'Note', { optional: true, long: true })];
      case 'call_back': return [
        radios(action, 'outcome', '回访结果', 'Outcome', [['reached', '已联系上', 'Reached'], ['not_reached', '未联系上', 'Not reached']]),
        text(action, 'resident_said', '群众反映', 'What the resident said', { optional: true, long: true,
          hint: ['联系上时必填。', 'Required when reached.'] })];
      case 'rectify': return [text(action, 'changes', '整改情况', 'What changed', { long: true })];
      case 're_rate': return [el('div', { className: 'field' }, label('re_rate-level', '群众新的评价', "The resident's new level"),
        el('select', { id: 're_rate-level', name: 'level', required: 'required' }, el('option', { value: '' }, '请选择 Choose…'),
          ...[5, 4, 3, 2, 1].map((level) => el('option', { value: String(level) }, `${level} ${LEVELS[level][0]} ${LEVELS[level][1]}`))))];
      case 'close': return [text(action, 'note', '办结说明', 'Note', { optional: true, long: true })];
      case 'appeal': return [
        radios(action, 'kind', '申诉类型', 'Kind', [['malicious', '恶意差评', 'Malicious rating'], ['mistaken', '误评', 'Rated by mistake']]),
        text(action, 'reason', '申诉理由', 'Reason', { long: true })];
      case 'decide_appeal': {
        const back = order.appealed_from ? STATES[order.appealed_from] : ['原状态', 'its state before'];
        return [radios(action, 'decision', '裁定', 'Decision', [['uphold', '维持申诉，工单办结', 'Uphold: the order is closed'],
          ['reject', `驳回申诉，退回「${back[0]}」`, `Reject: back to ${back[1]}`]]),
        text(action, 'reason', '裁定理由', 'Reason', { long: true })];
      }
      default: return [];
    }
  }

  function bodyOf(action, form) {
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : '');
    const choice = (name) => { const picked = form.querySelector(`input[name="${action}-${name}"]:checked`); return picked ? picked.value : null; };
    const optional = (name) => value(name) || undefined;
    switch (action) {
      case 'assign': return { unit: value('unit') || undefined };
      case 'verify': case 'close': return { note: optional('note') };
      case 'call_back': return { outcome: choice('outcome'), resident_said: optional('resident_said') };
      case 'rectify': return { changes: value('changes') };
      case 're_rate': return { level: Number(value('level')) || null };
      case 'appeal': return { kind: choice('kind'), reason: value('reason') };
      case 'decide_appeal': return { decision: choice('decision'), reason: value('reason') };
      default: return {};
    }
  }

  function form(action, order, reload) {
    const [zh, en] = ACTIONS[action];
    const node = el('form', { className: 'action', id: `action-${action}`, 'aria-labelledby': `action-${action}-title`, novalidate: 'novalidate' },
      el('h3', { id: `action-${action}-title` }, bi(zh, en)), ...fields(action, order),
      el('button', { type: 'submit', id: `submit-${action}` }, bi(zh, en)));
    node.addEventListener('submit', async (event) => {
      event.preventDefault();
      const box = document.getElementById('action-message');
      const button = node.querySelector('button[type="submit"]');
      button.disabled = true;
      const result = await request('POST', `/console/api/work-orders/${encodeURIComponent(order.order_id)}/${action}`, bodyOf(action, node));
      button.disabled = false;
      if (result.ok) {
        await reload();
        showMessage(box, 'ok', `已完成：${zh}。`, `Done: ${en}.`);
        box.focus();
        return;
      }
      if (result.status === 409) await reload();
      showError(box, result);
    });
    return node;
  }

  function render(order, me, { reload }) {
    const holder = document.getElementById('actions');
    const names = allowed(order.state, me.role);
    if (!names.length) {
      const why = order.state === 'closed' ? ['工单已办结。', 'The order is closed.']
        : ['当前状态下您的角色没有可进行的操作。', 'Your role has nothing to do in this state.'];
      holder.replaceChildren(el('p', { className: 'empty' }, bi(why[0], why[1])));
      return;
    }
    holder.replaceChildren(...names.map((name) => form(name, order, reload)));
  }

  return { render, allowed };
})();
