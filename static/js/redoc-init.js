// Starts ReDoc on the API documentation page (kept out of the page: no inline scripts).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (container && window.Redoc) {
    window.Redoc.init(container.dataset.specUrl, {}, container);
  }
})();
