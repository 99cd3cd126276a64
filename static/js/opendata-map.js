// The dataset page's map: the rows' points (or a GeoJSON file's shapes) fetched from the page's
// GeoJSON address and drawn with Leaflet on the site's tiles (static/js/complaint-map.js).
(function () {
  "use strict";

  const STYLE = { color: "#073763", weight: 2, fillColor: "#0b5394", fillOpacity: 0.55 };

  function say(element, text) {
    const status = document.getElementById(element.dataset.status);
    if (status) status.textContent = text;
  }

  function popup(feature) {
    const text = document.createElement("span");
    text.textContent = feature.properties.label;
    return text;
  }

  function draw(element, texts, collection) {
    const map = window.ComplaintMap.create(element);
    const layer = L.geoJSON(collection, {
      style: STYLE,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign({ radius: 8 }, STYLE));
      },
      onEachFeature: function (feature, shape) {
        shape.bindPopup(popup(feature));
      },
    }).addTo(map);
    const count = collection.features.length;
    if (count > 0) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
    const number = count.toLocaleString(document.documentElement.lang);
    if (count === 0) say(element, texts.empty);
    else if (collection.truncated) say(element, texts.truncated.replace("{count}", number));
    else say(element, texts.shown.replace("{count}", number));
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.querySelector("[data-features-url]");
    if (!element || !window.ComplaintMap) return;
    const texts = JSON.parse(document.getElementById("dataset-map-texts").textContent);
    window.ComplaintMap.whenNeeded(element, function () {
      fetch(element.dataset.featuresUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (collection) { draw(element, texts, collection); })
        .catch(function () { say(element, texts.failed); });
    });
  });
})();
