// Frontdoor sandbox: a reduced Telegram client for the emulator. No framework, no build step.
// Text from people and the bot is only ever inserted with textContent, except a message's
// "html", which the server reduced to Telegram's own tag set.
"use strict";

const S = {
  state: null,
  personId: null,
  chat: null, // {id, thread, kind, title}
  replyTo: null, // {id, name, snippet}
  unread: {}, // "chat:thread" -> count
  lastDay: null,
  stick: true, // the chat is scrolled to its newest message and stays there
  keyboard: null, // the reply keyboard shown, as JSON, to tell a new one from the same
  keyboardHidden: false, // the person collapsed it (Telegram's keyboard button)
};

const $ = (id) => document.getElementById(id);

// What a reload of the tab keeps: who you are, the open chat, the unread counts. Per tab
// (sessionStorage), since each tab may act as someone else.
const SAVED = "frontdoor-sandbox";

function remember() {
  try {
    sessionStorage.setItem(SAVED, JSON.stringify(
      {personId: S.personId, chat: S.chat, unread: S.unread}));
  } catch (err) { /* storage off: a reload starts afresh */ }
}

function remembered() {
  try {
    return JSON.parse(sessionStorage.getItem(SAVED) || "{}") || {};
  } catch (err) {
    return {};
  }
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function colour(id) {
  return "c" + (Math.abs(Number(id)) % 7);
}

function avatar(id, name) {
  return el("div", "avatar " + colour(id), (name || "?").trim().charAt(0).toUpperCase());
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: body instanceof FormData ? {} : {"Content-Type": "application/json"},
    body: body instanceof FormData ? body : JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(data.error || response.statusText, true);
    throw new Error(data.error || response.statusText);
  }
  return data;
}

let toastTimer = null;
function toast(text, alert) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (alert ? " alert" : "");
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, alert ? 4000 : 2500);
}

// ---------------------------------------------------------------------------------------------
// people, chats, clock, banner
// ---------------------------------------------------------------------------------------------
const ROLE_LABEL = {enterprise: "enterprise", officer: "officer", admin: "admin"};

function person() {
  return S.state && S.state.people.find((p) => p.id === S.personId);
}

function key(chatId, thread) {
  return chatId + ":" + (thread === null || thread === undefined ? "" : thread);
}

async function loadState() {
  S.state = await api("/api/state");
  renderTop();
  renderPeople();
  renderChats();
  if (!S.personId && S.state.people.length) {
    const saved = remembered();
    const known = S.state.people.find((p) => p.id === saved.personId);
    const chat = known && saved.chat && known.chats.some((c) => c.id === saved.chat.id &&
      (saved.chat.thread === null || (c.topics || []).some((t) => t.thread_id === saved.chat.thread)))
      ? saved.chat : null;
    if (chat) {
      S.personId = known.id;
      await openChat(chat);
      return;
    }
    await selectPerson(known ? known.id : S.state.people[0].id);
    $("layout").classList.remove("in-chat"); // on a phone, start on the list of people
  }
}

