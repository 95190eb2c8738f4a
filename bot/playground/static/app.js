// The playground page: renders the Block Kit lpbot really sent, and sends back what a
// person does. Every action reaches the bot as a signed Slack request (via the server).
"use strict";

const state = { user: null, people: [], tab: "dms", data: null, modalKey: null };
const $ = (sel) => document.querySelector(sel);

function esc(text) {
  return String(text ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// mrkdwn: the text is already escaped by the bot (&lt; etc.), so only formatting is applied.
function mrkdwn(text) {
  let out = String(text ?? "").replace(/<(?!\/?(b|i|code|br)>)/g, "&lt;");
  out = out.replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>")
    .replace(/\n/g, "<br>");
  return out;
}

function textObject(obj) {
  if (!obj) return "";
  return obj.type === "mrkdwn" ? mrkdwn(obj.text) : esc(obj.text);
}

function unknown(obj) {
  return `<pre class="unknown">${esc(JSON.stringify(obj, null, 2))}</pre>`;
}

function element(el, source, blockId) {
  const data = `data-source='${esc(JSON.stringify(source))}' data-action="${esc(el.action_id)}"`;
  if (el.type === "button") {
    const style = el.style ? ` class="${esc(el.style)}"` : "";
    const confirm = el.confirm ? ` data-confirm="${esc(el.confirm.text.text)}"` : "";
    return `<button${style} ${data}${confirm} data-value="${esc(el.value ?? "")}">${textObject(el.text)}</button>`;
  }
  if (el.type === "static_select") {
    const options = (el.options || []).map((o) =>
      `<option value="${esc(o.value)}">${textObject(o.text)}</option>`).join("");
    return `<select ${data}><option value="">${textObject(el.placeholder) || "Choose"}</option>${options}</select>`;
  }
  return unknown(el);
}

function block(b, source) {
  switch (b.type) {
    case "section": {
      let html = `<div class="block section">${textObject(b.text)}`;
      if (b.fields) html += `<div class="fields">${b.fields.map((f) => `<div>${textObject(f)}</div>`).join("")}</div>`;
      if (b.accessory) html += `<div class="accessory">${element(b.accessory, source, b.block_id)}</div>`;
      return html + "</div>";
    }
    case "header": return `<div class="block header">${textObject(b.text)}</div>`;
    case "divider": return `<hr class="block divider">`;
    case "context": return `<div class="block context">${(b.elements || []).map((e) =>
      e.type === "image" ? "" : textObject(e)).join(" ")}</div>`;
    case "actions": return `<div class="block actions">${(b.elements || []).map((e) =>
      element(e, source, b.block_id)).join("")}</div>`;
    case "data_visualization": return chartBlock(b);
    case "table": return tableBlock(b);
    default: return unknown(b);
  }
}

function blocks(list, source, fallback) {
  if (!list || !list.length) return `<div class="block">${mrkdwn(fallback)}</div>`;
  return list.map((b) => block(b, source)).join("");
}

function messages(list, channelSource) {
  if (!list.length) return `<p class="meta">Nothing yet. Try <code>/lp help</code>, or fast-forward the clock.</p>`;
  const parents = list.filter((m) => !m.thread_ts);
  return parents.map((m) => {
    const source = { type: "message", channel: m.channel, ts: m.ts };
    const replies = list.filter((r) => r.thread_ts === m.ts).map((r) =>
      `<div class="thread">${blocks(r.blocks, { type: "message", channel: r.channel, ts: r.ts }, r.text)}</div>`).join("");
    return `<div class="message" data-ts="${esc(m.ts)}">${blocks(m.blocks, source, m.text)}${replies}</div>`;
  }).join("");
}

function inputBlock(b, errors) {
  const el = b.element || {};
  const label = `<label class="title" for="in-${esc(b.block_id)}">${textObject(b.label)}${b.optional ? ' <span class="optional">(optional)</span>' : ""}</label>`;
  const error = errors[b.block_id] ? `<div class="error">${esc(errors[b.block_id])}</div>` : "";
  let control;
  if (el.type === "plain_text_input") {
    const value = esc(el.initial_value ?? "");
    control = el.multiline
      ? `<textarea id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}" maxlength="${el.max_length || 3000}" rows="3">${value}</textarea>`
      : `<input type="text" id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}" maxlength="${el.max_length || 3000}" value="${value}">`;
  } else if (el.type === "static_select") {
    const chosen = el.initial_option ? el.initial_option.value : "";
    control = `<select id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}"><option value="">${textObject(el.placeholder) || "Choose"}</option>${
      (el.options || []).map((o) => `<option value="${esc(o.value)}"${o.value === chosen ? " selected" : ""}>${textObject(o.text)}</option>`).join("")}</select>`;
  } else if (el.type === "radio_buttons") {
    const chosen = el.initial_option ? el.initial_option.value : "";
    control = `<div class="radios" id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}" data-radio="1">${
      (el.options || []).map((o) => `<label><input type="radio" name="r-${esc(b.block_id)}" value="${esc(o.value)}"${o.value === chosen ? " checked" : ""}> ${textObject(o.text)}</label>`).join("")}</div>`;
  } else if (el.type === "datepicker") {
    control = `<input type="date" id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}" value="${esc(el.initial_date ?? "")}">`;
  } else if (el.type === "multi_users_select" || el.type === "conversations_select") {
    control = picker(b, el);
  } else {
    control = unknown(el);
  }
  return `<div class="input">${label}${control}${error}</div>`;
}

// Slack's own pickers: people and channels of the pretend workspace.
function picker(b, el) {
  const dir = (state.data && state.data.directory) || { users: [], channels: [] };
  const many = el.type === "multi_users_select";
  const chosen = many ? (el.initial_users || []) : [el.initial_conversation].filter(Boolean);
  const items = many ? dir.users : dir.channels;
  const options = items.map((i) => `<option value="${esc(i.id)}"${chosen.includes(i.id) ? " selected" : ""}>${esc(many ? i.name : "#" + i.name)}</option>`).join("");
  return many
    ? `<select multiple size="6" id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}" data-multi="1">${options}</select>`
    : `<select id="in-${esc(b.block_id)}" data-block="${esc(b.block_id)}"><option value="">Choose a channel</option>${options}</select>`;
}

function renderModal(modal) {
  const box = $("#modal");
  if (!modal) { box.hidden = true; box.innerHTML = ""; state.modalKey = null; return; }
  const key = modal.id + JSON.stringify(modal.view.blocks).length + JSON.stringify(modal.errors);
  if (state.modalKey === key) return;  // keep what the person is typing
  state.modalKey = key;
  const view = modal.view;
  const source = { type: "view", view_id: modal.id };
  const body = (view.blocks || []).map((b) => b.type === "input" ? inputBlock(b, modal.errors || {}) : block(b, source)).join("");
  box.innerHTML = `<div class="dialog" role="dialog" aria-modal="true" data-view="${esc(modal.id)}">
    <h2>${textObject(view.title)}</h2><form id="modal-form">${body}
    <footer><button type="button" id="modal-close">${textObject(view.close) || "Cancel"}</button>
    ${view.submit ? `<button type="submit" class="primary">${textObject(view.submit)}</button>` : ""}</footer></form></div>`;
  box.hidden = false;
  $("#modal-close").onclick = () => post("/api/close", { view_id: modal.id }).then(refresh);
  $("#modal-form").onsubmit = (event) => {
    event.preventDefault();
    const values = {};
    box.querySelectorAll("[data-block]").forEach((node) => {
      if (node.dataset.multi) {
        values[node.dataset.block] = Array.from(node.selectedOptions).map((o) => o.value);
      } else if (node.dataset.radio) {
        const picked = node.querySelector("input:checked");
        if (picked) values[node.dataset.block] = picked.value;
      } else if (node.value !== "") {
        values[node.dataset.block] = node.value;
      }
    });
    post("/api/submit", { view_id: modal.id, values }).then(() => { state.modalKey = null; refresh(); });
  };
}

function render() {
  const data = state.data;
  if (!data) return;
  $("#clock").textContent = new Date(data.clock).toUTCString().replace(" GMT", " UTC");
  const pane = $("#pane");
  if (state.tab === "dms") pane.innerHTML = messages(data.dms);
  if (state.tab === "digest") pane.innerHTML = messages(data.digest);
  if (state.tab === "home") {
    pane.innerHTML = data.home ? blocks(data.home.blocks, { type: "home" }, "")
      : `<p class="meta">Loading App Home…</p>`;
  }
  $("#private").innerHTML = data.private.slice(-3).map((r) =>
    `<div class="message">${blocks(r.blocks, { type: "ephemeral" }, r.text)}</div>`).join("");
  renderModal(data.modal);
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: state.user, ...body }) });
  const answer = await response.json();
  if (!response.ok) $("#notice").textContent = answer.error || "Something went wrong.";
  return answer;
}

