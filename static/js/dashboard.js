// The dashboard's enhancements; without JavaScript the page is complete (every filter
// shows, every table has the figures). No inline script: the data of each chart is a
// JSON element the template wrote with json_script, so a Content-Security-Policy
// without 'unsafe-inline' works.
//
// 1. The filter bar shows only the fields the chosen kind of period reads.
// 2. The report's Print button (hidden without JavaScript; the hint beside it then
//    tells the reader to use the browser's own Print).
// 3. The charts (Chart.js, static/vendor/chartjs): stacked bars, bars (lying down when
//    asked, or when there are many), lines. A click on a bar opens the list behind it.
(function () {
  "use strict";

  var PERIOD_FIELDS = {
    year: ["year"],
    nine_months: ["year"],
    quarter: ["year", "quarter"],
    month: ["year", "month"],
    custom: ["start", "end"]
  };

  function periodFields(form) {
    var kind = form.querySelector("select[name=period]");
    if (!kind) { return; }
    function sync() {
      var shown = PERIOD_FIELDS[kind.value] || ["year", "month", "quarter", "start", "end"];
      form.querySelectorAll("[data-period-field]").forEach(function (box) {
        var name = box.getAttribute("data-period-field");
        // A field with an error stays visible, so its message is never hidden.
        var invalid = box.querySelector(".is-invalid");
        box.hidden = shown.indexOf(name) < 0 && !invalid;
      });
    }
    kind.addEventListener("change", sync);
    sync();
  }

  function printButtons() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      var hint = document.getElementById(button.getAttribute("data-print"));
      if (hint) { hint.hidden = true; }
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // --- Charts ---------------------------------------------------------------------------

  var COLOURS = ["#1f6f43", "#d97706", "#b91c1c", "#2563eb", "#6b7280", "#7c3aed", "#0e7490", "#a16207"];
  // A poverty status keeps one colour on every chart: poor red, near-poor amber...
  var SERIES_COLOURS = {
    poor: "#b91c1c", near_poor: "#d97706", escaped_poor: "#2563eb",
    escaped_near_poor: "#0e7490", average: "#a16207", none: "#1f6f43", unreviewed: "#9ca3af",
    poor_rate: "#b91c1c", near_poor_rate: "#d97706"
  };
  function seriesColour(series, i) {
    return SERIES_COLOURS[series.key] || COLOURS[i % COLOURS.length];
  }
  var MARKED = "#b35c00";
  var MARK = "\u25c6 ";  // the sign beside marked rows, as in the table
  var MANY_BARS = 12;  // more bars than this lie down, so every label can be read
  var english = (document.documentElement.lang || "vi").indexOf("en") === 0;
  // The portal writes numbers the Vietnamese way in both languages (3.880; 12,3).
  var numbers = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

  function formatValue(value, kind, short) {
    if (value === null || value === undefined) { return ""; }
    if (kind === "percent") { return numbers.format(value) + "%"; }
    if (kind === "vnd") {
      if (!short) { return numbers.format(value) + " \u20ab"; }
      if (Math.abs(value) >= 1e9) { return numbers.format(value / 1e9) + (english ? " bn" : " tỷ"); }
      if (Math.abs(value) >= 1e6) { return numbers.format(value / 1e6) + (english ? " m" : " tr"); }
    }
    return numbers.format(value);
  }

  function withAlpha(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function datasets(data) {
    var single = data.series.length === 1;
    return data.series.map(function (series, i) {
      var colour = seriesColour(series, i);
      var colours = data.marked.map(function (marked) {
        // One series: a marked row gets its own colour. Several: a deeper shade.
        if (!marked) { return data.kind === "line" ? colour : withAlpha(colour, 0.85); }
        return single ? MARKED : colour;
      });
      return {
        label: series.label,
        data: series.values,
        backgroundColor: data.kind === "line" ? withAlpha(colour, 0.2) : colours,
        borderColor: data.kind === "line" ? colour : data.marked.map(function (m) { return m ? "#000" : colour; }),
        borderWidth: data.kind === "line" ? 2 : data.marked.map(function (m) { return m ? 1.5 : 0; }),
        maxBarThickness: 56,
        pointRadius: 4,
        pointHoverRadius: 6,
        tension: 0.2
      };
    });
  }

  function legendLabels(data) {
    return function (chart) {
      var labels = Chart.defaults.plugins.legend.labels.generateLabels(chart);
      labels.forEach(function (item, i) {
        // A bar dataset's colours are per bar: the legend shows the series' own colour.
        var colour = seriesColour(data.series[i], i);
        item.fillStyle = colour;
        item.strokeStyle = colour;
        item.lineWidth = 0;
      });
      if (data.markedLabel && data.marked.indexOf(true) >= 0) {
        labels.push({
          text: MARK + data.markedLabel,
          fillStyle: data.series.length === 1 ? MARKED : "#ffffff",
          strokeStyle: "#000",
          lineWidth: 1.5,
          hidden: false,
          datasetIndex: -1
        });
      }
      return labels;
    };
  }

  function linkAt(data, elements) {
    if (!elements.length) { return ""; }
    var series = data.series[elements[0].datasetIndex];
    return (series && series.links[elements[0].index]) || "";
  }

  // On a phone the chart says it at a glance: its table folds under it (one tap opens).
  function foldTableOnPhone(box) {
    if (!window.matchMedia("(max-width: 575.98px)").matches) { return; }
    var table = box.closest(".dashboard-table");
    var fold = table && table.querySelector("details[data-fold-on-phone]");
    if (fold) { fold.open = false; }
  }

  function draw(box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    // Nothing but zeros draws an empty frame: the table says it better.
    var drawn = data.series.some(function (series) {
      return series.values.some(function (value) { return value; });
    });
    if (!data.labels.length || !drawn) { return; }
    var line = data.kind === "line";
    var lying = !line && (data.horizontal || data.labels.length > MANY_BARS);
    var stacked = data.kind === "stacked";
    var valueKind = data.series.length ? data.series[0].kind : "count";
    var labels = data.labels.map(function (label, i) { return data.marked[i] ? MARK + label : label; });
    if (lying) {
      box.classList.add("chart-tall");
      box.style.setProperty("--chart-height", Math.max(320, data.labels.length * 24 + 90) + "px");
    }
    box.hidden = false;
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      ticks: { callback: function (value) { return formatValue(value, valueKind, true); } }
    };
    // A long name (a loan program) is cut on the axis; the tooltip shows it whole.
    var longest = window.matchMedia("(max-width: 575.98px)").matches ? 22 : 34;
    var labelAxis = {
      stacked: stacked,
      ticks: {
        autoSkip: !lying,
        callback: function (value) {
          var label = String(this.getLabelForValue(value));
          return label.length > longest ? label.slice(0, longest - 1) + "\u2026" : label;
        }
      }
    };
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new Chart(box.querySelector("canvas"), {
      type: line ? "line" : "bar",
      data: { labels: labels, datasets: datasets(data) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        indexAxis: lying ? "y" : "x",
        scales: lying ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: {
            display: data.series.length > 1 || data.marked.indexOf(true) >= 0,
            position: "bottom",
            labels: { generateLabels: legendLabels(data) },
            onClick: function (event, item, legend) {
              if (item.datasetIndex >= 0) {
                Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
              }
            }
          },
          tooltip: {
            callbacks: {
              label: function (context) {
                var series = data.series[context.datasetIndex];
                return series.label + ": " + formatValue(context.raw, series.kind, false);
              }
            }
          }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = linkAt(data, elements) ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          var link = linkAt(data, elements);
          if (link) { window.location.assign(link); }
        }
      }
    });
    foldTableOnPhone(box);
  }

  document.querySelectorAll(".dashboard-filters").forEach(periodFields);
  printButtons();
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
