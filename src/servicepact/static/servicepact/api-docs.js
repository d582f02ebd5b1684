// Swagger UI for /api/docs. Its settings come from the page's data attributes: the Content Security
// Policy allows no inline script.
(function () {
  "use strict";

  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    // Swagger UI would otherwise send the document to a public validator.
    validatorUrl: null,
    // "Try it out" sends the session's CSRF token, as the pages' forms do.
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      return request;
    }
  });
})();
