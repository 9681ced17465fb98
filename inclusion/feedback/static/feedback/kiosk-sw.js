/* The kiosk's service worker (served by public_views.kiosk_service_worker from the kiosk's
 * own path, so that its scope is the kiosk). Pages: the network first, the cached copy
 * when there is no connection (kiosk.js caches every language when the tablet is set up
 * and on each start while online). Static files: the cached copy first. Responses are
 * never sent through here: kiosk.js queues them in IndexedDB and posts them itself. */
"use strict";

var CACHE = "inclusion-kiosk";
var PAGE_TIMEOUT_MS = 5000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true });
  });
}

function pageFirstFromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var settled = false;
    var timer = setTimeout(function () {
      fromCache(request).then(function (cached) {
        if (cached && !settled) { settled = true; resolve(cached); }
      });
    }, PAGE_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (settled) { return; }
      settled = true;
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      resolve(response);
    }, function (error) {
      clearTimeout(timer);
      fromCache(request).then(function (cached) {
        if (settled) { return; }
        settled = true;
        if (cached) { resolve(cached); } else { reject(error); }
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(pageFirstFromNetwork(request));
    return;
  }
  event.respondWith(fromCache(request).then(function (cached) { return cached || fetch(request); }));
});
