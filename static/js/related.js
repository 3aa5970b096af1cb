// The case page links to its related initiatives; where scripts run, the list itself takes
// the link's place (catalogue.views.InitiativeRelatedView, `?partial=1`). Ranking them costs
// more than the whole case, so it is a request of its own, asked for once the page is shown.
// Without scripts, or if the request fails, the link stays: nothing is lost.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const section of document.querySelectorAll("[data-related-list]")) {
    const link = section.querySelector(".related-link");
    fetch(section.dataset.relatedList, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        // Our own escaped HTML, parsed into inert nodes rather than assigned as markup.
        const list = new DOMParser().parseFromString(html, "text/html").body;
        link.replaceWith(...list.childNodes);
        section.setAttribute("data-related-loaded", "");
      })
      .catch(() => {});
  }
});
