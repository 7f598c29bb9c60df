// The merchant's page: each shop's 门前三包 zone on its own small map. Tiles only when
// the bureau configured its own tile server; otherwise the zone alone.
(function () {
  "use strict";
  var data = document.getElementById("merchant-zones");
  if (!data || typeof L === "undefined") {
    return;
  }
  var zones = JSON.parse(data.textContent);
  Array.prototype.forEach.call(document.querySelectorAll(".zone-map"), function (element) {
    var zone = zones[element.dataset.shop];
    if (!zone) {
      return;
    }
    var map = L.map(element, { preferCanvas: true, scrollWheelZoom: false });
    if (element.dataset.tileUrl) {
      var attribution = element.dataset.tileAttribution || "";
      L.tileLayer(element.dataset.tileUrl, { attribution: attribution }).addTo(map);
    }
    var style = { color: "#b3261e", weight: 2, fillOpacity: 0.25 };
    var layer = L.geoJSON(zone, { style: style, interactive: false }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 19, padding: [20, 20] });
  });
})();
