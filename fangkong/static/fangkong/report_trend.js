// The trend chart of an area's daily reports: completeness and timeliness (%, right axis)
// and the key figures (counts, left axis), from the page's trend URL.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("report-trend");
  if (!box || !window.echarts) return;
  fetch(box.dataset.url, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var series = data.figures.map(function (f) {
        return { name: f.label, type: "bar", data: f.data, yAxisIndex: 0 };
      });
      ["completeness", "timeliness"].forEach(function (name) {
        series.push({ name: data.labels[name], type: "line", data: data[name], yAxisIndex: 1, smooth: true });
      });
      var chart = echarts.init(box);
      chart.setOption({
        // Drawn on the canvas: the HTML tooltip's markup carries style= attributes, which the
        // Content-Security-Policy (style-src 'self') blocks.
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { type: "scroll", top: 0 },
        grid: { left: 40, right: 40, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.days.map(function (d) { return d.slice(5); }) },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100 }],
        series: series,
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
});
