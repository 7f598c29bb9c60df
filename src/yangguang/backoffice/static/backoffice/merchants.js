// The merchant file's maps (no CDN: Leaflet from django-leaflet). A shop's zone on the
// merchant's page; the shop's door from the phone's position or a tap (registration);
// the zone drawn by tapping its corners, written as GeoJSON into the zone field.
(function () {
  "use strict";
  var hasLeaflet = typeof L !== "undefined";
  var ZONE_STYLE = { color: "#b3261e", weight: 2, fillOpacity: 0.2 };

  function baseMap(element) {
    var map = L.map(element, { preferCanvas: true, maxZoom: 22 });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "", maxZoom: 22
      }).addTo(map);
    }
    return map;
  }

  function readJson(id) {
    var node = id && document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function showZone(map, zone, lat, lon, style) {
    var door = isFinite(lat) && isFinite(lon);
    if (door) { L.circleMarker([lat, lon], { radius: 5, color: "#15477e" }).addTo(map); }
    if (zone) {
      var layer = L.geoJSON(zone, { style: style || ZONE_STYLE, interactive: false }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 20, padding: [20, 20] });
      return layer;
    }
    map.setView(door ? [lat, lon] : [35.4, 116.6], door ? 19 : 12);
    return null;
  }

  // The zones on the merchant's page.
  if (hasLeaflet) {
    Array.prototype.forEach.call(document.querySelectorAll(".zone-map"), function (element) {
      showZone(baseMap(element), readJson(element.dataset.zone),
        parseFloat(element.dataset.lat), parseFloat(element.dataset.lon));
    });
  }

  // The shop's door: the device's position or a tap on the map.
  var lonField = document.getElementById("id_longitude");
  var latField = document.getElementById("id_latitude");
  var status = document.getElementById("location-status");
  var pickElement = document.getElementById("shop-map");
  var pickMap = null;
  var marker = null;

  function place(lat, lon) {
    latField.value = lat.toFixed(7);
    lonField.value = lon.toFixed(7);
    if (pickMap) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], { radius: 8, color: "#b3261e" }).addTo(pickMap); }
      pickMap.setView([lat, lon], Math.max(pickMap.getZoom(), 18));
    }
    if (status) { status.textContent = lat.toFixed(6) + ", " + lon.toFixed(6); }
  }

  if (pickElement && hasLeaflet && lonField && latField) {
    pickMap = baseMap(pickElement).setView([35.4, 116.6], 13);
    pickMap.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });
    var lat0 = parseFloat(latField.value);
    var lon0 = parseFloat(lonField.value);
    if (isFinite(lat0) && isFinite(lon0)) { place(lat0, lon0); }
  }

  var button = document.getElementById("use-location");
  if (button && lonField && latField) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = button.dataset.unavailable || "—"; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.latitude, position.coords.longitude);
      }, function (error) { status.textContent = error.message; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // The zone editor: each tap adds a corner; three or more make the polygon.
  var editor = document.getElementById("zone-editor");
  var zoneField = document.getElementById("id_zone");
  if (editor && zoneField && hasLeaflet) {
    var map = baseMap(editor);
    showZone(map, readJson(editor.dataset.zone), parseFloat(editor.dataset.lat),
      parseFloat(editor.dataset.lon), { color: "#15477e", weight: 1, dashArray: "4 4", fillOpacity: 0.05 });
    var corners = [];
    var drawn = L.layerGroup().addTo(map);

    var redraw = function () {
      drawn.clearLayers();
      corners.forEach(function (corner) {
        L.circleMarker([corner[1], corner[0]], { radius: 4, color: "#b3261e" }).addTo(drawn);
      });
      if (corners.length >= 3) {
        L.polygon(corners.map(function (c) { return [c[1], c[0]]; }), ZONE_STYLE).addTo(drawn);
      }
    };
    var write = function () {
      zoneField.value = corners.length >= 3
        ? JSON.stringify({ type: "Polygon", coordinates: [corners.concat([corners[0]])] })
        : "";
    };
    var read = function () {
      corners = [];
      try {
        var value = JSON.parse(zoneField.value);
        var ring = value.type === "Polygon" ? value.coordinates[0] : null;
        if (ring && ring.length > 3) { corners = ring.slice(0, ring.length - 1); }
      } catch (error) { corners = []; }
      redraw();
    };
    read();
    map.on("click", function (event) {
      corners.push([Number(event.latlng.lng.toFixed(7)), Number(event.latlng.lat.toFixed(7))]);
      write();
      redraw();
    });
    zoneField.addEventListener("input", read);
    var clear = document.getElementById("zone-clear");
    if (clear) {
      clear.addEventListener("click", function () { corners = []; write(); redraw(); });
    }
  }
})();
