// Service worker: keeps the page shell (styles, script, icons, offline page) on the phone so
// the portal opens fast on a weak signal and explains itself when there is none; and answers from
// the trails a walker saved ("save this trail", static/js/trail-offline.js) when there is no network.
const CACHE = "portal-shell-{{ version }}";
const SHELL = [{% for asset in assets %}"{{ asset|escapejs }}", {% endfor %}"{% url 'offline' %}"];
// Filled by the page, not by this worker, and kept across versions: what the walker chose to save.
const SAVED = "portal-saved-trails";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("portal-shell-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function saved(request) {
  // ignoreVary: a saved page's language is in its address; the phone's headers may have changed since.
  return caches.open(SAVED).then((cache) => cache.match(request, { ignoreVary: true }));
}

// A saved page fetched again online replaces its saved copy, so a saved trail does not go stale.
function refreshSaved(request, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    const copy = response.clone();
    caches.open(SAVED).then((cache) => cache.match(request).then((kept) => kept && cache.put(request, copy)));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages are always fresh from the network (alerts and case status change); offline, a saved
    // trail's page (a marker's /t/ address opens its saved page), else the offline page.
    event.respondWith(
      fetch(request)
        .then((response) => refreshSaved(request, response))
        .catch(() => saved(request).then((page) => page || caches.match("{% url 'offline' %}")))
    );
    return;
  }
  if (SHELL.includes(new URL(request.url).pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
    return;
  }
  // Everything else from the network; a saved trail's files (track, scripts, audio, photos) offline.
  event.respondWith(fetch(request).catch(() => saved(request).then((file) => file || Response.error())));
});