function renderTop() {
  const {clock, bot, catalogue} = S.state;
  $("clock-time").textContent = `${clock.local} ${clock.weekday}`;
  $("clock-zone").textContent = clock.zone;
  const status = $("bot-status");
  status.textContent = bot.running ? `@${bot.username} running` : "bot not running";
  status.title = status.textContent;
  status.className = "status" + (bot.running ? "" : " off");
  const banner = $("banner");
  banner.replaceChildren();
  if (catalogue.errors.length) {
    const head = bot.running
      ? `${catalogue.path} has ${catalogue.errors.length} error(s). The bot keeps the last good catalogue until the file is fixed:`
      : `${catalogue.path} has ${catalogue.errors.length} error(s). The bot starts as soon as the file is valid (saved changes are picked up):`;
    banner.append(el("h3", null, head));
    const list = el("ul");
    for (const issue of catalogue.errors) list.append(el("li", null, issue));
    banner.append(list);
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  $("composer").classList.toggle("disabled", !S.chat);
}

function unreadOf(p) {
  const ids = new Set(p.chats.map((c) => String(c.id)));
  let total = 0;
  for (const [k, n] of Object.entries(S.unread)) {
    if (ids.has(k.split(":")[0])) total += n;
  }
  return total;
}

function badge(n) {
  return n ? el("span", "badge", String(n)) : null;
}

function renderPeople() {
  const list = $("people");
  list.replaceChildren();
  for (const p of S.state.people) {
    const li = el("li", "person" + (p.id === S.personId ? " active" : ""));
    li.dataset.name = p.name;
    li.dataset.id = p.id;
    const who = el("div", "who");
    const name = el("div", "name", p.name);
    name.append(el("span", "role", ROLE_LABEL[p.role] || p.role));
    who.append(name);
    if (p.note) who.append(el("div", "note muted", p.note));
    li.append(avatar(p.id, p.name), who);
    const b = badge(unreadOf(p));
    if (b) li.append(b);
    li.addEventListener("click", () => selectPerson(p.id));
    list.append(li);
  }
}

function chatEntry(chat, thread, title, sub, isTopic) {
  const li = el("li", "chat" + (isTopic ? " topic" : ""));
  li.dataset.title = title;
  li.dataset.chat = chat.id;
  li.dataset.thread = thread === null ? "" : thread;
  if (S.chat && S.chat.id === chat.id && S.chat.thread === thread) li.classList.add("active");
  const who = el("div", "who");
  who.append(el("div", "name", title));
  if (sub) who.append(el("div", "note muted", sub));
  li.append(avatar(isTopic ? thread : chat.id, isTopic ? "#" : title), who);
  const b = badge(S.unread[key(chat.id, thread)] || 0);
  if (b) li.append(b);
  li.addEventListener("click", () => openChat({id: chat.id, thread, kind: chat.kind, title}));
  return li;
}

function renderChats() {
  const list = $("chats");
  list.replaceChildren();
  const p = person();
  if (!p) return;
  $("chats-head").textContent = `${p.name}'s chats`;
  for (const chat of p.chats) {
    if (chat.kind === "private") {
      list.append(chatEntry(chat, null, chat.title, "private chat with the bot", false));
      continue;
    }
    list.append(chatEntry(chat, null, chat.title, "General", false));
    for (const topic of chat.topics) {
      list.append(chatEntry(chat, topic.thread_id, topic.name, null, true));
    }
  }
}

async function selectPerson(id) {
  S.personId = id;
  remember();
  S.replyTo = null;
  renderReplyBar();
  renderPeople();
  const p = person();
  const own = p && p.chats.find((c) => c.kind === "private");
  if (own) await openChat({id: own.id, thread: null, kind: "private", title: own.title});
  else renderChats();
}

// ---------------------------------------------------------------------------------------------
// the chat pane
// ---------------------------------------------------------------------------------------------
async function openChat(chat) {
  S.chat = chat;
  S.replyTo = null;
  S.stick = true;
  S.keyboard = null;
  S.keyboardHidden = false;
  renderReplyBar();
  delete S.unread[key(chat.id, chat.thread)];
  remember();
  renderPeople();
  renderChats();
  $("layout").classList.add("in-chat");
  const p = person();
  $("pane-title").textContent = chat.title;
  $("pane-sub").textContent = `you are ${p.name}` +
    (chat.kind === "private" ? " · private chat" : chat.thread ? " · topic" : " · staff group");
  $("pane-avatar").replaceWith(Object.assign(avatar(chat.thread || chat.id, chat.title),
    {id: "pane-avatar"}));
  $("composer").classList.remove("disabled");
  const query = new URLSearchParams({person: p.id});
  if (chat.thread !== null) query.set("thread_id", chat.thread);
  const data = await api(`/api/chats/${chat.id}/messages?${query}`);
  if (S.chat !== chat) return; // another chat was opened meanwhile
  const box = $("messages");
  box.replaceChildren();
  S.lastDay = null;
  for (const m of data.messages) appendMessage(m, false);
  if (!data.messages.length) {
    box.append(el("div", "empty", chat.kind === "private"
      ? "No messages yet. Send /start to talk to the bot."
      : "No messages in here yet."));
  }
  renderKeyboard(data.keyboard);
  toBottom();
  $("text").focus();
}

// The newest message stays in sight: when it arrives, and whenever the space for the chat
// shrinks (a reply keyboard appears, the composer grows) or a picture in it loads. Someone
// who scrolled up to read is left where they are.
function toBottom() {
  const box = $("messages");
  box.scrollTop = box.scrollHeight;
  S.stick = true;
}

function keepBottom() {
  if (S.stick) toBottom();
}

$("messages").addEventListener("scroll", () => {
  const box = $("messages");
  S.stick = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
});
new ResizeObserver(keepBottom).observe($("messages"));

function inView(chatId, thread) {
  if (!S.chat || S.chat.id !== chatId) return false;
  return S.chat.kind === "private" || (S.chat.thread ?? null) === (thread ?? null);
}

function messageNode(m) {
  const p = person();
  const mine = p && m.sender.id === p.id;
  const node = el("div", "msg " + (m.service ? "service" : mine ? "out" : "in"));
  node.id = `m-${m.chat_id}-${m.id}`;
  node.dataset.id = m.id;
  const bubble = el("div", "bubble");
  node.append(bubble);
  if (m.service) {
    bubble.textContent = m.service;
    return node;
  }
  if (!mine && (S.chat.kind !== "private" || !m.sender.is_bot)) {
    bubble.append(el("div", "sender", m.sender.name));
  }
  if (m.reply_to) {
    const quote = el("div", "quote");
    quote.append(el("b", null, m.reply_to.name), el("span", "snippet", m.reply_to.snippet));
    quote.addEventListener("click", () => {
      const target = document.getElementById(`m-${m.chat_id}-${m.reply_to.id}`);
      if (target) { target.scrollIntoView({block: "center"}); flash(target); }
    });
    bubble.append(quote);
  }
  if (m.photo) {
    const box = el("div", "photo");
    const link = el("a");
    link.href = m.photo.url;
    link.target = "_blank";
    link.rel = "noopener";
    const img = el("img");
    img.src = m.photo.url;
    img.alt = "photo";
    img.loading = "lazy";
    // Its place is kept before it loads (its size is known); should the height still change,
    // the chat stays at its newest message.
    if (m.photo.width && m.photo.height) {
      const {width, height} = m.photo;
      img.style.aspectRatio = `${width} / ${height}`;
      img.style.width = `min(100%, ${width}px, ${Math.round(PHOTO_HEIGHT * width / height)}px)`;
    }
    img.addEventListener("load", keepBottom);
    link.append(img);
    box.append(link);
    bubble.append(box);
  }
  if (m.document) {
    const link = el("a", "doc");
    link.href = m.document.url;
    link.download = m.document.name;
    const info = el("div");
    info.append(el("div", "doc-name", m.document.name), el("div", "muted", size(m.document.size)));
    link.append(el("div", "icon", "⬇"), info);
    bubble.append(link);
  }
  if (m.contact) {
    const c = el("div", "contact");
    c.append(el("span", null, "👤"), el("span", null, `${m.contact.name} · ${m.contact.phone}`));
    bubble.append(c);
  }
  if (m.html) {
    const text = el("div", "text");
    text.innerHTML = m.html; // sanitised on the server: Telegram's tags only
    bubble.append(text);
  }
  const meta = el("div", "meta");
  // The bot's reaction (👌: the officer's reply reached the company), as Telegram shows it.
  if (m.reactions && m.reactions.length) meta.append(el("span", "reaction", m.reactions.join("")));
  if (m.edited) meta.append(el("span", "edited", "edited"));
  meta.append(el("span", "time", m.time));
  const reply = el("button", "reply-btn", "↩");
  reply.type = "button";
  reply.title = "Reply";
  reply.setAttribute("aria-label", "Reply");
  reply.addEventListener("click", () => {
    S.replyTo = {id: m.id, name: m.sender.name, snippet: plain(m)};
    renderReplyBar();
    $("text").focus();
  });
  meta.append(reply);
  bubble.append(meta);
  if (m.buttons && m.buttons.length) {
    node.classList.add("has-kb");
    node.append(inlineKeyboard(m));
  }
  return node;
}

const PHOTO_HEIGHT = 320; // the tallest a picture is shown (style.css: .photo img)

function plain(m) {
  if (m.html) {
    const tmp = document.createElement("div");
    tmp.innerHTML = m.html;
    return tmp.textContent.slice(0, 90);
  }
  if (m.document) return "📄 " + m.document.name;
  if (m.photo) return "🖼 photo";
  if (m.contact) return "👤 contact";
  return "";
}

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function flash(node) {
  node.classList.remove("flash");
  void node.offsetWidth; // restart the animation
  node.classList.add("flash");
}

function inlineKeyboard(m) {
  const kb = el("div", "kb");
  for (const row of m.buttons) {
    const line = el("div", "kb-row");
    for (const b of row) {
      if (b.url) {
        const a = el("a", "kb-btn", b.text + " ↗");
        a.href = b.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        line.append(a);
        continue;
      }
      const button = el("button", "kb-btn", b.text);
      button.type = "button";
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          const data = await api("/api/press", {
            person: S.personId, chat_id: m.chat_id, message_id: m.id, data: b.data,
          });
          if (data.answer && data.answer.text) toast(data.answer.text, data.answer.alert);
        } finally {
          button.disabled = false;
        }
      });
      line.append(button);
    }
    kb.append(line);
  }
  return kb;
}

