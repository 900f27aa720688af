"use strict";

const $ = (id) => document.getElementById(id);
const PRIORITY = {elderly: "老年人", disabled: "残疾人", pregnant: "孕妇", other: "其他", normal: "普通"};
// 帮办代办 reasons as the kiosk's assistance screen words them (kiosk/ui/screens/assistance.py).
const HELP_REASONS = {cannot_operate: "不会使用自助机", mobility: "行动不便", sight_hearing: "视力、听力不便",
                      materials: "材料准备有疑问", proxy: "代他人办理", other: "其他"};
const STATUS = {waiting: "等候中", called: "已叫号", serving: "办理中", done: "已办结", no_show: "过号", cancelled: "已取消"};
let state = null;
let refreshTimer = null;

async function api(method, path, body) {
  const options = {method, headers: {}, credentials: "same-origin"};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") {  // the session's CSRF token, from the cookie the login set
    const csrf = document.cookie.split("; ").find((c) => c.startsWith("counter_csrf="));
    if (csrf) options.headers["X-CSRF-Token"] = decodeURIComponent(csrf.slice("counter_csrf=".length));
  }
  const response = await fetch(path, options);
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  return {ok: response.ok, status: response.status, data};
}

function text(el, value) { el.textContent = value; }

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function say(message, kind) {
  const box = $("message");
  text(box, message || "");
  box.className = "message " + (kind || "");
}

// The station's clock (the server's time zone and time, not this browser's): each answer's "now"
// gives the offset of the station's zone and how far this browser's clock is off.
let stationClock = null;

