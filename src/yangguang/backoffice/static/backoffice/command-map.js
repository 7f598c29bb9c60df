// The command-centre map (backoffice/command/map.html; the data from map_views.py):
// reports as clusters and a heat layer, grids coloured by their open load, the patrol
// on duty for those who may see it. The base map is the configured tile server, else
// the offline GeoJSON base layer (streets and names), else a plain background.
(function () {
  "use strict";
  var element = document.getElementById("command-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var data = element.dataset;
  var texts = document.getElementById("command-map-texts").dataset;
  var form = document.getElementById("command-map-filters");
  var statusLine = document.getElementById("command-map-status");
  var errorBox = document.getElementById("command-map-error");
  var FALLBACK_VIEW = [[35.4, 116.6], 14];
  // Each look at the positions is recorded (patrol_views.positions_json): once a minute.
  var PATROL_REFRESH_MS = 60000;
  var HEAT_RADIUS = 20;
  var HEAT_BLUR = 16;
  var HEAT_MAX_ZOOM = 17;
  var HEAT_WEIGHT = { overdue: 1, warning: 0.75, normal: 0.5, "": 0.3 };

  var map = L.map(element, { zoomSnap: 0.25, maxZoom: 19 });
  map.createPane("base").style.zIndex = 250;
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  map.setView(FALLBACK_VIEW[0], FALLBACK_VIEW[1]);

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div.innerHTML;
  }
  function format(template, count) {
    return template.replace("{count}", Number(count).toLocaleString());
  }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            var message = body && body.error && body.error.message;
            throw new Error(message || texts.failed);
          }
          return body;
        });
      });
  }
  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  // --- The base map ---------------------------------------------------------------
  var districtBounds = null;
  var baseReady = Promise.resolve();
  if (data.tileUrl) {
    var tileOptions = {
      attribution: data.tileAttribution || "",
      subdomains: data.tileSubdomains || "abc",
      tk: data.tileKey || "",
      maxZoom: 19
    };
    L.tileLayer(data.tileUrl, tileOptions).addTo(map);
    if (data.labelTileUrl) {
      L.tileLayer(data.labelTileUrl, L.extend({}, tileOptions, { attribution: "" })).addTo(map);
    }
  } else if (data.baseLayerUrl) {
    baseReady = getJson(data.baseLayerUrl).then(drawBaseLayer).catch(function () {});
  }

  var LABEL_ZOOM = { district: [0, 13.75], subdistrict: [13.5, 16], community: [15, 19], road: [14, 19], street: [15.5, 19] };
  var labelGroups = {};
  function drawBaseLayer(collection) {
    var areas = L.geoJSON(collection, {
      pane: "base",
      interactive: false,
      filter: function (feature) { return feature.geometry.type !== "LineString"; },
      style: function (feature) {
        var kind = feature.properties.kind;
        if (kind === "district") {
          return { color: "#8d7b68", weight: 3, fillColor: "#f7f4ec", fillOpacity: 1 };
        }
        if (kind === "subdistrict") {
          return { color: "#a1887f", weight: 2, dashArray: "8 5", fill: false };
        }
        return { color: "#bcaaa4", weight: 1, dashArray: "2 4", fill: false };
      }
    }).addTo(map);
    L.geoJSON(collection, {
      pane: "base",
      interactive: false,
      filter: function (feature) { return feature.geometry.type === "LineString"; },
      style: function (feature) {
        var road = feature.properties.kind === "road";
        return { color: "#ffffff", weight: road ? 9 : 6, opacity: 1, lineCap: "round" };
      }
    }).addTo(map);
    L.geoJSON(collection, {
      pane: "base",
      interactive: false,
      filter: function (feature) { return feature.geometry.type === "LineString"; },
      style: function (feature) {
        var road = feature.properties.kind === "road";
        return { color: road ? "#f0c36d" : "#e0d6c8", weight: road ? 6 : 3.5, opacity: 1, lineCap: "round" };
      }
    }).addTo(map);
    collection.features.forEach(function (feature) {
      var p = feature.properties;
      if (!p.label_at || !p.name) {
        return;
      }
      var group = labelGroups[p.kind] || (labelGroups[p.kind] = L.layerGroup());
      L.marker([p.label_at[1], p.label_at[0]], {
        pane: "labels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "cm-label cm-label-" + p.kind,
          html: escapeHtml(p.name),
          iconSize: null
        })
      }).addTo(group);
    });
    collection.features.forEach(function (feature) {
      if (feature.properties.kind === "district") {
        districtBounds = L.geoJSON(feature).getBounds();
      }
    });
    if (!districtBounds) {
      districtBounds = areas.getBounds();
    }
    map.on("zoomend", showLabels);
  }
  function showLabels() {
    var zoom = map.getZoom();
    Object.keys(labelGroups).forEach(function (kind) {
      var range = LABEL_ZOOM[kind] || [0, 19];
      var visible = zoom >= range[0] && zoom <= range[1];
      if (visible && !map.hasLayer(labelGroups[kind])) {
        labelGroups[kind].addTo(map);
      } else if (!visible && map.hasLayer(labelGroups[kind])) {
        map.removeLayer(labelGroups[kind]);
      }
    });
  }

  // --- Layers and their toggles ---------------------------------------------------
  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 60,
    iconCreateFunction: function (cluster) {
      // Red when a fifth or more of its open reports are overdue, yellow when a fifth
      // or more are on yellow or red light, blue while any is open, grey when none is.
      var open = 0;
      var warning = 0;
      var overdue = 0;
      cluster.getAllChildMarkers().forEach(function (marker) {
        var light = marker.options.light;
        if (light) {
          open += 1;
          warning += light === "warning" ? 1 : 0;
          overdue += light === "overdue" ? 1 : 0;
        }
      });
      var light = "none";
      if (open) {
        light = overdue >= open / 5 ? "overdue" : warning + overdue >= open / 5 ? "warning" : "normal";
      }
      var count = cluster.getChildCount();
      var size = count < 10 ? 32 : count < 100 ? 38 : count < 1000 ? 46 : 54;
      return L.divIcon({
        className: "cm-cluster light-" + light,
        html: "<span>" + count + "</span>",
        iconSize: [size, size]
      });
    },
    chunkProgress: function (processed, total) {
      if (processed === total) {
        element.dataset.clustered = String(total);
      }
    }
  });
  var heat = L.heatLayer([], { radius: HEAT_RADIUS, blur: HEAT_BLUR, minOpacity: 0.05, maxZoom: HEAT_MAX_ZOOM });
  var heatData = [];
  // The heat's scale (leaflet.heat's max), so that where the reports in view are as
  // dense as on average the colours stay cool and only denser places turn red: each
  // point is drawn with an opacity of its cell's sum over max, and points overlap.
  function scaleHeat() {
    var bounds = map.getBounds();
    var pixels = null;
    var count = 0;
    var weight = 0;
    heatData.forEach(function (point) {
      if (bounds.contains([point[0], point[1]])) {
        var at = map.latLngToContainerPoint([point[0], point[1]]);
        pixels = pixels ? pixels.extend(at) : L.bounds(at, at);
        count += 1;
        weight += point[2];
      }
    });
    if (!count) {
      return;
    }
    var spread = pixels.getSize();
    var area = Math.max(spread.x, 100) * Math.max(spread.y, 100);
    var zoomFactor = 1 / Math.pow(2, Math.max(0, Math.min(HEAT_MAX_ZOOM - map.getZoom(), 12)));
    var cell = (HEAT_RADIUS + HEAT_BLUR) / 2;
    var meanCell = weight * zoomFactor * cell * cell / area;
    var overlaps = count * Math.PI * HEAT_RADIUS * HEAT_RADIUS / area;
    heat.setOptions({ max: Math.max(zoomFactor, 2 * meanCell * overlaps) });
  }
  map.on("zoomend", scaleHeat);
  var grids = L.geoJSON(null, { style: gridStyle, onEachFeature: gridPopup });
  var patrol = L.layerGroup();
  var layers = { clusters: clusters, heat: heat, grids: grids, patrol: patrol };
  var patrolTimer = null;

  function toggles() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name=layer]"));
  }
  function applyToggles() {
    toggles().forEach(function (box) {
      var layer = layers[box.value];
      if (box.checked && !map.hasLayer(layer)) {
        layer.addTo(map);
      } else if (!box.checked && map.hasLayer(layer)) {
        map.removeLayer(layer);
      }
      if (box.value === "patrol") {
        if (box.checked) {
          loadPatrol();
        } else if (patrolTimer) {
          clearTimeout(patrolTimer);
          patrolTimer = null;
        }
      }
    });
  }
  toggles().forEach(function (box) { box.addEventListener("change", applyToggles); });

  // --- Reports --------------------------------------------------------------------
  function pointIcon(light) {
    return L.divIcon({ className: "cm-point light-" + (light || "none"), iconSize: [14, 14] });
  }
  function filterQuery() {
    var params = new URLSearchParams();
    ["state", "category", "since", "until"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value || name === "state") {
        params.set(name, value);
      }
    });
    return params.toString();
  }
  function loadReports() {
    statusLine.textContent = texts.loading;
    var query = filterQuery();
    return getJson(data.reportsUrl + "?" + query)
      .then(function (body) {
        showError("");
        map.closePopup();
        delete element.dataset.clustered;
        clusters.clearLayers();
        var markers = [];
        var heatPoints = [];
        body.points.forEach(function (point) {
          var marker = L.marker([point[1], point[2]], {
            icon: pointIcon(point[4]),
            light: point[4],
            reportId: point[0],
            keyboard: true
          });
          markers.push(marker);
          heatPoints.push([point[1], point[2], HEAT_WEIGHT[point[4]] || 0.3]);
        });
        clusters.addLayers(markers);
        heatData = heatPoints;
        heat.setLatLngs(heatPoints);
        scaleHeat();
        statusLine.textContent = format(body.truncated ? texts.truncated : texts.shown, body.count);
        element.dataset.points = String(body.points.length);
        return body;
      })
      .catch(function (error) {
        statusLine.textContent = "";
        showError(error.message);
      });
  }
  // One popup for all the points (20,000 bound popups would weigh on the page).
  var popup = L.popup({ className: "cm-popup", minWidth: 220, offset: [0, -4] });
  clusters.on("click", reportPopup);
  function reportPopup(event) {
    var marker = event.layer;
    if (!marker || !marker.options.reportId) {
      return;
    }
    var url = data.reportUrl.replace(/0\.json$/, marker.options.reportId + ".json");
    popup.setLatLng(marker.getLatLng()).setContent(escapeHtml(texts.loading)).openOn(map);
    getJson(url)
      .then(function (report) {
        var rows = [
          [texts.received, report.received],
          [texts.grid, report.grid]
        ];
        var html =
          "<strong>" + escapeHtml(report.tracking_number) + "</strong>" +
          "<div>" + escapeHtml(report.category) + "</div>" +
          "<div><span class=\"cm-point-inline light-" + escapeHtml(report.light || "none") + "\"></span>" +
          escapeHtml(report.status_label) + (report.light_label ? " · " + escapeHtml(report.light_label) : "") + "</div>" +
          (report.address ? "<div>" + escapeHtml(report.address) + "</div>" : "") +
          "<dl>" + rows.filter(function (row) { return row[1]; }).map(function (row) {
            return "<dt>" + escapeHtml(row[0]) + "</dt><dd>" + escapeHtml(row[1]) + "</dd>";
          }).join("") + "</dl>" +
          "<a class=\"cm-report-link\" href=\"" + escapeHtml(report.url) + "\">" + escapeHtml(texts.openReport) + "</a>";
        if (popup.getLatLng() && popup.getLatLng().equals(marker.getLatLng())) {
          popup.setContent(html);
        }
      })
      .catch(function (error) {
        popup.setContent(escapeHtml(error.message));
      });
  }

  // --- Grids ----------------------------------------------------------------------
  var maxOpen = 1;
  function gridStyle(feature) {
    var p = feature.properties;
    var style = { color: "#15477e", weight: 0.8, opacity: 0.35, fillOpacity: 0.03, fillColor: "#15477e" };
    if (p.open > 0) {
      var overdueShare = p.overdue / p.open;
      var warningShare = p.warning / p.open;
      if (overdueShare > 0) {
        style.fillColor = "#d63031";
        style.fillOpacity = 0.2 + 0.45 * overdueShare;
      } else if (warningShare > 0) {
        style.fillColor = "#f5c518";
        style.fillOpacity = 0.2 + 0.4 * warningShare;
      } else {
        style.fillColor = "#1d5fa8";
        style.fillOpacity = 0.08 + 0.25 * (p.open / maxOpen);
      }
    }
    return style;
  }
  function gridPopup(feature, polygon) {
    var p = feature.properties;
    polygon.bindPopup(
      "<strong>" + escapeHtml(p.code) + "</strong>" + (p.name ? " " + escapeHtml(p.name) : "") +
      "<br>" + escapeHtml(p.street) + " " + escapeHtml(p.community) +
      "<dl><dt>" + escapeHtml(texts.openCount) + "</dt><dd>" + p.open + "</dd>" +
      "<dt>" + escapeHtml(texts.warningCount) + "</dt><dd>" + p.warning + "</dd>" +
      "<dt>" + escapeHtml(texts.overdueCount) + "</dt><dd>" + p.overdue + "</dd></dl>" +
      "<a href=\"" + escapeHtml(p.url) + "\">" + escapeHtml(texts.list) + "</a>",
      { className: "cm-popup" }
    );
  }
  function loadGrids() {
    return getJson(data.gridsUrl).then(function (collection) {
      maxOpen = Math.max(1, Math.max.apply(null, collection.features.map(function (f) { return f.properties.open; }).concat([0])));
      grids.clearLayers();
      grids.addData(collection);
      return collection;
    }).catch(function (error) { showError(error.message); });
  }

  // --- Patrol on duty ---------------------------------------------------------------
  function positionsOf(body) {
    if (Array.isArray(body)) {
      return body;
    }
    if (body && body.type === "FeatureCollection") {
      return body.features.map(function (feature) {
        var p = feature.properties || {};
        return L.extend({}, p, { lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] });
      });
    }
    return (body && (body.positions || body.staff || body.results)) || [];
  }
  function loadPatrol() {
    if (!data.patrolUrl) {
      return;
    }
    if (patrolTimer) {
      clearTimeout(patrolTimer);
    }
    getJson(data.patrolUrl).then(function (body) {
      patrol.clearLayers();
      positionsOf(body).forEach(function (person) {
        var lat = person.lat !== undefined ? person.lat : person.latitude;
        var lon = person.lon !== undefined ? person.lon : person.longitude;
        if (typeof lat !== "number" || typeof lon !== "number") {
          return;
        }
        var label = person.name || person.username || "";
        var at = String(person.at || "").slice(0, 16).replace("T", " ");
        var about = [person.post, person.unit].filter(Boolean).join(" · ");
        L.marker([lat, lon], { icon: L.divIcon({ className: "cm-patrol", iconSize: [14, 14] }), title: label })
          .bindPopup(
            "<strong>" + escapeHtml(label) + "</strong>" +
            (about ? "<br>" + escapeHtml(about) : "") +
            (at ? "<br>" + escapeHtml(texts.patrolUpdated) + " " + escapeHtml(at) : "") +
            (person.track_url ? "<br><a href=\"" + escapeHtml(person.track_url) + "\">" + escapeHtml(texts.patrolTrack) + "</a>" : ""),
            { className: "cm-popup" }
          )
          .addTo(patrol);
      });
    }).catch(function () {}).then(function () {
      var box = form.querySelector("input[name=layer][value=patrol]");
      if (box && box.checked) {
        patrolTimer = setTimeout(loadPatrol, PATROL_REFRESH_MS);
      }
    });
  }

  // --- Start ------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = filterQuery();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?" + query);
    }
    loadReports();
  });
  applyToggles();
  Promise.all([baseReady, loadGrids(), loadReports()]).then(function () {
    var bounds = districtBounds;
    if (!bounds && grids.getLayers().length) {
      bounds = grids.getBounds();
    }
    if (!bounds && clusters.getLayers().length) {
      bounds = clusters.getBounds();
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    }
    showLabels();
    element.dataset.ready = "true";
  });
})();
