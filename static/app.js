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

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-poll-job]");
    for (var i = 0; i < boxes.length; i++) { poll(boxes[i]); }
  });
})();
