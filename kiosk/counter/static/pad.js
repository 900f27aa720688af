"use strict";
// The window rating pad (窗口评价器): faces the resident at one counter. Staff log it in with the
// counter's PIN once; then it waits, offers the ticket the counter has just marked done, and
// records one rating of it (docs/counter-api.md, "Window rating pad").

const $ = (id) => document.getElementById(id);
const VIEWS = ["pad-login", "pad-waiting", "pad-rate", "pad-reasons", "pad-thanks"];
const MOUTHS = {5: "M30 68 q30 32 60 0", 4: "M38 72 q22 16 44 0", 3: "M40 80 h40",
                2: "M38 86 q22 -14 44 0", 1: "M32 90 q28 -28 56 0"};
const THANKS_SECONDS = 5;
const REFUSED_SECONDS = 7;
const REASONS_IDLE_SECONDS = 60;
const SVG = "http://www.w3.org/2000/svg";

const pad = {view: null, data: null, offer: null, level: null, chosen: new Set(), busy: false, timer: null};

async function api(method, path, body) {
  const options = {method, headers: {}, credentials: "same-origin"};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") {
    const csrf = document.cookie.split("; ").find((c) => c.startsWith("counter_csrf="));
    if (csrf) options.headers["X-CSRF-Token"] = decodeURIComponent(csrf.slice("counter_csrf=".length));
  }
  try {
    const response = await fetch(path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return {ok: response.ok, status: response.status, data};
  } catch (e) {
    return {ok: false, status: 0, data: {detail: "网络连接中断，请稍候"}};
  }
}

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function face(level) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 120 120");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "face level-face");
  const parts = [["circle", {cx: 60, cy: 60, r: 54}], ["path", {d: "M36 52 q8 -8 16 0", class: "eye"}],
                 ["path", {d: "M68 52 q8 -8 16 0", class: "eye"}], ["path", {d: MOUTHS[level], class: "mouth"}]];
  for (const [tag, attrs] of parts) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    svg.appendChild(node);
  }
  return svg;
}

function clearTimer() {
  if (pad.timer) clearTimeout(pad.timer);
  pad.timer = null;
}

function show(view) {
  pad.view = view;
  for (const id of VIEWS) $(id).hidden = id !== view;
  document.body.dataset.view = view.replace("pad-", "");
}

function showWaiting() {
  clearTimer();
  pad.offer = null;
  const data = pad.data || {};
  $("wait-title").textContent = "欢迎来到" + (data.station_name || "便民服务中心");
  $("wait-text").textContent = data.paused ? "本窗口暂停服务，请留意叫号屏" : "办结后，请在这里为本次服务评价";
  show("pad-waiting");
}

function showRate(offer) {
  clearTimer();
  pad.offer = offer;
  pad.level = null;
  pad.chosen.clear();
  $("rate-ticket").textContent = offer.number + " · " + offer.service_name;
  const levels = $("levels");
  levels.replaceChildren();
  for (const item of pad.data.levels) {
    const button = el("button", "level level-" + item.level);
    button.type = "button";
    button.dataset.level = String(item.level);
    button.appendChild(face(item.level));
    const words = el("span", "level-words");
    words.appendChild(el("span", "level-label", item.label));
    const stars = el("span", "level-stars", "★".repeat(item.level) + "☆".repeat(5 - item.level));
    stars.setAttribute("aria-hidden", "true");
    words.appendChild(stars);
    button.appendChild(words);
    button.addEventListener("click", () => chooseLevel(item.level));
    levels.appendChild(button);
  }
  show("pad-rate");
}

function idleReasons() {
  clearTimer();
  pad.timer = setTimeout(() => { if (pad.offer) showRate(pad.offer); }, REASONS_IDLE_SECONDS * 1000);
}

function showReasons() {
  const box = $("reasons");
  box.replaceChildren();
  for (const reason of pad.data.reasons) {
    const button = el("button", "reason");
    button.type = "button";
    button.dataset.code = reason.code;
    button.setAttribute("aria-pressed", "false");
    button.appendChild(el("span", "tick", "✓"));
    button.appendChild(el("span", "reason-label", reason.label));
    button.addEventListener("click", () => {
      const on = !pad.chosen.has(reason.code);
      if (on) pad.chosen.add(reason.code); else pad.chosen.delete(reason.code);
      button.setAttribute("aria-pressed", String(on));
      $("reasons-send").disabled = pad.chosen.size === 0;
      idleReasons();
    });
    box.appendChild(button);
  }
  $("reasons-send").disabled = true;
  show("pad-reasons");
  idleReasons();
}

