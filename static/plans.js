// Review page of an incoming plan: pointing at a field's source ("tr. 2, dòng 15")
// highlights that line on the page image (or in the text). Clicking follows the #anchor,
// which CSS (:target) highlights too, so this only adds the hover preview.
(function () {
  "use strict";

  function toggle(link, on) {
    var target = document.getElementById(link.getAttribute("data-line"));
    if (target) { target.classList.toggle("hl", on); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var links = document.querySelectorAll("a.src[data-line]");
    for (var i = 0; i < links.length; i++) {
      (function (link) {
        link.addEventListener("mouseenter", function () { toggle(link, true); });
        link.addEventListener("mouseleave", function () { toggle(link, false); });
        link.addEventListener("focus", function () { toggle(link, true); });
        link.addEventListener("blur", function () { toggle(link, false); });
      })(links[i]);
    }
  });
})();