function appendMessage(m, live) {
  const box = $("messages");
  const empty = box.querySelector(".empty");
  if (empty) empty.remove();
  if (m.day !== S.lastDay) {
    box.append(el("div", "day", m.day));
    S.lastDay = m.day;
  }
  const node = messageNode(m);
  box.append(node);
  if (live) flash(node);
}

function upsert(event) {
  const m = event.message;
  const existing = document.getElementById(`m-${m.chat_id}-${m.id}`);
  if (event.kind === "delete" || m.deleted) {
    if (existing) existing.remove();
    return;
  }
  if (existing) {
    const node = messageNode(m);
    existing.replaceWith(node);
    flash(node);
  } else {
    appendMessage(m, true);
  }
  if (!existing && person() && m.sender.id === person().id) toBottom();
  else keepBottom();
}

function renderKeyboard(keyboard) {
  const box = $("keyboard");
  const shown = keyboard && keyboard.rows.length ? JSON.stringify(keyboard) : null;
  if (shown !== S.keyboard) S.keyboardHidden = false; // a new keyboard opens, as on a phone
  S.keyboard = shown;
  box.replaceChildren();
  if (!shown) {
    $("text").placeholder = "Message";
    showKeyboard();
    return;
  }
  for (const row of keyboard.rows) {
    const line = el("div", "kb-row");
    for (const b of row) {
      const button = el("button", "reply-key", b.text);
      button.type = "button";
      button.addEventListener("click", () => {
        if (b.contact) {
          api("/api/contact", {person: S.personId, chat_id: S.chat.id, label: b.text});
        } else {
          api("/api/send", {person: S.personId, chat_id: S.chat.id, text: b.text,
            keyboard: true});
        }
      });
      line.append(button);
    }
    box.append(line);
  }
  $("text").placeholder = keyboard.placeholder || "Message";
  showKeyboard();
}

