// Small behaviours of the pages; everything works without them, only less conveniently.
(function () {
  "use strict";

  // A <select data-submit-on-change> submits its form as soon as a choice is made.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-submit-on-change]")) {
      event.target.form.submit();
    }
  });

  // Tabs: a button[data-tab="id"] inside [data-tabs] shows the pane with that id and hides its siblings.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tabs] [data-tab]");
    if (!button) {
      return;
    }
    var group = button.closest("[data-tabs]");
    group.querySelectorAll("[data-tab]").forEach(function (other) {
      var active = other === button;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", active ? "true" : "false");
      document.getElementById(other.dataset.tab).hidden = !active;
    });
  });
})();
