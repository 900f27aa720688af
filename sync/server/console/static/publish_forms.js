// The publishing editor's forms: the fields of each kind of catalogue item (Chinese first, its
// English twin beside it), filled from an item and read back into the item the server checks.
'use strict';

const PublishForms = (() => {
  const { el, bi } = Console;

  // The words of a select's values, Chinese first (as the kiosk says them).
  const OPTION_WORDS = {
    station: ['本站可办', 'At this station'], district: ['区内通办', 'Anywhere in the district'], online: ['网上可办', 'Online'],
    center: ['街道便民服务中心', 'Subdistrict centre'], community: ['社区便民服务站', 'Community station'],
    post: ['政务服务驿站', 'Service post'],
  };
  // [field, Chinese label, English label, kind, hint]; kind: text, twin (text + _en), lines
  // (one a line, + _en), codes (one a line), area (long text + _en), bool, number, select:<a|b>, hours
  const FIELDS = {
    service: [
      ['name', '事项名称', 'Name', 'twin'], ['category', '分类', 'Category', 'twin'],
      ['materials', '所需材料（每行一项）', 'Materials (one a line)', 'lines'],
      ['fee', '收费', 'Fee', 'twin'], ['time_limit', '办理时限', 'Time limit', 'twin'],
      ['department', '办理部门', 'Department', 'twin'], ['window', '办理窗口', 'Window', 'twin'],
      ['prefix', '号码字母', 'Queue letter', 'text', 'A–Z'], ['initials', '首字母检索', 'Initials', 'text'],
      ['scope', '办理范围', 'Where it can be done', 'select:station|district|online'],
      ['online_url', '网上办理地址', 'Online URL', 'text'], ['id_optional', '可不刷证取号', 'No ID card needed', 'bool'],
    ],
    bundle: [
      ['name', '一件事名称', 'Name', 'twin'], ['description', '说明', 'Description', 'area'],
      ['window', '办理窗口', 'Window', 'twin'], ['services', '包含的事项编号（每行一个）', 'Service codes (one a line)', 'codes'],
      ['prefix', '号码字母', 'Queue letter', 'text', 'A–Z'], ['initials', '首字母检索', 'Initials', 'text'],
    ],
    station: [
      ['name', '站点名称', 'Name', 'twin'], ['address', '地址', 'Address', 'twin'], ['phone', '电话', 'Phone', 'text'],
      ['kind', '类型', 'Kind', 'select:center|community|post'],
      ['hours', '办公时间（每行：星期 开始-结束，如 1-5 09:00-17:30）', 'Hours (a line each: days open-close, e.g. 1-5 09:00-17:30)', 'hours'],
      ['noon_open', '中午不打烊', 'Open at noon', 'bool'], ['extended_hours', '延时服务', 'Extended hours', 'bool'],
      ['self_service_24h', '24小时自助', '24-hour self-service', 'bool'],
      ['lat', '纬度', 'Latitude', 'number'], ['lon', '经度', 'Longitude', 'number'],
      ['services', '可办事项编号（每行一个）', 'Service codes (one a line)', 'codes'],
    ],
    notice: [
      ['title', '标题', 'Title', 'twin'], ['text', '内容', 'Text', 'area'],
      ['stations', '只在这些站点显示（每行一个，留空为全部）', 'Only at these stations (one a line; empty: all)', 'codes'],
    ],
    config: [['value', '取值', 'Value', 'value']],
  };
  // Texts long enough to wrap: a two-line box instead of a one-line input
  const LONG = new Set(['address', 'address_en', 'department', 'department_en', 'time_limit', 'time_limit_en',
    'window', 'window_en', 'title_en', 'online_url']);
  const KEYS = { service: 'code', bundle: 'code', station: 'id', notice: 'id', config: 'key' };

  function inputFor(id, kind, value) {
    if (kind === 'bool') return el('input', { type: 'checkbox', id, checked: value === true });
    if (kind === 'lines' || kind === 'codes' || kind === 'area' || kind === 'hours' || kind === 'long') {
      const box = el('textarea', { id, rows: { area: '4', long: '2' }[kind] || '5' });
      box.value = value || '';
      return box;
    }
    if (kind.startsWith('select:')) {
      const select = el('select', { id }, kind.slice(7).split('|').map((option) => {
        const words = OPTION_WORDS[option];
        return el('option', { value: option }, words ? `${words[0]} ${words[1]}` : option);
      }));
      select.value = value || kind.slice(7).split('|')[0];
      return select;
    }
    const input = el('input', { id, type: 'text', inputmode: kind === 'number' ? 'decimal' : null });
    input.value = value === undefined || value === null ? '' : String(value);
    return input;
  }

  function shown(kind, value) {
    if (kind === 'lines' || kind === 'codes') return Array.isArray(value) ? value.join('\n') : '';
    if (kind === 'hours') return Array.isArray(value) ? value.map((h) => `${h.days} ${h.open}-${h.close}`).join('\n') : '';
    if (kind === 'value') return value === undefined ? '' : (typeof value === 'string' ? value : JSON.stringify(value));
    return value;
  }

  function field(name, zh, en, kind, hint, value) {
    const id = `f-${name}`;
    if (kind === 'bool') {
      return el('div', { className: 'field check' }, el('label', { for: id }, inputFor(id, kind, value), bi(zh, en)));
    }
    return el('div', { className: 'field' }, el('label', { for: id }, bi(zh, en)),
      inputFor(id, LONG.has(name) && (kind === 'text' || kind === 'twin') ? 'long' : (kind === 'twin' ? 'text' : kind),
        shown(kind, value)), hint ? el('p', { className: 'hint', text: hint }) : null);
  }

  /** The form of an item of ``entity`` holding ``data`` (a new item: an id field first). */
  function build(entity, data, isNew) {
    const parts = [];
    if (isNew) {
      parts.push(field('item-id', '编号', `Id (${KEYS[entity]})`, 'text', '字母、数字、- _ .', ''));
    }
    for (const [name, zh, en, kind, hint] of FIELDS[entity]) {
      const twin = kind === 'twin' || kind === 'lines' || kind === 'area';
      if (!twin) {
        parts.push(field(name, zh, en, kind, hint, data[name]));
        continue;
      }
      const base = kind === 'twin' ? 'text' : kind;
      parts.push(el('div', { className: 'twin' },
        field(name, zh, en, base, hint, data[name]),
        field(`${name}_en`, `${zh}（英文）`, `${en} in English`, base, null, data[`${name}_en`])));
    }
    return parts;
  }

  function lines(text) {
    return text.split('\n').map((line) => line.trim()).filter((line) => line);
  }

  function hours(text) {
    return lines(text).map((line) => {
      const [days, times] = line.split(/\s+/, 2);
      const [open, close] = (times || '').split('-');
      return { days: days || '', open: open || '', close: close || '' };
    });
  }

  function number(text) {
    const trimmed = text.trim();
    return trimmed !== '' && !Number.isNaN(Number(trimmed)) ? Number(trimmed) : trimmed;
  }

  function settingValue(text, example) {
    const trimmed = text.trim();
    if (typeof example === 'number' && /^-?\d+$/.test(trimmed)) return Number(trimmed);
    return trimmed;
  }

  /** The item the form holds, on top of ``base`` (fields the form does not show are kept). */
  function read(entity, base, example) {
    const data = { ...(base || {}) };
    const value = (id) => document.getElementById(`f-${id}`);
    for (const [name, , , kind] of FIELDS[entity]) {
      const names = (kind === 'twin' || kind === 'lines' || kind === 'area') ? [name, `${name}_en`] : [name];
      for (const one of names) {
        const input = value(one);
        if (kind === 'bool') data[one] = input.checked;
        else if (kind === 'lines' || kind === 'codes') {
          const list = lines(input.value);
          if (list.length || one === name) data[one] = list; else delete data[one];
        } else if (kind === 'hours') data[one] = hours(input.value);
        else if (kind === 'number') data[one] = number(input.value);
        else if (kind === 'value') data[one] = settingValue(input.value, example);
        else if (input.value.trim() === '' && one !== name) delete data[one];
        else if (input.value.trim() === '' && name === 'online_url') data[one] = null;
        else data[one] = input.value.trim();
      }
    }
    if (entity === 'service' && data.materials_en && !data.materials_en.length) delete data.materials_en;
    return data;
  }

  function newId() {
    const input = document.getElementById('f-item-id');
    return input ? input.value.trim() : null;
  }

  return { FIELDS, KEYS, build, read, newId };
})();
