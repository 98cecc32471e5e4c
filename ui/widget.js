/*
 * 政策咨询挂件 — one script tag on any page:
 *   <script src="https://HOST/widget.js" data-api="https://HOST" data-region="茌平区" data-title="政策咨询" defer></script>
 *
 * Options (all data-* attributes, all optional):
 *   data-api        the service's origin (default: where this script came from)
 *   data-region     the place questions are about unless they name another (e.g. 茌平区)
 *   data-title      the launcher's and the panel's title (default 政策咨询)
 *   data-color      the main colour, a CSS colour (default #b91c1c)
 *   data-position   right | left (default right)
 *   data-greeting   the first message
 *   data-questions  suggested questions, separated by | (or a JSON array)
 *
 * No dependencies. Everything lives in a Shadow DOM so the host page's CSS cannot
 * break the widget and the widget cannot touch the host. Answers are built with
 * createElement/textContent only: no HTML from an answer is ever parsed or run.
 * The conversation is kept in sessionStorage (this tab only) and restored on reload,
 * together with the server session it belongs to; 「新对话」 clears both.
 */
(function () {
  "use strict";
  if (window.__policyQaWidget) return; // loaded twice: keep the first
  window.__policyQaWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var data = (script && script.dataset) || {};
  var API = (data.api || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, "");
  var REGION = (data.region || "").trim() || null;
  var TITLE = (data.title || "").trim() || "政策咨询";
  var COLOR = safeColor(data.color) || "#b91c1c";
  var LEFT = String(data.position || "").trim().toLowerCase() === "left";
  var GREETING = (data.greeting || "").trim() ||
    "您好！我可以解答电商扶持政策：能否享受、能拿多少、依据哪一条。请描述您的企业情况，例如所在地区、主营业务和年销售额。";
  var STORE_KEY = "policy-qa-session:" + API;
  var HISTORY_KEY = "policy-qa-history:" + API;
  var OPEN_KEY = "policy-qa-open:" + API;
  var MAX_TURNS = 30;
  var EXAMPLES = parseQuestions(data.questions) || (REGION
    ? ["我在" + REGION + "开网店，年销售额500万，有什么奖励？", REGION + "对直播电商有哪些扶持？", "快递物流有补贴吗？"]
    : ["我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？", "淄博市对跨境电商有哪些奖励？", "济宁的电商园区怎么认定？"]);

  function safeColor(c) {
    c = String(c || "").trim();
    // a colour value only: nothing that could close the rule it is put in
    return /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\)|[a-zA-Z]{3,20})$/.test(c) ? c : null;
  }
  function parseQuestions(v) {
    v = String(v || "").trim();
    if (!v) return null;
    var list = null;
    if (v.charAt(0) === "[") { try { list = JSON.parse(v); } catch (e) { list = null; } }
    if (!Array.isArray(list)) list = v.split("|");
    list = list.map(function (q) { return String(q).trim(); }).filter(Boolean).slice(0, 6);
    return list.length ? list : null;
  }
  var YES = "是的", NO = "不是";
  function isYesNo(q) { return q.indexOf("是否") >= 0 || /吗[？?]?$/.test(q); }
  var STATUS = {
    eligible: { text: "符合条件", cls: "ok" },
    conditional: { text: "需进一步确认", cls: "maybe" },
    ineligible: { text: "暂不符合", cls: "no" }
  };

  var CSS = [
    ":host{all:initial;--pqa-main:" + COLOR + ";font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.55;color:#1f2937}",
    "*,*::before,*::after{box-sizing:border-box}",
    "button,input,textarea{font:inherit;color:inherit}",
    ":focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;padding:12px 18px;border:0;border-radius:999px;background:var(--pqa-main);color:#fff;font-size:16px;font-weight:600;box-shadow:0 6px 20px rgba(0,0,0,.25);cursor:pointer}",
    ".launcher:hover{filter:brightness(.9)}",
    ".launcher svg{width:20px;height:20px;flex:none}",
    ".panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:400px;max-width:calc(100vw - 24px);height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden}",
    ".panel[hidden],.launcher[hidden]{display:none}",
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;height:100dvh;border-radius:0}.launcher{right:12px;bottom:12px}}",
    ".head{display:flex;align-items:center;gap:10px;padding:12px 14px;background:var(--pqa-main);color:#fff}",
    ".head h2{margin:0;font-size:17px;font-weight:700;flex:1}",
    ".head .sub{display:block;font-size:12px;font-weight:400;opacity:.9}",
    ".icon-btn{border:0;background:transparent;color:#fff;width:36px;height:36px;border-radius:8px;font-size:22px;line-height:1;cursor:pointer}",
    ".icon-btn:hover{background:rgba(255,255,255,.15)}",
    ".log{flex:1;overflow-y:auto;padding:14px;background:#f8fafc;display:flex;flex-direction:column;gap:12px}",
    ".msg{max-width:92%;padding:10px 12px;border-radius:12px;white-space:pre-wrap;word-break:break-word}",
    ".user{align-self:flex-end;background:var(--pqa-main);color:#fff;border-bottom-right-radius:4px}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px;max-width:100%;width:100%}",
    ".bot p{margin:0}",
    ".lead{font-weight:600}",
    ".fulltext{margin-top:10px;white-space:normal}",
    ".intro{color:#374151}",
    ".error{background:#fef2f2;border-color:#fecaca;color:#991b1b}",
    ".busy{color:#6b7280;font-style:italic}",
    ".total{margin:10px 0 4px;font-weight:700;color:var(--pqa-main)}",
    ".awards{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-direction:column;gap:8px;white-space:normal}",
    ".award{border:1px solid #e5e7eb;border-left:4px solid #9ca3af;border-radius:8px;padding:8px 10px;background:#fff}",
    ".award.ok{border-left-color:#15803d}.award.maybe{border-left-color:#d97706}.award.no{border-left-color:#9ca3af;opacity:.85}",
    ".award-top{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}",
    ".award-title{font-weight:600}",
    ".amount{font-size:20px;font-weight:800;color:var(--pqa-main);white-space:nowrap}",
    ".award.no .amount{color:#6b7280;font-size:16px}",
    ".badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:999px;margin-right:6px}",
    ".badge.ok{background:#dcfce7;color:#166534}.badge.maybe{background:#fef3c7;color:#92400e}.badge.no{background:#f3f4f6;color:#4b5563}",
    ".award-meta{font-size:12px;color:#6b7280;margin-top:4px}",
    ".missing{margin:4px 0 0;padding-left:18px;font-size:13px;color:#92400e}",
    ".rest{margin-top:8px;border:0;background:transparent}.rest>summary{color:#4b5563;padding:4px 0}",
    ".warnings{margin:10px 0 0;padding:8px 10px 8px 28px;background:#fffbeb;border:1px solid #fde68a;border-radius:8px;font-size:13px;color:#78350f;white-space:normal}",
    ".cites{margin-top:10px;white-space:normal}",
    ".cites h3,.follow h3{margin:0 0 4px;font-size:13px;color:#4b5563;font-weight:600}",
    "details{border:1px solid #e5e7eb;border-radius:8px;margin:4px 0;background:#fafafa}",
    "summary{cursor:pointer;padding:6px 10px;font-size:13px;color:#1d4ed8}",
    "blockquote{margin:0;padding:6px 12px 10px;border-top:1px solid #e5e7eb;font-size:13px;color:#374151;white-space:pre-wrap}",
    ".follow{margin-top:10px;white-space:normal}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px}",
    ".chip{border:1px solid #fca5a5;background:#fff;color:#991b1b;border-radius:999px;padding:5px 12px;font-size:13px;cursor:pointer;text-align:left}",
    ".chip:hover{background:#fef2f2}",
    ".asks{margin:0;padding-left:20px;font-size:14px}.asks li{margin:4px 0}",
    ".quick{display:inline-flex;margin-left:6px;vertical-align:middle}.quick .chip{padding:2px 14px}",
    ".hint{font-size:12px;color:#6b7280;margin-top:4px}",
    ".fb{display:flex;align-items:center;gap:6px;flex-wrap:wrap;margin-top:10px;padding-top:8px;border-top:1px dashed #e5e7eb;font-size:13px;color:#6b7280;white-space:normal}",
    ".fb button{border:1px solid #d1d5db;background:#fff;border-radius:6px;padding:3px 10px;cursor:pointer;font-size:13px}",
    ".fb button[aria-pressed=true]{background:#1f2937;color:#fff;border-color:#1f2937}",
    ".fb input{flex:1;min-width:120px;border:1px solid #d1d5db;border-radius:6px;padding:3px 8px;font-size:13px}",
    ".form{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}",
    ".form textarea{flex:1;resize:none;border:1px solid #d1d5db;border-radius:10px;padding:9px 11px;height:44px;max-height:120px;font-size:15px}",
    ".send{border:0;border-radius:10px;background:var(--pqa-main);color:#fff;padding:0 16px;font-weight:600;cursor:pointer;min-width:64px}",
    ".send:disabled{background:#d1d5db;cursor:not-allowed}",
    ".foot{font-size:11px;color:#9ca3af;text-align:center;padding:0 10px 8px;background:#fff}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".launcher.left,.panel.left{right:auto;left:20px}",
    "@media (max-width:480px){.panel.left{left:0}.launcher.left{left:12px}}",
    ".head .new{border:1px solid rgba(255,255,255,.6);background:transparent;color:#fff;border-radius:8px;padding:4px 10px;font-size:13px;cursor:pointer;white-space:nowrap}",
    ".head .new:hover{background:rgba(255,255,255,.15)}",
    ".tools{display:flex;justify-content:flex-end;gap:6px;margin-top:8px;white-space:normal}",
    ".tools button{border:1px solid #d1d5db;background:#fff;border-radius:6px;padding:2px 10px;font-size:12px;cursor:pointer;color:#374151}",
    ".vbadge{display:inline-block;font-size:11px;padding:0 6px;border-radius:4px;margin-right:6px;font-weight:600}",
    "summary .vbadge{margin:0 0 0 6px}",
    ".vbadge.expired{background:#1f2937;color:#fff}.vbadge.draft{background:#fff7ed;color:#9a3412;border:1px solid #fdba74}",
    ".award.maybe .amount{color:#92400e}",
    ".warnbox{margin:10px 0 0;border:1px solid #fde68a;background:#fffbeb;border-radius:8px;white-space:normal}",
    ".warnbox>summary{color:#78350f;font-size:13px;padding:6px 10px}",
    ".warnbox ul{margin:0;padding:0 10px 8px 26px;font-size:13px;color:#78350f}",
    ".divider{align-self:center;font-size:12px;color:#6b7280;background:#eef2f7;border-radius:999px;padding:2px 12px}"
  ].join("\n");

  // --- tiny DOM builder: text only, never HTML -------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] == null) continue;
        if (k === "text") node.textContent = String(attrs[k]);
        else if (k === "cls") node.className = attrs[k];
        else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
        else node.setAttribute(k, String(attrs[k]));
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  // The product's one money format (assistant/money.py, ported): 20万元, 7.5万元, 28800元, 3亿元.
  function plain(v) {
    if (Math.floor(v) === v) return String(v);
    return String(Number(v.toPrecision(15)));
  }
  function yuan(n) {
    if (n == null || n === "" || !isFinite(Number(n))) return "金额待定";
    var v = Number(n);
    if (v !== 0 && v % 10000000 === 0 && Math.abs(v) >= 100000000) return plain(v / 100000000) + "亿元";
    if (v !== 0 && v % 1000 === 0 && Math.abs(v) >= 10000) return plain(v / 10000) + "万元";
    return plain(v) + "元";
  }

  function storeGet(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function storeSet(key, value) {
    try {
      if (value == null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
    } catch (e) { /* private mode or full: memory only */ }
  }
  function loadHistory() {
    try { var h = JSON.parse(storeGet(HISTORY_KEY) || "[]"); return Array.isArray(h) ? h : []; } catch (e) { return []; }
  }
  // What an answer needs to be drawn again after a reload (the engine's traces stay on the server).
  function slim(resp) {
    return {
      answer: resp.answer, best_total_yuan: resp.best_total_yuan, follow_up: resp.follow_up || [],
      warnings: resp.warnings || [], session_id: resp.session_id,
      profile: { region: (resp.profile || {}).region || null },
      citations: (resp.citations || []).map(function (c) {
        return { policy_id: c.policy_id, clause_id: c.clause_id, citation: c.citation, policy_title: c.policy_title, text: c.text };
      }),
      awards: (resp.awards || []).map(function (a) {
        return { policy_id: a.policy_id, clause_id: a.clause_id, status: a.status, amount_yuan: a.amount_yuan, max_yuan: a.max_yuan,
          is_ceiling: a.is_ceiling, discretionary: a.discretionary, title: a.title, name: a.name, reference: awardRef(a),
          failed: a.failed, gap: a.gap, missing: texts(a.missing, ["question", "label", "fact"]), policy_validity: a.policy_validity };
      })
    };
  }

  // --- build the widget ------------------------------------------------------------------------
  var host = document.createElement("policy-qa-widget");
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", { text: CSS }));

  var chatIcon = function () {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    svg.appendChild(path);
    return svg;
  };

  var launcher = el("button", { cls: "launcher", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "pqa-panel" }, chatIcon(), TITLE);
  var closeBtn = el("button", { cls: "icon-btn", type: "button", "aria-label": "关闭" + TITLE, title: "关闭（Esc）" }, "×");
  var log = el("div", { cls: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "对话记录", tabindex: "0" });
  var input = el("textarea", { rows: "1", placeholder: "请输入您的问题，按 Enter 发送", "aria-label": "输入问题", maxlength: "1000" });
  var send = el("button", { cls: "send", type: "submit" }, "发送");
  var form = el("form", { cls: "form", "aria-label": "提问" }, input, send);
  var DEFAULT_SUB = REGION ? "当前地区：" + REGION : "电商惠企政策智能问答";
  var sub = el("span", { cls: "sub", text: DEFAULT_SUB });
  var heading = el("h2", { id: "pqa-title" }, TITLE, sub);
  var newBtn = el("button", { cls: "new", type: "button", title: "清空对话，重新开始" }, "新对话");
  var panel = el(
    "div",
    { cls: "panel", id: "pqa-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "pqa-title", hidden: "" },
    el("div", { cls: "head" }, heading, newBtn, closeBtn),
    log,
    form,
    el("div", { cls: "foot", text: "答复依据已公开的政策原文，金额以主管部门审核为准" })
  );
  root.appendChild(launcher);
  root.appendChild(panel);

  if (LEFT) { launcher.classList.add("left"); panel.classList.add("left"); }
  var sessionId = storeGet(STORE_KEY);
  var history = loadHistory(); // [{q, resp}] of the current server session, oldest first
  var busy = false;
  var greeted = false;

  // The header names the place the last answer was about (a 聊城 site can be asked about 淄博).
  function showRegion(resp) {
    var r = resp && resp.profile && resp.profile.region;
    sub.textContent = r ? "当前地区：" + r : DEFAULT_SUB;
  }

  function saveHistory() {
    storeSet(STORE_KEY, sessionId);
    storeSet(HISTORY_KEY, history.length ? JSON.stringify(history.slice(-MAX_TURNS)) : null);
  }

  function newChat() {
    // A new server session too: the server forgets the old one (and the facts it holds), and the next question
    // goes without its id. Fire and forget: the conversation is new whatever the network does.
    if (sessionId) {
      try { fetch(API + "/api/session/" + encodeURIComponent(sessionId), { method: "DELETE" }).catch(function () {}); }
      catch (e) { /* old browsers: the session expires on its own */ }
    }
    sessionId = null;
    history = [];
    saveHistory();
    log.textContent = "";
    greeted = false;
    greet();
    showRegion(null);
    input.value = "";
    input.focus();
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function chips(list, label) {
    var box = el("div", { cls: "chips", role: "group", "aria-label": label });
    list.forEach(function (q) {
      box.appendChild(el("button", { cls: "chip", type: "button", onclick: function () { ask(q); } }, q));
    });
    return box;
  }

  function greet() {
    if (greeted) return;
    greeted = true;
    var intro = el("div", { cls: "msg bot intro" },
      el("p", { text: GREETING }),
      el("div", { cls: "follow" }, el("h3", { text: "您可以这样问" }), chips(EXAMPLES, "示例问题")));
    log.appendChild(intro);
  }

  function openPanel(keepFocus) {
    greet();
    storeSet(OPEN_KEY, "1");
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    if (keepFocus !== true) input.focus();
    scrollDown();
  }

  function closePanel() {
    storeSet(OPEN_KEY, null);
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function texts(list, keys) {
    if (!list) return [];
    if (!Array.isArray(list)) list = [list];
    return list.map(function (m) {
      if (m && typeof m === "object") {
        for (var i = 0; i < keys.length; i++) if (m[keys[i]]) return String(m[keys[i]]);
        return "";
      }
      return String(m);
    }).filter(Boolean);
  }

  function awardAmount(a) {
    if (a.amount_yuan != null) return (a.is_ceiling ? "最高" : "") + yuan(a.amount_yuan);
    if (a.discretionary) return "一事一议";
    if (a.status === "ineligible") return "不适用";
    if (a.max_yuan != null) return "最高" + yuan(a.max_yuan);
    return "金额待定";
  }

  function awardRef(a) {
    var r = a.reference;
    if (r && typeof r === "object" && r.citation) return r.citation;
    if (typeof r === "string" && r) return r;
    return a.citation || (a.policy_id + " · " + a.clause_id);
  }

  // The policy's status on the card: an expired or draft policy is never shown as plain current.
  function validityBadge(a) {
    if (a.policy_validity === "expired") return el("span", { cls: "vbadge expired", text: "已失效" });
    if (/征求意见稿/.test(awardRef(a))) return el("span", { cls: "vbadge draft", text: "征求意见稿" });
    if (a.policy_validity === "not_yet") return el("span", { cls: "vbadge draft", text: "尚未施行" });
    return null;
  }

  // A greeting or an off-topic question: the answer offers example questions (resp.examples), no award.
  function isOffTopic(resp) {
    return (resp.examples || []).length > 0 && !(resp.awards || []).length && !(resp.citations || []).length;
  }

  function copyText(text, button) {
    var done = function () { var old = button.textContent; button.textContent = "已复制"; setTimeout(function () { button.textContent = old; }, 1500); };
    var fallback = function () {
      var t = document.createElement("textarea");
      t.value = text; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
      root.appendChild(t); t.select();
      try { document.execCommand("copy"); done(); } finally { t.remove(); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  function renderAward(a) {
    var st = STATUS[a.status] || { text: a.status || "", cls: "no" };
    var title = a.title || a.name || (a.policy_id + " " + a.clause_id);
    var item = el("li", { cls: "award " + st.cls },
      el("div", { cls: "award-top" },
        el("span", { cls: "award-title", text: title }),
        el("span", { cls: "amount", text: awardAmount(a) })),
      el("div", {}, el("span", { cls: "badge " + st.cls, text: st.text }), validityBadge(a),
        el("span", { cls: "award-meta", text: awardRef(a) })));
    var failed = texts(a.failed, ["text", "label"]);
    if (failed.length) item.appendChild(el("div", { cls: "award-meta", text: "不满足：" + failed.join("；") }));
    if (a.gap) item.appendChild(el("div", { cls: "award-meta", text: "差距：" + a.gap }));
    var missing = texts(a.missing, ["question", "label", "fact"]);
    if (missing.length) {
      var ul = el("ul", { cls: "missing", "aria-label": "待确认条件" });
      missing.forEach(function (m) { ul.appendChild(el("li", { text: m })); });
      item.appendChild(ul);
    }
    return item;
  }

  function feedbackBar(question, resp) {
    var bar = el("div", { cls: "fb", role: "group", "aria-label": "这条答复有帮助吗" });
    var label = el("span", { text: "这条答复有帮助吗？" });
    var remark = el("input", { type: "text", placeholder: "补充说明（可选）", "aria-label": "反馈备注（可选）", maxlength: "500", hidden: "" });
    var submit = el("button", { type: "button", hidden: "" }, "提交");
    var choice = null;
    function post() {
      var body = {
        useful: choice, question: question, answer: String(resp.answer || "").slice(0, 5000), remark: remark.value || "",
        region: REGION, source: "widget",
        awards: (resp.awards || []).slice(0, 50).map(function (a) {
          return { policy_id: a.policy_id, clause_id: a.clause_id, status: a.status, amount_yuan: a.amount_yuan, title: a.title || null };
        }),
        citations: (resp.citations || []).slice(0, 50).map(function (c) {
          return { policy_id: c.policy_id, clause_id: c.clause_id, citation: c.citation || null };
        })
      };
      return fetch(API + "/api/feedback", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(function (r) { if (!r.ok) throw new Error(r.status); });
    }
    function choose(val, btn, other) {
      choice = val;
      btn.setAttribute("aria-pressed", "true");
      other.setAttribute("aria-pressed", "false");
      remark.hidden = false;
      submit.hidden = false;
      remark.focus();
    }
    var up = el("button", { type: "button", "aria-pressed": "false" }, "有用");
    var down = el("button", { type: "button", "aria-pressed": "false" }, "没用");
    up.addEventListener("click", function () { choose(true, up, down); });
    down.addEventListener("click", function () { choose(false, down, up); });
    function done() {
      post().then(function () {
        bar.textContent = "";
        bar.appendChild(el("span", { role: "status", text: "感谢您的反馈！" }));
        input.focus();
      }, function () {
        label.textContent = "反馈提交失败，请稍后重试。";
      });
    }
    submit.addEventListener("click", done);
    remark.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); done(); } });
    bar.appendChild(label); bar.appendChild(up); bar.appendChild(down); bar.appendChild(remark); bar.appendChild(submit);
    return bar;
  }

  function renderAnswer(question, resp, restored) {
    var box = el("div", { cls: "msg bot" });
    var full = String(resp.answer || "").trim();
    if (isOffTopic(resp)) {
      // a short reply, and the examples offered as examples (never as questions to answer)
      var intro = full.split(/\n\s*-\s/)[0].replace(/[，。；\s]*您可以这样问[:：]?\s*$/, "。").replace(/^。$/, "");
      if (intro) box.appendChild(el("p", { text: intro }));
      box.appendChild(el("div", { cls: "follow" }, el("h3", { text: "您可以这样问" }), chips(resp.examples, "示例问题")));
      return box;
    }
    // The answer text lists everything in prose; the cards below show the same facts at a glance,
    // so only its opening paragraph (the conclusion) is shown up front and the full text folds away.
    var cut = full.search(/\n\s*\n/);
    box.appendChild(el("p", { cls: "lead", text: cut > 0 ? full.slice(0, cut) : full }));
    var awards = resp.awards || [];
    // The figure first, then the awards; the warnings after them, folded to one line.
    if (resp.best_total_yuan != null && awards.length) {
      box.appendChild(el("p", { cls: "total", text: "按政策测算，最高可获得 " + yuan(resp.best_total_yuan) }));
    }
    var hopeful = awards.filter(function (a) { return a.status !== "ineligible"; });
    var rest = awards.filter(function (a) { return a.status === "ineligible"; });
    if (hopeful.length) {
      var ul = el("ul", { cls: "awards", "aria-label": "可享受的奖补" });
      hopeful.forEach(function (a) { ul.appendChild(renderAward(a)); });
      box.appendChild(ul);
    }
    if (rest.length) {
      var ul2 = el("ul", { cls: "awards", "aria-label": "暂不符合的奖补" });
      rest.forEach(function (a) { ul2.appendChild(renderAward(a)); });
      box.appendChild(hopeful.length
        ? el("details", { cls: "rest" }, el("summary", { text: "暂不符合的项目（" + rest.length + " 项）" }), ul2)
        : ul2);
    }
    var warnings = (resp.warnings || []).filter(Boolean);
    if (warnings.length) {
      var warn = el("ul", { "aria-label": "注意事项" });
      warnings.forEach(function (w) { warn.appendChild(el("li", { text: w })); });
      box.appendChild(el("details", { cls: "warnbox" }, el("summary", { text: "注意事项（" + warnings.length + " 条），点击展开" }), warn));
    }
    var seen = {};
    var citations = (resp.citations || []).filter(function (c) {
      var k = c.policy_id + "|" + c.clause_id;
      if (seen[k]) return false;
      seen[k] = true;
      return true;
    });
    if (citations.length) {
      var validity = {}; // a citation carries its policy's status as the awards report it
      awards.forEach(function (a) { if (a.policy_validity) validity[a.policy_id] = a.policy_validity; });
      var cites = el("div", { cls: "cites" }, el("h3", { text: "政策依据（点击展开原文）" }));
      citations.forEach(function (c) {
        var label = c.citation || ((c.policy_title ? "《" + c.policy_title + "》" : c.policy_id) + c.clause_id);
        cites.appendChild(el("details", {},
          el("summary", {}, label, validityBadge({ policy_validity: validity[c.policy_id], reference: label })),
          el("blockquote", { text: c.text || "" })));
      });
      box.appendChild(cites);
    }
    var follow = resp.follow_up || [];
    if (follow.length) {
      // Follow-ups are questions to the user. The first can be answered with one click: the dialogue
      // reads a bare 是的/不是 as the answer to it. The rest are listed so the user can answer in words.
      var list = el("ol", { cls: "asks" });
      follow.forEach(function (q, i) {
        var li = el("li", {}, el("span", { text: q }));
        if (i === 0 && isYesNo(q)) {
          li.appendChild(el("span", { cls: "chips quick", role: "group", "aria-label": "回答：" + q },
            el("button", { cls: "chip", type: "button", onclick: function () { ask(YES); } }, "是"),
            el("button", { cls: "chip", type: "button", onclick: function () { ask(NO); } }, "否")));
        }
        list.appendChild(li);
      });
      box.appendChild(el("div", { cls: "follow" }, el("h3", { text: "请补充以下情况，测算会更准确" }), list,
        el("div", { cls: "hint", text: "也可以直接输入，例如「已纳统，当年新注册」" })));
    }
    if (cut > 0) {
      box.appendChild(el("details", { cls: "fulltext" }, el("summary", { text: "查看完整文字答复" }),
        el("blockquote", { text: full })));
    }
    var copy = el("button", { type: "button", cls: "copy", "aria-label": "复制这条答复" }, "复制");
    copy.addEventListener("click", function () { copyText(full, copy); });
    box.appendChild(el("div", { cls: "tools" }, copy));
    if (!restored) box.appendChild(feedbackBar(question, resp));
    return box;
  }

  function setBusy(on) {
    busy = on;
    send.disabled = on;
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  function ask(text) {
    var question = String(text || "").trim();
    if (!question || busy) return;
    greet();
    var asked = el("div", { cls: "msg user", text: question });
    log.appendChild(asked);
    input.value = "";
    var wait = el("div", { cls: "msg bot busy", role: "status", text: "正在查询政策，请稍候…" });
    log.appendChild(wait);
    scrollDown();
    setBusy(true);
    var sent = sessionId;
    var body = { question: question, session_id: sent, region: REGION };
    fetch(API + "/api/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error(j.error || ("服务暂不可用（" + r.status + "）"));
          return j;
        });
      })
      .then(function (resp) {
        wait.remove();
        if (resp.error && !resp.answer) throw new Error(resp.error);
        if (resp.session_id) {
          if (sent && resp.session_id !== sent) {
            // The server no longer knows the old conversation (it expired): say so, and keep in step.
            history = [];
            log.insertBefore(el("div", { cls: "divider", role: "note", text: "之前的对话已过期，以下为新对话" }), asked);
          }
          sessionId = resp.session_id;
        }
        history.push({ q: question, resp: slim(resp) });
        saveHistory();
        showRegion(resp);
        log.appendChild(renderAnswer(question, resp));
      })
      .catch(function (err) {
        wait.remove();
        var msg = err && err.message && !/^Failed to fetch|NetworkError|Load failed/.test(err.message) ? err.message : "网络异常，暂时无法连接咨询服务，请稍后再试。";
        log.appendChild(el("div", { cls: "msg bot error", role: "alert", text: msg }));
      })
      .then(function () {
        setBusy(false);
        // Show the answer from its top (the question just above it), not its last line.
        log.scrollTop += asked.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
        if (!panel.hidden) input.focus();
      });
  }

  // After a reload: the same conversation, drawn again from sessionStorage.
  function restore() {
    if (!history.length || !sessionId) { history = []; return; }
    greet();
    history.forEach(function (turn) {
      log.appendChild(el("div", { cls: "msg user", text: turn.q }));
      log.appendChild(renderAnswer(turn.q, turn.resp, true));
    });
    showRegion(history[history.length - 1].resp);
  }
  restore();

  // --- keyboard: Enter sends, Shift+Enter new line, Esc closes, Tab stays inside the panel ----------
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(input.value); }
  });
  launcher.addEventListener("click", function () { openPanel(); });
  closeBtn.addEventListener("click", closePanel);
  newBtn.addEventListener("click", newChat);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); closePanel(); return; }
    if (e.key !== "Tab") return;
    var items = Array.prototype.filter.call(
      panel.querySelectorAll("button, textarea, input, summary, [tabindex]:not([tabindex='-1'])"),
      function (n) { return !n.disabled && !n.hidden && n.offsetParent !== null; });
    if (!items.length) return;
    var first = items[0], last = items[items.length - 1], active = root.activeElement;
    if (e.shiftKey && (active === first || !panel.contains(active))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (active === last || !panel.contains(active))) { e.preventDefault(); first.focus(); }
  });

  function mount() {
    document.body.appendChild(host);
    if (storeGet(OPEN_KEY) && history.length) openPanel(true); // open before the reload: open after it
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);

  // A small API for the host page, e.g. a 「在线咨询」 link: PolicyQaWidget.open().
  window.PolicyQaWidget = { open: openPanel, close: closePanel, ask: function (q) { openPanel(); ask(q); }, reset: newChat,
    formatYuan: yuan };
})();
