// Starts Swagger UI with the settings the server put in #swagger-settings (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  window.ui = SwaggerUIBundle(settings);
});
