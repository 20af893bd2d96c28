// The charts of the finance bureau's dashboard (templates/declarations/dashboard.html).
// They draw the figures the page's tables show, read from the json_script "dashboard-data"
// (the Content-Security-Policy allows no inline script), and a click on a bar or a slice
// opens the same filtered list as the figure's link in the table.
"use strict";

(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) {
    return;
  }
  const data = JSON.parse(source.textContent);
  // The colours of the status badges (static/css/app.css) and of the grades.
  const STATUS_COLOURS = ["#0d6efd", "#dc3545", "#198754", "#6c757d"];
  const REPORT_COLOURS = ["#6c757d", "#0d6efd", "#dc3545", "#198754"];
  const WAITING_COLOURS = ["#0d6efd", "#dc3545"];
  const GRADE_COLOURS = ["#0d6efd", "#198754"];
  const KIND_COLOURS = ["#20c997", "#adb5bd"];
  const charts = [];

  function sum(values) {
    return values.reduce((total, value) => total + value, 0);
  }

  // Draw ``option`` in the element data-chart="name"; ``linkOf`` gives the list a click opens.
  function draw(name, option, total, linkOf) {
    const element = document.querySelector(`[data-chart="${name}"]`);
    if (!element) {
      return;
    }
    if (!total) {
      element.classList.add("dash-chart-empty");
      element.textContent = "暂无数据";
      return;
    }
    const chart = window.echarts.init(element, null, { locale: "ZH", renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: "inherit" },
      tooltip: { trigger: option.series[0].type === "pie" ? "item" : "axis", confine: true },
      ...option,
    });
    chart.on("click", (params) => {
      const link = linkOf(params);
      if (link) {
        window.location.assign(link);
      }
    });
    charts.push(chart);
  }

  // Bars of several series (one per status) over ``categories``.
  function seriesBars(block, colours, { horizontal = false, stacked = true } = {}) {
    const category = { type: "category", data: block.names || block.buckets, inverse: horizontal };
    const value = { type: "value", minInterval: 1 };
    return {
      color: colours,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: block.series.map((item) => ({
        name: item.name,
        type: "bar",
        stack: stacked ? "total" : undefined,
        barMaxWidth: 28,
        data: item.values,
        cursor: "pointer",
      })),
    };
  }

  function seriesLink(block) {
    return (params) => block.series[params.seriesIndex].links[params.dataIndex];
  }

  function seriesTotal(block) {
    return sum(block.series.map((item) => sum(item.values)));
  }

  const statuses = data.statuses;
  draw(
    "statuses",
    {
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{c} 张" },
          // Empty statuses left out of the ring; each slice keeps its colour and its link.
          data: statuses.labels
            .map((label, index) => ({
              name: label,
              value: statuses.values[index],
              link: statuses.links[index],
              itemStyle: { color: STATUS_COLOURS[index] },
            }))
            .filter((item) => item.value > 0),
          cursor: "pointer",
        },
      ],
    },
    sum(statuses.values),
    (params) => params.data.link,
  );

  draw(
    "waiting",
    seriesBars(data.waiting, WAITING_COLOURS, { stacked: false }),
    seriesTotal(data.waiting),
    seriesLink(data.waiting),
  );

  const departments = data.departments;
  const rowsElement = document.querySelector('[data-chart="departments"]');
  if (rowsElement) {
    // One bar per table row, each tall enough for its name.
    rowsElement.style.height = `${Math.max(240, 60 + departments.names.length * 26)}px`;
  }
  draw(
    "departments",
    seriesBars(departments, STATUS_COLOURS, { horizontal: true }),
    seriesTotal(departments),
    seriesLink(departments),
  );

  const quality = data.quality;
  draw(
    "quality",
    {
      color: ["#fd7e14"],
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: quality.labels,
        axisLabel: { width: 130, overflow: "truncate" },
      },
      series: [
        {
          type: "bar",
          name: "申报表（张）",
          barMaxWidth: 22,
          data: quality.values,
          label: { show: true, position: "right" },
          cursor: "pointer",
        },
      ],
    },
    // Zero declarations in question is a result worth drawing, unless there are none at all.
    sum(quality.values) || sum(data.kinds.values),
    (params) => quality.links[params.dataIndex],
  );

  const kinds = data.kinds;
  draw(
    "kinds",
    {
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: "62%",
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{d}%" },
          data: kinds.labels
            .map((label, index) => ({
              name: label,
              value: kinds.values[index],
              itemStyle: { color: KIND_COLOURS[index] },
            }))
            .filter((item) => item.value > 0),
          cursor: "default",
        },
      ],
    },
    sum(kinds.values),
    () => null,
  );

  draw(
    "rounds",
    seriesBars(data.rounds, REPORT_COLOURS),
    seriesTotal(data.rounds),
    seriesLink(data.rounds),
  );

  draw(
    "grades",
    seriesBars(data.grades, GRADE_COLOURS),
    seriesTotal(data.grades),
    seriesLink(data.grades),
  );

  window.addEventListener("resize", () => {
    for (const chart of charts) {
      chart.resize();
    }
  });
})();
