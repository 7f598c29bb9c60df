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
      // One fill colour per sub-district, so its boundary shows.
      var palette = ["#e8a317", "#2f9e44", "#1d5fa8", "#c2255c", "#7048e8", "#0c8599"];
      var streets = {};
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var street = feature.properties.street;
          if (!(street in streets)) {
            streets[street] = palette[Object.keys(streets).length % palette.length];
          }
          return { color: "#15477e", weight: 1, fillColor: streets[street], fillOpacity: 0.25 };
        },
        onEachFeature: function (feature, polygon) {
          var p = feature.properties;
          polygon.bindPopup(
            "<strong>" + escapeHtml(p.code) + "</strong>" + (p.name ? " " + escapeHtml(p.name) : "") +
            "<br>" + escapeHtml(p.street) + " " + escapeHtml(p.community) +
            (p.squadron ? "<br>" + escapeHtml(element.dataset.labelSquadron) + " " + escapeHtml(p.squadron) : "")
          );
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    });
})();
