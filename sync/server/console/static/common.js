// What every page of the district console shares: the API with the session's CSRF token, the
// header (account, nav by role, log out), Chinese-first labels and times in Asia/Shanghai.
'use strict';

const Console = (() => {
  const STATES = {
    pending: ['待转派', 'Pending'], assigned: ['已转派', 'Assigned'], verifying: ['核实中', 'Verifying'],
    called_back: ['已回访', 'Called back'], rectified: ['已整改', 'Rectified'], re_rated: ['满意度测评', 'Re-rated'],
    closed: ['办结', 'Closed'], appealed: ['申诉中', 'Appealed'],
  };
  const LEVELS = {
    1: ['非常不满意', 'Very dissatisfied'], 2: ['不满意', 'Dissatisfied'], 3: ['基本满意', 'Fairly satisfied'],
    4: ['满意', 'Satisfied'], 5: ['非常满意', 'Very satisfied'],
  };
  const ROLES = {
    district_admin: ['区管理员', 'District administrator'], station_head: ['站点负责人', 'Station head'],
    unit: ['承办单位', 'Responsible unit'], caller: ['回访员', 'Caller'],
  };
  const ACTIONS = {
    assign: ['转派', 'Assign'], verify: ['核实', 'Verify'], call_back: ['回访', 'Call back'],
    rectify: ['整改', 'Rectify'], re_rate: ['满意度测评', 'Re-rate'], close: ['办结', 'Close'],
    appeal: ['申诉', 'Appeal'], decide_appeal: ['申诉裁定', 'Decide the appeal'],
  };
  const REASONS = {
    attitude: '服务态度差', wait_too_long: '等候时间长', unclear_guidance: '告知不清、材料要求不明',
    slow_handling: '办理效率低', repeat_visits: '多次跑腿', facilities: '环境设施差', other: '其他',
  };
  const ADMIN_AND_HEAD = ['district_admin', 'station_head'];
  // The pages of the header's nav: [page, Chinese, English, the roles that may open it]
  // (sync/server/console/pages.py PAGE_ROLES says the same to the server).
  const NAV = [
    ['overview', '概览', 'Overview', ADMIN_AND_HEAD],
    ['map', '服务圈地图', 'Service circle map', ADMIN_AND_HEAD],
    ['fleet', '设备状态', 'Fleet health', ADMIN_AND_HEAD],
    ['orders', '工单', 'Work orders', ['district_admin', 'station_head', 'unit', 'caller']],
    ['figures', '统计', 'Figures', ADMIN_AND_HEAD],
    ['publish', '发布', 'Publishing', ['district_admin']],
    ['audit', '审计日志', 'Audit log', ['district_admin']],
  ];
  // A device's health (sync/server/fleet/status.py); unknown: no heartbeat yet.
  const HEALTH = { alert: ['告警', 'Alert'], warning: ['需关注', 'Warning'], ok: ['正常', 'OK'], unknown: ['未上报', 'No report'] };
  // What a device's heartbeat says is wrong (sync/server/fleet/rules.py), for every page that lists devices.
  const PROBLEMS = {
    silent: ['营业时间内无心跳', 'Silent in opening hours'], paper_out: ['打印机缺纸', 'Out of paper'],
    cover_open: ['打印机盖未关', 'Printer cover open'], printer_offline: ['打印机离线', 'Printer offline'],
    no_heartbeat: ['从未收到心跳', 'Never heard from'], reader_offline: ['读卡器离线', 'Card reader offline'],
    paper_near_end: ['纸将用尽', 'Paper near end'], dead_letters: ['有被拒数据', 'Dead letters'],
    outbox_backlog: ['待上传积压', 'Upload backlog'], disk_low: ['磁盘空间不足', 'Disk nearly full'],
    clock_off: ['时钟偏差大', 'Clock off'], printer_unknown: ['打印机状态未知', 'Printer state unknown'],
  };
  const ZONE = 'Asia/Shanghai';
  let me = null;
  let labels = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Chinese, then the English in a lang="en" span. */
  function bi(zh, en) {
    const out = document.createDocumentFragment();
    out.append(zh);
    if (en) out.append(el('span', { lang: 'en', className: 'en', text: en }));
    return out;
  }

  function pair(table, key) {
    const found = table[key];
    return found ? bi(found[0], found[1]) : document.createTextNode(key === null || key === undefined ? '—' : String(key));
  }

  class Expired extends Error {}

  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && me) headers['X-CSRF-Token'] = me.csrf;
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      return { status: 0, ok: false, data: null, headers: new Headers() };
    }
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (response.status === 401 && !path.endsWith('/login')) {
      const here = location.pathname + location.search;
      location.assign('/console?expired=1&next=' + encodeURIComponent(here));
      throw new Expired('the session has ended');
    }
    return { status: response.status, ok: response.ok, data, headers: response.headers };
  }

  const parts = (value, options) => {
    const out = {};
    for (const part of new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', ...options })
      .formatToParts(value)) out[part.type] = part.value;
    return out;
  };

  /** "2026-11-27 10:00" in Asia/Shanghai, from an ISO text or epoch seconds. */
  function dateTime(value) {
    if (value === null || value === undefined || value === '') return '—';
    const moment = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
    if (Number.isNaN(moment.getTime())) return String(value);
    const p = parts(moment, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  }

  function date(value) {
    const full = dateTime(value);
    return full === '—' ? full : full.slice(0, 10);
  }

  /** What went wrong, Chinese first: the status's words and the server's own detail. */
  const STATUS_WORDS = {
    0: ['无法连接服务器，请稍后再试。', 'The server cannot be reached; please try again shortly.'],
    403: ['您的角色不能进行此操作。', 'Your role may not do this.'],
    404: ['找不到该记录。', 'Not found.'],
    409: ['工单当前状态不允许此操作，可能已被他人处理；页面已刷新。', 'The order is no longer in a state that allows this; it may have been handled by someone else. The page has been refreshed.'],
    422: ['填写的内容有误，请检查后再提交。', 'Something in the form is not right; please check it.'],
    429: ['尝试次数过多。', 'Too many attempts.'],
  };

  function showMessage(box, kind, zh, en, detail) {
    box.replaceChildren(el('p', {}, bi(zh, en)));
    if (detail) box.append(el('p', { lang: 'en', className: 'detail', text: detail }));
    box.className = `message ${kind}`;
    box.hidden = false;
  }

  function showError(box, result) {
    const words = STATUS_WORDS[result.status] || ['服务器出错了，请稍后再试。', `The server answered ${result.status}; please try again.`];
    const detail = result.data && typeof result.data.detail === 'string' ? result.data.detail : null;
    showMessage(box, 'error', words[0], words[1], detail);
  }

  function clearMessage(box) {
    box.hidden = true;
    box.replaceChildren();
  }

  async function loadLabels() {
    if (!labels) {
      const result = await request('GET', '/console/api/labels');
      labels = result.ok ? result.data : { stations: {}, services: {}, units: [], reasons: {} };
    }
    return labels;
  }

  function reasonText(code) {
    return (labels && labels.reasons[code]) || REASONS[code] || code;
  }

  function stationName(id) {
    return (labels && labels.stations[id]) || id || '—';
  }

  function serviceName(code) {
    const found = labels && labels.services[code];
    return found ? found.name : (code || '—');
  }

  /** The header: who is logged in, the pages this role may open, and log out. */
  async function start(page) {
    const result = await request('GET', '/console/api/me');
    if (!result.ok) throw new Error(`me: ${result.status}`);
    me = result.data;
    const role = ROLES[me.role] || [me.role, ''];
    document.getElementById('who').replaceChildren(`${me.name} · `, bi(role[0], role[1]));
    const nav = document.getElementById('nav');
    if (nav) {
      nav.replaceChildren(...NAV.filter((entry) => entry[3].includes(me.role)).map(([name, zh, en]) => el('li', {},
        el('a', { href: `/console/${name}`, 'data-page': name, 'aria-current': name === page ? 'page' : null },
          bi(zh, en)))));
    }
    document.getElementById('logout').addEventListener('click', async () => {
      await request('POST', '/console/api/logout', {}).catch(() => null);
      location.assign('/console?logged_out=1');
    });
    await loadLabels();
    return me;
  }

  /** A page's station filter: a station head has their own station only; the others the whole
   *  district first, then every station by id, ``wanted`` (the URL's) selected. */
  function fillStations(select, wanted) {
    if (me.role === 'station_head') {
      select.replaceChildren(el('option', { value: me.station_id || '' }, stationName(me.station_id)));
      return;
    }
    const stations = Object.entries((labels && labels.stations) || {}).sort((a, b) => a[0].localeCompare(b[0]));
    select.replaceChildren(el('option', { value: '' }, '全区 All stations'),
      ...stations.map(([id, name]) => el('option', { value: id, selected: id === wanted ? 'selected' : null }, name)));
  }

  /** Run a page's main function; an ended session has already been sent to the login page. */
  function run(main) {
    const go = () => main().catch((error) => {
      if (error instanceof Expired) return;
      const box = document.getElementById('page-message');
      if (box) showMessage(box, 'error', '页面加载失败，请刷新重试。', 'The page could not be loaded; please reload it.', String(error.message || error));
    });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
    else go();
  }

  return {
    STATES, LEVELS, ROLES, ACTIONS, HEALTH, PROBLEMS, el, bi, pair, request, dateTime, date, showMessage, showError,
    clearMessage, start, run, fillStations, reasonText, stationName, serviceName, loadLabels, get me() { return me; },
    get labels() { return labels; }, Expired,
  };
})();