function syncClock(stamp) {
  const match = /([+-])(\d\d):(\d\d)$/.exec(stamp || "");
  const instant = Date.parse(stamp || "");
  if (!match || Number.isNaN(instant)) return;
  const offset = (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  stationClock = {skew: instant + 500 - Date.now(), offset};  // "now" is cut to the second: +0.5 s
}

function stationNow() {
  return stationClock ? new Date(Date.now() + stationClock.skew + stationClock.offset * 60000) : null;
}

function tick() {
  const now = stationNow();
  const time = now ? now.toLocaleTimeString("zh-CN", {hour12: false, timeZone: "UTC"}) : "--:--:--";
  text($("clock"), now ? time : "");
  text($("login-time"), time);
  text($("login-date"), now ? now.toLocaleDateString("zh-CN", {year: "numeric", month: "long", day: "numeric",
                                                                 weekday: "long", timeZone: "UTC"}) : "");
}

async function syncStation() {
  const {ok, data} = await api("GET", "/api/station");
  if (!ok) return;
  syncClock(data.now);
  text($("login-station"), data.station_name || "");
  tick();
}

async function showLogin() {
  $("desk-view").hidden = true;
  $("logout").hidden = true;
  text($("who"), "");
  $("login-view").hidden = false;
  syncStation();
  const {data} = await api("GET", "/api/counters");
  const select = $("counter-select");
  select.replaceChildren();
  for (const counter of data.counters || []) {
    const option = el("option", "", counter.name + "（" + counter.id + "）");
    option.value = counter.id;
    select.appendChild(option);
  }
  if (!select.options.length) {
    text($("login-message"), "尚未设置窗口：请联系技术人员添加窗口和PIN");
  }
  $("pin").focus();
}

async function login(event) {
  event.preventDefault();
  const {ok, data} = await api("POST", "/api/login", {counter_id: $("counter-select").value, pin: $("pin").value});
  $("pin").value = "";
  if (!ok) {
    text($("login-message"), data.detail || "登录失败");
    return;
  }
  text($("login-message"), "");
  await refresh();
}

function renderCurrent(current) {
  const info = $("current-info");
  if (!current) {
    text($("current-number"), "—");
    $("current-number").className = "current-number";
    text(info, "暂无已叫的号，请点“叫下一位”");
    return;
  }
  text($("current-number"), current.number);
  $("current-number").className = "current-number level-" + current.level;
  const tags = [current.service_name, STATUS[current.status] || current.status, "已等待 " + current.wait_minutes + " 分钟"];
  if (current.priority !== "normal") tags.push("优先：" + (PRIORITY[current.priority] || current.priority));
  if (current.assistance) tags.push("帮办代办");
  text(info, tags.join(" · "));
}

function renderWaiting(waiting) {
  const body = $("waiting-body");
  body.replaceChildren();
  text($("waiting-count"), String(waiting.length));
  for (const t of waiting) {
    const row = el("tr", "level-" + t.level + (t.mine ? "" : " other"));
    row.appendChild(el("td", "num", t.number));
    row.appendChild(el("td", "", t.service_name + (t.transferred_to ? "（转 " + t.transferred_to + "）" : "")));
    const kind = el("td", "");
    if (t.priority !== "normal") kind.appendChild(el("span", "tag prio", PRIORITY[t.priority] || t.priority));
    if (t.assistance) kind.appendChild(el("span", "tag help", "帮办"));
    if (!kind.childNodes.length) kind.textContent = "普通";
    row.appendChild(kind);
    row.appendChild(el("td", "mins", t.wait_minutes + " 分钟"));
    body.appendChild(row);
  }
  if (!waiting.length) {
    const row = el("tr", "empty");
    const cell = el("td", "", "暂无等候");
    cell.colSpan = 4;
    row.appendChild(cell);
    body.appendChild(row);
  }
}

function fromKiosk(kioskId) {
  return kioskId ? "自助机 " + kioskId : "本机";
}

function assistanceButton(label, className, path, request, done) {
  const button = el("button", className, label);
  button.type = "button";
  button.dataset.request = request.event_id;
  button.addEventListener("click", () => act(path, {request_id: request.event_id}, done));
  return button;
}

function renderRequest(r, me) {
  const item = el("li", "request" + (r.received ? " received" : ""));
  item.dataset.request = r.event_id;
  const reasons = (r.reasons || []).map((code) => HELP_REASONS[code] || code).join("、") || "现场求助";
  item.appendChild(el("div", "req-what", reasons));
  const where = r.at.slice(11, 16) + " · 来自" + fromKiosk(r.kiosk_id) + " · " +
    (r.number ? r.number + (r.ticket_status ? "（" + (STATUS[r.ticket_status] || r.ticket_status) + "）" : "") : "未取号");
  item.appendChild(el("div", "req-where", where));
  const mine = r.received && r.received.counter_id === me;
  const who = !r.received ? "待接待" : (mine ? "本窗口已接待" : r.received.counter_name + " 已接待") +
    " " + r.received.at.slice(11, 16);
  item.appendChild(el("div", "req-who" + (r.received ? "" : " waiting"), who));
  const buttons = el("div", "req-actions");
  if (!r.received) {
    buttons.appendChild(assistanceButton("接待", "primary receive", "/api/assistance/receive", r,
      () => "已接待：" + reasons + "（来自" + fromKiosk(r.kiosk_id) + "）"));
  }
  if (!r.received || mine) {
    buttons.appendChild(assistanceButton("完成", "ok finish", "/api/assistance/done", r, () => "帮办代办已完成"));
  }
  if (buttons.childNodes.length) item.appendChild(buttons);
  return item;
}

const AT_COUNTER = {called: "已叫号", serving: "办理中"};

function renderSide(s) {
  const list = $("assistance");
  list.replaceChildren();
  for (const r of s.assistance.requests) list.appendChild(renderRequest(r, s.counter.id));
  for (const t of s.assistance.tickets) {
    list.appendChild(el("li", "help", t.number + " · " + (STATUS[t.status] || t.status) + " · 需帮办代办 · 来自" +
      fromKiosk(t.kiosk_id)));
  }
  if (!list.childNodes.length) list.appendChild(el("li", "muted", "暂无帮办代办请求"));

  const counters = $("counters");
  counters.replaceChildren();
  for (const c of s.counters) {
    const status = c.paused ? "暂停" : (c.current ? (AT_COUNTER[c.current_status] || "已叫号") + " " + c.current : "空闲");
    const item = el("li", c.paused ? "muted" : "", c.name + " · " + status);
    item.dataset.counter = c.id;
    counters.appendChild(item);
  }
  const oh = s.one_hour;
  text($("one-hour"), oh.served ? (oh.within_hour + " / " + oh.served + "（" + Math.round(oh.share * 100) + "%）") : "今日尚无办结");
  text($("ratio"), s.ratio.replace(":", " : "));

  const svc = $("transfer-service");
  if (svc.options.length <= 1) {
    for (const item of s.services) {
      const option = el("option", "", item.name);
      option.value = item.code;
      svc.appendChild(option);
    }
  }
  const ctr = $("transfer-counter");
  const keep = ctr.value;
  ctr.replaceChildren(Object.assign(el("option", "", "或窗口…"), {value: ""}));
  for (const c of s.counters) {
    if (c.id === s.counter.id) continue;
    const option = el("option", "", c.name);
    option.value = c.id;
    ctr.appendChild(option);
  }
  ctr.value = keep;
}

function renderButtons(s) {
  const status = s.current ? s.current.status : null;
  $("call-next").disabled = s.paused || status !== null;
  $("recall").disabled = status === null;
  $("serving").disabled = status !== "called";
  $("done").disabled = status === null;
  $("no-show").disabled = status !== "called";
  $("transfer-form").querySelector("button").disabled = status === null;
  $("pause").firstChild.textContent = s.paused ? "恢复服务" : "暂停服务";
  $("pause").classList.toggle("warn", s.paused);
  document.body.classList.toggle("paused", s.paused);
}

async function refresh() {
  const {ok, status, data} = await api("GET", "/api/me");
  if (!ok) {
    if (status === 401) {
      state = null;
      await showLogin();
    }
    return;
  }
  state = data;
  syncClock(data.now);
  $("login-view").hidden = true;
  $("desk-view").hidden = false;
  $("logout").hidden = false;
  text($("who"), data.counter.name + (data.paused ? "（暂停中）" : ""));
  renderCurrent(data.current);
  renderWaiting(data.waiting);
  renderSide(data);
  renderButtons(data);
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; if (state) refresh(); }, 150);
}

