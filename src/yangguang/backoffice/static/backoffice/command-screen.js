/* The command centre (数字化中心): the 大屏 and its responsive page.
 *
 * The server renders the figures once; this script draws the charts (Apache ECharts,
 * canvas renderer, vendored under /static/vendor/echarts/) and polls the live JSON every
 * data-refresh-seconds, re-rendering only when its `version` changed. Polling pauses
 * while the tab is hidden; a failed poll shows the stale warning until one succeeds.
 * Every number and every chart item is a link to the list it counts.
 * No inline script or style (Content Security Policy): tooltips are drawn on the canvas.
 */
(function () {
  "use strict";

  var root = document.getElementById("command-centre");
  if (!root) {
    return;
  }
  var screen = document.body.classList.contains("cc-screen");
  var liveUrl = root.getAttribute("data-live-url");
  var refreshMs = Math.max(1, parseInt(root.getAttribute("data-refresh-seconds"), 10) || 5) * 1000;
  var noneLabel = root.getAttribute("data-label-none") || "—";
  var version = root.getAttribute("data-version");
  var charts = [];
  var timer = null;
  var inFlight = false;

  var palette = ["#4fa3ff", "#f5b82e", "#3ecf8e", "#ff6b6b", "#b18cff", "#36cfc9",
                 "#ff9f43", "#8fa3bf", "#f368e0", "#a3cb38"];
  var lightColours = { normal: "#2fbf71", warning: "#f5b82e", overdue: "#ff4d4f" };

  function lookup(figures, path) {
    return path.split(".").reduce(function (value, key) {
      return value == null ? undefined : value[key];
    }, figures);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function slug(code) {
    return String(code).toLowerCase().replace(/[^a-z0-9_-]+/g, "-");
  }

  /* Lists: the same markup as backoffice/command/_items.html. */
  function renderList(list, items) {
    var shares = list.hasAttribute("data-shares");
    var fragment = document.createDocumentFragment();
    (items || []).forEach(function (item) {
      var li = element("li");
      var link = element("a", "cc-item cc-code-" + slug(item.code));
      link.href = item.url;
      link.title = item.label;
      link.appendChild(element("span", "cc-item-label", item.label));
      link.appendChild(document.createTextNode(" "));
      link.appendChild(element("span", "cc-item-count", String(item.count)));
      if (shares) {
        link.appendChild(document.createTextNode(" "));
        link.appendChild(element("span", "cc-item-share",
          item.share === null || item.share === undefined ? "—" : item.share + "%"));
      }
      li.appendChild(link);
      fragment.appendChild(li);
    });
    if (!fragment.childNodes.length) {
      fragment.appendChild(element("li", "cc-empty", noneLabel));
    }
    list.replaceChildren(fragment);
  }

  /* Charts */
  var textColour = screen ? "#e6edf7" : "#1f2933";
  var fontSize = screen ? 22 : 13;

  function seriesData(items, colourOf) {
    return (items || []).map(function (item, index) {
      var datum = { name: item.label, value: item.count, url: item.url };
      var colour = colourOf ? colourOf(item, index) : null;
      if (colour) {
        datum.itemStyle = { color: colour };
      }
      return datum;
    });
  }

  function chartOption(kind, items, key) {
    var colourOf = key === "lights" ? function (item) { return lightColours[item.code]; } : null;
    var data = seriesData(items, colourOf);
    if (kind === "pie" || kind === "doughnut") {
      // A slice of nothing says nothing (and all-zero pies draw equal slices).
      data = data.filter(function (datum) { return datum.value > 0; });
    }
    var base = {
      backgroundColor: "transparent",
      animationDuration: 600,
      textStyle: { fontSize: fontSize, color: textColour },
      color: palette,
      tooltip: { renderMode: "richText", trigger: "item", textStyle: { fontSize: fontSize } }
    };
    if (!data.length) {
      base.title = { text: noneLabel, left: "center", top: "middle",
                     textStyle: { color: screen ? "#9fb2cc" : "#5f6b7a", fontSize: fontSize,
                                  fontWeight: "normal" } };
      base.series = [];
      return base;
    }
    if (kind === "pie" || kind === "doughnut") {
      base.series = [{
        type: "pie",
        radius: kind === "doughnut" ? ["42%", "70%"] : [0, "70%"],
        center: ["50%", "52%"],
        data: data,
        label: {
          color: textColour,
          fontSize: fontSize,
          formatter: kind === "pie" ? "{b}\n{d}%" : "{b} {c}"
        },
        labelLine: { length: screen ? 12 : 6, length2: screen ? 12 : 6 }
      }];
      return base;
    }
    var horizontal = kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: data.map(function (datum) { return datum.name; }),
      inverse: horizontal,
      axisLabel: { color: textColour, fontSize: fontSize, interval: 0, hideOverlap: !horizontal,
                   overflow: "truncate", width: horizontal ? (screen ? 200 : 110) : undefined },
      axisTick: { show: false }
    };
    var valueAxis = {
      type: "value",
      minInterval: 1,
      axisLabel: { color: textColour, fontSize: screen ? 18 : 11 },
      splitLine: { lineStyle: { color: screen ? "rgba(230,237,247,0.12)" : "#e3e8ef" } }
    };
    base.grid = { left: 8, right: screen ? 56 : 36, top: horizontal ? 8 : (screen ? 40 : 24),
                  bottom: 8, containLabel: true };
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxis;
    base.series = [{
      type: "bar",
      data: data,
      barMaxWidth: screen ? 48 : 28,
      colorBy: "data",
      label: { show: true, position: horizontal ? "right" : "top", color: textColour,
               fontSize: fontSize, fontWeight: "bold" }
    }];
    return base;
  }

  function setUpCharts(figures) {
    if (typeof window.echarts === "undefined") {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (node) {
      var chart = window.echarts.init(node, screen ? "dark" : null, { renderer: "canvas" });
      chart.on("click", function (params) {
        if (params.data && params.data.url) {
          window.location.assign(params.data.url);
        }
      });
      charts.push({ node: node, chart: chart });
    });
    drawCharts(figures);
    if (typeof window.ResizeObserver === "function") {
      var observer = new window.ResizeObserver(function () {
        charts.forEach(function (entry) { entry.chart.resize(); });
      });
      charts.forEach(function (entry) { observer.observe(entry.node); });
    } else {
      window.addEventListener("resize", function () {
        charts.forEach(function (entry) { entry.chart.resize(); });
      });
    }
  }

  function drawCharts(figures) {
    charts.forEach(function (entry) {
      var key = entry.node.getAttribute("data-chart");
      var kind = entry.node.getAttribute("data-chart-kind");
      var option = chartOption(kind, lookup(figures, key), key);
      entry.chart.setOption(option, { notMerge: true });
      entry.node.classList.toggle("cc-chart-empty", option.series.length === 0);
    });
  }

  /* Figures */
  function render(figures) {
    root.querySelectorAll("[data-figure]").forEach(function (link) {
      var figure = lookup(figures, link.getAttribute("data-figure"));
      if (!figure) {
        return;
      }
      link.href = figure.url;
      link.querySelector(".cc-num").textContent = String(figure.count);
    });
    root.querySelectorAll("[data-text]").forEach(function (node) {
      var value = lookup(figures, node.getAttribute("data-text"));
      node.textContent = value === undefined || value === null ? "" : String(value);
    });
    root.querySelectorAll("[data-list]").forEach(function (list) {
      renderList(list, lookup(figures, list.getAttribute("data-list")));
    });
    drawCharts(figures);
    version = figures.version;
    root.setAttribute("data-version", version);
  }

  var updated = root.querySelector("[data-updated]");
  var stale = root.querySelector("[data-stale]");

  function timeText(date) {
    return date.toLocaleTimeString(document.documentElement.lang || "zh-CN", { hour12: false });
  }

  function succeeded(figures) {
    updated.textContent = timeText(new Date());
    updated.setAttribute("datetime", figures.generated_at || "");
    stale.hidden = true;
    root.classList.remove("cc-is-stale");
  }

  function failed() {
    stale.hidden = false;
    root.classList.add("cc-is-stale");
  }

  function poll() {
    timer = null;
    if (document.hidden || inFlight) {
      return;
    }
    inFlight = true;
    window.fetch(liveUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || type.indexOf("application/json") !== 0) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (figures) {
      if (figures.version !== version) {
        render(figures);
      }
      succeeded(figures);
    }).catch(failed).then(function () {
      inFlight = false;
      schedule();
    });
  }

  function schedule() {
    if (timer === null && !document.hidden) {
      timer = window.setTimeout(poll, refreshMs);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
    } else if (timer === null && !inFlight) {
      poll();  // back in view: fetch at once
    }
  });

  /* The 大屏's clock and full-screen button */
  var clock = document.querySelector("[data-clock]");
  if (clock) {
    var zone = clock.getAttribute("data-time-zone") || undefined;
    var tick = function () {
      var now = new Date();
      var lang = document.documentElement.lang || "zh-CN";
      var day = { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
                  weekday: "short" };
      var time = { timeZone: zone, hour12: false, hour: "2-digit", minute: "2-digit",
                   second: "2-digit" };
      try {
        clock.textContent = now.toLocaleDateString(lang, day) + "  " +
          now.toLocaleTimeString(lang, time);
      } catch (error) {  // an unknown time zone: the browser's own
        delete day.timeZone;
        delete time.timeZone;
        clock.textContent = now.toLocaleDateString(lang, day) + "  " +
          now.toLocaleTimeString(lang, time);
      }
      clock.setAttribute("datetime", now.toISOString());
    };
    tick();
    window.setInterval(tick, 1000);
  }
  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen) {
    if (!document.fullscreenEnabled) {
      fullscreen.hidden = true;
    }
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    });
  }

  // The charts' first drawing, from the figures the page was rendered with.
  var source = document.getElementById("command-figures");
  setUpCharts(source ? JSON.parse(source.textContent) : {});
  root.classList.add("cc-live");
  schedule();
})();
