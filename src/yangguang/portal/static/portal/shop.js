// The shop's public page: its 门前三包 zone on a Leaflet map (no CDN: Leaflet from
// django-leaflet). Tiles only when the bureau configured its own tile server; otherwise
// the zone and the door alone on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("shop-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var source = document.getElementById(element.dataset.zone);
  var zone = null;
  try { zone = source ? JSON.parse(source.textContent) : null; } catch (error) { zone = null; }
  var lat = parseFloat(element.dataset.lat);
  var lon = parseFloat(element.dataset.lon);
  var map = L.map(element, { preferCanvas: true, scrollWheelZoom: false });
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }
  var door = isFinite(lat) && isFinite(lon);
  if (door) {
    L.circleMarker([lat, lon], { radius: 6, color: "#b3261e", interactive: false }).addTo(map);
  }
  if (zone) {
    var layer = L.geoJSON(zone, { style: { color: "#1d5fa8", weight: 2, fillOpacity: 0.25 }, interactive: false }).addTo(map);
    // A zone is a few metres: close in, as far as the tiles go (without tiles, closer).
    map.fitBounds(layer.getBounds(), { maxZoom: element.dataset.tileUrl ? 19 : 21, padding: [20, 20] });
  } else if (door) {
    map.setView([lat, lon], 18);
  }
})();