// The keyboard button next to the message box hides the bot's keyboard and brings it back.
function showKeyboard() {
  const toggle = $("kb-toggle");
  const open = S.keyboard !== null && !S.keyboardHidden;
  $("keyboard").hidden = !open;
  toggle.hidden = S.keyboard === null;
  toggle.classList.toggle("on", open);
  toggle.setAttribute("aria-expanded", String(open));
  toggle.title = open ? "Hide the bot's keyboard" : "Show the bot's keyboard";
  keepBottom();
}

$("kb-toggle").addEventListener("click", () => {
  S.keyboardHidden = !S.keyboardHidden;
  showKeyboard();
});

function renderReplyBar() {
  const bar = $("reply-bar");
  if (!S.replyTo) {
    bar.hidden = true;
    return;
  }
  $("reply-name").textContent = "Reply to " + S.replyTo.name;
  $("reply-text").textContent = S.replyTo.snippet;
  bar.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// acting: typing, files, people, clock
// ---------------------------------------------------------------------------------------------
async function sendText() {
  const input = $("text");
  const text = input.value;
  if (!S.chat || !text.trim()) return;
  const body = {person: S.personId, chat_id: S.chat.id, thread_id: S.chat.thread, text};
  if (S.replyTo) body.reply_to = S.replyTo.id;
  input.value = "";
  autosize();
  S.replyTo = null;
  renderReplyBar();
  try {
    await api("/api/send", body);
  } catch (err) {
    input.value = text;
  }
}

async function sendFile(file) {
  if (!S.chat || !file) return;
  const form = new FormData();
  form.append("person", S.personId);
  form.append("chat_id", S.chat.id);
  if (S.chat.thread !== null) form.append("thread_id", S.chat.thread);
  if (S.replyTo) form.append("reply_to", S.replyTo.id);
  form.append("caption", $("text").value);
  form.append("as_photo", /^image\/(png|jpeg|gif)$/.test(file.type) ? "1" : "0");
  form.append("file", file, file.name);
  await api("/api/upload", form);
  $("text").value = "";
  S.replyTo = null;
  renderReplyBar();
}

function autosize() {
  const input = $("text");
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 160) + "px";
}

