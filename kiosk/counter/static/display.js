"use strict";

const $ = (id) => document.getElementById(id);
let lastSeq = null;
let stationOffset = null;  // minutes east of UTC of the station clock (from the server)

function offsetOf(stamp) {
  const match = /([+-])(\d\d):(\d\d)$/.exec(stamp || "");
  if (!match) return stationOffset;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

function stationNow() {
  const now = new Date();
  if (stationOffset === null) return {date: now, utc: false};
  return {date: new Date(now.getTime() + stationOffset * 60000), utc: true};
}
let audio = null;

function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

function audioContext() {
  if (!audio) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    audio = new Ctx();
  }
  return audio;
}

function chime() {
  const ctx = audioContext();
  if (!ctx) return;
  if (ctx.state === "suspended") {
    ctx.resume().catch(() => {});
    $("sound-hint").hidden = ctx.state !== "suspended";
  }
  const start = ctx.currentTime + 0.02;
  [[880, 0], [660, 0.25]].forEach(([freq, offset]) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.45);
  });
}

// Spoken calls: the station renders each call's words as audio (/api/announcements/SEQ.wav,
// Mandarin twice, English where configured); they play one after another, so a new call never
// cuts off the one being spoken, and a recall (a new seq) is spoken again.
const spoken = [];
let speaking = false;

function announce(call) {
  spoken.push(call.seq);
  if (!speaking) speakNext();
}

function speakNext() {
  const seq = spoken.shift();
  if (seq === undefined) { speaking = false; return; }
  speaking = true;
  const voice = new Audio("/api/announcements/" + seq + ".wav");
  voice.addEventListener("playing", () => {  // the calls spoken lately, "seq@ms", for the technician's check
    const log = (document.body.dataset.spoken || "").split(" ").filter(Boolean).slice(-19);
    document.body.dataset.spoken = [...log, seq + "@" + Date.now()].join(" ");
  }, {once: true});
  voice.addEventListener("ended", () => {
    const log = (document.body.dataset.spokenEnded || "").split(" ").filter(Boolean).slice(-19);
    document.body.dataset.spokenEnded = [...log, seq + "@" + Date.now()].join(" ");
  }, {once: true});
  const done = () => setTimeout(speakNext, 400);
  voice.addEventListener("ended", done, {once: true});
  voice.addEventListener("error", done, {once: true});  // no voice at this station: the chime alone
  setTimeout(() => voice.play().catch(done), 550);  // as the chime fades
}

function render(state) {
  stationOffset = offsetOf(state.now);
  if (state.station_name) $("station-name").textContent = state.station_name;
  const calls = state.calls || [];
  const top = calls[0];
  if (top) {
    $("current-number").textContent = top.number;
    $("current-number").classList.toggle("missed", Boolean(top.no_show));
    $("current-counter").textContent = top.counter_name;
    $("current-service").textContent = top.no_show ? "已过号 · 过号请到窗口咨询"
      : top.service_name + (top.recall ? " · 重呼" : "");
  } else {
    $("current-number").classList.remove("missed");
    $("current-number").textContent = "—";
    $("current-counter").textContent = "—";
    $("current-service").textContent = "";
  }
  const list = $("history");
  list.replaceChildren();
  for (const call of calls.slice(1, 8)) {
    // A number called but not come (过号) stays in the list, struck through and labelled, so its
    // holder sees it was called and goes to a counter, rather than waiting on.
    const item = el("li", call.no_show ? "no-show" : "");
    const number = el("span", "h-number", call.number);
    if (call.no_show) number.appendChild(el("span", "h-missed", "过号"));
    item.appendChild(number);
    item.appendChild(el("span", "h-counter", call.counter_name));
    list.appendChild(item);
  }
  $("missed-hint").hidden = !calls.some((call) => call.no_show);
  $("waiting-count").textContent = String(state.waiting_count || 0);
  const overdue = $("overdue");
  overdue.replaceChildren();
  const late = state.overdue || [];
  if (late.length) {
    overdue.appendChild(el("span", "overdue-label", "等候较久："));
    for (const t of late) {
      overdue.appendChild(el("span", "tag level-" + t.level, t.number + " " + t.wait_minutes + "分"));
    }
  }
  if (top && lastSeq !== null && top.seq > lastSeq) {
    const now = $("current-number");
    now.classList.remove("flash");
    void now.offsetWidth;
    now.classList.add("flash");
    chime();
    // every call since the last state, oldest first: two counters calling at once are both spoken
    calls.filter((call) => call.seq > lastSeq && !call.no_show).sort((a, b) => a.seq - b.seq).forEach(announce);
  }
  if (top) lastSeq = Math.max(top.seq, lastSeq || 0); else if (lastSeq === null) lastSeq = 0;
  document.body.dataset.version = String(state.version || 0);
}

function tick() {
  const {date, utc} = stationNow();
  const zone = utc ? {timeZone: "UTC"} : {};
  $("hall-clock").textContent = date.toLocaleTimeString("zh-CN", {hour12: false, ...zone});
  $("hall-date").textContent = date.toLocaleDateString("zh-CN", {month: "long", day: "numeric", weekday: "long", ...zone});
}

function connect() {
  const stream = new EventSource("/api/stream");
  stream.addEventListener("state", (event) => render(JSON.parse(event.data)));
  stream.onopen = () => { $("connection").textContent = ""; $("connection").className = "connection"; };
  stream.onerror = () => { $("connection").textContent = "连接中断，正在重连…"; $("connection").className = "connection lost"; };
}

document.addEventListener("click", () => {
  const ctx = audioContext();
  if (ctx) ctx.resume().then(() => { $("sound-hint").hidden = true; }).catch(() => {});
});

setInterval(tick, 1000);
tick();
connect();
