// The report form's map and location: a tap or the device's position fills the hidden
// latitude/longitude fields; the category list narrows as the citizen types.
(function () {
  "use strict";
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  var status = document.getElementById("location-status");
  var element = document.getElementById("report-map");
  var map = null;
  var marker = null;

  function place(lat, lon) {
    latitude.value = lat.toFixed(7);
    longitude.value = lon.toFixed(7);
    if (map) {
      if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], { radius: 8, color: "#b3261e" }).addTo(map); }
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
    }
    status.textContent = lat.toFixed(5) + ", " + lon.toFixed(5);
  }

  if (element && typeof L !== "undefined") {
    map = L.map(element, { preferCanvas: true }).setView([35.4, 116.6], 13);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    fetch(element.dataset.areaUrl).then(function (r) { return r.json(); }).then(function (area) {
      if (!area.features.length) { return; }
      var layer = L.geoJSON(area, { style: { color: "#15477e", weight: 1, fillOpacity: 0.05 }, interactive: false }).addTo(map);
      if (!marker) { map.fitBounds(layer.getBounds()); }
    });
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });
    if (latitude.value && longitude.value) { place(parseFloat(latitude.value), parseFloat(longitude.value)); }
  }

  var button = document.getElementById("use-location");
  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = button.dataset.unavailable || "—"; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        place(position.coords.latitude, position.coords.longitude);
      }, function (error) { status.textContent = error.message; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }

  var search = document.getElementById("category-search");
  var select = document.getElementById("id_category");
  if (search && select) {
    var options = Array.prototype.slice.call(select.options);
    search.addEventListener("input", function () {
      var words = search.value.trim();
      options.forEach(function (option, index) {
        option.hidden = index > 0 && words !== "" && option.text.indexOf(words) === -1;
      });
    });
  }
})();
