// Progressive enhancement for machi pages. Everything works without this file.
// Loaded in <head> without defer so the "js" class is set before the first paint: fields
// that only apply after another answer stay hidden until htmx reveals them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to a form's error summary so screen readers announce the problems first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
