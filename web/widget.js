/* shopassist chat widget — embed with one tag:
 *   <script src="https://your-host/widget.js" defer></script>
 * Options (data- attributes on the tag): data-open="true" opens the panel on load,
 * data-title="…" sets the header text. Talks to the server the script came from. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = new URL(script && script.src ? script.src : window.location.href).origin;
  var wsOrigin = origin.replace(/^http/, "ws");
  var STORE_KEY = "shopassist.conversation";
  var title = (script && script.dataset.title) || "Shopping assistant";

  var css = [
    ":host{all:initial}",
    ".sa-launch{position:fixed;right:24px;bottom:24px;width:56px;height:56px;border-radius:50%;border:0;background:#1d3b2a;color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}",
    ".sa-panel{position:fixed;right:24px;bottom:92px;width:380px;max-width:calc(100vw - 32px);height:560px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);font:14px/1.4 system-ui,sans-serif;color:#1d2330;overflow:hidden;z-index:2147483000}",
    ".sa-panel.open{display:flex}",
    ".sa-head{background:#1d3b2a;color:#fff;padding:12px 14px;font-weight:600;display:flex;justify-content:space-between;align-items:center}",
    ".sa-status{font-size:11px;font-weight:400;opacity:.85}",
    ".sa-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f7f8fa}",
    ".sa-msg{max-width:85%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word;flex-shrink:0}",
    ".sa-msg-user{align-self:flex-end;background:#1d3b2a;color:#fff}",
    ".sa-msg-assistant{align-self:flex-start;background:#fff;border:1px solid #e3e6ea}",
    ".sa-msg-action{align-self:center;background:#eef6f0;color:#1d3b2a;border:1px dashed #9cc5a8;font-size:12px}",
    ".sa-msg-error{align-self:flex-start;background:#fdecea;color:#8a1c12;border:1px solid #f5c2bd}",
    ".sa-tool{align-self:flex-start;font-size:12px;color:#5b6472}",
    ".sa-cards{display:flex;gap:8px;overflow-x:auto;padding-bottom:4px;align-self:stretch;flex-shrink:0}",
    ".sa-card{flex:0 0 170px;background:#fff;border:1px solid #e3e6ea;border-radius:10px;padding:9px;display:flex;flex-direction:column;gap:4px}",
    ".sa-card-name{font-weight:600;font-size:13px}",
    ".sa-card-price{color:#1d6b3a;font-weight:700}",
    ".sa-card-meta{font-size:11px;color:#5b6472}",
    ".sa-card-stock{font-size:11px}",
    ".sa-card-reason{font-size:11px;color:#3b4a8a;font-style:italic}",
    ".sa-carousel{display:flex;align-items:center;gap:4px;align-self:stretch;flex-shrink:0}",
    ".sa-carousel .sa-cards{flex:1;scroll-snap-type:x mandatory;scroll-behavior:smooth}",
    ".sa-carousel .sa-card{scroll-snap-align:start}",
    ".sa-carousel-btn{border:1px solid #c9ced6;background:#fff;border-radius:50%;width:28px;height:28px;cursor:pointer;flex-shrink:0}",
    ".sa-typing{align-self:flex-start;display:flex;gap:4px;padding:10px 12px;background:#fff;border:1px solid #e3e6ea;border-radius:12px}",
    ".sa-typing i{width:6px;height:6px;border-radius:50%;background:#9aa3af;animation:sa-b 1s infinite}",
    ".sa-typing i:nth-child(2){animation-delay:.15s}.sa-typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes sa-b{0%,80%,100%{opacity:.3}40%{opacity:1}}",
    ".sa-form{display:flex;border-top:1px solid #e3e6ea}",
    ".sa-input{flex:1;border:0;padding:12px;font:inherit;outline:none}",
    ".sa-send{border:0;background:#1d3b2a;color:#fff;padding:0 16px;font:inherit;cursor:pointer}",
    ".sa-send:disabled{opacity:.5;cursor:default}",
    ".sa-confirm{align-self:flex-start;border:0;border-radius:8px;background:#1d6b3a;color:#fff;padding:7px 12px;font:inherit;cursor:pointer;flex-shrink:0}",
    ".sa-confirm:disabled{opacity:.5;cursor:default}"
  ].join("\n");

  var host = document.createElement("div");
  host.id = "shopassist-widget";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" + css + "</style>" +
    '<button class="sa-launch" aria-label="Open chat"><svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg></button>' +
    '<section class="sa-panel" role="dialog" aria-label="' + title + '">' +
    '<div class="sa-head"><span class="sa-title"></span><span class="sa-status">connecting…</span></div>' +
    '<div class="sa-log" aria-live="polite"></div>' +
    '<form class="sa-form"><input class="sa-input" maxlength="4000" placeholder="Ask about products…" aria-label="Message">' +
    '<button class="sa-send" type="submit">Send</button></form></section>';

  var panel = root.querySelector(".sa-panel");
  var log = root.querySelector(".sa-log");
  var input = root.querySelector(".sa-input");
  var statusEl = root.querySelector(".sa-status");
  root.querySelector(".sa-title").textContent = title;
  root.querySelector(".sa-launch").addEventListener("click", function () {
    panel.classList.toggle("open");
    if (panel.classList.contains("open")) input.focus();
  });
  if (script && script.dataset.open === "true") panel.classList.add("open");

  // The conversation's secret (its session token). Same-site pages also get it as an
  // HttpOnly cookie; cross-site embeds need this copy to resume after a reload.
  var session = null;
  try { session = window.localStorage.getItem(STORE_KEY); } catch (e) { /* private mode */ }
  var customerToken = script && script.dataset.customerToken ? script.dataset.customerToken : null;
  var ready = false; // the socket's conversation is settled (resumed or new)
  var resuming = false;
  var offered = null;
  var socket = null;
  var retry = 0;
  var outbox = [];
  var turns = {}; // message_id -> {bubble, text}
  var typingEl = null;
  var hadConnection = false;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function newId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID().replace(/-/g, "")
      : String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function showTyping() {
    if (!typingEl) { typingEl = el("div", "sa-typing"); typingEl.innerHTML = "<i></i><i></i><i></i>"; }
    log.appendChild(typingEl); scroll();
  }
  function clearTyping() { if (typingEl && typingEl.parentNode) typingEl.parentNode.removeChild(typingEl); }
  function addMessage(role, text) {
    var b = el("div", "sa-msg sa-msg-" + role, text);
    if (typingEl && typingEl.parentNode) log.insertBefore(b, typingEl); else log.appendChild(b);
    scroll();
    return b;
  }
  function money(v) { return "$" + Number(v).toFixed(2); }
  function renderCards(cards, after) {
    if (!cards || !cards.length) return;
    var row = el("div", "sa-cards");
    cards.forEach(function (c) {
      var card = el("article", "sa-card");
      card.dataset.productId = c.id;
      card.dataset.price = c.price;
      card.appendChild(el("div", "sa-card-name", c.name));
      card.appendChild(el("div", "sa-card-price", money(c.price)));
      var opts = Object.keys(c.options || {}).map(function (k) {
        return k + ": " + c.options[k].join(", ");
      }).join(" · ");
      if (opts) card.appendChild(el("div", "sa-card-meta", opts));
      card.appendChild(el("div", "sa-card-stock", c.in_stock ? "In stock" : "Out of stock"));
      if (c.reason) card.appendChild(el("div", "sa-card-reason", c.reason));
      card.appendChild(el("div", "sa-card-meta", "id " + c.id));
      row.appendChild(card);
    });
    // Recommendations (cards with a reason) come as a carousel with arrow buttons.
    var block = cards.some(function (c) { return c.reason; }) ? carousel(row) : row;
    if (after && after.nextSibling) log.insertBefore(block, after.nextSibling);
    else if (typingEl && typingEl.parentNode) log.insertBefore(block, typingEl);
    else log.appendChild(block);
    scroll();
  }
  function carousel(row) {
    var wrap = el("div", "sa-carousel");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-roledescription", "carousel");
    wrap.setAttribute("aria-label", "Recommended products");
    row.tabIndex = 0;
    function button(label, text, dir) {
      var b = el("button", "sa-carousel-btn", text);
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.addEventListener("click", function () { row.scrollBy({ left: dir * 178, behavior: "smooth" }); });
      return b;
    }
    wrap.appendChild(button("Previous products", "\u2039", -1));
    wrap.appendChild(row);
    wrap.appendChild(button("Next products", "\u203a", 1));
    return wrap;
  }
  function turnFor(id) {
    if (!turns[id]) turns[id] = { bubble: null, text: "", cardsShown: false };
    return turns[id];
  }
  function setStatus(s) { statusEl.textContent = s; }

  function loadHistory() {
    var conv = session ? session.split(".")[1] : null;
    if (!conv) return Promise.resolve();
    return fetch(origin + "/v1/conversations/" + encodeURIComponent(conv) + "/messages", {
      headers: { Authorization: "Bearer " + session },
      credentials: "include"
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        log.innerHTML = "";
        data.messages.forEach(function (m) {
          if (m.role === "assistant" && m.cards && m.cards.length) renderCards(m.cards);
          addMessage(m.role === "user" ? "user" : m.role === "action" ? "action" : "assistant", m.content);
        });
      })
      .catch(function () { /* history is best effort */ });
  }

  function onFrame(f) {
    if (f.type === "session") {
      if (!resuming && session && session !== f.session) {
        // A fresh conversation was offered; ask for ours back (the server checks the token).
        resuming = true;
        offered = f.session;
        socket.send(JSON.stringify({ type: "resume", session: session }));
        return;
      }
      var wasResume = resuming;
      resuming = false;
      session = f.session;
      try { window.localStorage.setItem(STORE_KEY, session); } catch (e) { /* ignore */ }
      settle(wasResume);
      return;
    }
    if (f.type === "pong" || f.type === "identified") return;
    if (f.type === "error" && resuming && !f.message_id) {
      // Our old conversation is gone or not ours: keep the fresh one the server offered.
      resuming = false;
      session = offered;
      try { window.localStorage.setItem(STORE_KEY, session); } catch (e) { /* ignore */ }
      settle(false);
      return;
    }
    if (f.type === "error") {
      clearTyping();
      addMessage("error", f.error && f.error.message ? f.error.message : "Something went wrong.");
      return;
    }
    var t = turnFor(f.message_id);
    if (f.type === "tool_status") {
      if (f.status === "started") {
        var note = el("div", "sa-tool", f.tool === "search_catalog" ? "Searching the catalog…" : "Looking that up…");
        if (typingEl && typingEl.parentNode) log.insertBefore(note, typingEl); else log.appendChild(note);
      }
      return;
    }
    if (f.type === "cards") {
      renderCards(f.cards);
      t.cardsShown = true;
      return;
    }
    if (f.type === "token") {
      if (!t.bubble) t.bubble = addMessage("assistant", "");
      t.text += f.text;
      t.bubble.textContent = t.text;
      scroll();
      return;
    }
    if (f.type === "done") {
      clearTyping();
      if (!t.cardsShown && f.cards && f.cards.length) renderCards(f.cards);
      if (!t.bubble) t.bubble = addMessage("assistant", "");
      t.bubble.textContent = f.text;
      if (f.proposal && f.proposal.token) addConfirmButton(f.proposal.token);
      scroll();
    }
  }

  function addConfirmButton(token) {
    var btn = el("button", "sa-confirm", "Yes, confirm");
    btn.type = "button";
    btn.addEventListener("click", function () {
      btn.disabled = true;
      addMessage("user", "yes");
      showTyping();
      var frame = JSON.stringify({ type: "confirm", token: token, message_id: newId() });
      send(frame);
    });
    log.appendChild(btn);
    scroll();
  }

  function settle(resumed) {
    ready = true;
    if (customerToken) socket.send(JSON.stringify({ type: "identify", customer_token: customerToken }));
    if (hadConnection || resumed) loadHistory(); // replies that finished while we were away
    hadConnection = true;
    while (outbox.length) socket.send(outbox.shift());
  }

  function send(frame) {
    if (socket && ready && socket.readyState === WebSocket.OPEN) socket.send(frame); else outbox.push(frame);
  }

  function connect() {
    setStatus(retry ? "reconnecting…" : "connecting…");
    var ws = new WebSocket(wsOrigin + "/ws/chat");
    socket = ws;
    ws.onopen = function () {
      retry = 0;
      ready = false;
      setStatus("online");
    };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      onFrame(f);
    };
    ws.onclose = function () {
      ready = false;
      clearTyping();
      setStatus("offline — reconnecting…");
      socket = null;
      var delay = Math.min(8000, 500 * Math.pow(2, retry++));
      setTimeout(connect, delay);
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  root.querySelector(".sa-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    addMessage("user", text);
    showTyping();
    var frame = JSON.stringify({ type: "message", text: text, message_id: newId() });
    send(frame);
  });

  loadHistory().then(connect);
  window.ShopAssist = { open: function () { panel.classList.add("open"); } };
})();
