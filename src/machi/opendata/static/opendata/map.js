// The map of a resource page: one marker per row with 緯度/経度, its 名称 in the popup.
// Data comes from the page's json_script element (no inline script: the CSP is strict).
// The preview table and the download stay the accessible alternative to the map.
(function () {
  "use strict";

  // Place names and the tile provider's credit (地理院タイル) are Japanese content: on a page
  // in another language they are marked lang="ja" so screen readers switch voice.
  var JAPANESE = /[\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff\uff66-\uff9d]/;

  function markJapanese(el, text) {
    var page = document.documentElement.lang || "";
    if (el && page.indexOf("ja") !== 0 && JAPANESE.test(text)) { el.lang = "ja"; }
  }

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
    var markers = [];
    data.points.forEach(function (point) {
      var label = point.name || data.label;
      // Markers are not tab stops: places close together would overlap as targets, and
      // the table above lists the same places for keyboard and screen reader users.
      var marker = L.marker([point.lat, point.lon], { alt: label, title: label, keyboard: false });
      // Text, never HTML: names come from an uploaded file.
      var content = document.createElement("strong");
      content.textContent = label;
      markJapanese(content, label);
      marker.bindPopup(content);
      marker.addTo(map);
      markers.push([marker, label]);
      places.push([point.lat, point.lon]);
    });
    if (places.length === 1) {
      map.setView(places[0], 15);
    } else {
      map.fitBounds(places, { padding: [24, 24], maxZoom: 16 });
    }
    // The markers' images and the credit exist once the map has its view.
    markers.forEach(function (item) { markJapanese(item[0].getElement(), item[1]); });
    holder.querySelectorAll(".leaflet-control-attribution a").forEach(function (link) {
      markJapanese(link, link.textContent);
    });
    holder.classList.add("is-ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
