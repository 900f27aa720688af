// Publishing (the district administrator's): the catalogue's items with their versions, the kiosks
// not yet on the latest catalogue version, and the editor (?entity=service&id=SB-KSL; &new=1 for a
// new item; &version=N to look at an older version) with its preview and the item's history.
'use strict';

const Publish = (() => {
  const { el, bi, request, dateTime, showError, showMessage, clearMessage, stationName } = Console;
  const ENTITIES = {
    service: ['办事指南', 'Service guides'], bundle: ['一件事一次办', 'Life-event bundles'], station: ['站点', 'Stations'],
    notice: ['通知公告', 'Notices'], config: ['参数设置', 'Settings'],
  };
  const params = new URLSearchParams(location.search);
  let settings = [];
  let edited = null; // {entity, id, version, data, example}

  function itemLink(entity, id, extra) {
    const query = new URLSearchParams({ entity, id, ...(extra || {}) });
    return `/console/publish?${query}`;
  }

  function kioskRows(kiosks) {
    const behind = kiosks.filter((kiosk) => kiosk.behind);
    if (!behind.length) {
      return [el('tr', {}, el('td', { colspan: '4', className: 'empty' },
        bi(kiosks.length ? '所有终端都已是最新版本。' : '还没有终端报告版本。',
          kiosks.length ? 'Every kiosk holds the latest version.' : 'No kiosk has reported its version yet.')))];
    }
    return behind.map((kiosk) => el('tr', { 'data-kiosk': kiosk.kiosk_id },
      el('td', {}, kiosk.kiosk_id), el('td', {}, stationName(kiosk.station_id)),
      el('td', { className: 'num' }, kiosk.catalogue_version === null ? '—' : String(kiosk.catalogue_version)),
      el('td', {}, dateTime(kiosk.received_at))));
  }

  function showList(overview) {
    const entity = ENTITIES[params.get('entity')] ? params.get('entity') : 'service';
    document.getElementById('latest-version').textContent = String(overview.catalogue_version);
    document.querySelector('#kiosks tbody').replaceChildren(...kioskRows(overview.kiosks));
    document.getElementById('entity-tabs').replaceChildren(...Object.entries(ENTITIES).map(([name, [zh, en]]) =>
      el('li', {}, el('a', { href: `/console/publish?entity=${name}`, 'aria-current': name === entity ? 'page' : null }, bi(zh, en)))));
    const items = overview.items[entity] || [];
    if (entity === 'config') {
      for (const setting of settings) {
        if (!items.some((item) => item.id === setting.key)) items.push({ id: setting.key, version: 0, name: null });
      }
    }
    const label = (item) => {
      if (entity !== 'config') return item.name || '—';
      const setting = settings.find((s) => s.key === item.id);
      const value = item.value === undefined || item.value === null ? '' : ` = ${JSON.stringify(item.value)}`;
      return setting ? el('span', {}, bi(setting.label, setting.label_en), value) : `${item.id}${value}`;
    };
    document.querySelector('#items tbody').replaceChildren(...items.map((item) => el('tr', { 'data-item': item.id },
      el('td', {}, entity !== 'config' || settings.some((s) => s.key === item.id)
        ? el('a', { href: itemLink(entity, item.id) }, item.id)
        : el('span', {}, item.id, el('span', { className: 'sub' }, bi('随目录文件导入', 'set by the catalogue file')))),
      el('td', {}, label(item)),
      el('td', { className: 'num' }, String(item.version)), el('td', {}, item.author || '—'), el('td', {}, dateTime(item.at)))));
    const create = document.getElementById('new-item');
    create.hidden = entity === 'config';
    create.href = `/console/publish?entity=${entity}&new=1`;
    document.querySelector('#recent tbody').replaceChildren(...overview.recent.map((entry) => el('tr', {},
      el('td', {}, dateTime(entry.at)), el('td', {}, entry.author),
      el('td', {}, el('a', { href: itemLink(entry.entity, entry.id) }, `${ENTITIES[entry.entity] ? ENTITIES[entry.entity][0] : entry.entity} · ${entry.name || entry.id}`),
        entry.withdrawn ? bi('（已撤回）', '(withdrawn)') : null),
      el('td', { className: 'num' }, String(entry.version)), el('td', {}, entry.note || '—'))));
    document.getElementById('list-view').hidden = false;
  }

  function historyRows(entity, id, history, shown) {
    if (!history.length) return [el('tr', {}, el('td', { colspan: '4', className: 'empty' }, bi('尚无版本。', 'No versions yet.')))];
    return history.map((entry) => el('tr', { 'data-version': String(entry.version), className: entry.version === shown ? 'current' : null },
      el('td', { className: 'num' }, el('a', { href: itemLink(entity, id, { version: entry.version }) }, String(entry.version))),
      el('td', {}, entry.author), el('td', {}, dateTime(entry.at)),
      el('td', {}, entry.withdrawn ? bi('已撤回', 'Withdrawn') : (entry.note || '—'))));
  }

  function formBox() { return document.getElementById('form-message'); }

  function collect() {
    const data = PublishForms.read(edited.entity, edited.data, edited.example);
    const id = edited.id || PublishForms.newId();
    return { id, data };
  }

  async function preview() {
    const { id, data } = collect();
    if (!id) {
      showMessage(formBox(), 'error', '请填写编号。', 'Please give the item an id.');
      return null;
    }
    const result = await request('POST', `/console/api/publish/items/${edited.entity}/${encodeURIComponent(id)}/preview`, { data });
    if (!result.ok) {
      showError(formBox(), result);
      return null;
    }
    clearMessage(formBox());
    PublishPreview.draw(document.getElementById('preview'), edited.entity, result.data.data);
    return result.data;
  }

  async function publish(event) {
    event.preventDefault();
    const { id, data } = collect();
    if (!id) {
      showMessage(formBox(), 'error', '请填写编号。', 'Please give the item an id.');
      return;
    }
    const button = document.getElementById('publish-button');
    button.disabled = true;
    const note = document.getElementById('note').value.trim();
    const result = await request('POST', `/console/api/publish/items/${edited.entity}/${encodeURIComponent(id)}`,
      { data, base_version: edited.version, note: note || null });
    button.disabled = false;
    clearMessage(document.getElementById('page-message'));
    if (result.ok) {
      const done = result.data;
      location.assign(itemLink(edited.entity, id, { published: `${done.version}:${done.catalogue_version}` }));
      return;
    }
    if (result.status === 409 && result.data && result.data.error === 'stale_version') {
      showMessage(formBox(), 'error', `该内容已被他人发布为第 ${result.data.current_version} 版。请重新打开后再修改。`,
        `Someone else published version ${result.data.current_version} meanwhile; reopen it and edit again.`, result.data.detail);
      return;
    }
    if (result.status === 409 && result.data && result.data.error === 'unchanged') {
      showMessage(formBox(), 'info', '内容没有变化，无需发布。', 'Nothing changed: there is nothing to publish.');
      return;
    }
    showError(formBox(), result);
  }

  async function showEditor(entity, id, isNew) {
    const heading = document.getElementById('edit-title');
    let current = { data: null, version: 0, history: [], exists: false };
    if (!isNew) {
      const result = await request('GET', `/console/api/publish/items/${entity}/${encodeURIComponent(id)}`);
      if (!result.ok) {
        showError(document.getElementById('page-message'), result);
        return;
      }
      current = result.data;
    }
    const wanted = Number(params.get('version'));
    let data = current.data || (entity === 'config' ? { key: id } : {});
    const box = document.getElementById('page-message');
    if (wanted && wanted !== current.version) {
      const old = await request('GET', `/console/api/publish/items/${entity}/${encodeURIComponent(id)}/versions/${wanted}`);
      if (!old.ok) {
        showError(box, old);
        return;
      }
      data = old.data.data || {};
      showMessage(box, 'info', `正在查看第 ${wanted} 版（${old.data.author}，${dateTime(old.data.at)}）。发布将以此内容生成新版本。`,
        `Looking at version ${wanted} (${old.data.author}, ${dateTime(old.data.at)}). Publishing makes it the newest version.`);
    }
    const published = params.get('published');
    if (published) {
      const [version, catalogue] = published.split(':');
      showMessage(box, 'ok', `已发布第 ${version} 版，目录版本 ${catalogue}。终端下次同步时获取。`,
        `Published version ${version}; catalogue version ${catalogue}. Kiosks take it at their next sync.`);
    }
    const setting = settings.find((s) => s.key === id);
    edited = { entity, id: isNew ? null : id, version: current.version, data, example: setting ? setting.example : undefined };
    const name = entity === 'config' && setting ? `${setting.label} ${setting.label_en}` : (data.name || data.title || id || '');
    heading.replaceChildren(bi(`${isNew ? '新建' : '编辑'}${ENTITIES[entity][0]}`, `${isNew ? 'New' : 'Edit'}: ${ENTITIES[entity][1]}`),
      isNew ? null : el('span', { className: 'item-name' }, ` · ${name}`));
    document.getElementById('edit-version').replaceChildren(isNew ? bi('新内容，发布后为第 1 版。', 'A new item: it becomes version 1.')
      : bi(`当前第 ${current.version} 版`, `Now at version ${current.version}`));
    document.getElementById('fields').replaceChildren(...PublishForms.build(entity, data, isNew));
    document.querySelector('#history tbody').replaceChildren(...historyRows(entity, id, current.history || [], wanted || current.version));
    document.getElementById('back-to-list').href = `/console/publish?entity=${entity}`;
    document.getElementById('preview-button').addEventListener('click', preview);
    document.getElementById('editor').addEventListener('submit', publish);
    document.getElementById('edit-view').hidden = false;
    if (current.data || wanted) await preview();
  }

  async function main() {
    await Console.start('publish');
    const overview = await request('GET', '/console/api/publish');
    if (!overview.ok) {
      showError(document.getElementById('page-message'), overview);
      return;
    }
    settings = overview.data.settings;
    const entity = params.get('entity');
    const id = params.get('id');
    if (ENTITIES[entity] && (id || params.get('new'))) {
      await showEditor(entity, id, !id);
    } else {
      showList(overview.data);
    }
  }

  return { main };
})();

Console.run(Publish.main);
