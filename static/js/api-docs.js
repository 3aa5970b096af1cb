// /api/v1/docs/: Swagger UI inside the site's page, which has its own <main> and <h1>.
// Swagger UI renders its operations in a second <main> (axe: landmark-no-duplicate-main,
// landmark-main-is-top-level) and the API's title as a second <h1>, followed by <h3> (axe:
// heading-order). Its <main> becomes a named region and its title a level-2 heading, and the
// controls it leaves unnamed get a name, whenever Swagger UI (re)renders them; nothing changes
// visually.
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
    // Controls Swagger UI leaves without a name (axe: select-name, button-name), and the
    // responses table of each open operation, a region: named after its operation (axe:
    // landmark-unique).
    for (const select of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    }
    for (const select of root.querySelectorAll("select.examples-select-element:not([aria-label])")) {
      select.setAttribute("aria-label", "Example");
    }
    for (const button of root.querySelectorAll("button.close-modal:not([aria-label])")) {
      button.setAttribute("aria-label", "Close");
    }
    // Examples scroll within a box of at most 400px: reachable with the keyboard, to scroll
    // (axe: scrollable-region-focusable).
    for (const example of root.querySelectorAll("pre.microlight:not([tabindex])")) {
      example.setAttribute("tabindex", "0");
    }
    for (const table of root.querySelectorAll("table.responses-table[role=region]:not([aria-label])")) {
      const summary = table.closest(".opblock")?.querySelector(".opblock-summary");
      const operation = summary ? summary.textContent.replace(/\s+/g, " ").trim() : "";
      table.setAttribute("aria-label", `Responses: ${operation}`);
    }
  };
  new MutationObserver(fit).observe(root, { childList: true, subtree: true });
  fit();
})();