$("composer").addEventListener("submit", (e) => { e.preventDefault(); sendText(); });
$("text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendText();
  }
});
$("text").addEventListener("input", autosize);
$("attach").addEventListener("click", () => $("file").click());
$("file").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  await sendFile(file);
});
$("reply-cancel").addEventListener("click", () => { S.replyTo = null; renderReplyBar(); });
$("back").addEventListener("click", () => $("layout").classList.remove("in-chat"));

$("add-person").addEventListener("submit", async (e) => {
  e.preventDefault();
  const data = await api("/api/people", {
    name: $("new-name").value, role: $("new-role").value, language: $("new-language").value,
  });
  $("new-name").value = "";
  await loadState();
  selectPerson(data.person.id);
});

// A QR code cannot be scanned here: its link (a pass's caption shows it) is opened as the
// selected person instead, which is what Telegram does when someone scans it.
$("open-link").addEventListener("click", async () => {
  const p = person();
  if (!p) return;
  const link = window.prompt(`Open a link into the bot as ${p.name}\n(e.g. an event pass: https://t.me/…?start=ev-…)`);
  if (!link || !link.trim()) return;
  await api("/api/open", {person: p.id, link: link.trim()});
  await selectPerson(p.id);
});

for (const button of document.querySelectorAll("[data-clock]")) {
  button.addEventListener("click", async () => {
    const data = await api("/api/clock", {action: button.dataset.clock});
    toast(`Sandbox time: ${data.clock.local} ${data.clock.weekday} (${data.clock.zone})`);
  });
}

// ---------------------------------------------------------------------------------------------
// live updates
// ---------------------------------------------------------------------------------------------
function listen() {
  const source = new EventSource("/events");
  source.onmessage = (e) => {
    const event = JSON.parse(e.data);
    if (event.type === "state") {
      loadState();
      return;
    }
    if (event.type !== "message") return;
    if (inView(event.chat_id, event.thread_id)) {
      upsert(event);
      renderKeyboard(event.keyboard);
    } else if (event.kind === "new" && !event.message.service) {
      const p = person();
      if (!p || event.message.sender.id !== p.id) {
        const k = key(event.chat_id, event.message.thread_id);
        S.unread[k] = (S.unread[k] || 0) + 1;
        remember();
        renderPeople();
        renderChats();
      }
    }
  };
  source.onopen = () => { document.body.dataset.live = "1"; };
}

S.unread = remembered().unread || {};
listen();
loadState();
