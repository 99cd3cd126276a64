// Service worker: keeps the page shell (styles, script, icons, offline page) on the phone so
// the portal opens fast on a weak signal and explains itself when there is none.
const CACHE = "portal-shell-{{ version }}";
const SHELL = [{% for asset in assets %}"{{ asset|escapejs }}", {% endfor %}"{% url 'offline' %}"];

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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages are always fresh from the network (alerts and case status change); offline page otherwise.
    event.respondWith(fetch(request).catch(() => caches.match("{% url 'offline' %}")));
    return;
  }
  if (SHELL.includes(new URL(request.url).pathname)) {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
