// Upload with a progress bar: the form is sent by XMLHttpRequest so the page can show how
// much has been sent. Without JavaScript the same form posts normally.
(function () {
  "use strict";

  function show(box, text) {
    box.querySelector("[data-progress-text]").textContent = text;
  }

  function replaceMain(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById("main");
    if (!fresh) { return false; }
    var main = document.getElementById("main");
    main.innerHTML = fresh.innerHTML;
    var summary = main.querySelector(".error-summary");
    (summary || main).focus();
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-upload-progress")) { return; }
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    var box = document.getElementById(form.getAttribute("data-upload-progress"));
    if (!box) { return; }
    event.preventDefault();
    var bar = box.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.floor((e.loaded * 100) / e.total);
      bar.value = percent;
      bar.textContent = percent + "%";
      show(box, box.getAttribute("data-sending") + " " + percent + "%");
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      show(box, box.getAttribute("data-sent"));
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 200 && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
        return;
      }
      if (xhr.status >= 400 && xhr.status < 500 && replaceMain(xhr.responseText)) { return; }
      show(box, box.getAttribute("data-failed"));
      if (button) { button.disabled = false; }
    });
    xhr.addEventListener("error", function () {
      show(box, box.getAttribute("data-failed"));
      if (button) { button.disabled = false; }
    });
    box.hidden = false;
    bar.value = 0;
    show(box, box.getAttribute("data-sending") + " 0%");
    if (button) { button.disabled = true; }
    xhr.send(new FormData(form));
  });
})();
