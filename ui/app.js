/*
 * Behaviour of the gradio app at /ui that gradio itself does not offer. Loaded as a same-origin file
 * (<script src="/app.js" defer>), so a Content-Security-Policy can allow it by 'self'.
 *
 *  - Chinese names for gradio's own controls (its bundle hard-codes 「More tabs」「chatbot conversation」…),
 *    and for its screen-reader status line (「common.complete」);
 *  - 政策问答: Enter sends, Shift+Enter is a new line; the view scrolls to the START of each new answer;
 *  - 条款检索: `/` focuses the box, ↑↓ move through hits, Enter opens the clause, `c` copies its citation;
 *  - 复制引用 buttons (data-copy) and 查看全文 buttons (data-open) anywhere in the page;
 *  - 打印/导出 (data-print) prints the calculator's summary alone.
 */
(function () {
  "use strict";

  // ---- Chinese labels for gradio's built-in controls ---------------------------------------------
  var LABELS = {
    "More tabs": "更多标签页",
    "chatbot conversation": "对话记录",
    "Copy": "复制",
    "Copied": "已复制",
    "Copy message": "复制消息",
    "Copy conversation": "复制全部对话",
    "Copied message": "已复制消息",
    "Reset to default value": "恢复默认值",
    "Clear": "清空",
    "Submit": "提交",
    "Stop": "停止",
    "Retry": "重试",
    "Undo": "撤销",
    "Edit": "编辑",
    "Like": "有用",
    "Dislike": "没用",
    "Share": "分享",
    "Download": "下载",
    "Fullscreen": "全屏",
    "Exit fullscreen mode": "退出全屏",
    "Close": "关闭",
    "Remove": "移除",
    "Loading...": "加载中…",
    "number input for": "数值输入：",
    "range slider for": "滑块：",
    "Select": "选择",
    "Dropdown": "下拉选择",
    "Examples": "示例",
    "Radio": "单选",
    "Textbox": "文本框",
    "Checkbox": "复选框",
    "user's message:": "用户消息：",
    "bot's message:": "助手答复："
  };
  var ATTRS = ["aria-label", "title", "aria-roledescription", "placeholder"];
  var ASCII = /[A-Za-z]/;

  function translate(value) {
    if (!value || !ASCII.test(value)) return null;
    var v = value.trim();
    if (LABELS[v]) return LABELS[v];
    for (var k in LABELS) {
      if (Object.prototype.hasOwnProperty.call(LABELS, k) && v.indexOf(k) === 0 && v.length > k.length) {
        return LABELS[k] + v.slice(k.length).trim();
      }
    }
    return null;
  }

  function fixLabels(root) {
    var nodes = (root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[aria-roledescription],[placeholder]") : []);
    for (var i = 0; i < nodes.length; i++) {
      for (var j = 0; j < ATTRS.length; j++) {
        var v = nodes[i].getAttribute(ATTRS[j]);
        var t = translate(v);
        if (t) nodes[i].setAttribute(ATTRS[j], t);
      }
    }
  }

  // ---- gradio's screen-reader status line -------------------------------------------------------------
  // Its status tracker announces each event in a visually hidden live region through its i18n keys, and its
  // Chinese dictionary lacks some of them, so screen readers heard 「common.complete」.
  var STATUS = {
    "common.complete": "已完成",
    "common.error": "出错了",
    "common.loading": "加载中",
    "Complete": "已完成",
    "Error": "出错了",
    "Loading...": "加载中"
  };
  var I18N_KEY = /^[a-z_]+(\.[a-z_]+)+$/;

  function statusText(text) {
    var v = (text || "").trim();
    if (!v || !ASCII.test(v)) return null;
    if (STATUS[v]) return STATUS[v];
    if (/queue/i.test(v)) return "排队中，请稍候";
    return I18N_KEY.test(v) ? "处理中" : null;
  }

  // The text node is changed in place: gradio keeps updating the same node.
  function fixStatus(mutations) {
    for (var i = 0; i < mutations.length; i++) {
      var node = mutations[i].target;
      var el = node.nodeType === 3 ? node.parentElement : node;
      var live = el && el.closest && el.closest("[role=status]");
      if (!live) continue;
      for (var c = live.firstChild; c; c = c.nextSibling) {
        if (c.nodeType !== 3) continue;
        var t = statusText(c.data);
        if (t) c.data = t;
      }
    }
  }

  // ---- copy -------------------------------------------------------------------------------------------
  function copyText(text, button) {
    var done = function () {
      if (!button) return;
      var old = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", old);
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = old; }, 1500);
    };
    var fallback = function () {
      var t = document.createElement("textarea");
      t.value = text; t.setAttribute("readonly", ""); t.style.position = "fixed"; t.style.opacity = "0";
      document.body.appendChild(t); t.select();
      try { document.execCommand("copy"); done(); } finally { t.remove(); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  // ---- 条款检索 ------------------------------------------------------------------------------------------
  function setGradioText(elemId, value) {
    var box = document.querySelector("#" + elemId + " textarea, #" + elemId + " input");
    if (!box) return;
    box.value = value;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function openHit(li) {
    if (!li) return;
    var list = li.parentNode;
    Array.prototype.forEach.call(list.querySelectorAll(".pqa-hit[aria-current]"), function (n) { n.removeAttribute("aria-current"); });
    li.setAttribute("aria-current", "true");
    // a nonce, so choosing the same clause again still counts as a change
    setGradioText("pqa-open-key", li.getAttribute("data-key") + "|" + Date.now());
  }

  function hits() { return Array.prototype.slice.call(document.querySelectorAll("#pqa-hits .pqa-hit")); }

  function typing(el) {
    if (!el) return false;
    if (el.tagName === "INPUT") return !/^(checkbox|radio|button|submit|range)$/.test(el.type);
    return el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
  }

  function searchTabVisible() {
    var q = document.querySelector("#pqa-search-q");
    return q && q.offsetParent !== null;
  }

  document.addEventListener("click", function (e) {
    var copy = e.target.closest && e.target.closest("[data-copy]");
    if (copy) { copyText(copy.getAttribute("data-copy"), copy); return; }
    var open = e.target.closest && e.target.closest("[data-open]");
    if (open) { openHit(open.closest(".pqa-hit")); return; }
    var follow = e.target.closest && e.target.closest(".pqa-follow-btn");
    if (follow) { // the button fills the question box: the user completes the answer there
      setTimeout(function () {
        var box = document.querySelector("#pqa-question textarea");
        if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
      }, 400);
      return;
    }
    var print = e.target.closest && e.target.closest("[data-print]");
    if (print) { printSummary(print.getAttribute("data-print")); }
  });

  document.addEventListener("keydown", function (e) {
    var active = document.activeElement;
    // 政策问答: Enter sends, Shift+Enter new line (gradio's multi-line box does the reverse).
    if (e.key === "Enter" && active && active.closest && active.closest("#pqa-question") && active.tagName === "TEXTAREA") {
      if (e.isComposing || e.keyCode === 229) return; // an IME is choosing characters
      e.stopPropagation();
      e.preventDefault();
      if (e.shiftKey) { // a new line where the caret is (gradio would send here)
        active.setRangeText("\n", active.selectionStart, active.selectionEnd, "end");
        active.dispatchEvent(new Event("input", { bubbles: true }));
        return;
      }
      var send = document.querySelector("#pqa-send");
      if (send && active.value.trim()) send.click();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || !searchTabVisible()) return;
    if (e.key === "/" && !typing(active)) {
      var q = document.querySelector("#pqa-search-q input, #pqa-search-q textarea");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
      return;
    }
    var list = hits();
    if (!list.length) return;
    var inHits = active && active.classList && active.classList.contains("pqa-hit");
    var inBox = active && active.closest && active.closest("#pqa-search-q");
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!inHits && !inBox && typing(active)) return;
      e.preventDefault();
      var i = inHits ? list.indexOf(active) : -1;
      var next = e.key === "ArrowDown" ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0);
      list[next].focus();
      list[next].scrollIntoView({ block: "nearest" });
      return;
    }
    if (inHits && e.key === "Enter") { e.preventDefault(); openHit(active); return; }
    if (inHits && (e.key === "c" || e.key === "C")) {
      var b = active.querySelector("[data-copy]");
      if (b) { e.preventDefault(); copyText(b.getAttribute("data-copy"), b); }
    }
  }, true);

  // ---- 政策问答: show each new answer from its start -------------------------------------------------
  var seenBots = 0;
  function scrollToNewAnswer() {
    var bots = document.querySelectorAll("#pqa-chatbot .message-row.bot-row");
    if (!bots.length) bots = document.querySelectorAll("#pqa-chatbot [data-testid='bot']");
    if (bots.length === seenBots) return;
    var grew = bots.length > seenBots;
    seenBots = bots.length;
    if (!grew) return;
    var msg = bots[bots.length - 1];
    var box = msg.parentNode;
    while (box && box !== document.body) {
      var style = getComputedStyle(box);
      if (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight) break;
      box = box.parentNode;
    }
    if (!box || box === document.body) return;
    // the question just above the answer stays in sight
    var user = msg.previousElementSibling;
    var anchor = user && user.getBoundingClientRect().height < 120 ? user : msg;
    box.scrollTop += anchor.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
    bringFollowUpsIntoView();
    setTimeout(bringFollowUpsIntoView, 300); // the follow-up box may be drawn a moment after the answer
  }

  // On a short screen the follow-up buttons under the input fall below the fold: the page moves up just
  // enough to show them, never so far that the top of the chat (where the answer starts) leaves the view.
  function bringFollowUpsIntoView() {
    var follow = document.querySelector("#pqa-followups");
    var chat = document.querySelector("#pqa-chatbot");
    if (!follow || !chat || follow.offsetParent === null) return;
    var below = follow.getBoundingClientRect().bottom - window.innerHeight + 8;
    var room = chat.getBoundingClientRect().top - 4;
    if (below > 0 && room > 0) window.scrollBy(0, Math.min(below, room));
  }

  // ---- 奖补测算: a new result is shown from its top (the totals), wherever the form left the page -----
  var lastCalc = null;
  function scrollToNewCalc() {
    var calc = document.querySelector("#pqa-calc-out .pqa-calc, #pqa-calc-out .pqa-error, #pqa-calc-out .pqa-details");
    if (!calc || calc === lastCalc) return;
    var first = lastCalc === null && !document.querySelector("#pqa-calc-out .pqa-calc");
    lastCalc = calc;
    if (first) return; // the empty placeholder on load
    document.querySelector("#pqa-calc-out").scrollIntoView({ block: "start" });
  }

  // ---- 奖补测算: print the summary alone -------------------------------------------------------------
  // A copy of the summary, everything folded opened (the missing conditions, the traces, the clause texts),
  // is the only thing in the page while printing: hiding the rest by visibility left the summary where it
  // sat on screen, half a page to the right.
  function printSummary(selector) {
    var node = document.querySelector(selector || "#pqa-calc-out");
    if (!node) return;
    var host = document.querySelector(".gradio-container .contain") || document.body; // keeps the app's styles
    var old = document.getElementById("pqa-print-sheet");
    if (old) old.remove();
    var sheet = document.createElement("div");
    sheet.id = "pqa-print-sheet";
    var title = document.createElement("h2");
    title.textContent = "电商惠企政策奖补测算摘要";
    sheet.appendChild(title);
    var copy = node.cloneNode(true);
    copy.removeAttribute("id");
    Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
    Array.prototype.forEach.call(copy.querySelectorAll("details"), function (d) { d.open = true; });
    sheet.appendChild(copy);
    host.appendChild(sheet);
    document.body.classList.add("pqa-printing");
    var done = function () {
      document.body.classList.remove("pqa-printing");
      sheet.remove();
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
    setTimeout(done, 1000);
  }

  // ---- wiring -------------------------------------------------------------------------------------------
  var pending = false;
  function onMutations() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      fixLabels(document);
      scrollToNewAnswer();
      scrollToNewCalc();
    });
  }
  function start() {
    fixLabels(document);
    new MutationObserver(function (mutations) {
      fixStatus(mutations); // at once, before the screen reader reads the live region
      onMutations();
    }).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS
    });
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
  window.PolicyQaApp = { translate: translate, statusText: statusText };
})();
