/* Support console: live queue, conversation view, take / reply / hand back / close.
   Plain browser script, no build step. Every text from the store is set with textContent. */
(function () {
  "use strict";
  var me = null;
  var openId = null;
  var openDetail = null;
  var seen = {};
  var socket = null;
  var retry = 0;
  var typingTimer = null;
  var lastTypingSent = 0;
  var refreshTimer = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function notice(text) { $("notice").textContent = text || ""; }

  function api(path, body) {
    var opts = { credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      opts.method = "POST";
      opts.headers["Content-Type"] = "application/json";
      opts.headers["X-CSRF-Token"] = me ? me.csrf : "";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      if (r.status === 401) { window.location.href = "/console/login"; throw new Error("signed out"); }
      return r.json().then(function (data) {
        if (!r.ok) throw new Error((data && data.error && data.error.message) || ("HTTP " + r.status));
        return data;
      });
    });
  }

  function ago(iso) {
    if (!iso) return "";
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function queueItem(c) {
    var b = el("button", "item");
    b.type = "button";
    b.dataset.id = c.conversation_id;
    if (c.conversation_id === openId) b.setAttribute("aria-current", "true");
    var top = el("div", "top");
    top.appendChild(el("span", "", c.customer || (c.guest_order ? "Guest " + c.guest_order : "Guest")));
    var wait = el("span", "wait");
    wait.dataset.since = c.waiting_since || "";
    wait.textContent = c.status === "waiting_for_agent" ? ago(c.waiting_since) : "";
    top.appendChild(wait);
    b.appendChild(top);
    var meta = el("div", "meta");
    var state = c.status === "with_agent" ? "with " + (c.agent || "an agent") : c.status.replace(/_/g, " ");
    meta.appendChild(el("span", "badge" + (c.status === "waiting_for_agent" ? " waiting" : ""), state));
    if (c.reason) meta.appendChild(el("span", "badge", c.reason.replace(/_/g, " ")));
    if (c.lang) meta.appendChild(el("span", "badge", c.lang));
    if (c.sentiment !== null && c.sentiment !== undefined) {
      meta.appendChild(el("span", "badge" + (c.sentiment <= -0.4 ? " upset" : ""), "mood " + c.sentiment.toFixed(2)));
    }
    b.appendChild(meta);
    b.appendChild(el("div", "last", c.last_message || ""));
    b.addEventListener("click", function () { openConversation(c.conversation_id); });
    var li = el("div");
    li.setAttribute("role", "listitem");  // the button keeps its own role inside
    li.appendChild(b);
    return li;
  }

  function loadQueue() {
    return api("/console/api/queue").then(function (q) {
      var box = $("queue");
      box.textContent = "";
      q.waiting.forEach(function (c) { box.appendChild(queueItem(c)); });
      // an empty list has no items, and the note is no list item: it sits outside the list
      $("queue-empty").hidden = q.waiting.length > 0;
      $("q-count").textContent = String(q.waiting.filter(function (c) { return c.status === "waiting_for_agent"; }).length);
      var recent = $("recent");
      recent.textContent = "";
      q.recent.forEach(function (c) { recent.appendChild(queueItem(c)); });
      $("recent-empty").hidden = q.recent.length > 0;
    }).catch(function (e) { notice(e.message); });
  }
  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; loadQueue(); }, 80);
  }

  function addMessage(m) {
    if (m.message_id && seen[m.message_id]) return;
    if (m.message_id) seen[m.message_id] = true;
    var box = $("transcript");
    var role = m.role;
    var n = el("div", "msg " + role);
    var who = { user: "Shopper", assistant: "Bot", agent: m.name || "Agent", tool: "tool " + (m.name || ""), action: "action" }[role] || role;
    n.appendChild(el("span", "who", who));
    var text = m.text || "";
    if (role === "tool" && m.args) text = JSON.stringify(m.args) + "\n→ " + text.slice(0, 400);
    n.appendChild(document.createTextNode(text));
    box.appendChild(n);
    if (m.cards && m.cards.length) {
      box.appendChild(el("div", "cards", "cards: " + m.cards.map(function (c) { return c.name; }).join(" · ")));
    }
    box.scrollTop = box.scrollHeight;
  }

  function renderCustomer(d) {
    var box = $("customer");
    var orders = $("orders");
    box.textContent = "";
    orders.textContent = "";
    if (!d.customer) {
      box.appendChild(el("span", "empty", d.summary.guest_order ? "Guest verified for " + d.summary.guest_order : "Not verified"));
      return;
    }
    var p = d.customer.profile;
    box.appendChild(el("div", "", (p.name ? p.name.first_name + " " + p.name.last_name : p.user_id)));
    box.appendChild(el("div", "", p.email || ""));
    if (p.address) box.appendChild(el("div", "", [p.address.address1, p.address.city, p.address.state, p.address.zip].filter(Boolean).join(", ")));
    var t = el("table");
    var head = el("tr");
    ["Order", "Status", "Items"].forEach(function (h) { head.appendChild(el("th", "", h)); });
    t.appendChild(head);
    d.customer.orders.forEach(function (o) {
      var tr = el("tr");
      tr.appendChild(el("td", "", o.order_id));
      tr.appendChild(el("td", "", o.status));
      tr.appendChild(el("td", "", o.items.map(function (i) { return i.name; }).join(", ")));
      t.appendChild(tr);
    });
    orders.appendChild(t);
  }

  function renderAudit(d) {
    var box = $("audit");
    box.textContent = "";
    d.audit.forEach(function (a) {
      box.appendChild(el("div", "", a.at.slice(0, 19).replace("T", " ") + " " + a.action + " " + (a.args.order_id || "") + " by " + a.actor));
    });
    d.events.forEach(function (e) {
      box.appendChild(el("div", "", e.at.slice(0, 19).replace("T", " ") + " " + e.from + " → " + e.to + " (" + e.actor + (e.reason ? ", " + e.reason : "") + ")" + (e.note ? ": " + e.note : "")));
    });
    if (!d.audit.length && !d.events.length) box.appendChild(el("span", "empty", "—"));
  }

  function renderControls(d) {
    var c = d.conversation;
    var mine = c.status === "with_agent" && c.agent_id === me.id;
    $("controls").hidden = false;
    $("take-row").hidden = !(c.status === "waiting_for_agent" || c.status === "bot");
    $("take").textContent = c.status === "bot" ? "Take over from the bot" : "Take conversation";
    $("reply-form").hidden = !mine;
    $("holder-row").hidden = !mine;
    $("action-row").hidden = !mine || !d.summary.customer_id;
    if (c.status === "with_agent" && !mine) notice((c.agent || "Another agent") + " has this conversation.");
  }

  function openConversation(id) {
    openId = id;
    notice("");
    return api("/console/api/conversations/" + encodeURIComponent(id)).then(function (d) {
      openDetail = d;
      seen = {};
      $("transcript").textContent = "";
      $("summary").hidden = false;
      $("summary").textContent = d.summary.text;
      d.messages.forEach(addMessage);
      renderCustomer(d);
      renderAudit(d);
      renderControls(d);
      Array.prototype.forEach.call(document.querySelectorAll(".item"), function (b) {
        b.setAttribute("aria-current", b.dataset.id === id ? "true" : "false");
      });
    }).catch(function (e) { notice(e.message); });
  }

  function post(path, body) {
    notice("");
    return api("/console/api/conversations/" + encodeURIComponent(openId) + "/" + path, body || {})
      .then(function (r) { return openConversation(openId).then(function () { loadQueue(); return r; }); })
      .catch(function (e) { notice(e.message); });
  }

  $("take").addEventListener("click", function () { post("take"); });
  $("hand-back").addEventListener("click", function () { post("hand-back", { note: $("note").value }).then(function () { $("note").value = ""; }); });
  $("close").addEventListener("click", function () { post("close", { resolution: $("resolution").value }); });
  $("propose").addEventListener("click", function () {
    var args;
    try { args = JSON.parse($("action-args").value || "{}"); } catch (e) { notice("Arguments must be JSON, e.g. {\"order_id\": \"#W1234567\", \"reason\": \"no longer needed\"}"); return; }
    post("actions", { action: $("action").value, args: args });
  });
  $("reply-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("reply").value.trim();
    if (!text || !openId) return;
    $("reply").value = "";
    sendTyping(false);
    api("/console/api/conversations/" + encodeURIComponent(openId) + "/reply", { text: text })
      .catch(function (e) { notice(e.message); });
  });
  function sendTyping(on) {
    if (!socket || socket.readyState !== WebSocket.OPEN || !openId) return;
    var now = Date.now();
    if (on && now - lastTypingSent < 2500) return;
    lastTypingSent = on ? now : 0;
    socket.send(JSON.stringify({ type: "typing", conversation_id: openId, on: on }));
  }
  $("reply").addEventListener("input", function () { sendTyping(true); });
  $("reply").addEventListener("blur", function () { sendTyping(false); });

  function showTyping(on) {
    $("typing").textContent = on ? "Shopper is typing…" : "";
    if (typingTimer) clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { $("typing").textContent = ""; }, 6000);
  }

  function onEvent(f) {
    if (f.type === "message" || f.type === "state" || f.type === "csat") refreshSoon();
    if (f.conversation_id !== openId) return;
    if (f.type === "message") {
      if (f.truncated) { openConversation(openId); return; }
      if (f.role === "user") showTyping(false);
      addMessage({ message_id: f.message_id, role: f.role, name: f.name, text: f.text });
    } else if (f.type === "state" || f.type === "csat") {
      openConversation(openId);
    } else if (f.type === "typing" && f.who === "shopper") {
      showTyping(f.on);
    }
  }

  function connect() {
    var ws = new WebSocket(window.location.origin.replace(/^http/, "ws") + "/ws/console");
    socket = ws;
    ws.onopen = function () { retry = 0; loadQueue(); };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      onEvent(f);
    };
    ws.onclose = function () {
      socket = null;
      setTimeout(connect, Math.min(8000, 500 * Math.pow(2, retry++)));
    };
  }

  setInterval(function () {
    Array.prototype.forEach.call(document.querySelectorAll(".wait"), function (w) {
      if (w.dataset.since && w.textContent) w.textContent = ago(w.dataset.since);
    });
  }, 1000);

  api("/console/api/me").then(function (m) {
    me = m;
    $("me").textContent = m.name + " (" + m.role + ")";
    $("logout-csrf").value = m.csrf;
    $("metrics-link").hidden = m.role !== "admin";
    m.resolutions.forEach(function (r) { var o = el("option", "", r.replace(/_/g, " ")); o.value = r; $("resolution").appendChild(o); });
    m.actions.forEach(function (a) { var o = el("option", "", a.replace(/_/g, " ")); o.value = a; $("action").appendChild(o); });
    loadQueue();
    connect();
  }).catch(function (e) { notice(e.message); });
  window.ShopConsole = { open: openConversation, detail: function () { return openDetail; } };
})();
