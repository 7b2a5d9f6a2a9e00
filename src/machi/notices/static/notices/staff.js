// お知らせ staff form: the event's date and place show only for an event category.
// Everything works without this file: then every field shows, and the server drops the
// event's fields of a notice in another category.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("id_category");
  var fields = document.getElementById("event-fields");
  if (!select || !fields) { return; }
  function sync() {
    var option = select.options[select.selectedIndex];
    if (option && option.getAttribute("data-event") === "true") {
      fields.removeAttribute("data-conditional-hidden");
    } else {
      fields.setAttribute("data-conditional-hidden", "");
    }
  }
  select.addEventListener("change", sync);
  sync();
});
