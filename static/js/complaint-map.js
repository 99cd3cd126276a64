// Leaflet maps of the complaint pages. Tiles come from the site's tile server; with none set (tests,
// machines without internet) the map draws a plain background and requests nothing.
// Leaflet itself (150 kB of script, and its stylesheet) is fetched only once a map's box is near the
// screen and the visitor has done something on the page (scrolled, touched, typed): until then the
// box is a plain placeholder of the map's size, and nobody who only reads the page pays for the
// map (Lighthouse counted Leaflet's start-up as most of these pages' blocking time; issue 12).
(function () {
  "use strict";

  // Where Leaflet is: this script's tag names the files (their names carry a hash).
  const files = document.currentScript.dataset;
  let leafletLoaded = null;

  function loadFile(tag, attributes) {
    return new Promise(function (resolve, reject) {
      const element = document.createElement(tag);
      Object.assign(element, attributes);
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet() {
    if (!leafletLoaded) {
      leafletLoaded = Promise.all([
        loadFile("link", { rel: "stylesheet", href: files.leafletCss }),
        loadFile("script", { src: files.leafletJs }),
      ]);
    }
    return leafletLoaded;
  }

  // The visitor's first scroll, touch or key press on the page.
  const interacted = new Promise(function (resolve) {
    ["scroll", "wheel", "touchstart", "pointerdown", "keydown"].forEach(function (name) {
      window.addEventListener(name, resolve, { once: true, passive: true, capture: true });
    });
  });

  // Calls draw(element) with Leaflet loaded, once the map's box is near the screen and the visitor
  // has scrolled, touched or typed. Returns a function that loads it at once (for a button that acts
  // on the map).
  function whenNeeded(element, draw) {
    let started = false;
    let observer = null;
    function start() {
      if (started) return;
      started = true;
      if (observer) observer.disconnect();
      loadLeaflet().then(function () { draw(element); }, function () {});
    }
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) interacted.then(start);
      }, { rootMargin: "200px" });
      observer.observe(element);
    } else {
      interacted.then(start);
    }
    return start;
  }

  function createMap(element) {
    const data = element.dataset;
    const map = L.map(element, { minZoom: 10, maxZoom: 19, attributionControl: Boolean(data.tileUrl) });
    map.setView([parseFloat(data.latitude), parseFloat(data.longitude)], Number(data.zoom) || 15);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  // Explicit addresses: Leaflet guesses them from its stylesheet, which fails once static file
  // names carry a hash.
  function pinIcon(element) {
    return L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIconRetina,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function popupLink(point) {
    const link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.label;
    return link;
  }

  // Public cases: points are already rounded by the server.
  function showCases(element) {
    const points = JSON.parse(document.getElementById(element.dataset.points).textContent);
    const map = createMap(element);
    const markers = points.map(function (point) {
      return L.circleMarker([point.latitude, point.longitude], {
        radius: 11,
        color: "#073763",
        weight: 2,
        fillColor: "#0b5394",
        fillOpacity: 0.55,
      })
        .bindPopup(popupLink(point))
        .addTo(map);
    });
    if (markers.length > 1) {
      map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [24, 24], maxZoom: 16 });
    } else if (markers.length === 1) {
      map.setView(markers[0].getLatLng(), 16);
    }
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // A draggable pin that fills a form's hidden latitude and longitude: tap the map, or "use my
  // location" (one reading, on the tap). Its parts are found in the form by their data attributes
  // (templates/includes/pin_map.html); onChange(restoring) after each pin or removal (restoring:
  // the pin of a form shown again, nothing changed). The form works without it: the place can be typed.
  function pinPicker(form, texts, onChange) {
    const mapElement = form.querySelector("[data-pin-map]");
    if (!mapElement) return;
    const status = form.querySelector("[data-pin-status]");
    const clearButton = form.querySelector("[data-clear-pin]");
    const locateButton = form.querySelector("[data-locate]");
    const help = form.querySelector("[data-pin-help]");
    const latitude = form.elements.latitude;
    const longitude = form.elements.longitude;
    onChange = onChange || function () {};
    let map = null;
    let marker = null;

    function setPin(latlng, restoring) {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, {
          draggable: true,
          autoPan: true,
          icon: pinIcon(mapElement),
          alt: texts.pinLabel,
          title: texts.pinLabel,
        }).addTo(map);
        marker.on("dragend", function () { setPin(marker.getLatLng()); });
      }
      clearButton.hidden = false;
      if (!restoring) {
        status.textContent = format(texts.pinPlaced, {
          latitude: latlng.lat.toFixed(5),
          longitude: latlng.lng.toFixed(5),
        });
      }
      onChange(Boolean(restoring));
    }

    function clearPin() {
      if (marker) marker.remove();
      marker = null;
      latitude.value = "";
      longitude.value = "";
      clearButton.hidden = true;
      status.textContent = texts.pinRemoved;
      onChange(false);
    }

    // The map's box shows at once; Leaflet is loaded into it when it is about to be seen or touched.
    mapElement.hidden = false;
    form.querySelector("[data-map-tools]").hidden = false;
    if (help) help.textContent = texts.mapHelp;
    let loadMap = null;
    const mapReady = new Promise(function (resolve) {
      loadMap = whenNeeded(mapElement, function () {
        map = createMap(mapElement);
        map.on("click", function (event) { setPin(event.latlng); });
        if (latitude.value && longitude.value) {
          const saved = L.latLng(parseFloat(latitude.value), parseFloat(longitude.value));
          map.setView(saved, 17);
          setPin(saved, true);
        }
        resolve();
      });
    });
    clearButton.addEventListener("click", clearPin);
    if (!("geolocation" in navigator)) locateButton.hidden = true;
    locateButton.addEventListener("click", function () {
      loadMap();
      status.textContent = texts.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          mapReady.then(function () {
            const here = L.latLng(position.coords.latitude, position.coords.longitude);
            map.setView(here, 17);
            setPin(here);
          });
        },
        function (error) {
          status.textContent = error.code === error.PERMISSION_DENIED
            ? texts.locationDenied : texts.locationUnavailable;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  window.ComplaintMap = { create: createMap, pinIcon: pinIcon, whenNeeded: whenNeeded, pinPicker: pinPicker };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-points]").forEach(function (element) { whenNeeded(element, showCases); });
    // A form whose only map is its pin (e.g. the archive's contribution form): no script of its own.
    document.querySelectorAll("form[data-pin-form]").forEach(function (form) {
      pinPicker(form, JSON.parse(document.getElementById(form.dataset.pinForm).textContent));
    });
  });
})();
