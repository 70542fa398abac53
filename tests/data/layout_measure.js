// Measures a casecheck page shown in the iframe #casecheck-page (the page unchanged, its own
// Content-Security-Policy in force, no script in it) and writes what it found, as JSON, into
// a pre element (#casecheck-measure) of this harness page, for chromium --dump-dom to print.
window.addEventListener("load", function () {
  var frame = document.getElementById("casecheck-page"), win = frame.contentWindow, doc = frame.contentDocument;
  var W = win.innerWidth, out = {width: W, scroll_width: doc.documentElement.scrollWidth,
    tokens: [], outside: [], scrolled: [], broken: [], unlabelled: [], headings_shown: 0};
  var NUM = /\d[\d,.]*%?/g, RID = /[A-Z][A-Z0-9]*(?:[-\u2011][A-Za-z0-9]+)+/g;
  function boxed(el) {  // an ancestor that scrolls or clips sideways what it holds
    for (; el && el !== doc.body; el = el.parentElement) {
      var ox = win.getComputedStyle(el).overflowX;
      if (ox !== "visible" && el.scrollWidth > el.clientWidth + 1) return el.tagName + "." + el.className;
    }
    return null;
  }
  var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT), node;
  while ((node = walker.nextNode())) {
    var el = node.parentElement;
    if (el.closest("thead")) continue;  // column headings are labels, not counts
    [[NUM, "count"], [RID, "id"]].forEach(function (pair) {
      var re = pair[0], m; re.lastIndex = 0;
      while ((m = re.exec(node.data))) {
        var r = doc.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        var rects = Array.prototype.filter.call(r.getClientRects(), function (x) { return x.width > 0; });
        if (!rects.length) continue;  // not drawn
        var text = m[0].replace(/\u2011/g, "-");
        out.tokens.push([pair[1], text]);
        rects.forEach(function (x) { if (x.left < -0.5 || x.right > W + 0.5) out.outside.push([text, x.left, x.right]); });
        var b = boxed(el); if (b) out.scrolled.push([text, b]);
        if (pair[1] === "id") {
          var tops = {}; rects.forEach(function (x) { tops[Math.round(x.top)] = 1; });
          if (Object.keys(tops).length > 1) out.broken.push(text);
        }
      }
    });
  }
  doc.querySelectorAll("table.cards").forEach(function (t) {
    var head = t.querySelector("thead");
    if (head && head.getClientRects().length) out.headings_shown += 1;
    t.querySelectorAll("td[data-label]").forEach(function (td) {
      if (!td.getClientRects().length) return;  // an empty cell, not shown
      var before = win.getComputedStyle(td, "::before").content;
      if (before.indexOf(td.getAttribute("data-label")) < 0) out.unlabelled.push(td.getAttribute("data-label"));
    });
  });
  var pre = document.createElement("pre"); pre.id = "casecheck-measure";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
