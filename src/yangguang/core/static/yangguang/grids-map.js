// Draws the user's unit grids on a Leaflet map. Tiles only when the bureau configured
// its own tile server; otherwise the polygons alone on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("grid-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { preferCanvas: true });
  var tileUrl = element.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }
  fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (collection) {
      if (!collection.features.length) {
        map.setView([35.4, 116.6], 12);
        return;
      }
      var layer = L.geoJSON(collection, {
        style: { color: "#1d5fa8", weight: 1, fillColor: "#e8a317", fillOpacity: 0.15 },
        onEachFeature: function (feature, polygon) {
          var p = feature.properties;
          polygon.bindPopup(
            "<strong>" + escapeHtml(p.code) + "</strong>" + (p.name ? " " + escapeHtml(p.name) : "") +
            "<br>" + escapeHtml(element.dataset.labelCommunity) + ": " + escapeHtml(p.community) +
            (p.squadron ? "<br>" + escapeHtml(element.dataset.labelSquadron) + ": " + escapeHtml(p.squadron) : "")
          );
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    });
})();
