"""The fixed parts of every reference page: the stylesheet, the index's search script and its
"how to read these pages" note (inlined into the pages, so they open offline)."""

HOW_TO_READ = """<details class="howto"><summary>How to read these pages</summary><ul>
<li>Every treatment option and test has a <b>default status</b>, used when none of its rules holds.</li>
<li>A <b>rule</b> gives a status to one or more items when its condition holds for a case. If several
rules hold, <i>avoid</i> outranks every other status; otherwise the most favourable status applies.</li>
<li>An item is <i>undetermined</i> when a rule that would change its status depends on a factor the case
does not give; the item's reasons then name the test or question that would settle it.</li>
<li>A treatment family takes the most favourable status of its options.</li>
<li>An <b>alert</b> is raised at the most severe level of the rules that hold; it is <i>not ruled out</i>
when a rule depends on an unknown factor.</li>
<li>Conditions are shown in words. A named condition (dotted underline) gives its definition in
brackets or, when longer, under it (the triangle folds it). Each rule lists worked examples: cases it holds
for, cases it does not, and cases where it cannot tell.</li>
<li>Every rule and item cites its sources with the section used; a source's page lists everything that
cites it.</li></ul></details>"""

SEARCH_JS = """
(function () {
  var box = document.getElementById('q'), count = document.getElementById('count');
  var none = document.getElementById('none');
  var rows = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.group'));
  function filter() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search');
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (g) {
      var n = g.querySelectorAll('li[data-search]:not([hidden])').length;
      var all = g.querySelectorAll('li[data-search]').length;
      g.hidden = n === 0;
      g.querySelector('.n').textContent = words.length ? '(' + n + ' of ' + all + ')' : '(' + all + ')';
    });
    count.textContent = words.length ? shown + ' of ' + rows.length + ' entries' : rows.length + ' entries';
    none.hidden = shown > 0;
  }
  box.addEventListener('input', filter);
  filter();
})();
"""

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
  background: #fff; }
header { display: flex; align-items: baseline; gap: 12px; padding: 8px max(24px, calc((100% - 952px) / 2));
  background: #24292f; }
header a.home { color: #fff; font-weight: 600; text-decoration: none; }
header .version { color: #c9d1d9; font-size: 13px; }
.disclaimer { margin: 0; padding: 4px max(24px, calc((100% - 952px) / 2)); background: #fff8c5;
  border-bottom: 1px solid #e5d48a; color: #57503a; font-size: 12px; }
main { max-width: 1000px; margin: 0 auto; padding: 8px 24px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 2px 0 10px; }
h2 { font-size: 18px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 1px solid #d0d7de; }
a { color: #0550ae; }
.kind { display: block; margin-top: 12px; color: #57606a; font-size: 12px; text-transform: uppercase;
  letter-spacing: .05em; }
.lead { font-size: 16px; margin: 6px 0; }
.meta { margin: 4px 0; }
.muted { color: #57606a; }
.badge { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 12px; font-weight: 600;
  letter-spacing: .02em; text-transform: uppercase; white-space: nowrap; }
.urgency { display: inline-block; border: 1px solid #bc4c00; color: #953800; border-radius: 4px; padding: 0 6px;
  font-size: 12px; text-transform: uppercase; }
table { border-collapse: collapse; }
table.facts, table.statuses, table.list { width: 100%; margin: 6px 0; }
table.facts th, table.statuses th { width: 190px; text-align: left; vertical-align: top; padding: 6px 12px 6px 0;
  font-weight: 600; }
table.facts td, table.statuses td, table.list td { vertical-align: top; padding: 6px 12px 6px 0; }
table.facts tr, table.statuses tr, table.list tr { border-bottom: 1px solid #eaeef2; }
table.facts ul, table.statuses ul { margin: 0; }
ul.effects, ul.cases { padding-left: 18px; }
ul.cases li + li { margin-top: 4px; }
ul.effects > li { margin-bottom: 6px; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { margin: 1px 0; }
ul.cites { padding-left: 20px; margin: 4px 0; }
ul.cites li { margin: 4px 0; }
q.excerpt { color: #424a53; font-style: italic; }
.links a.ext, a.ext { font-size: 13px; margin-right: 8px; white-space: nowrap; }
a.ext::after { content: " \\2197"; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.card-head { font-weight: 600; }
.label { margin-top: 6px; font-size: 12px; font-weight: 600; color: #57606a; text-transform: uppercase; }
.because { margin: 6px 0 0; }
.when { background: #f6f8fa; border-radius: 6px; padding: 6px 12px; margin: 4px 0; }
ul.cond { list-style: none; margin: 2px 0; padding-left: 18px; border-left: 2px solid #d0d7de; }
ul.cond.top { padding-left: 0; border-left: 0; }
ul.cond li { margin: 3px 0; }
ul.cond li::before { content: "\\2022"; color: #8c959f; margin-right: 6px; }
ul.cond.top > li::before { content: none; }
.op { font-weight: 600; color: #57606a; }
details.concept { display: inline-block; vertical-align: top; }
details.concept > summary { cursor: pointer; }
ul.cond li:has(> details)::before { content: none; }
.named { text-decoration: underline dotted #8c959f; text-underline-offset: 3px; }
.def { color: #57606a; font-size: 14px; }
details.concept > .def { display: block; }
.banner { padding: 6px 10px; border-radius: 6px; }
.banner.retired { background: #ffebe9; border: 1px solid #ff8182; }
.banner.draft { background: #ddf4ff; border: 1px solid #54aeff; }
details.howto { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 12px; margin: 10px 0; }
details.howto summary { cursor: pointer; font-weight: 600; }
.search { position: sticky; top: 0; background: #fff; padding: 10px 0; border-bottom: 1px solid #d0d7de; z-index: 1; }
.search label { font-weight: 600; }
.search nav { margin-top: 6px; font-size: 14px; }
.search input { font-size: 16px; padding: 5px 10px; width: min(440px, 70vw); border: 1px solid #8c959f;
  border-radius: 6px; }
ul.entries { list-style: none; padding: 0; margin: 0; }
ul.entries li { display: grid; grid-template-columns: 150px 1fr; column-gap: 8px; padding: 5px 0;
  border-bottom: 1px solid #eaeef2; }
ul.entries li.nested { grid-template-columns: 150px 1fr; }
ul.entries li.nested .tag, ul.entries li.nested > div { padding-left: 20px; }
ul.entries li.family a { font-weight: 600; }
ul.entries .muted { display: block; font-size: 13px; }
.tag { font-size: 11px; color: #57606a; text-transform: uppercase; letter-spacing: .04em; padding-top: 3px; }
section.group { scroll-margin-top: 96px; }
[hidden] { display: none !important; }
"""
