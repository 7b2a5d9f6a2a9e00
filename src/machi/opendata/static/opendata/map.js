// The map of a resource page: one marker per row with 緯度/経度, its 名称 in the popup.
// Data comes from the page's json_script element (no inline script: the CSP is strict).
// The preview table and the download stay the accessible alternative to the map.
(function () {
  "use strict";

  function init() {
    var holder = document.getElementById("od-map");
    var source = document.getElementById("od-map-data");
    if (!holder || !source || typeof window.L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.points || !data.points.length) { return; }
    holder.textContent = "";
    L.Icon.Default.imagePath = data.icons;
    var map = L.map(holder, { scrollWheelZoom: false });
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
    var places = [];
    data.points.forEach(function (point) {
      var label = point.name || data.label;
      // Markers are not tab stops: places close together would overlap as targets, and
      // the table above lists the same places for keyboard and screen reader users.
      var marker = L.marker([point.lat, point.lon], { alt: label, title: label, keyboard: false });
      // Text, never HTML: names come from an uploaded file.
      var content = document.createElement("strong");
      content.textContent = label;
      marker.bindPopup(content);
      marker.addTo(map);
      places.push([point.lat, point.lon]);
    });
    if (places.length === 1) {
      map.setView(places[0], 15);
    } else {
      map.fitBounds(places, { padding: [24, 24], maxZoom: 16 });
    }
    holder.classList.add("is-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
