// /api/v1/docs/: Swagger UI inside the site's page, which has its own <main> and <h1>.
// Swagger UI renders its operations in a second <main> (axe: landmark-no-duplicate-main,
// landmark-main-is-top-level) and the API's title as a second <h1>, followed by <h3> (axe:
// heading-order). Its <main> becomes a named region and its title a level-2 heading, whenever
// Swagger UI (re)renders them; nothing changes visually.
"use strict";
(() => {
  const root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }
  const fit = () => {
    for (const main of root.querySelectorAll("main:not([role])")) {
      main.setAttribute("role", "region");
      main.setAttribute("aria-label", "Operations");
    }
    for (const title of root.querySelectorAll("h1:not([aria-level])")) {
      title.setAttribute("aria-level", "2");
    }
  };
  new MutationObserver(fit).observe(root, { childList: true, subtree: true });
  fit();
})();
