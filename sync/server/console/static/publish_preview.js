// The preview of the publishing editor: an item drawn as the kiosk's screens draw it (the guide
// screen's big title, where it can be done, fee, time limit, department, window and the numbered
// materials), in Chinese and in English (the kiosk shows the Chinese where no English is given).
'use strict';

const PublishPreview = (() => {
  const { el } = Console;
  const WORDS = {
    materials: ['请带好以下材料', 'Please bring'], none: ['无需准备材料，直接取号即可。', 'Nothing to bring: just take a number.'],
    where: ['在哪里办', 'Where to apply'], fee: ['收费', 'Fee'], time_limit: ['办理时限', 'Time limit'],
    department: ['办理部门', 'Department'], window: ['办理窗口', 'Window'],
    ask: ['请到服务台咨询', 'Please ask at the service desk'], take: ['取号办理', 'Take a number'],
    station: [['本站可办'], ['Available at this station']],
    district: [['本站可办', '区内通办：区内各便民服务中心都能办'], ['Available at this station', 'District-wide: any service centre in the district can do it']],
    online: [['网上可办', '本站也可帮您办理'], ['Available online', 'This station can help you do it too']],
    services: ['包含的事项', 'Services'], coords: ['坐标', 'Coordinates'], hours: ['办公时间', 'Opening hours'], address: ['地址', 'Address'],
    noon_open: ['中午不打烊', 'Open at noon'], extended_hours: ['延时服务', 'Extended hours'],
    self_service_24h: ['24小时自助', '24-hour self-service'], phone: ['电话', 'Phone'], notice: ['通知公告', 'Notice'],
  };
  const DAYS = { '1-5': ['周一至周五', 'Mon–Fri'], 6: ['周六', 'Sat'], 7: ['周日', 'Sun'], '6-7': ['周六日', 'Sat–Sun'], '1-7': ['每天', 'Every day'] };

  /** The English text where one is given, else the Chinese (as the kiosk's in_english). */
  function text(data, field, english) {
    const zh = data[field] || '';
    const en = data[`${field}_en`];
    return english && typeof en === 'string' && en.trim() ? en : zh;
  }

  function list(data, field, english) {
    const zh = Array.isArray(data[field]) ? data[field] : [];
    const en = Array.isArray(data[`${field}_en`]) ? data[`${field}_en`] : [];
    return zh.map((line, i) => (english && en[i] && en[i].trim() ? en[i] : line));
  }

  function word(key, english) {
    return WORDS[key][english ? 1 : 0];
  }

  function screen(english, title, ...body) {
    return el('div', { className: 'kiosk-screen', lang: english ? 'en' : 'zh-CN' },
      el('div', { className: 'kiosk-band' }, english ? 'English' : '中文'),
      el('p', { className: 'kiosk-title' }, title), ...body);
  }

  function fact(label, value) {
    return el('div', { className: 'kiosk-fact' }, el('span', { className: 'kiosk-label' }, label), el('span', {}, value || '—'));
  }

  function service(data, english) {
    const materials = list(data, 'materials', english);
    const where = [...(WORDS[data.scope] || WORDS.station)[english ? 1 : 0]];
    const online = word('online', english)[0];  // as the kiosk: a service with an online URL is also online
    if (data.online_url && !where.includes(online)) where.push(online);
    return screen(english, text(data, 'name', english),
      el('p', { className: 'kiosk-heading' }, word('materials', english)),
      materials.length ? el('ol', { className: 'kiosk-materials' }, materials.map((m) => el('li', {}, m)))
        : el('p', { className: 'kiosk-body' }, word('none', english)),
      el('div', { className: 'kiosk-facts' },
        fact(word('fee', english), text(data, 'fee', english)),
        fact(word('time_limit', english), text(data, 'time_limit', english)),
        fact(word('department', english), text(data, 'department', english)),
        fact(word('window', english), text(data, 'window', english) || word('ask', english))),
      el('p', { className: 'kiosk-heading' }, word('where', english)),
      el('ul', { className: 'kiosk-where' }, where.map((line) => el('li', {}, line))),
      el('p', { className: 'kiosk-button' }, word('take', english)));
  }

  function bundle(data, english) {
    const names = Console.labels ? Console.labels.services : {};
    return screen(english, text(data, 'name', english),
      el('p', { className: 'kiosk-body' }, text(data, 'description', english)),
      el('p', { className: 'kiosk-heading' }, word('services', english)),
      el('ol', { className: 'kiosk-materials' }, (data.services || []).map((code) => el('li', {}, names[code] ? `${names[code].name}（${code}）` : code))),
      el('div', { className: 'kiosk-facts' }, fact(word('window', english), text(data, 'window', english) || word('ask', english))),
      el('p', { className: 'kiosk-button' }, word('take', english)));
  }

  function station(data, english) {
    const hours = (data.hours || []).map((h) => `${(DAYS[h.days] || [h.days, h.days])[english ? 1 : 0]} ${h.open}-${h.close}`);
    const badges = ['noon_open', 'extended_hours', 'self_service_24h'].filter((key) => data[key] === true);
    return screen(english, text(data, 'name', english),
      el('div', { className: 'kiosk-facts' },
        fact(word('address', english), text(data, 'address', english)),
        fact(word('hours', english), hours.join(english ? '; ' : '；')),
        fact(word('phone', english), data.phone),
        fact(word('coords', english), `${data.lat ?? '—'}, ${data.lon ?? '—'}`)),
      badges.length ? el('ul', { className: 'kiosk-badges' }, badges.map((key) => el('li', {}, word(key, english)))) : null);
  }

  function notice(data, english) {
    return screen(english, text(data, 'title', english),
      el('p', { className: 'kiosk-heading' }, word('notice', english)),
      el('p', { className: 'kiosk-body' }, text(data, 'text', english)));
  }

  function config(data) {
    return el('div', { className: 'kiosk-screen' }, el('p', { className: 'kiosk-title' }, data.key),
      el('p', { className: 'kiosk-body' }, typeof data.value === 'string' ? data.value : JSON.stringify(data.value)));
  }

  const DRAW = { service, bundle, station, notice };

  /** Draw ``data`` (an item the server checked) into ``box``. */
  function draw(box, entity, data) {
    if (entity === 'config') {
      box.replaceChildren(config(data));
      return;
    }
    box.replaceChildren(el('div', { className: 'kiosk-pair' }, DRAW[entity](data, false), DRAW[entity](data, true)));
  }

  return { draw };
})();
