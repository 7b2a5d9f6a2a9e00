// The case page: choosing a standard reason (定型の理由) copies it into the reason box, where
// the clerk can still change it. Without this file the server uses the chosen reason when
// the box is left empty. Text the clerk typed is replaced only after they agree.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    var box = document.getElementById(select.getAttribute("data-fills"));
    if (!box) { return; }
    var copied = "";
    select.addEventListener("change", function () {
      var own = box.value.trim() !== "" && box.value !== copied;
      if (own && !window.confirm(select.getAttribute("data-replace-question"))) { return; }
      copied = select.value;
      box.value = copied;
    });
  });
});
