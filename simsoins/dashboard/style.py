"""The dashboard page's stylesheet (« feuille de style »): screen, phone and print.

:data:`CSS` is inlined in the page's ``<head>`` by :func:`simsoins.dashboard.report.build_html`.
The ``@media print`` block makes the browser's « Imprimer → Enregistrer au format PDF »
give a clean A4 report: no navigation, no plotly mode bar or dropdown (they do nothing on
paper), figures redrawn at the paper's width (:data:`PRINT_JS`), tables and figures kept
whole on a page where they fit, links printed as plain text, colours kept (the better/worse cells and the scenario
swatches carry meaning), and the header with the territory and the dates at the top of
the first page (the page's own header: title, territory, simulated dates, replications).
"""

from __future__ import annotations

#: Screen layout (a 1150-px column; narrow screens get smaller margins and scrolling tables).
SCREEN = """body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#fafafa}
header,main,footer{max-width:1150px;margin:auto;padding:0 1.2em}header{padding-top:1em}
h1{font-size:1.6em;margin:.4em 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
section{background:#fff;border:1px solid #eee;border-radius:6px;padding:.2em 1.2em 1em;margin:1.2em 0}
.meta{color:#555;margin:.2em 0}.sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.4em;
vertical-align:-.1em}nav ol{columns:2;font-size:.95em}table{border-collapse:collapse;margin:.6em 0 1em;font-size:.92em}
th,td{border-bottom:1px solid #e5e5e5;padding:.35em .7em;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f3f3f3}td.better{color:#1a7f37;font-weight:600}td.worse{color:#b42318;font-weight:600}
td.ns{color:#777}.missing{color:#a15c00;font-style:italic}pre{background:#f6f6f6;padding:.8em;overflow:auto;
font-size:.85em}details{margin:.4em 0}summary{cursor:pointer;font-weight:600}.fig{margin:1em 0}
footer{color:#777;font-size:.85em;padding-bottom:2em}.rules{background:#fff8e6;border:1px solid #f0d9a8;
border-radius:6px;padding:.6em 1em;margin:.8em 0;font-size:.92em}.rules p{margin:.3em 0}
.sources li{margin:.25em 0}.sources h3{margin-bottom:.3em}.sources th,.sources td{text-align:left}"""

#: Phone widths: tables scroll inside their section instead of widening the page, long
#: words break, the contents list is one column.
PHONE = """@media (max-width:600px){header,main,footer{padding:0 .5em}section{padding:.2em .6em .8em}
table{display:block;overflow-x:auto;max-width:100%}nav ol{columns:1}h1{font-size:1.3em}
body{overflow-wrap:break-word}pre{white-space:pre-wrap}}"""

#: A4 print.  ``break-inside: avoid`` keeps a table or a figure on one page when it fits;
#: headings stay with what follows.  plotly draws its figures at the window's width when
#: printing starts; ``width: 100% !important`` on its containers keeps them inside the page.
PRINT = """@page{size:A4;margin:14mm 12mm 16mm}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10.5pt}header,main,footer{max-width:none;padding:0}
nav,.modebar,.modebar-container,.updatemenu-container,.js-errors{display:none!important}
section{border:none;border-radius:0;padding:0;margin:0 0 .8em}h2{margin-top:1em;break-after:avoid}
h3{break-after:avoid}table,.fig,figure,.rules,pre,li{break-inside:avoid}
.fig,.fig .plotly-graph-div,.fig .svg-container{width:100%!important;max-width:100%!important}
.fig .main-svg{max-width:100%}a{color:inherit;text-decoration:none}
header{border-bottom:1px solid #ccc;margin-bottom:.6em}}"""

#: The ranking table (dashboard/ranking.py): compact, sortable headers.
RANKING = """table.ranking{font-size:.85em}table.ranking th{vertical-align:bottom}
table.ranking th[data-dir]{cursor:pointer}
table.ranking th[data-dir]:after{content:" \\2195";color:#999}
table.ranking th.asc:after{content:" \\2191";color:#222}table.ranking th.desc:after{content:" \\2193";color:#222}
table.ranking td{vertical-align:top}table.ranking td[class]{white-space:nowrap}
table.ranking th,table.ranking td{padding:.3em .45em}table.ranking small{overflow-wrap:anywhere}
table.ranking .verdict{display:block;font-size:.9em;font-weight:600;white-space:normal}
table.ranking td.ns .verdict{font-weight:400}.ranking-wrap{overflow-x:auto}"""
#: The warnings box (dashboard/warnings.py).
WARNINGS = """.warnings{background:#fdecea;border:1px solid #f1aeb5;border-left:6px solid #b42318;border-radius:6px;
padding:.5em 1em;margin:.8em 0}.warnings h3{margin:.2em 0 .3em;color:#b42318;font-size:1.05em}
.warnings ul{margin:.2em 0;padding-left:1.2em}.warnings li{margin:.2em 0}"""
CSS = "\n".join((SCREEN, RANKING, WARNINGS, PHONE, PRINT))

#: A4's width between the print margins in CSS px (210 − 2 × 12 mm at 96 px per inch).
PRINT_WIDTH = 700
#: plotly draws each figure at its container's width in pixels, so a page printed from a
#: wide window would have its figures cut at the paper's edge: before printing, every
#: figure is redrawn :data:`PRINT_WIDTH` px wide, and back to the window's width after.
PRINT_JS = ("(function(){function figs(){return document.querySelectorAll('.js-plotly-plot');}"
            "window.addEventListener('beforeprint',function(){figs().forEach(function(d){"
            f"Plotly.relayout(d,{{width:{PRINT_WIDTH}}});}});}});"
            "window.addEventListener('afterprint',function(){figs().forEach(function(d){"
            "Plotly.relayout(d,{width:null,autosize:true});Plotly.Plots.resize(d);});});})();")

__all__ = ["CSS", "PRINT_JS", "PRINT_WIDTH"]
