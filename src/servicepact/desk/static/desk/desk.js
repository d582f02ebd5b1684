// The desk's small behaviours: keyboard shortcuts and the queue's selected row. Every page works without them.
//
// Anywhere:      /  search tickets (the queue's own search box on a queue)
// On a queue:    j / k  next / previous ticket,  Enter or o  open it,  x  tick it for a bulk action
// On a ticket:   r  reply,  n  internal note,  m  assign to me,  Escape  back out of a text box
(function () {
  "use strict";

  var selected = null; // the number of the queue's selected ticket, kept across refreshes of the table

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#ticket-table tr[data-ticket]"));
  }

  function select(row) {
    rows().forEach(function (other) {
      other.classList.toggle("selected", other === row);
      other.setAttribute("aria-selected", other === row ? "true" : "false");
    });
    if (row) {
      selected = row.dataset.ticket;
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (!all.length) {
      return;
    }
    var index = all.findIndex(function (row) { return row.dataset.ticket === selected; });
    index = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[index]);
  }

  function current() {
    return rows().find(function (row) { return row.dataset.ticket === selected; }) || null;
  }

  function click(selector) {
    var element = document.querySelector(selector);
    if (element) {
      element.click();
      return true;
    }
    return false;
  }

  function focus(selector) {
    var element = document.querySelector(selector);
    if (element) {
      element.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var handled = false;
    switch (event.key) {
      case "/":
        handled = focus("#filter-q") || focus("#global-search");
        break;
      case "j":
        move(1);
        handled = rows().length > 0;
        break;
      case "k":
        move(-1);
        handled = rows().length > 0;
        break;
      case "Enter":
      case "o":
        if (current()) {
          window.location.href = current().querySelector("td.number a").href;
          handled = true;
        }
        break;
      case "x":
        if (current() && current().querySelector("input[type=checkbox]")) {
          current().querySelector("input[type=checkbox]").click();
          handled = true;
        }
        break;
      case "r":
        handled = click("[data-tab=pane-reply]") && focus("#action-reply textarea");
        break;
      case "n":
        handled = click("[data-tab=pane-note]") && focus("#action-note textarea");
        break;
      case "m":
        handled = click("button[data-submit=take]");
        break;
    }
    if (handled) {
      event.preventDefault();
    }
  });

  // A canned reply chosen in its list fills the reply box, where the agent may still change it.
  document.addEventListener("change", function (event) {
    var list = event.target.closest("select[data-fills]");
    if (!list || !list.value) {
      return;
    }
    var box = document.querySelector(list.dataset.fills);
    if (box) {
      box.value = list.selectedOptions[0].dataset.text;
      box.focus();
    }
  });

  // The queue's table is swapped in place (filters, sorting, the refresh every minute): select the same
  // ticket again, and tick again the tickets that were ticked.
  var ticked = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "ticket-table") {
      ticked = Array.prototype.map.call(
        document.querySelectorAll("#ticket-table input[name=tickets]:checked"), function (box) { return box.value; }
      );
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (selected) {
      var row = current();
      if (row) {
        select(row);
      }
    }
    ticked.forEach(function (number) {
      var box = document.querySelector("#ticket-table input[name=tickets][value='" + CSS.escape(number) + "']");
      if (box) {
        box.checked = true;
      }
    });
  });
})();
