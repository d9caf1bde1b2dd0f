// The certification statistics chart: newly certified per year (bars) and the cumulative total
// (line), from the data the page embeds (#chart-data). A static file, not an inline script,
// for the Content-Security-Policy (settings.SECURE_CSP).
(function () {
  "use strict";
  var element = document.getElementById("certification-chart");
  var source = document.getElementById("chart-data");
  var data = source ? JSON.parse(source.textContent) : null;
  if (!window.echarts || !element || !data || !data.years.length) { if (element) { element.remove(); } return; }
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {top: 0, data: [data.newly_label, data.cumulative_label]},
    grid: {left: 40, right: 40, top: 40, bottom: 25},
    xAxis: {type: "category", data: data.years},
    yAxis: [{type: "value"}, {type: "value", splitLine: {show: false}}],
    series: [
      {name: data.newly_label, type: "bar", data: data.newly},
      {name: data.cumulative_label, type: "line", yAxisIndex: 1, data: data.cumulative}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
