// Patrol duty (巡查在岗, docs/patrol.md).
// 1. The duty bar: loads its content (start or end of duty, as server-rendered forms)
//    and, only while the server says the user is on duty, watches the GPS and posts a
//    fix at most every `interval` seconds. Fixes that could not be sent (no network)
//    wait on the page and go with the next post, a batch at a time. Ending duty stops
//    the watch before the form leaves; off duty nothing is ever sent.
// 2. The viewers' maps: on-duty staff as points, a shift's track as a line.
(function () {
  "use strict";

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function timeText(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
  }

  function dutyBar(bar) {
    var watchId = null;
    var queue = [];
    var lastQueuedAt = 0;
    var lastFix = null;
    var sending = false;
    var state = null;
    var QUEUE_MAX = 600;

    function status(text) {
      var element = bar.querySelector("#duty-status");
      if (element) { element.textContent = text; }
    }

    function stopSharing() {
      if (watchId !== null && navigator.geolocation) {
        navigator.geolocation.clearWatch(watchId);
      }
      watchId = null;
      queue = [];
    }

    function flush() {
      if (sending || !queue.length || watchId === null) {
        return Promise.resolve();
      }
      sending = true;
      var batch = queue.slice(0, parseInt(state.dataset.batchMax, 10) || 50);
      return fetch(state.dataset.positionsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(state) },
        // The phone's own time now: the server corrects the fixes for a wrong clock.
        body: JSON.stringify({ fixes: batch, sent_at: Date.now() })
      }).then(function (response) {
        sending = false;
        if (response.status === 409) {
          // Off duty (ended elsewhere, or after the maximum length): stop at once.
          stopSharing();
          load();
          return;
        }
        // Sent, or refused for good (a bad fix is not worth sending again).
        queue.splice(0, batch.length);
        if (response.ok) {
          status(state.dataset.labelSent + " " + timeText(new Date()));
        }
        if (queue.length) { return flush(); }
      }, function () {
        sending = false;
        status(state.dataset.labelQueued + " (" + queue.length + ")");
      });
    }

    function onFix(position) {
      if (watchId === null) { return; }
      lastFix = position.coords;
      var at = position.timestamp || Date.now();
      var interval = (parseInt(state.dataset.interval, 10) || 30) * 1000;
      if (at - lastQueuedAt < interval) { return; }
      lastQueuedAt = at;
      queue.push({
        lon: position.coords.longitude,
        lat: position.coords.latitude,
        accuracy: position.coords.accuracy,
        at: at
      });
      if (queue.length > QUEUE_MAX) { queue.splice(0, queue.length - QUEUE_MAX); }
      flush();
    }

    function onError(error) {
      status(error.code === 1 ? state.dataset.labelDenied : state.dataset.labelUnavailable);
    }

    function startSharing() {
      if (!navigator.geolocation) {
        status(state.dataset.labelUnsupported);
        return;
      }
      watchId = navigator.geolocation.watchPosition(onFix, onError, {
        enableHighAccuracy: true,
        maximumAge: 10000,
        timeout: 60000
      });
      window.setInterval(flush, (parseInt(state.dataset.interval, 10) || 30) * 1000);
    }

    function setUp() {
      state = bar.querySelector("#duty-state");
      if (!state || state.dataset.onDuty !== "1") {
        return;
      }
      var endForm = bar.querySelector("#duty-end-form");
      if (endForm) {
        endForm.addEventListener("submit", function (event) {
          event.preventDefault();
          var pending = flush();
          if (lastFix) {
            endForm.elements.lon.value = lastFix.longitude;
            endForm.elements.lat.value = lastFix.latitude;
          }
          var leave = function () { stopSharing(); endForm.submit(); };
          Promise.race([pending, new Promise(function (resolve) { window.setTimeout(resolve, 3000); })])
            .then(leave, leave);
        });
      }
      startSharing();
    }

    function load() {
      fetch(bar.dataset.barUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          bar.innerHTML = html;
          setUp();
        })
        .catch(function () { bar.textContent = bar.dataset.failed; });
    }

    load();
  }

  function viewerMap(element) {
    if (typeof L === "undefined") { return; }
    var map = L.map(element, { preferCanvas: true });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    function escapeHtml(text) {
      var div = document.createElement("div");
      div.textContent = text || "";
      return div.innerHTML;
    }
    var bounds = [];
    var markers = document.getElementById("patrol-markers");
    if (markers) {
      JSON.parse(markers.textContent).forEach(function (row) {
        var point = [row.lat, row.lon];
        bounds.push(point);
        L.circleMarker(point, { radius: 8, color: "#15477e", fillColor: "#e8a317", fillOpacity: 0.9 })
          .bindPopup(
            "<strong>" + escapeHtml(row.name) + "</strong> " + escapeHtml(row.post) +
            "<br>" + escapeHtml((row.at || "").slice(11, 19)) +
            '<br><a href="' + escapeHtml(row.track_url) + '">' + escapeHtml(element.dataset.labelTrack) + "</a>"
          )
          .addTo(map);
      });
    }
    var track = document.getElementById("patrol-track");
    if (track) {
      var line = JSON.parse(track.textContent);
      if (line.length) {
        L.polyline(line, { color: "#c2255c", weight: 4 }).addTo(map);
        L.circleMarker(line[0], { radius: 6, color: "#2f9e44" }).addTo(map);
        L.circleMarker(line[line.length - 1], { radius: 6, color: "#c2255c" }).addTo(map);
        bounds = bounds.concat(line);
      }
    }
    if (bounds.length) {
      map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] });
    } else {
      map.setView([35.4, 116.6], 12);
    }
    // The viewer's grids beneath, for where the points are.
    if (element.dataset.geojsonUrl) {
      fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (collection) {
          if (!collection.features || !collection.features.length) { return; }
          var grids = L.geoJSON(collection, {
            interactive: false,
            style: { color: "#15477e", weight: 1, fillColor: "#1d5fa8", fillOpacity: 0.08 }
          }).addTo(map);
          grids.bringToBack();
          if (!bounds.length) { map.fitBounds(grids.getBounds()); }
        })
        .catch(function () { /* the points alone */ });
    }
  }

  var bar = document.getElementById("duty-bar");
  if (bar) { dutyBar(bar); }
  var map = document.getElementById("patrol-map");
  if (map) { viewerMap(map); }
})();
