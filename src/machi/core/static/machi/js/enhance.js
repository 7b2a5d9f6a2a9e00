// Progressive enhancement for machi pages. Everything works without this file.
// Loaded in <head> without defer so the "js" class is set before the first paint: fields
// that only apply after another answer stay hidden until htmx reveals them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to a form's error summary so screen readers announce the problems first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
// The assistant's chat: after a reply arrives, empty the box for the next question and
// bring the reply into view (the log is a polite live region, so it is also read out).
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("chat-form")) { return; }
  var log = document.getElementById(form.getAttribute("hx-target").slice(1));
  if (event.detail.xhr.status < 500) { form.reset(); }
  if (log && log.lastElementChild) { log.lastElementChild.scrollIntoView({block: "nearest"}); }
});
