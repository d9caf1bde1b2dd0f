// Draws the cockpit's charts from the table data the page embeds (#cockpit-data), switches
// each card between chart and table, and opens the records behind a bar or slice on click.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source) { return; }
  var specs = JSON.parse(source.textContent);
  var charts = [];

  function percentAxis(spec) {
    return spec.series.some(function (s) { return s.line && s.percent; });
  }

  function optionFor(spec) {
    var tooltip = {trigger: spec.kind === "pie" ? "item" : "axis"};
    if (spec.kind === "pie") {
      var first = spec.series[0];
      return {
        tooltip: tooltip,
        legend: {type: "scroll", bottom: 0},
        series: [{
          name: first.name, type: "pie", radius: ["35%", "65%"], top: -10,
          label: {formatter: "{b}\n{c} ({d}%)"},
          data: spec.categories.map(function (name, i) { return {name: name, value: first.data[i]}; })
        }]
      };
    }
    var categoryAxis = {type: "category", data: spec.categories, axisLabel: {interval: 0, rotate: spec.categories.length > 8 && !spec.horizontal ? 35 : 0}};
    var valueAxes = [{type: "value"}];
    if (spec.kind === "barline") {
      valueAxes.push({type: "value", splitLine: {show: false}, axisLabel: {formatter: percentAxis(spec) ? "{value}%" : "{value}"}});
    }
    var series = spec.series.map(function (s) {
      var item = {name: s.name, type: s.line ? "line" : "bar", data: s.data};
      if (s.line && spec.kind === "barline") { item.yAxisIndex = 1; }
      if (s.percent) { item.tooltip = {valueFormatter: function (v) { return v == null ? "—" : v + "%"; }}; }
      return item;
    });
    return {
      tooltip: tooltip,
      legend: {top: 0, type: "scroll"},
      grid: {left: spec.horizontal ? 90 : 45, right: 45, top: 35, bottom: 30, containLabel: !spec.horizontal},
      xAxis: spec.horizontal ? valueAxes[0] : categoryAxis,
      yAxis: spec.horizontal ? Object.assign({}, categoryAxis, {inverse: true, axisLabel: {interval: 0}}) : valueAxes,
      series: series
    };
  }

  specs.forEach(function (spec) {
    var element = document.getElementById("chart-" + spec.id);
    if (!element) { return; }
    if (!window.echarts || !spec.categories.length) {
      element.classList.add("d-none");
      document.getElementById("tableview-" + spec.id).classList.remove("d-none");
      return;
    }
    var chart = echarts.init(element);
    chart.setOption(optionFor(spec));
    chart.on("click", function (params) {
      var url = spec.links[params.dataIndex];
      if (url) { window.location.href = url; }
    });
    element.dataset.rendered = "true";
    charts.push(chart);
  });

  document.querySelectorAll("[data-cockpit-view]").forEach(function (button) {
    button.addEventListener("click", function () {
      var id = button.dataset.target;
      var showTable = button.dataset.cockpitView === "table";
      document.getElementById("chart-" + id).classList.toggle("d-none", showTable);
      document.getElementById("tableview-" + id).classList.toggle("d-none", !showTable);
      button.parentElement.querySelectorAll("[data-cockpit-view]").forEach(function (other) {
        other.classList.toggle("active", other === button);
      });
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
