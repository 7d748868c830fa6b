/* shopassist chat widget — embed with one tag:
 *   <script src="https://your-host/widget.js" defer></script>
 *
 * Options (data- attributes on the tag; all optional):
 *   data-open="true"            open the panel on load
 *   data-title="…"              header text (default: the shop's name)
 *   data-locale="de"            en | de | fr | es | it (default: the page's lang)
 *   data-customer-token="…"     a customer token your backend signed (signed-in shoppers)
 *   data-brand-color="#1d3b2a"  theme: brand colour, any CSS colour
 *   data-font="Inter, sans-serif"  theme: font family
 *   data-radius="14px"          theme: corner radius
 *
 * Events on window (the host page handles them):
 *   "shopassist:add-to-cart"  detail {productId, variantId, name, price, currency, url}
 *   "shopassist:cart-changed" detail = the server's cart {lines, total, item_count,
 *                             checkout_url}, whenever a cart frame arrives
 *   Inside an iframe both are also posted to the parent:
 *   {type: "shopassist:add-to-cart", ...detail}, {type: "shopassist:cart-changed", cart}.
 * Talks only to the server the script came from. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ds = (script && script.dataset) || {};
  var origin = new URL(script && script.src ? script.src : window.location.href).origin;
  var wsOrigin = origin.replace(/^http/, "ws");
  var STORE_KEY = "shopassist.conversation";

  // ------------------------------------------------------------------ strings
  var STRINGS = {
    en: {
      title: "Shopping assistant", open: "Open chat", close: "Close chat",
      greeting: "Hi! I can find products, recommend things you may like, and help with your orders.",
      suggestions: ["Waterproof hiking boots under $150", "Recommend something for me", "Where is my order?"],
      placeholder: "Ask about products…", message: "Message", send: "Send",
      connecting: "connecting…", online: "online", offline: "offline — reconnecting…",
      unavailable: "unavailable", notEnabled: "This chat isn't enabled for this site.",
      searching: "Searching the catalog…", lookingUp: "Looking that up…",
      inStock: "In stock", outOfStock: "Out of stock", view: "View", addToCart: "Add to cart",
      added: "Added", products: "Products", prev: "Previous products", next: "Next products",
      helpful: "Helpful", notHelpful: "Not helpful", whatWrong: "What went wrong? (optional)",
      sendFeedback: "Send feedback", thanks: "Thanks for your feedback", confirm: "Yes, confirm",
      waiting: "Waiting for a person to join…", joined: "{name} joined the chat",
      error: "Something went wrong.", rating: "Rated {r} out of 5", unread: "{n} new messages",
      backToBot: "You're back with the assistant.", closed: "This chat was closed.", rate: "How did we do? Rate this chat:", stars: "{n} out of 5", comment: "Anything to add? (optional)", sendRating: "Send rating", rated: "Thanks for rating us {r} out of 5.", agentTyping: "{name} is typing…", agent: "Support",
      cart: "Cart", cartTitle: "Your cart", closeCart: "Close cart", items1: "{n} item", itemsN: "{n} items", cartEmpty: "Your cart is empty.", each: "{price} each", qtyOf: "Quantity of {name}", less: "Decrease quantity of {name}", more: "Increase quantity of {name}", remove: "Remove", removeOf: "Remove {name}", gone: "No longer available — not in the total", total: "Total", checkout: "Checkout", newTab: "opens in a new tab", choose: "Choose {what}", chooseFirst: "Choose an option first.", opt_size: "size", opt_color: "color",
      you: "You", assistant: "Assistant"
    },
    de: {
      title: "Einkaufsassistent", open: "Chat öffnen", close: "Chat schließen",
      greeting: "Hallo! Ich finde Produkte, empfehle Passendes und helfe bei Ihren Bestellungen.",
      suggestions: ["Wasserdichte Wanderschuhe unter 150 $", "Was können Sie mir empfehlen?", "Wo ist meine Bestellung?"],
      placeholder: "Fragen Sie nach Produkten…", message: "Nachricht", send: "Senden",
      connecting: "verbinde…", online: "online", offline: "offline — verbinde neu…",
      unavailable: "nicht verfügbar", notEnabled: "Dieser Chat ist für diese Website nicht freigeschaltet.",
      searching: "Durchsuche den Katalog…", lookingUp: "Sehe nach…",
      inStock: "Auf Lager", outOfStock: "Nicht auf Lager", view: "Ansehen", addToCart: "In den Warenkorb",
      added: "Hinzugefügt", products: "Produkte", prev: "Vorherige Produkte", next: "Nächste Produkte",
      helpful: "Hilfreich", notHelpful: "Nicht hilfreich", whatWrong: "Was war falsch? (optional)",
      sendFeedback: "Feedback senden", thanks: "Danke für Ihr Feedback", confirm: "Ja, bestätigen",
      waiting: "Warte auf eine Mitarbeiterin oder einen Mitarbeiter…", joined: "{name} ist dem Chat beigetreten",
      error: "Etwas ist schiefgelaufen.", rating: "Bewertet mit {r} von 5", unread: "{n} neue Nachrichten",
      backToBot: "Sie sind wieder beim Assistenten.", closed: "Dieser Chat wurde beendet.", rate: "Wie waren wir? Bewerten Sie den Chat:", stars: "{n} von 5", comment: "Möchten Sie etwas ergänzen? (optional)", sendRating: "Bewertung senden", rated: "Danke für Ihre Bewertung mit {r} von 5.", agentTyping: "{name} schreibt…", agent: "Support",
      cart: "Warenkorb", cartTitle: "Ihr Warenkorb", closeCart: "Warenkorb schließen", items1: "{n} Artikel", itemsN: "{n} Artikel", cartEmpty: "Ihr Warenkorb ist leer.", each: "{price} pro Stück", qtyOf: "Menge von {name}", less: "Menge von {name} verringern", more: "Menge von {name} erhöhen", remove: "Entfernen", removeOf: "{name} entfernen", gone: "Nicht mehr verfügbar — nicht in der Summe", total: "Summe", checkout: "Zur Kasse", newTab: "öffnet in einem neuen Tab", choose: "{what} wählen", chooseFirst: "Bitte zuerst eine Option wählen.", opt_size: "Größe", opt_color: "Farbe",
      you: "Sie", assistant: "Assistent"
    },
    fr: {
      title: "Assistant d'achat", open: "Ouvrir le chat", close: "Fermer le chat",
      greeting: "Bonjour ! Je trouve des produits, je vous fais des suggestions et je vous aide avec vos commandes.",
      suggestions: ["Chaussures de randonnée imperméables à moins de 150 $", "Que me recommandez-vous ?", "Où est ma commande ?"],
      placeholder: "Posez une question sur nos produits…", message: "Message", send: "Envoyer",
      connecting: "connexion…", online: "en ligne", offline: "hors ligne — reconnexion…",
      unavailable: "indisponible", notEnabled: "Ce chat n'est pas activé pour ce site.",
      searching: "Recherche dans le catalogue…", lookingUp: "Je vérifie…",
      inStock: "En stock", outOfStock: "Rupture de stock", view: "Voir", addToCart: "Ajouter au panier",
      added: "Ajouté", products: "Produits", prev: "Produits précédents", next: "Produits suivants",
      helpful: "Utile", notHelpful: "Pas utile", whatWrong: "Qu'est-ce qui n'allait pas ? (facultatif)",
      sendFeedback: "Envoyer l'avis", thanks: "Merci pour votre avis", confirm: "Oui, confirmer",
      waiting: "En attente d'un conseiller…", joined: "{name} a rejoint la conversation",
      error: "Une erreur s'est produite.", rating: "Noté {r} sur 5", unread: "{n} nouveaux messages",
      backToBot: "Vous êtes de nouveau avec l'assistant.", closed: "Cette conversation est terminée.", rate: "Comment était-ce ? Notez cette conversation :", stars: "{n} sur 5", comment: "Un commentaire ? (facultatif)", sendRating: "Envoyer la note", rated: "Merci pour votre note de {r} sur 5.", agentTyping: "{name} écrit…", agent: "Service client",
      cart: "Panier", cartTitle: "Votre panier", closeCart: "Fermer le panier", items1: "{n} article", itemsN: "{n} articles", cartEmpty: "Votre panier est vide.", each: "{price} l'unité", qtyOf: "Quantité de {name}", less: "Diminuer la quantité de {name}", more: "Augmenter la quantité de {name}", remove: "Retirer", removeOf: "Retirer {name}", gone: "Plus disponible — non compté dans le total", total: "Total", checkout: "Commander", newTab: "s'ouvre dans un nouvel onglet", choose: "Choisir : {what}", chooseFirst: "Choisissez d'abord une option.", opt_size: "taille", opt_color: "couleur",
      you: "Vous", assistant: "Assistant"
    },
    es: {
      title: "Asistente de compras", open: "Abrir chat", close: "Cerrar chat",
      greeting: "¡Hola! Encuentro productos, le recomiendo cosas y le ayudo con sus pedidos.",
      suggestions: ["Botas de montaña impermeables por menos de 150 $", "¿Qué me recomienda?", "¿Dónde está mi pedido?"],
      placeholder: "Pregunte por productos…", message: "Mensaje", send: "Enviar",
      connecting: "conectando…", online: "en línea", offline: "sin conexión — reconectando…",
      unavailable: "no disponible", notEnabled: "Este chat no está habilitado para este sitio.",
      searching: "Buscando en el catálogo…", lookingUp: "Consultando…",
      inStock: "En stock", outOfStock: "Agotado", view: "Ver", addToCart: "Añadir al carrito",
      added: "Añadido", products: "Productos", prev: "Productos anteriores", next: "Productos siguientes",
      helpful: "Útil", notHelpful: "No útil", whatWrong: "¿Qué salió mal? (opcional)",
      sendFeedback: "Enviar opinión", thanks: "Gracias por su opinión", confirm: "Sí, confirmar",
      waiting: "Esperando a que se una una persona…", joined: "{name} se ha unido al chat",
      error: "Algo salió mal.", rating: "Valorado con {r} de 5", unread: "{n} mensajes nuevos",
      backToBot: "Vuelve a estar con el asistente.", closed: "Este chat se ha cerrado.", rate: "¿Qué tal lo hicimos? Valore este chat:", stars: "{n} de 5", comment: "¿Algo que añadir? (opcional)", sendRating: "Enviar valoración", rated: "Gracias por valorarnos con {r} de 5.", agentTyping: "{name} está escribiendo…", agent: "Soporte",
      cart: "Carrito", cartTitle: "Su carrito", closeCart: "Cerrar carrito", items1: "{n} artículo", itemsN: "{n} artículos", cartEmpty: "Su carrito está vacío.", each: "{price} la unidad", qtyOf: "Cantidad de {name}", less: "Reducir la cantidad de {name}", more: "Aumentar la cantidad de {name}", remove: "Quitar", removeOf: "Quitar {name}", gone: "Ya no disponible — no incluido en el total", total: "Total", checkout: "Pagar", newTab: "se abre en una pestaña nueva", choose: "Elegir: {what}", chooseFirst: "Elija primero una opción.", opt_size: "talla", opt_color: "color",
      you: "Usted", assistant: "Asistente"
    },
    it: {
      title: "Assistente acquisti", open: "Apri la chat", close: "Chiudi la chat",
      greeting: "Ciao! Trovo prodotti, ti consiglio cosa potrebbe piacerti e ti aiuto con gli ordini.",
      suggestions: ["Scarponi impermeabili sotto i 150 $", "Cosa mi consigli?", "Dov'è il mio ordine?"],
      placeholder: "Chiedi dei prodotti…", message: "Messaggio", send: "Invia",
      connecting: "connessione…", online: "online", offline: "offline — riconnessione…",
      unavailable: "non disponibile", notEnabled: "Questa chat non è abilitata per questo sito.",
      searching: "Cerco nel catalogo…", lookingUp: "Controllo…",
      inStock: "Disponibile", outOfStock: "Esaurito", view: "Vedi", addToCart: "Aggiungi al carrello",
      added: "Aggiunto", products: "Prodotti", prev: "Prodotti precedenti", next: "Prodotti successivi",
      helpful: "Utile", notHelpful: "Non utile", whatWrong: "Cosa non andava? (facoltativo)",
      sendFeedback: "Invia feedback", thanks: "Grazie per il tuo feedback", confirm: "Sì, conferma",
      waiting: "In attesa di un operatore…", joined: "{name} si è unito alla chat",
      error: "Qualcosa è andato storto.", rating: "Valutato {r} su 5", unread: "{n} nuovi messaggi",
      backToBot: "Sei di nuovo con l'assistente.", closed: "Questa chat è stata chiusa.", rate: "Com'è andata? Valuta questa chat:", stars: "{n} su 5", comment: "Vuoi aggiungere qualcosa? (facoltativo)", sendRating: "Invia valutazione", rated: "Grazie per la valutazione di {r} su 5.", agentTyping: "{name} sta scrivendo…", agent: "Assistenza",
      cart: "Carrello", cartTitle: "Il tuo carrello", closeCart: "Chiudi il carrello", items1: "{n} articolo", itemsN: "{n} articoli", cartEmpty: "Il tuo carrello è vuoto.", each: "{price} cad.", qtyOf: "Quantità di {name}", less: "Diminuisci la quantità di {name}", more: "Aumenta la quantità di {name}", remove: "Rimuovi", removeOf: "Rimuovi {name}", gone: "Non più disponibile — escluso dal totale", total: "Totale", checkout: "Vai alla cassa", newTab: "si apre in una nuova scheda", choose: "Scegli: {what}", chooseFirst: "Scegli prima un'opzione.", opt_size: "taglia", opt_color: "colore",
      you: "Tu", assistant: "Assistente"
    }
  };
  function pickLocale() {
    var wanted = [ds.locale, document.documentElement.lang, navigator.language];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (STRINGS[code]) return code;
    }
    return "en";
  }
  var lang = pickLocale();
  var intlLocale = ds.locale || document.documentElement.lang || navigator.language || lang;
  function T(key, vars) {
    var s = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key];
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }
  var config = { currency: "USD", product_url_template: null, suggestions: [], add_to_cart: true, store_name: "", link_hosts: [] };

  // ------------------------------------------------------------------ styles
  var css = [
    ":host{all:initial;--sa-brand:#1d3b2a;--sa-accent:#1d6b3a;--sa-font:system-ui,sans-serif;--sa-radius:14px;--sa-focus:#1a56db}",
    "*{box-sizing:border-box}",
    ":focus-visible{outline:2px solid var(--sa-focus);outline-offset:2px}",
    ".sa-launch{position:fixed;right:24px;bottom:24px;width:56px;height:56px;border-radius:50%;border:0;background:var(--sa-brand);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}",
    ".sa-launch .sa-x{display:none}.sa-launch[aria-expanded=true] .sa-x{display:block}.sa-launch[aria-expanded=true] .sa-bubble-icon{display:none}",
    ".sa-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#c0262d;color:#fff;font:700 12px/20px var(--sa-font);padding:0 5px}",
    ".sa-badge[hidden]{display:none}",
    ".sa-panel{position:fixed;right:24px;bottom:92px;width:380px;max-width:calc(100vw - 32px);height:560px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;border-radius:var(--sa-radius);box-shadow:0 8px 30px rgba(0,0,0,.25);font:14px/1.45 var(--sa-font);color:#1d2330;overflow:hidden;z-index:2147483000}",
    ".sa-panel.open{display:flex}",
    "@media (max-width:480px){.sa-panel{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}.sa-panel.open~.sa-launch{display:none}}",
    ".sa-head{background:var(--sa-brand);color:#fff;padding:10px 10px 10px 14px;display:flex;align-items:center;gap:8px}",
    ".sa-title{font-weight:600;flex:1;margin:0;font-size:15px}",
    ".sa-status{font-size:11px;opacity:.9}",
    ".sa-close{border:0;background:transparent;color:#fff;width:32px;height:32px;border-radius:8px;cursor:pointer;font-size:20px;line-height:1}",
    ".sa-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f7f8fa;scroll-behavior:smooth}",
    ".sa-welcome{display:flex;flex-direction:column;gap:8px}",
    ".sa-chips{display:flex;flex-wrap:wrap;gap:6px}",
    ".sa-chip{border:1px solid var(--sa-brand);color:var(--sa-brand);background:#fff;border-radius:16px;padding:5px 11px;font:inherit;font-size:13px;cursor:pointer}",
    ".sa-msg{max-width:88%;padding:8px 11px;border-radius:12px;word-wrap:break-word;overflow-wrap:anywhere;flex-shrink:0}",
    ".sa-msg p{margin:0 0 6px}.sa-msg p:last-child{margin:0}.sa-msg ul,.sa-msg ol{margin:4px 0;padding-left:20px}",
    ".sa-msg a{color:#0b57a4}",
    ".sa-msg-user{align-self:flex-end;background:var(--sa-brand);color:#fff;white-space:pre-wrap}",
    ".sa-msg-assistant{align-self:flex-start;background:#fff;border:1px solid #e3e6ea}",
    ".sa-msg-agent{align-self:flex-start;background:#e3f3e8;border:1px solid #b9dfc5;white-space:pre-wrap}",
    ".sa-who{display:block;font-size:11px;color:#3d5a47;margin-bottom:2px}",
    ".sa-csat{align-self:center;display:flex;flex-direction:column;gap:6px;align-items:center;font-size:13px}",
    ".sa-stars{display:flex;gap:4px}.sa-stars button{min-width:34px;padding:4px 6px;border:1px solid #9aa3af;border-radius:6px;background:#fff;cursor:pointer;font:inherit}",
    ".sa-stars button[aria-pressed=true]{background:var(--sa-brand);color:#fff}",
    ".sa-msg-action,.sa-msg-system{align-self:center;background:#eef6f0;color:#1d3b2a;border:1px dashed #9cc5a8;font-size:12px}",
    ".sa-msg-error{align-self:flex-start;background:#fdecea;color:#8a1c12;border:1px solid #f5c2bd}",
    ".sa-tool{align-self:flex-start;font-size:12px;color:#4b5563}",
    ".sa-fb{display:flex;gap:4px;align-items:center;align-self:flex-start;font-size:12px;color:#4b5563;flex-wrap:wrap}",
    ".sa-fb button{border:1px solid #9ca3af;background:#fff;color:#374151;border-radius:6px;padding:3px 7px;cursor:pointer;font:inherit;display:inline-flex;align-items:center}",
    ".sa-fb button[aria-pressed=true]{background:#e5efe8;border-color:var(--sa-accent)}",
    ".sa-fb input{font:inherit;padding:3px 6px;border:1px solid #9ca3af;border-radius:6px;width:170px}",
    ".sa-carousel{display:flex;flex-direction:column;gap:4px;align-self:stretch;flex-shrink:0}",
    ".sa-carousel-bar{display:flex;align-items:center;gap:6px;justify-content:flex-end;font-size:12px;color:#4b5563}",
    ".sa-nav{border:1px solid #9ca3af;background:#fff;border-radius:50%;width:28px;height:28px;cursor:pointer;font-size:16px;line-height:1;color:#1d2330}",
    ".sa-nav:disabled{opacity:.4;cursor:default}",
    ".sa-compare{overflow-x:auto;margin:4px 0;max-width:100%}.sa-compare table{border-collapse:collapse;font-size:12px;min-width:100%}.sa-compare caption{text-align:left;font-weight:600;padding:2px 0}.sa-compare th,.sa-compare td{border:1px solid #d0d4da;padding:4px 6px;vertical-align:top;text-align:left}.sa-compare thead th{background:#f3f4f6}",
    ".sa-cards{display:flex;gap:8px;overflow-x:auto;scroll-snap-type:x mandatory;scroll-behavior:smooth;padding-bottom:4px}",
    ".sa-card{flex:0 0 170px;scroll-snap-align:start;background:#fff;border:1px solid #e3e6ea;border-radius:10px;padding:8px;display:flex;flex-direction:column;gap:3px}",
    ".sa-card-img{width:100%;height:96px;border-radius:7px;object-fit:cover;display:block}",
    ".sa-card-name{font-weight:600;font-size:13px;margin:2px 0 0}",
    ".sa-card-price{color:var(--sa-accent);font-weight:700}",
    ".sa-card-meta{font-size:11px;color:#4b5563}",
    ".sa-card-reason{font-size:11px;color:#3b4a8a;font-style:italic}",
    ".sa-card-actions{display:flex;gap:6px;margin-top:auto;padding-top:4px}",
    ".sa-card-actions a,.sa-card-actions button{flex:1;text-align:center;font:600 12px var(--sa-font);border-radius:6px;padding:5px 4px;cursor:pointer;text-decoration:none}",
    ".sa-card-actions a{border:1px solid var(--sa-brand);color:var(--sa-brand)}",
    ".sa-card-actions button{border:0;background:var(--sa-brand);color:#fff}",
    ".sa-card-actions button:disabled{opacity:.6;cursor:default}",
    ".sa-typing{align-self:flex-start;display:flex;gap:4px;padding:10px 12px;background:#fff;border:1px solid #e3e6ea;border-radius:12px}",
    ".sa-typing i{width:6px;height:6px;border-radius:50%;background:#6b7280;animation:sa-b 1s infinite}",
    ".sa-typing i:nth-child(2){animation-delay:.15s}.sa-typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes sa-b{0%,80%,100%{opacity:.3}40%{opacity:1}}",
    "@media (prefers-reduced-motion:reduce){.sa-typing i{animation:none}.sa-log,.sa-cards{scroll-behavior:auto}}",
    ".sa-form{display:flex;border-top:1px solid #e3e6ea}",
    ".sa-input{flex:1;border:0;padding:12px;font:inherit;min-width:0}",
    ".sa-send{border:0;background:var(--sa-brand);color:#fff;padding:0 16px;font:inherit;cursor:pointer}",
    ".sa-confirm{align-self:flex-start;border:0;border-radius:8px;background:var(--sa-accent);color:#fff;padding:7px 12px;font:inherit;cursor:pointer;flex-shrink:0}",
    ".sa-confirm:disabled{opacity:.5;cursor:default}",
    ".sa-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".sa-cart-btn{position:relative;border:0;background:transparent;color:#fff;width:36px;height:32px;border-radius:8px;cursor:pointer;display:flex;align-items:center;justify-content:center}",
    ".sa-cart-count{position:absolute;top:-3px;right:-3px;min-width:17px;height:17px;border-radius:9px;background:#fff;color:#1d2330;font:700 11px/17px var(--sa-font);padding:0 4px;text-align:center}",
    ".sa-cart-count[hidden],.sa-cart[hidden]{display:none}",
    ".sa-cart{flex-shrink:0;max-height:60%;overflow-y:auto;background:#fff;border-bottom:1px solid #d0d4da;padding:10px 12px;box-shadow:0 3px 8px rgba(0,0,0,.08)}",
    ".sa-cart-top{display:flex;align-items:center;gap:8px}.sa-cart-top h3{flex:1;margin:0;font-size:14px}",
    ".sa-cart-x{border:0;background:transparent;color:#1d2330;width:28px;height:28px;border-radius:6px;cursor:pointer;font-size:18px;line-height:1}",
    ".sa-cart ul{list-style:none;margin:4px 0;padding:0}",
    ".sa-line{display:flex;gap:8px;padding:7px 0;border-bottom:1px solid #eef0f2;font-size:13px}",
    ".sa-line-main{flex:1;min-width:0;display:flex;flex-direction:column;gap:2px}",
    ".sa-line-name{font-weight:600}.sa-line-meta{font-size:12px;color:#4b5563}",
    ".sa-line-total{font-weight:600;white-space:nowrap}",
    ".sa-line-off .sa-line-name,.sa-line-off .sa-line-total{color:#6b7280}.sa-line-off .sa-line-total{text-decoration:line-through}",
    ".sa-line-gone{font-size:12px;color:#8a1c12}",
    ".sa-line-ctl{display:flex;align-items:center;gap:8px;margin-top:2px}",
    ".sa-step{display:flex;align-items:center;gap:2px}",
    ".sa-step button{width:26px;height:26px;border:1px solid #9ca3af;border-radius:6px;background:#fff;color:#1d2330;cursor:pointer;font:inherit;line-height:1;padding:0}",
    ".sa-step button:disabled{opacity:.45;cursor:default}",
    ".sa-step output{min-width:24px;text-align:center;font-weight:600}",
    ".sa-rm{border:0;background:transparent;color:#8a1c12;text-decoration:underline;cursor:pointer;font:inherit;font-size:12px;padding:2px}",
    ".sa-cart-sum{display:flex;justify-content:space-between;font-weight:700;margin:6px 0}",
    ".sa-checkout{display:block;text-align:center;background:var(--sa-accent);color:#fff;border-radius:8px;padding:8px;text-decoration:none;font-weight:600}",
    ".sa-cart-empty{margin:6px 0;color:#4b5563}",
    ".sa-note{font-size:12px;color:#8a1c12}.sa-note:empty{display:none}",
    ".sa-card select{font:inherit;font-size:12px;width:100%;padding:3px;border:1px solid #9ca3af;border-radius:6px;background:#fff;color:#1d2330}"
  ].join("\n");

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }
  function attrs(n, map) { Object.keys(map).forEach(function (k) { n.setAttribute(k, map[k]); }); return n; }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, map) { return attrs(document.createElementNS(SVG, tag), map); }
  function icon(paths, cls, size) {
    var px = String(size || 26);
    var s = svg("svg", { width: px, height: px, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
      "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true" });
    if (cls) s.setAttribute("class", cls);
    paths.forEach(function (d) { s.appendChild(svg("path", { d: d })); });
    return s;
  }

  // ------------------------------------------------------------------ build
  var host = document.createElement("div");
  host.id = "shopassist-widget";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  var style = el("style", null, css);
  root.appendChild(style);
  function theme(prop, value, kind) {
    if (value && window.CSS && CSS.supports(kind, value)) host.style.setProperty(prop, value);
  }
  theme("--sa-brand", ds.brandColor, "color");
  theme("--sa-accent", ds.brandColor, "color");
  theme("--sa-font", ds.font, "font-family");
  theme("--sa-radius", ds.radius, "border-radius");

  var panel = attrs(el("section", "sa-panel"), { id: "sa-panel", role: "dialog", "aria-modal": "false" });
  var head = el("div", "sa-head");
  var titleEl = el("h2", "sa-title", ds.title || T("title"));
  titleEl.id = "sa-title";
  panel.setAttribute("aria-labelledby", "sa-title");
  var statusEl = el("span", "sa-status", T("connecting"));
  var closeBtn = attrs(el("button", "sa-close", "\u00d7"), { type: "button", "aria-label": T("close") });
  var cartBtn = attrs(el("button", "sa-cart-btn"), { type: "button", "aria-label": T("cart"), "aria-expanded": "false", "aria-controls": "sa-cart" });
  cartBtn.appendChild(icon(["M6 6h15l-1.5 9h-12z", "M6 6 5 2H2", "M9 20.5a.5.5 0 1 0 0-1 .5.5 0 0 0 0 1", "M18 20.5a.5.5 0 1 0 0-1 .5.5 0 0 0 0 1"], null, 20));
  var cartCount = attrs(el("span", "sa-cart-count"), { "aria-hidden": "true" });
  cartCount.hidden = true;
  cartBtn.appendChild(cartCount);
  head.appendChild(titleEl);
  head.appendChild(statusEl);
  head.appendChild(cartBtn);
  head.appendChild(closeBtn);
  // the cart view: a region above the conversation, filled by renderCart()
  var cartBox = attrs(el("section", "sa-cart"), { id: "sa-cart", "aria-labelledby": "sa-cart-title" });
  cartBox.hidden = true;
  var log = attrs(el("div", "sa-log"), { role: "log", "aria-live": "polite", "aria-busy": "false", "aria-label": ds.title || T("title") });
  log.tabIndex = 0;
  var form = el("form", "sa-form");
  var input = attrs(el("input", "sa-input"), { maxlength: "4000", placeholder: T("placeholder"), "aria-label": T("message"), autocomplete: "off" });
  var sendBtn = attrs(el("button", "sa-send", T("send")), { type: "submit" });
  form.appendChild(input);
  form.appendChild(sendBtn);
  panel.appendChild(head);
  panel.appendChild(cartBox);
  panel.appendChild(log);
  panel.appendChild(form);
  var launch = attrs(el("button", "sa-launch"), { type: "button", "aria-label": T("open"), "aria-expanded": "false", "aria-controls": "sa-panel" });
  launch.appendChild(icon(["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"], "sa-bubble-icon"));
  launch.appendChild(icon(["M18 6 6 18", "M6 6l12 12"], "sa-x"));
  var badge = el("span", "sa-badge");
  badge.hidden = true;
  launch.appendChild(badge);
  root.appendChild(panel);
  root.appendChild(launch);

  var unread = 0;
  function isOpen() { return panel.classList.contains("open"); }
  function setOpen(open, focusLauncher) {
    panel.classList.toggle("open", open);
    launch.setAttribute("aria-expanded", String(open));
    launch.setAttribute("aria-label", open ? T("close") : T("open"));
    if (open) {
      unread = 0;
      badge.hidden = true;
      input.focus();
      scroll();
    } else if (focusLauncher) {
      launch.focus();
    }
  }
  function bump() {
    if (isOpen()) return;
    unread += 1;
    badge.textContent = String(unread);
    badge.hidden = false;
    badge.setAttribute("aria-label", T("unread", { n: unread }));
  }
  launch.addEventListener("click", function () { setOpen(!isOpen(), true); });
  closeBtn.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    ev.stopPropagation();
    if (!cartBox.hidden && cartBox.contains(root.activeElement)) setCartOpen(false, true);
    else setOpen(false, true);
  });

  // ------------------------------------------------------------------ rich text
  // Bold, italics, lists, line breaks and http(s) links only, built with DOM APIs: model
  // text is never parsed as HTML, no other URL scheme and no host the shop does not allow
  // ever becomes a link.
  var INLINE = /\*\*([^*\n]+)\*\*|\*([^*\s][^*\n]*?)\*|(?:^|(?=[^\w]))_([^_\s][^_\n]*?)_(?!\w)|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]])/g;
  function safeHref(url) {
    try {
      var u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }
  // Only hosts the shop allows become links (config.link_hosts, this page's and the
  // assistant's own host, and their subdomains): any other URL stays plain text.
  function hostAllowed(host) {
    var hosts = (config.link_hosts || []).concat([window.location.hostname, new URL(origin).hostname]);
    host = String(host || "").toLowerCase();
    return hosts.some(function (h) {
      h = String(h || "").toLowerCase();
      return !!h && (host === h || host.slice(-h.length - 1) === "." + h);
    });
  }
  function link(text, url) {
    var href = safeHref(url);
    if (!href || !hostAllowed(new URL(href).hostname)) return document.createTextNode(text);
    var a = attrs(el("a", null, text), { href: href, target: "_blank", rel: "noopener noreferrer nofollow" });
    return a;
  }
  function inline(parent, text) {
    var last = 0;
    text.replace(INLINE, function (m, bold, ital, ital2, label, url, bare, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      if (bold !== undefined) parent.appendChild(el("strong", null, bold));
      else if (ital !== undefined) parent.appendChild(el("em", null, ital));
      else if (ital2 !== undefined) parent.appendChild(el("em", null, ital2));
      else if (label !== undefined) parent.appendChild(link(label, url));
      else parent.appendChild(link(bare, bare));
      last = offset + m.length;
      return m;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  var BULLET = /^\s*[-*\u2022]\s+(.*)$/;
  var NUMBER = /^\s*\d+[.)]\s+(.*)$/;
  function renderRich(container, text) {
    while (container.firstChild) container.removeChild(container.firstChild);
    var lines = String(text).split(/\r?\n/);
    var para = null;
    var list = null;
    lines.forEach(function (line) {
      var b = BULLET.exec(line);
      var n = b ? null : NUMBER.exec(line);
      if (b || n) {
        var kind = b ? "UL" : "OL";
        if (!list || list.tagName !== kind) { list = el(kind.toLowerCase()); container.appendChild(list); }
        var li = el("li");
        inline(li, (b || n)[1]);
        list.appendChild(li);
        para = null;
        return;
      }
      list = null;
      if (!line.trim()) { para = null; return; }
      if (!para) { para = el("p"); container.appendChild(para); } else { para.appendChild(el("br")); }
      inline(para, line);
    });
  }

  // ------------------------------------------------------------------ messages
  var session = null;
  try { session = window.localStorage.getItem(STORE_KEY); } catch (e) { /* private mode */ }
  var customerToken = ds.customerToken || null;
  var identifying = false;
  var ready = false;
  var resuming = false;
  var offered = null;
  var socket = null;
  var retry = 0;
  var outbox = [];
  var turns = {};
  var typingEl = null;
  var handoffState = "bot";
  var agentTypingTimer = null;
  var ratingEl = null;
  var lastTyping = 0;
  var hadConnection = false;
  var welcomeEl = null;

  function scroll() { log.scrollTop = log.scrollHeight; }
  function place(node) {
    if (typingEl && typingEl.parentNode) log.insertBefore(node, typingEl); else log.appendChild(node);
    return node;
  }
  function newId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID().replace(/-/g, "")
      : String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function conversationId() { return session ? session.split(".")[1] : null; }
  function showTyping() {
    clearTyping();
    typingEl = attrs(el("div", "sa-typing"), { "aria-hidden": "true" });
    typingEl.appendChild(el("i"));
    typingEl.appendChild(el("i"));
    typingEl.appendChild(el("i"));
    log.appendChild(typingEl);
    log.setAttribute("aria-busy", "true");
    scroll();
  }
  function clearTyping() {
    if (typingEl && typingEl.parentNode) typingEl.parentNode.removeChild(typingEl);
    typingEl = null;
  }
  function hideWelcome() {
    if (welcomeEl && welcomeEl.parentNode) welcomeEl.parentNode.removeChild(welcomeEl);
    welcomeEl = null;
  }
  function addMessage(role, text) {
    hideWelcome();
    var b = el("div", "sa-msg sa-msg-" + role);
    if (role === "assistant") renderRich(b, text);
    else b.textContent = text;
    if (role === "error") b.setAttribute("role", "alert");
    place(b);
    scroll();
    return b;
  }
  function showWelcome() {
    if (log.querySelector(".sa-msg") || welcomeEl) return;
    welcomeEl = el("div", "sa-welcome");
    var hello = el("div", "sa-msg sa-msg-assistant");
    renderRich(hello, T("greeting"));
    welcomeEl.appendChild(hello);
    var chips = attrs(el("div", "sa-chips"), { role: "group", "aria-label": T("message") });
    var prompts = config.suggestions && config.suggestions.length ? config.suggestions : T("suggestions");
    prompts.forEach(function (p) {
      var c = attrs(el("button", "sa-chip", p), { type: "button" });
      c.addEventListener("click", function () { submit(p); });
      chips.appendChild(c);
    });
    welcomeEl.appendChild(chips);
    log.insertBefore(welcomeEl, log.firstChild);
  }

  // ------------------------------------------------------------------ cards
  var SIZE_ORDER = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"];
  function naturalCompare(a, b) {
    var ia = SIZE_ORDER.indexOf(String(a).toUpperCase());
    var ib = SIZE_ORDER.indexOf(String(b).toUpperCase());
    if (ia >= 0 && ib >= 0) return ia - ib;
    var na = parseFloat(a);
    var nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && na !== nb) return na - nb;
    return String(a).localeCompare(String(b), intlLocale, { numeric: true });
  }
  function money(v) {
    try {
      return new Intl.NumberFormat(intlLocale, { style: "currency", currency: config.currency || "USD" }).format(v);
    } catch (e) { return (config.currency || "USD") + " " + Number(v).toFixed(2); }
  }
  var PALETTE = ["#2f6f4f", "#3b5ba5", "#a5533b", "#7a4fa5", "#a58a3b", "#3b8fa5", "#a53b6b", "#4f6f2f"];
  function placeholder(card) {
    // A category-coloured tile with the product type's initials: no network, no image needed.
    var key = String(card.name || card.category || "").split(/\s+/).slice(-2).join(" ");
    var h = 0;
    for (var i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
    var s = svg("svg", { viewBox: "0 0 170 96", class: "sa-card-img", role: "img", "aria-label": card.category || card.name });
    s.appendChild(svg("rect", { width: "170", height: "96", fill: PALETTE[h % PALETTE.length] }));
    var words = String(card.name || "").split(/\s+/).slice(-2);
    var t = svg("text", { x: "85", y: "58", "text-anchor": "middle", fill: "#fff", "font-size": "26", "font-family": "system-ui,sans-serif", "font-weight": "700" });
    t.textContent = words.map(function (w) { return w.charAt(0).toUpperCase(); }).join("");
    s.appendChild(t);
    return s;
  }
  function productUrl(id, handle) {
    var t = config.product_url_template;
    if (!t) return null;
    var url = t.split("{id}").join(encodeURIComponent(id))
      .split("{handle}").join(encodeURIComponent(handle || id));
    return safeHref(new URL(url, window.location.href).href);
  }
  function stockedVariants(card) { return (card.variants || []).filter(function (v) { return v.available; }); }
  // A product with several in-stock variants gets a select on its card: the values that
  // tell them apart ("9 / green"), in natural order.
  function variantSelect(c, stocked) {
    var keys = [];
    stocked.forEach(function (v) { Object.keys(v.options || {}).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
    var differ = keys.filter(function (k) {
      var seen = {};
      stocked.forEach(function (v) { seen[String((v.options || {})[k])] = true; });
      return Object.keys(seen).length > 1;
    });
    if (!differ.length) differ = keys;
    var prices = {};
    stocked.forEach(function (v) { prices[v.price] = true; });
    var what = differ.map(optName).join(" / ");
    var pick = attrs(el("select"), { "aria-label": T("choose", { what: what }) + ": " + c.name });
    pick.appendChild(attrs(el("option", null, T("choose", { what: what })), { value: "" }));
    stocked.slice().sort(function (a, b) {
      for (var i = 0; i < differ.length; i++) {
        var d = naturalCompare((a.options || {})[differ[i]] || "", (b.options || {})[differ[i]] || "");
        if (d) return d;
      }
      return 0;
    }).forEach(function (v) {
      var label = differ.map(function (k) { return (v.options || {})[k]; }).filter(Boolean).join(" / ") || v.id;
      if (Object.keys(prices).length > 1) label += " \u2014 " + money(v.price);
      pick.appendChild(attrs(el("option", null, label), { value: v.id }));
    });
    return pick;
  }
  function addToCart(card, btn, pick, note) {
    var stocked = stockedVariants(card);
    var variant = stocked.length === 1 ? stocked[0] : null;
    if (pick) variant = stocked.filter(function (v) { return v.id === pick.value; })[0] || null;
    if (pick && !variant) { note.textContent = T("chooseFirst"); pick.focus(); return; }
    note.textContent = "";
    var detail = {
      productId: card.id, variantId: variant ? variant.id : null, name: card.name,
      price: variant ? variant.price : card.price, currency: config.currency || "USD", url: productUrl(card.id, card.handle)
    };
    window.dispatchEvent(new CustomEvent("shopassist:add-to-cart", { detail: detail }));
    if (window.parent && window.parent !== window) {
      window.parent.postMessage(Object.assign({ type: "shopassist:add-to-cart" }, detail), "*");
    }
    btn.disabled = true;
    var frame = { action: "add", product_id: card.id, quantity: 1 };
    if (variant) frame.variant_id = variant.id;
    cartAction(frame, {
      note: note,
      ok: function () {
        btn.textContent = T("added") + " \u2713";
        setTimeout(function () { btn.textContent = T("addToCart"); btn.disabled = false; }, 1500);
      },
      fail: function () { btn.disabled = false; }
    });
  }
  function cardEl(c) {
    var card = el("article", "sa-card");
    card.dataset.productId = c.id;
    card.dataset.price = c.price;
    var img;
    if (c.image_url && safeHref(c.image_url)) {
      img = attrs(el("img", "sa-card-img"), { src: c.image_url, alt: c.name, loading: "lazy" });
    } else {
      img = placeholder(c);
    }
    card.appendChild(img);
    card.appendChild(el("h3", "sa-card-name", c.localized_name || c.name));
    card.appendChild(el("div", "sa-card-price", money(c.price)));
    if (typeof c.rating === "number") {
      var r = el("div", "sa-card-meta", "\u2605 " + c.rating.toFixed(1));
      r.setAttribute("aria-label", T("rating", { r: c.rating.toFixed(1) }));
      card.appendChild(r);
    }
    var opts = Object.keys(c.options || {}).map(function (k) {
      return k + ": " + c.options[k].slice().sort(naturalCompare).join(", ");
    }).join(" \u00b7 ");
    if (opts) card.appendChild(el("div", "sa-card-meta", opts));
    card.appendChild(el("div", "sa-card-meta", c.in_stock ? T("inStock") : T("outOfStock")));
    if (c.reason) card.appendChild(el("div", "sa-card-reason", c.reason));
    var actions = el("div", "sa-card-actions");
    var url = productUrl(c.id, c.handle);
    if (url) {
      var view = attrs(el("a", null, T("view")), { href: url, target: "_blank", rel: "noopener noreferrer", "aria-label": T("view") + ": " + c.name });
      actions.appendChild(view);
    }
    if (config.add_to_cart && c.in_stock) {
      var stocked = stockedVariants(c);
      var pick = stocked.length > 1 ? variantSelect(c, stocked) : null;
      var note = attrs(el("div", "sa-note"), { role: "alert" });
      if (pick) card.appendChild(pick);
      var add = attrs(el("button", null, T("addToCart")), { type: "button", "aria-label": T("addToCart") + ": " + c.name });
      add.addEventListener("click", function () { addToCart(c, add, pick, note); });
      if (pick) pick.addEventListener("change", function () { if (pick.value) note.textContent = ""; });
      actions.appendChild(add);
    }
    if (actions.firstChild) card.appendChild(actions);
    if (note) card.appendChild(note);
    return card;
  }
  // A comparison table written by the server from product records; text nodes only.
  function renderCompare(f) {
    if (!f.rows || !f.rows.length) return null;
    hideWelcome();
    var h = f.headers || {};
    var wrap = attrs(el("div", "sa-compare"), { role: "region", "aria-label": h.caption || "Comparison", tabindex: "0" });
    var table = el("table");
    table.appendChild(el("caption", null, h.caption || ""));
    var head = el("tr");
    head.appendChild(attrs(el("th", null, ""), { scope: "col" }));
    f.rows.forEach(function (r) { head.appendChild(attrs(el("th", null, String(r.name || "")), { scope: "col" })); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    [["price", function (r) { return String(r.price || "–"); }],
     ["rating", function (r) { return r.rating && r.rating !== "–" ? r.rating + "/5" : "–"; }],
     ["features", function (r) { return (r.features || []).join(", ") || "–"; }],
     ["options", function (r) { return (r.options || []).join(", ") || "–"; }]].forEach(function (col) {
      var tr = el("tr");
      tr.appendChild(attrs(el("th", null, String(h[col[0]] || col[0])), { scope: "row" }));
      f.rows.forEach(function (r) { tr.appendChild(el("td", null, col[1](r))); });
      body.appendChild(tr);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    place(wrap);
    scroll();
    return wrap;
  }
  function renderCards(cards) {
    if (!cards || !cards.length) return null;
    hideWelcome();
    var wrap = attrs(el("div", "sa-carousel"), { role: "region", "aria-roledescription": "carousel", "aria-label": T("products") });
    var row = el("div", "sa-cards");
    cards.forEach(function (c) { row.appendChild(cardEl(c)); });
    var bar = el("div", "sa-carousel-bar");
    var prev = attrs(el("button", "sa-nav", "\u2039"), { type: "button", "aria-label": T("prev") });
    var next = attrs(el("button", "sa-nav", "\u203a"), { type: "button", "aria-label": T("next") });
    var count = attrs(el("span", "sa-count"), { "aria-hidden": "true" });
    function step() {
      var first = row.firstChild;
      return first ? first.getBoundingClientRect().width + 8 : 178;
    }
    function index() { return Math.min(cards.length, Math.round(row.scrollLeft / step()) + 1); }
    function update() {
      var i = index();
      count.textContent = i + "/" + cards.length;
      prev.disabled = row.scrollLeft <= 1;
      next.disabled = row.scrollLeft + row.clientWidth >= row.scrollWidth - 1;
    }
    function go(dir) {
      var target = (index() - 1 + dir) * step();
      row.scrollTo({ left: Math.max(0, target) });
    }
    prev.addEventListener("click", function () { go(-1); });
    next.addEventListener("click", function () { go(1); });
    row.addEventListener("scroll", update);
    row.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowRight") { ev.preventDefault(); go(1); }
      if (ev.key === "ArrowLeft") { ev.preventDefault(); go(-1); }
    });
    attrs(row, { tabindex: "0", "aria-label": T("products") });
    bar.appendChild(count);
    bar.appendChild(prev);
    bar.appendChild(next);
    wrap.appendChild(bar);
    wrap.appendChild(row);
    place(wrap);
    setTimeout(update, 0);
    update();
    return wrap;
  }

  // ------------------------------------------------------------------ cart
  // The server keeps the cart, one per conversation. The widget shows the last `cart`
  // frame and sends `cart` frames for its own buttons; the answers to those come in order
  // and without a message_id, so cartAsks pairs each answer (or error) with its asker.
  var cart = null; // as shown: a stepper's quantity may run ahead of the server's answer
  var serverCart = null; // the last cart the server sent
  var cartAsks = [];
  var cartTop = el("div", "sa-cart-top");
  var cartTitle = attrs(el("h3", null, T("cartTitle")), { id: "sa-cart-title", tabindex: "-1" });
  var cartX = attrs(el("button", "sa-cart-x", "\u00d7"), { type: "button", "aria-label": T("closeCart") });
  var cartNote = attrs(el("div", "sa-note"), { role: "alert" });
  var cartLive = attrs(el("div", "sa-sr"), { "aria-live": "polite" });
  var cartBody = el("div");
  cartTop.appendChild(cartTitle);
  cartTop.appendChild(cartX);
  cartBox.appendChild(cartTop);
  cartBox.appendChild(cartNote);
  cartBox.appendChild(cartLive);
  cartBox.appendChild(cartBody);
  function optName(k) { return T("opt_" + String(k).toLowerCase()) || k; }
  function itemsText(n) { return T(n === 1 ? "items1" : "itemsN", { n: n }); }
  function copy(c) { return JSON.parse(JSON.stringify(c)); }
  function checkoutHref(url) {
    try { return safeHref(new URL(url, origin + "/").href); } catch (e) { return null; }
  }
  function cartAction(frame, ctx) {
    frame.type = "cart";
    var raw = JSON.stringify(frame);
    cartAsks.push({ raw: raw, ctx: ctx || {} });
    send(raw);
  }
  function setCartOpen(open, focus) {
    cartBox.hidden = !open;
    cartBtn.setAttribute("aria-expanded", String(open));
    if (open) {
      cartNote.textContent = "";
      renderCart();
      if (focus) cartTitle.focus();
    } else if (focus) {
      cartBtn.focus();
    }
  }
  cartBtn.addEventListener("click", function () { setCartOpen(cartBox.hidden, true); });
  cartX.addEventListener("click", function () { setCartOpen(false, true); });
  function changeQuantity(line, q) {
    if (q < 1 || q > 99) return;
    line.quantity = q;
    line.line_total = Math.round(q * line.unit_price * 100) / 100;
    var usable = cart.lines.filter(function (l) { return l.available; });
    cart.item_count = usable.reduce(function (n, l) { return n + l.quantity; }, 0);
    cart.total = Math.round(usable.reduce(function (n, l) { return n + l.line_total; }, 0) * 100) / 100;
    cartLive.textContent = T("qtyOf", { name: line.name }) + ": " + q;
    renderCart();
    cartAction({ action: "update", line_id: line.id, quantity: q });
  }
  function cartLine(line) {
    var li = el("li", "sa-line" + (line.available ? "" : " sa-line-off"));
    li.dataset.lineId = line.id;
    li.dataset.variantId = line.variant_id;
    var main = el("div", "sa-line-main");
    main.appendChild(el("span", "sa-line-name", line.name));
    var opts = Object.keys(line.options || {}).map(function (k) { return optName(k) + ": " + line.options[k]; }).join(" \u00b7 ");
    if (opts) main.appendChild(el("span", "sa-line-meta", opts));
    main.appendChild(el("span", "sa-line-meta", T("each", { price: money(line.unit_price) })));
    if (!line.available) main.appendChild(el("span", "sa-line-gone", T("gone")));
    var ctl = el("div", "sa-line-ctl");
    var step = attrs(el("div", "sa-step"), { role: "group", "aria-label": T("qtyOf", { name: line.name }) });
    var less = attrs(el("button", null, "\u2212"), { type: "button", "aria-label": T("less", { name: line.name }), "data-key": "less-" + line.id });
    var more = attrs(el("button", null, "+"), { type: "button", "aria-label": T("more", { name: line.name }), "data-key": "more-" + line.id });
    less.disabled = !line.available || line.quantity <= 1;
    more.disabled = !line.available || line.quantity >= 99;
    less.addEventListener("click", function () { changeQuantity(line, line.quantity - 1); });
    more.addEventListener("click", function () { changeQuantity(line, line.quantity + 1); });
    step.appendChild(less);
    step.appendChild(el("output", "sa-qty", String(line.quantity)));
    step.appendChild(more);
    var rm = attrs(el("button", "sa-rm", T("remove")), { type: "button", "aria-label": T("removeOf", { name: line.name }), "data-key": "rm-" + line.id });
    rm.addEventListener("click", function () {
      rm.disabled = true;
      cartAction({ action: "remove", line_id: line.id });
    });
    ctl.appendChild(step);
    ctl.appendChild(rm);
    main.appendChild(ctl);
    li.appendChild(main);
    li.appendChild(el("span", "sa-line-total", money(line.line_total)));
    return li;
  }
  function renderCart() {
    var c = cart || { lines: [], total: 0, item_count: 0, checkout_url: null };
    var n = c.item_count || 0;
    cartCount.textContent = String(n);
    cartCount.hidden = !n;
    cartBtn.setAttribute("aria-label", T("cart") + " (" + itemsText(n) + ")");
    cartTitle.textContent = T("cartTitle");
    cartX.setAttribute("aria-label", T("closeCart"));
    var active = root.activeElement;
    var focused = active && cartBody.contains(active) ? active.getAttribute("data-key") : null;
    while (cartBody.firstChild) cartBody.removeChild(cartBody.firstChild);
    if (!c.lines || !c.lines.length) {
      cartBody.appendChild(el("p", "sa-cart-empty", T("cartEmpty")));
    } else {
      var list = el("ul");
      c.lines.forEach(function (line) { list.appendChild(cartLine(line)); });
      cartBody.appendChild(list);
      var sum = el("div", "sa-cart-sum");
      sum.appendChild(el("span", null, T("total") + " (" + itemsText(n) + ")"));
      sum.appendChild(el("span", "sa-cart-total", money(c.total)));
      cartBody.appendChild(sum);
      var href = c.checkout_url ? checkoutHref(c.checkout_url) : null;
      if (href) {
        cartBody.appendChild(attrs(el("a", "sa-checkout", T("checkout")), {
          href: href, target: "_blank", rel: "noopener noreferrer",
          "aria-label": T("checkout") + " (" + T("newTab") + ")", "data-key": "checkout"
        }));
      }
    }
    if (active && !active.isConnected && !cartBox.hidden) {
      // the control that had focus was rebuilt (or its line went): keep focus in the cart
      var again = null;
      Array.prototype.forEach.call(cartBody.querySelectorAll("[data-key]"), function (b) {
        if (focused && b.getAttribute("data-key") === focused) again = b;
      });
      if (again && !again.disabled) again.focus(); else cartTitle.focus();
    }
  }
  function onCart(f) {
    var ask = f.message_id ? null : cartAsks.shift();
    serverCart = f.cart || { lines: [], total: 0, item_count: 0, checkout_url: null };
    // while more of the widget's own changes are on their way, keep showing those
    if (f.message_id || !cartAsks.length) {
      cart = copy(serverCart);
      renderCart();
    }
    if (ask) {
      cartNote.textContent = "";
      if (ask.ctx.note) ask.ctx.note.textContent = "";
      if (ask.ctx.ok) ask.ctx.ok();
    }
    window.dispatchEvent(new CustomEvent("shopassist:cart-changed", { detail: copy(serverCart) }));
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ type: "shopassist:cart-changed", cart: copy(serverCart) }, "*");
    }
  }
  function onCartError(f) {
    var ask = cartAsks.shift();
    (ask.ctx.note || cartNote).textContent = f.error && f.error.message ? f.error.message : T("error");
    if (ask.ctx.fail) ask.ctx.fail();
    if (!cartAsks.length) {
      cart = serverCart ? copy(serverCart) : null;
      renderCart();
    }
  }

  // ------------------------------------------------------------------ feedback
  function feedbackBar(messageId) {
    var bar = attrs(el("div", "sa-fb"), { role: "group", "aria-label": T("helpful") + " / " + T("notHelpful") });
    var up = attrs(el("button"), { type: "button", "aria-label": T("helpful"), "aria-pressed": "false" });
    var down = attrs(el("button"), { type: "button", "aria-label": T("notHelpful"), "aria-pressed": "false" });
    up.appendChild(icon(["M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3"], null, 14));
    down.appendChild(icon(["M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17"], null, 14));
    var note = el("span", "sa-fb-note");
    note.setAttribute("aria-live", "polite");
    function post(rating, reason) {
      var conv = conversationId();
      if (!conv) return Promise.resolve();
      return fetch(origin + "/v1/conversations/" + encodeURIComponent(conv) + "/messages/" + encodeURIComponent(messageId) + "/feedback", {
        method: "POST",
        headers: { Authorization: "Bearer " + session, "Content-Type": "application/json" },
        credentials: "include",
        body: JSON.stringify({ rating: rating, reason: reason || "" })
      }).then(function (r) { if (r.ok) note.textContent = T("thanks"); });
    }
    up.addEventListener("click", function () {
      up.setAttribute("aria-pressed", "true");
      down.setAttribute("aria-pressed", "false");
      post("up");
    });
    down.addEventListener("click", function () {
      down.setAttribute("aria-pressed", "true");
      up.setAttribute("aria-pressed", "false");
      post("down").then(function () {
        if (bar.querySelector("input")) return;
        var reason = attrs(el("input"), { "aria-label": T("whatWrong"), placeholder: T("whatWrong"), maxlength: "500" });
        var go = attrs(el("button", null, T("sendFeedback")), { type: "button" });
        go.addEventListener("click", function () {
          post("down", reason.value).then(function () { reason.remove(); go.remove(); });
        });
        reason.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); go.click(); } });
        bar.insertBefore(reason, note);
        bar.insertBefore(go, note);
        reason.focus();
      });
    });
    bar.appendChild(up);
    bar.appendChild(down);
    bar.appendChild(note);
    return bar;
  }

  // ------------------------------------------------------------------ history and frames
  function turnFor(id) {
    if (!turns[id]) turns[id] = { bubble: null, text: "", cards: null, tools: {} };
    return turns[id];
  }
  function setStatus(s) { statusEl.textContent = s; }

  function loadHistory() {
    var conv = conversationId();
    if (!conv) { showWelcome(); return Promise.resolve(); }
    return fetch(origin + "/v1/conversations/" + encodeURIComponent(conv) + "/messages", {
      headers: { Authorization: "Bearer " + session },
      credentials: "include"
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { showWelcome(); return; }
        while (log.firstChild) log.removeChild(log.firstChild);
        welcomeEl = null;
        data.messages.forEach(function (m) {
          if (m.role === "agent") { agentMessage(m.name, m.content); return; }
          if (m.role === "assistant" && m.cards && m.cards.length) renderCards(m.cards);
          addMessage(m.role === "user" ? "user" : m.role === "action" ? "action" : "assistant", m.content);
          if (m.role === "assistant") place(feedbackBar(m.message_id));
        });
        // a reload while waiting for (or talking to) a person keeps saying so
        var st = data.status || "bot";
        handoffState = "bot";
        if (st === "waiting_for_agent" || st === "with_agent") setHandoff(st, data.agent_name || "");
        else handoffState = st;
        if (!data.messages.length) showWelcome();
      })
      .catch(function () { showWelcome(); });
  }

  function onFrame(f) {
    if (f.type === "session") {
      if (!resuming && session && session !== f.session) {
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
    if (f.type === "identified") { identifying = false; return; }
    if (f.type === "pong") return;
    if (onSupportFrame(f)) return;
    if (f.type === "error" && identifying && !f.message_id) {
      // the page's customer token was refused: the shopper goes on as a guest (order
      // number + email + zip); the shop's developer gets the reason in the console
      identifying = false;
      customerToken = null;
      console.warn("shopassist: data-customer-token was not accepted (" + (f.error && f.error.code) +
        "): " + (f.error && f.error.message) + ". The shopper continues as a guest. Sign tokens " +
        "with the assistant's SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET (see `shopassist customer-token`).");
      return;
    }
    if (f.type === "error" && resuming && !f.message_id) {
      resuming = false;
      session = offered;
      try { window.localStorage.setItem(STORE_KEY, session); } catch (e) { /* ignore */ }
      settle(false);
      return;
    }
    if (f.type === "cart") { onCart(f); return; }
    if (f.type === "error" && !f.message_id && cartAsks.length) { onCartError(f); return; }
    if (f.type === "error") {
      clearTyping();
      log.setAttribute("aria-busy", "false");
      clearTools(f.message_id ? turnFor(f.message_id) : null);
      addMessage("error", f.error && f.error.message ? f.error.message : T("error"));
      bump();
      return;
    }
    var t = turnFor(f.message_id);
    if (f.type === "tool_status") {
      if (f.status === "started") {
        t.tools[f.tool] = place(el("div", "sa-tool", f.tool === "search_catalog" ? T("searching") : T("lookingUp")));
        scroll();
      } else if (t.tools[f.tool]) {
        t.tools[f.tool].remove();
        delete t.tools[f.tool];
      }
      return;
    }
    if (f.type === "cards") {
      t.cards = renderCards(f.cards);
      return;
    }
    if (f.type === "compare") {
      t.compare = renderCompare(f);
      return;
    }
    if (f.type === "token") {
      clearTyping();
      if (!t.bubble) t.bubble = addMessage("assistant", "");
      t.text += f.text;
      renderRich(t.bubble, t.text);
      scroll();
      return;
    }
    if (f.type === "done") {
      // the shopper writes in another language than the page: follow them
      if (!ds.locale && f.lang && STRINGS[f.lang] && f.lang !== lang) relabel(f.lang);
      clearTyping();
      clearTools(t);
      log.setAttribute("aria-busy", "false");
      if (!t.cards && f.cards && f.cards.length) t.cards = renderCards(f.cards);
      if (f.text || t.bubble || t.cards) {
        if (!t.bubble) t.bubble = addMessage("assistant", "");
        renderRich(t.bubble, f.text);
        place(feedbackBar(f.message_id));
      }
      if (f.handoff === "waiting") setHandoff("waiting_for_agent", "");
      if (f.proposal && f.proposal.token) addConfirmButton(f.proposal.token);
      // keep this turn's cards in view: scroll to them, not past them
      if (t.cards) log.scrollTop = Math.max(0, t.cards.offsetTop - 12); else scroll();
      bump();
      return;
    }
  }
  function systemLine(text) {
    hideWelcome();
    place(el("div", "sa-msg sa-msg-system", text));
    scroll();
  }
  function setHandoff(state, name) {
    if (state === handoffState) return;
    var before = handoffState;
    handoffState = state;
    if (state === "waiting_for_agent") systemLine(T("waiting"));
    else if (state === "with_agent") systemLine(T("joined", { name: name || T("agent") }));
    else if (state === "bot" && (before === "with_agent" || before === "waiting_for_agent")) systemLine(T("backToBot"));
    else if (state === "closed") { systemLine(T("closed")); askRating(); }
    bump();
  }
  function agentMessage(name, text) {
    hideWelcome();
    var b = el("div", "sa-msg sa-msg-agent");
    b.appendChild(el("span", "sa-who", name || T("agent")));
    b.appendChild(document.createTextNode(text));
    place(b);
    scroll();
    return b;
  }
  function agentTyping(on, name) {
    if (agentTypingTimer) { clearTimeout(agentTypingTimer); agentTypingTimer = null; }
    clearTyping();
    statusEl.textContent = on ? T("agentTyping", { name: name || T("agent") }) : T("online");
    if (on) {
      showTyping();
      agentTypingTimer = setTimeout(function () { agentTyping(false); }, 6000);
    } else {
      log.setAttribute("aria-busy", "false");
    }
  }
  function askRating() {
    var box = attrs(el("div", "sa-csat"), { role: "group", "aria-label": T("rate") });
    box.appendChild(el("div", "", T("rate")));
    var stars = el("div", "sa-stars");
    var chosen = 0;
    var comment = attrs(el("input", "sa-reason"), { type: "text", maxlength: "1000", "aria-label": T("comment"), placeholder: T("comment") });
    var go = attrs(el("button", "sa-chip", T("sendRating")), { type: "button", disabled: "" });
    [1, 2, 3, 4, 5].forEach(function (n) {
      var b = attrs(el("button", "", String(n) + "★"), { type: "button", "aria-label": T("stars", { n: n }), "aria-pressed": "false" });
      b.addEventListener("click", function () {
        chosen = n;
        Array.prototype.forEach.call(stars.children, function (c, i) { c.setAttribute("aria-pressed", i + 1 === n ? "true" : "false"); });
        go.removeAttribute("disabled");
      });
      stars.appendChild(b);
    });
    go.addEventListener("click", function () {
      if (!chosen) return;
      go.disabled = true;
      send(JSON.stringify({ type: "csat", rating: chosen, comment: comment.value }));
    });
    box.appendChild(stars);
    box.appendChild(comment);
    box.appendChild(go);
    ratingEl = box;
    place(box);
    scroll();
  }
  function onSupportFrame(f) {
    if (f.type === "handoff") { setHandoff(f.state, f.name); return true; }
    if (f.type === "agent_message") {
      agentTyping(false);
      agentMessage(f.name, f.text);
      bump();
      return true;
    }
    if (f.type === "typing") { agentTyping(f.on, f.name); return true; }
    if (f.type === "proposal") {
      agentTyping(false);
      agentMessage(f.name, f.summary);
      addConfirmButton(f.token);
      bump();
      return true;
    }
    if (f.type === "csat_saved") {
      if (ratingEl && ratingEl.parentNode) ratingEl.parentNode.removeChild(ratingEl);
      ratingEl = null;
      systemLine(T("rated", { r: f.rating }));
      return true;
    }
    return false;
  }
  function relabel(code) {
    lang = code;
    input.setAttribute("placeholder", T("placeholder"));
    input.setAttribute("aria-label", T("message"));
    sendBtn.textContent = T("send");
    closeBtn.setAttribute("aria-label", T("close"));
    launch.setAttribute("aria-label", isOpen() ? T("close") : T("open"));
    if (!ds.title && !config.store_name) titleEl.textContent = T("title");
    setStatus(T("online"));
    renderCart();
  }
  function clearTools(t) {
    if (!t) return;
    Object.keys(t.tools).forEach(function (k) { t.tools[k].remove(); });
    t.tools = {};
  }

  function addConfirmButton(token) {
    var btn = attrs(el("button", "sa-confirm", T("confirm")), { type: "button" });
    btn.addEventListener("click", function () {
      btn.disabled = true;
      addMessage("user", "yes");
      showTyping();
      send(JSON.stringify({ type: "confirm", token: token, message_id: newId() }));
    });
    place(btn);
    scroll();
  }

  function settle(resumed) {
    ready = true;
    if (customerToken) {
      identifying = true;
      socket.send(JSON.stringify({ type: "identify", customer_token: customerToken }));
    }
    if (hadConnection || resumed) loadHistory();
    hadConnection = true;
    // the cart survives reloads and reconnects: ask for it before anything queued
    var get = JSON.stringify({ type: "cart", action: "get" });
    cartAsks.unshift({ raw: get, ctx: {} });
    socket.send(get);
    while (outbox.length) socket.send(outbox.shift());
  }
  function send(frame) {
    if (socket && ready && socket.readyState === WebSocket.OPEN) socket.send(frame); else outbox.push(frame);
  }
  function connect() {
    setStatus(retry ? T("offline") : T("connecting"));
    var ws = new WebSocket(wsOrigin + "/ws/chat");
    socket = ws;
    ws.onopen = function () { retry = 0; ready = false; setStatus(T("online")); };
    ws.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      onFrame(f);
    };
    ws.onclose = function () {
      ready = false;
      // answers to cart frames this socket sent are lost; those still queued will be sent
      cartAsks = cartAsks.filter(function (a) { return outbox.indexOf(a.raw) >= 0; });
      clearTyping();
      log.setAttribute("aria-busy", "false");
      setStatus(T("offline"));
      socket = null;
      setTimeout(connect, Math.min(8000, 500 * Math.pow(2, retry++)));
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function submit(text) {
    text = String(text || "").trim();
    if (!text) return;
    addMessage("user", text);
    lastTyping = 0;
    if (handoffState === "bot" || handoffState === "closed") showTyping();
    send(JSON.stringify({ type: "message", text: text, message_id: newId() }));
  }
  input.addEventListener("input", function () {
    // only a person reads typing news; the bot does not need them
    if (handoffState !== "with_agent" || !socket || !ready) return;
    var now = Date.now();
    if (now - lastTyping < 3000) return;
    lastTyping = now;
    socket.send(JSON.stringify({ type: "typing", on: true }));
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value;
    input.value = "";
    submit(text);
  });

  // The assistant refuses pages on origins it does not allow (403 origin_not_allowed, and
  // the websocket handshake too, which a browser cannot read): the config request, whose
  // refusal is readable, tells the shopper once and the shop's developer what to change.
  function notEnabled(err) {
    setStatus(T("unavailable"));
    systemLine(T("notEnabled"));
    console.error("shopassist: the assistant at " + origin + " does not allow this site (" +
      window.location.origin + "): " + (err && err.message ? err.message : err.code) +
      ". Add " + window.location.origin + " to SHOP_SERVER__ALLOWED_ORIGINS on the assistant.");
  }
  fetch(origin + "/v1/widget/config", { credentials: "omit" })
    .then(function (r) {
      if (r.status !== 403) return r.ok ? r.json() : null;
      return r.json().then(function (body) {
        var err = body && body.error;
        return err && err.code === "origin_not_allowed" ? { refused: err } : null;
      });
    })
    .catch(function () { return null; /* defaults */ })
    .then(function (c) {
      if (c && c.refused) { notEnabled(c.refused); return; }
      if (c) config = c;
      if (!ds.title && c && c.store_name) titleEl.textContent = c.store_name;
      return loadHistory().then(connect);
    });
  if (ds.open === "true") setOpen(true, false);
  window.ShopAssist = {
    open: function () { setOpen(true, false); },
    close: function () { setOpen(false, false); },
    send: submit
  };
})();
