"""The site's own files: its stylesheet and its search script (no data in either)."""

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:80rem;
padding:0 1rem 2rem;color:#1b1b1b;line-height:1.45;overflow-wrap:anywhere}
nav.site{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:.6rem 0;border-bottom:1px solid #b1b4b6;margin-bottom:1rem}
h1,h2,h3{line-height:1.2}
h1{font-size:1.6rem}
h2{font-size:1.25rem;margin-top:1.8rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0 1.2rem;font-size:.9rem}
th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
[class^=status-],.open,.closed{white-space:nowrap}
th{background:#f3f2f1}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap}
.cite{color:#505a5f}
.mark{font-weight:bold}
.open .mark,.status-missing .mark,.status-exceeded .mark{color:#942514}
.closed .mark,.status-met .mark{color:#005a30}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{font-weight:bold}
dl.facts dd{margin:0}
ul.figures{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 2rem}
ul.figures strong{font-size:1.4rem;display:block}
svg.trend{display:block;min-width:20rem}
pre.definition{white-space:pre-wrap;background:#f3f2f1;padding:.5rem;font-size:.85rem}
form.search label{font-weight:bold;display:block}
form.search input{font-size:1rem;padding:.3rem;width:100%;max-width:30rem}
ul.results li{margin:.2rem 0}
@media (max-width:40rem){body{padding:0 .6rem 1rem}table{font-size:.8rem}dl.facts{grid-template-columns:1fr}}
@media print{
nav.site,form.search,ul.results{display:none}
.scroll{overflow:visible}
body{max-width:none}
table{page-break-inside:auto}
thead{display:table-header-group}
tr{page-break-inside:avoid;break-inside:avoid}
a{color:inherit;text-decoration:none}
}
"""

# The search script: reads the index a <script src> loaded (browsers refuse fetch() of file://
# URLs), and lists matches as links built with textContent (never innerHTML: ids are untrusted).
SEARCH_JS = r"""
(function () {
  "use strict";
  var form = document.getElementById("search");
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  if (!form || !box || !list || !window.CASECHECK_INDEX) { return; }
  form.hidden = false;
  var index = window.CASECHECK_INDEX;
  var base = form.getAttribute("data-base") || "";
  function show() {
    var q = box.value.trim().toLowerCase();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { return; }
    var n = 0;
    for (var i = 0; i < index.length && n < 50; i++) {
      var item = index[i];
      if (item[1].toLowerCase().indexOf(q) === -1) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + item[2];
      a.textContent = item[1];
      li.appendChild(document.createTextNode(item[0] + " "));
      li.appendChild(a);
      list.appendChild(li);
      n++;
    }
    if (n === 0) {
      var none = document.createElement("li");
      none.textContent = "Nothing found.";
      list.appendChild(none);
    }
  }
  box.addEventListener("input", show);
  form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
  show();
})();
"""
