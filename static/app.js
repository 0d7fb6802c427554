// Small progressive enhancements; every page works without JavaScript.
//
// Job progress: an element with data-poll-job="<url of /api/jobs/<id>>" contains a
// <progress> and an element with class "job-message". While the job runs, its state is
// fetched every 1.5 s; when it ends the page reloads to show the result.
(function () {
  "use strict";

  function poll(box) {
    var url = box.getAttribute("data-poll-job");
    var bar = box.querySelector("progress");
    var text = box.querySelector(".job-message");
    var timer = null;

    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (job) {
          if (bar) { bar.value = job.progress; }
          if (text && job.message) { text.textContent = job.message; }
          if (job.ready) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {
          window.clearInterval(timer); // the reload link on the page still works
        });
    }
    timer = window.setInterval(tick, 1500);
  }

  // Rows added in place: a link with data-add-rows="N" inside a form holding a table with
  // data-max-rows adds N rows to that table by cloning its last row, emptied and renumbered
  // (WTForms FieldList names: people-3-full_name → people-4-full_name), so nothing typed is
  // lost. Without JavaScript the link's href reloads the form with more rows (?dong=).
  var ROW_INDEX = /^(.*?-)(\d+)(-.*)$/;

  function renumber(element, index) {
    var attrs = ["name", "id", "for"];
    for (var i = 0; i < attrs.length; i++) {
      var value = element.getAttribute(attrs[i]);
      var match = value && ROW_INDEX.exec(value);
      if (match) { element.setAttribute(attrs[i], match[1] + index + match[3]); }
    }
  }

  function blankRow(template, index) {
    var row = template.cloneNode(true);
    row.classList.remove("has-error");
    var all = row.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      renumber(el, index);
      el.classList.remove("has-error");
      if (el.classList.contains("error")) { el.parentNode.removeChild(el); continue; }
      if (el.classList.contains("row-number")) { el.textContent = String(index + 1); }
      if (el.tagName === "INPUT" && el.type !== "hidden" && el.type !== "checkbox" && el.type !== "radio") {
        el.value = "";
        el.removeAttribute("value");
      } else if (el.tagName === "TEXTAREA") {
        el.value = "";
        el.textContent = "";
      } else if (el.tagName === "SELECT") {
        for (var k = 0; k < el.options.length; k++) {
          el.options[k].selected = false;
          el.options[k].removeAttribute("selected");
        }
        el.selectedIndex = 0;
      }
    }
    return row;
  }

  function addRows(link) {
    var form = link.closest("form");
    var table = form && form.querySelector("table[data-max-rows]");
    if (!table) { return; }
    var body = table.tBodies[0];
    var max = parseInt(table.getAttribute("data-max-rows"), 10) || 40;
    var wanted = parseInt(link.getAttribute("data-add-rows"), 10) || 1;
    var count = body.rows.length;
    var first = null;
    for (var n = 0; n < wanted && count < max; n++, count++) {
      var row = blankRow(body.rows[body.rows.length - 1], count);
      body.appendChild(row);
      first = first || row;
    }
    if (count >= max) {
      link.hidden = true;
      var note = form.querySelector(".rows-limit");
      if (note) { note.hidden = false; }
    }
    link.setAttribute("href", link.getAttribute("href").replace(/([?&]dong=)\d+/, "$1" + Math.min(count + wanted, max)));
    var box = first && first.querySelector("input:not([type=hidden]), select, textarea");
    if (box) { box.focus(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-add-rows]");
    if (!link) { return; }
    event.preventDefault();
    addRows(link);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-poll-job]");
    for (var i = 0; i < boxes.length; i++) { poll(boxes[i]); }
  });
})();
