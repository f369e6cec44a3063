// The service worker of the gate pages (/checkpoints/): it keeps the static files and the last
// gate page opened with the network, so the page opens and records with none. Passages are
// kept by the page itself (IndexedDB, gate_store.js), not here.
// Version __VERSION__
"use strict";
var CACHE = "fangkong-gate-__VERSION__";
var ASSETS = {{ assets|safe }};
// A gate page (the checkpoint's page, or its visitor form), without its query.
var GATE_PAGE = /^\/checkpoints\/\d+\/(visitor\/)?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("fangkong-gate-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  var text = "没有网络，这个卡点页面还没有在本机联网打开过。请联网后打开一次。";
  return new Response(
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><p>" + text + "</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate" || !GATE_PAGE.test(url.pathname)) return;
  // The network first (the page is live data); its last good answer when there is none.
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected && !url.search) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(url.pathname); }).then(function (hit) {
        return hit || offlinePage();
      });
    })
  );
});

// The page asks for its own copy when it opens with the network (the first time it is opened,
// before this worker controlled it), and for its copies to be dropped when the staff log out.
self.addEventListener("message", function (event) {
  var keep = event.data && event.data.keep;
  if (keep && GATE_PAGE.test(keep)) {
    event.waitUntil(fetch(keep, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) return null;
      return caches.open(CACHE).then(function (cache) { return cache.put(keep, response); });
    }).catch(function () { return null; }));
  }
  if (event.data === "forget-pages") {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (r) {
          return GATE_PAGE.test(new URL(r.url).pathname);
        }).map(function (r) { return cache.delete(r); }));
      });
    }));
  }
});