async function refresh() {
  if (!state.user) return;
  const response = await fetch(`/api/state?user=${encodeURIComponent(state.user)}`);
  state.data = await response.json();
  render();
}

function choose(user) {
  state.user = user;
  state.data = null;
  const person = state.people.find((p) => p.id === user);
  $("#role").textContent = person ? `${person.role} · ${person.partnership}` : "";
  $("#private").innerHTML = "";
  post("/api/home", {}).then(refresh);
}

document.addEventListener("click", (event) => {
  const target = event.target.closest("button[data-action]");
  if (target && target.dataset.confirm && !window.confirm(target.dataset.confirm)) return;
  if (target) {
    post("/api/click", { action_id: target.dataset.action, value: target.dataset.value,
      source: JSON.parse(target.dataset.source) }).then(() => setTimeout(refresh, 300));
  }
  const tab = event.target.closest(".tab");
  if (tab) {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
    state.tab = tab.dataset.tab;
    if (state.tab === "home") post("/api/home", {}).then(() => setTimeout(refresh, 300));
    render();
  }
  const forward = event.target.closest("button[data-forward]");
  if (forward) {
    $("#notice").textContent = "Moving the clock on…";
    post("/api/forward", { amount: forward.dataset.forward }).then((answer) => {
      $("#notice").textContent = answer.message || "";
      refresh();
    });
  }
});

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-action]");
  if (select && select.value) {
    post("/api/click", { action_id: select.dataset.action, selected: select.value,
      source: JSON.parse(select.dataset.source) }).then(refresh);
  }
});

$("#composer").onsubmit = (event) => {
  event.preventDefault();
  const text = $("#command").value.trim();
  if (!text) return;
  $("#command").value = "";
  post("/api/command", { text }).then(() => setTimeout(refresh, 300));
};

$("#who").onchange = (event) => choose(event.target.value);

fetch("/api/people").then((r) => r.json()).then((people) => {
  state.people = people;
  $("#who").innerHTML = people.map((p) =>
    `<option value="${esc(p.id)}">${esc(p.name)} (${esc(p.role)}, ${esc(p.partnership)})</option>`).join("");
  const first = people.find((p) => p.role === "member") || people[0];
  $("#who").value = first.id;
  choose(first.id);
});

setInterval(refresh, 1500);
