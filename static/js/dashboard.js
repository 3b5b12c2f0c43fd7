/* The dashboard's weekly chart, drawn with Chart.js (served from node_modules, no CDN). */
(function () {
  "use strict";
  var canvas = document.getElementById("weekly-chart");
  var source = document.getElementById("weekly-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var lang = document.documentElement.lang || "en";
  var format = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short" });
  var labels = data.labels.map(function (iso) { return format.format(new Date(iso + "T00:00:00")); });
  var font = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.family = font;
  Chart.defaults.color = "#667085";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: labels,
      datasets: [
        { label: data.series.flagged, data: data.flagged, backgroundColor: "#9db4ef", borderRadius: 3, maxBarThickness: 18 },
        { label: data.series.removed, data: data.removed, backgroundColor: "#12b76a", borderRadius: 3, maxBarThickness: 18 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", rtl: rtl, labels: { boxWidth: 10, boxHeight: 10, useBorderRadius: true, borderRadius: 2 } },
        tooltip: { rtl: rtl }
      },
      scales: {
        x: { reverse: rtl, grid: { display: false } },
        y: { beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 }, grid: { color: "#eef0f4" } }
      }
    }
  });
})();
