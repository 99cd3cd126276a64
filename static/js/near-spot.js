// "Near a spot" on a river's page: on request, one reading of the phone's position sorts the guide
// points by distance and, within 30 m of one, raises what to look for there. The position stays on
// the phone (nothing is sent) and is not watched: another tap reads it again.
(function () {
  "use strict";
  var section = document.querySelector("[data-near-spot]");
  var button = section && section.querySelector("[data-near-spot-start]");
  if (!button || !navigator.geolocation) {
    return;
  }
  var HERE_M = 30;
  var texts = JSON.parse(document.getElementById("near-spot-texts").textContent);
  var list = section.querySelector("[data-near-spot-list]");
  var here = section.querySelector("[data-near-spot-here]");

  function metres(lat1, lng1, lat2, lng2) {
    var rad = Math.PI / 180;
    var a = Math.pow(Math.sin(((lat2 - lat1) * rad) / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(((lng2 - lng1) * rad) / 2), 2);
    return 2 * 6371000 * Math.asin(Math.sqrt(a));
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function sort(position) {
    var items = Array.prototype.slice.call(list.children).map(function (item) {
      var distance = metres(position.coords.latitude, position.coords.longitude,
        parseFloat(item.dataset.latitude), parseFloat(item.dataset.longitude));
      item.querySelector("[data-near-spot-distance]").textContent = " · " + fill(texts.metres, { metres: Math.round(distance) });
      return { item: item, distance: distance };
    });
    items.sort(function (a, b) { return a.distance - b.distance; });
    items.forEach(function (entry) { list.appendChild(entry.item); });
    var nearest = items[0];
    if (nearest && nearest.distance <= HERE_M) {
      var data = nearest.item.dataset;
      here.textContent = data.species
        ? fill(texts.here, { name: data.name, species: data.species })
        : fill(texts.here_without_species, { name: data.name });
      here.hidden = false;
    } else {
      here.hidden = true;
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(sort, function () {
      here.textContent = texts.unavailable;
      here.hidden = false;
    }, { enableHighAccuracy: true, maximumAge: 0, timeout: 15000 });
  });
})();
