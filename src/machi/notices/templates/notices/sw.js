// お知らせ service worker (served at /notices-sw.js): shows each pushed notice as a
// notification and opens the notice (through the message's counted link) on a click.
// It handles no fetches: pages load as they would without it.
"use strict";

self.addEventListener("push", function (event) {
  var notice = {};
  try { notice = event.data ? event.data.json() : {}; } catch (error) { notice = {}; }
  var title = notice.title || "お知らせ";
  event.waitUntil(self.registration.showNotification(title, {
    body: notice.body || "",
    icon: "{{ icon|escapejs }}",
    tag: notice.tag || undefined,
    data: { url: notice.url || "{{ notices|escapejs }}" },
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "{{ notices|escapejs }}";
  event.waitUntil(self.clients.openWindow(url));
});