async function act(path, body, success) {
  const {ok, data} = await api("POST", path, body);
  if (!ok) {
    say(data.detail || "操作失败", "error");
    if (data.error === "not_logged_in") await showLogin();
  } else {
    say(success(data), "ok");
  }
  await refresh();
}

function wire() {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", async () => { await api("POST", "/api/logout"); state = null; await showLogin(); });
  $("call-next").addEventListener("click", () => act("/api/call-next", undefined, (d) => "已叫 " + d.ticket.number));
  $("recall").addEventListener("click", () => act("/api/recall", undefined, (d) => "已重呼 " + d.ticket.number));
  $("serving").addEventListener("click", () => act("/api/serving", undefined, (d) => d.ticket.number + " 开始办理"));
  $("done").addEventListener("click", () => act("/api/done", undefined, (d) => d.ticket.number + " 已办结，自助机将邀请评价"));
  $("no-show").addEventListener("click", () => act("/api/no-show", undefined, (d) => d.ticket.number + " 已过号"));
  $("pause").addEventListener("click", () => act("/api/pause", {paused: !(state && state.paused)},
    (d) => d.paused ? "窗口已暂停" : "窗口已恢复服务"));
  $("call-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const number = $("call-number").value.trim().toUpperCase();
    if (!number) return;
    $("call-number").value = "";
    act("/api/call", {number}, (d) => "已叫 " + d.ticket.number);
  });
  $("transfer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {to_service: $("transfer-service").value || null, to_counter: $("transfer-counter").value || null};
    act("/api/transfer", body, (d) => d.ticket.number + " 已转移");
  });
  const stream = new EventSource("/api/stream");
  stream.addEventListener("state", scheduleRefresh);
  setInterval(() => { if (state) refresh(); }, 30000);
  setInterval(() => { if (!state) syncStation(); }, 60000);
  setInterval(tick, 1000);
  tick();
}

wire();
refresh();