function chooseLevel(level) {
  if (pad.busy || !pad.offer) return;
  pad.level = level;
  if (level <= pad.data.low_level_max) showReasons(); else send();
}

function thank(title, words, seconds, refused) {
  clearTimer();
  $("pad-thanks").classList.toggle("refused", Boolean(refused));
  $("thanks-title").textContent = title;
  $("thanks-text").textContent = words;
  show("pad-thanks");
  pad.timer = setTimeout(() => { pad.timer = null; pad.view = null; refresh(); }, seconds * 1000);
}

async function send() {
  if (pad.busy || !pad.offer) return;
  pad.busy = true;
  document.body.classList.add("busy");
  const body = {ticket_id: pad.offer.ticket_id, level: pad.level, reasons: [...pad.chosen]};
  const {ok, status, data} = await api("POST", "/api/pad/rating", body);
  pad.busy = false;
  document.body.classList.remove("busy");
  if (ok) {
    const label = (pad.data.levels.find((l) => l.level === pad.level) || {}).label || "";
    thank("感谢您的评价！", "您的评价：" + label + (pad.level <= pad.data.low_level_max ? "。我们会认真改进。" : ""),
          THANKS_SECONDS);
  } else if (status === 401) {
    await showLogin();
  } else {
    thank("谢谢您！", data.detail || "评价没有成功，请向工作人员说明", REFUSED_SECONDS, true);
  }
}

async function refresh() {
  const {ok, status, data} = await api("GET", "/api/pad");
  if (!ok) {
    if (status === 401) await showLogin();
    return;
  }
  pad.data = data;
  $("pad-station").textContent = data.station_name || "";
  $("pad-counter").textContent = data.counter.name;
  if (pad.view === "pad-thanks" || pad.busy) return;  // the thanks stay their few seconds
  if (pad.view === "pad-reasons" && pad.offer) return;  // the resident is choosing: let them finish
  const offer = data.ticket;
  if (!offer) {
    if (pad.view !== "pad-waiting") showWaiting(); else $("wait-text").textContent = data.paused
      ? "本窗口暂停服务，请留意叫号屏" : "办结后，请在这里为本次服务评价";
    return;
  }
  const same = pad.offer && pad.offer.ticket_id === offer.ticket_id;
  if (!same || (pad.view !== "pad-rate" && pad.view !== "pad-reasons")) showRate(offer);
}

async function showLogin() {
  clearTimer();
  pad.data = null;
  pad.offer = null;
  $("pad-counter").textContent = "";
  show("pad-login");
  const station = await api("GET", "/api/station");
  if (station.ok) $("pad-station").textContent = station.data.station_name || "";
  const {data} = await api("GET", "/api/counters");
  const select = $("counter-select");
  const keep = select.value;
  select.replaceChildren();
  for (const counter of data.counters || []) {
    const option = el("option", "", counter.name);
    option.value = counter.id;
    select.appendChild(option);
  }
  if (keep) select.value = keep;
  if (!select.options.length) $("login-message").textContent = "尚未设置窗口：请联系技术人员添加窗口和PIN";
}

async function login(event) {
  event.preventDefault();
  const {ok, data} = await api("POST", "/api/login", {counter_id: $("counter-select").value, pin: $("pin").value});
  $("pin").value = "";
  if (!ok) {
    $("login-message").textContent = data.detail || "登录失败";
    return;
  }
  $("login-message").textContent = "";
  pad.view = null;
  await refresh();
}

let refreshTimer = null;
function scheduleRefresh() {
  if (refreshTimer || !pad.data) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 150);
}

function wire() {
  $("login-form").addEventListener("submit", login);
  $("reasons-back").addEventListener("click", () => { if (pad.offer) showRate(pad.offer); });
  $("reasons-send").addEventListener("click", () => { if (pad.chosen.size) send(); });
  const stream = new EventSource("/api/stream");  // every change of the store, at once
  stream.addEventListener("state", scheduleRefresh);
  setInterval(() => { if (pad.data) refresh(); }, 10000);  // the offer also ends by itself
}

wire();
refresh();
