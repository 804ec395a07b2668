// Draws the dashboard's charts with plotly.js (served by the app) from the chart
// specifications the page embeds with json_script; again after htmx swaps a section in.
(function () {
  "use strict";
  function traces(spec) {
    return spec.series.map(function (s) {
      return spec.kind === "line"
        ? {type: "scatter", mode: "lines+markers", name: s.name, x: spec.x, y: s.y}
        : {type: "bar", name: s.name, x: spec.x, y: s.y};
    });
  }
  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var layout = {title: {text: spec.title, font: {size: 14}}, margin: {t: 40, r: 10, b: 80, l: 60},
                    height: 320, legend: {orientation: "h"}, separators: ",.",
                    xaxis: {type: "category", automargin: true}, yaxis: {automargin: true}};
      window.Plotly.react(el, traces(spec), layout, {displaylogo: false, responsive: true});
      el.dataset.drawn = "true";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  // An outerHTML swap replaces the target itself: look at the whole page again.
  document.addEventListener("htmx:afterSettle", function () { draw(document); });
})();
