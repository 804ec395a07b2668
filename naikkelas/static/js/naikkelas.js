// Small screens start with the filter box folded, so the first results are in view.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("filter-box");
  if (box && window.matchMedia("(max-width: 640px)").matches && !window.location.search) {
    box.removeAttribute("open");
  }
});
