// The facilities map: points from the page's JSON; tiles only when a tile source is configured
// (many deployments are offline: the points still show on a plain background).
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("map");
    var data = document.getElementById("facility-points");
    if (!el || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    var map = L.map(el, { attributionControl: true });
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    points.forEach(function (p) {
      var r = 4 + Math.min(20, Math.sqrt(p.persons) * 2);
      var m = L.circleMarker([p.lat, p.lon], { radius: r, color: "#0b5cad", weight: 1, fillOpacity: 0.6 }).addTo(map);
      var a = document.createElement("a");
      a.href = el.getAttribute("data-facility-url").replace("/0/", "/" + p.id + "/");
      a.textContent = p.name + " (" + p.persons + ")";
      m.bindPopup(a);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] }); else map.setView([41.5, 85], 5);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
