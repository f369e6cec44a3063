// A case's chain as a graph: positions are computed by the server (rings by degree), so
// thousands of nodes are drawn without a force simulation. A small chain is an ECharts graph
// with names; a large one (over 300 people) is drawn as points and lines in ECharts' large
// mode, one path per series, which stays under a second for 5,000 people. A tap folds or
// unfolds the persons reached through the tapped one; a double tap opens the record.
// The data comes in the page (#chain-data): the server reads the chain once. On the box,
// from the start of the page's navigation: data-fetched-ms when the data was read,
// data-rendered-ms when the graph was drawn; data-drawn-ms the drawing alone.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("chain-graph");
  var source = document.getElementById("chain-data");
  if (!box || !source || !window.echarts) return;
  (function (data) {
    var fetched = performance.now();
    box.dataset.fetchedMs = String(Math.round(fetched));
    var root = String(data.root);
    var children = {};
    var byId = {};
    data.nodes.forEach(function (node) { byId[node.id] = node; });
    data.links.forEach(function (link) {
      (children[link.source] = children[link.source] || []).push(link.target);
    });
    var big = data.nodes.length > 300;
    var names = data.categories.map(function (c) { return c.name; });
    var folded = {};
    var chart = echarts.init(box);

    function hiddenSet() {
      var hidden = {};
      var stack = Object.keys(folded).filter(function (id) { return folded[id]; });
      while (stack.length) {
        var id = stack.pop();
        (children[id] || []).forEach(function (child) {
          if (!hidden[child] && child !== root) { hidden[child] = true; stack.push(child); }
        });
      }
      return hidden;
    }

    function smallOption(hidden) {
      data.nodes.forEach(function (node) { if (node.id === root) node.symbolSize = 18; });
      return {
        tooltip: { renderMode: "richText" },
        legend: { data: names, top: 0 },
        series: [{
          type: "graph",
          layout: "none",
          roam: true,
          categories: data.categories,
          symbolSize: 10,
          label: { show: true, position: "right" },
          emphasis: { focus: "adjacency" },
          lineStyle: { opacity: 0.7 },
          data: data.nodes.filter(function (n) { return !hidden[n.id]; }),
          links: data.links.filter(function (l) { return !hidden[l.source] && !hidden[l.target]; }),
        }],
      };
    }

    function bigOption(hidden) {
      var lines = [];
      data.links.forEach(function (l) {
        if (hidden[l.source] || hidden[l.target]) return;
        var a = byId[l.source], b = byId[l.target];
        if (a && b) lines.push([[a.x, a.y], [b.x, b.y]]);
      });
      var series = [{
        type: "lines",
        coordinateSystem: "cartesian2d",
        large: true,
        silent: true,
        polyline: false,
        lineStyle: { width: 0.5, opacity: 0.35, color: "#888" },
        data: lines.map(function (coords) { return { coords: coords }; }),
      }];
      names.forEach(function (name, index) {
        series.push({
          name: name,
          type: "scatter",
          large: true,
          symbolSize: 4,
          data: data.nodes
            .filter(function (n) { return n.category === index && !hidden[n.id]; })
            .map(function (n) { return [n.x, n.y, n.id]; }),
        });
      });
      series.push({
        type: "scatter",
        symbolSize: 16,
        data: [[byId[root].x, byId[root].y, root]],
        itemStyle: { color: "#dc3545" },
        label: { show: true, position: "right", formatter: byId[root].name },
      });
      return {
        animation: false,
        legend: { data: names, top: 0 },
        grid: { left: 4, right: 4, top: 30, bottom: 4 },
        xAxis: { show: false, scale: true },
        yAxis: { show: false, scale: true },
        dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "inside", yAxisIndex: 0 }],
        series: series,
      };
    }

    function draw() {
      var hidden = hiddenSet();
      chart.setOption(big ? bigOption(hidden) : smallOption(hidden), { notMerge: true });
    }

    function idOf(params) {
      if (params.componentSubType === "graph") return params.dataType === "node" ? params.data.id : null;
      return params.value ? String(params.value[2]) : null;
    }

    chart.on("finished", function once() {
      chart.off("finished", once);
      box.dataset.drawnMs = String(Math.round(performance.now() - fetched));
      box.dataset.renderedMs = String(Math.round(performance.now()));
      box.classList.add("chain-rendered");
    });
    chart.on("click", function (params) {
      var id = idOf(params);
      if (!id) return;
      folded[id] = !folded[id];
      draw();
    });
    chart.on("dblclick", function (params) {
      var id = idOf(params);
      if (id && byId[id] && byId[id].url) window.location.href = byId[id].url;
    });
    draw();
    window.addEventListener("resize", function () { chart.resize(); });
  })(JSON.parse(source.textContent));
});
