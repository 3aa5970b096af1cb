// While a partner types the title of a new case, lists the published cases whose titles look
// like it (/api/v1/initiatives/similar/), so a duplicate is noticed before it is written.
// The list is announced politely (an aria-live region) once typing pauses. Without scripts,
// or if the request fails, nothing changes: the draft's page lists possible duplicates after
// saving.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const region = document.querySelector("[data-similar-cases]");
  const title = document.getElementById("id_title");
  if (!region || !title) return;
  const organisationInputs = ["id_lead_organisation", "id_new_organisation_name"]
    .map((id) => document.getElementById(id))
    .filter(Boolean);
  const PAUSE_MS = 400;
  const MIN_LENGTH = 4; // the endpoint's own minimum
  let timer = null;
  let latest = 0; // a slow answer to an earlier title must not replace a newer one

  function organisation() {
    const filled = organisationInputs.find((input) => input.value.trim());
    return filled ? filled.value.trim() : "";
  }

  function show(cases) {
    region.replaceChildren();
    if (!cases.length) return;
    const heading = document.createElement("p");
    heading.textContent = region.dataset.heading;
    const list = document.createElement("ul");
    for (const found of cases) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = found.html_url;
      link.textContent = found.title;
      item.append(link);
      if (found.lead_organisation) item.append(` (${found.lead_organisation.name})`);
      list.append(item);
    }
    region.append(heading, list);
  }

  function ask() {
    const text = title.value.trim();
    const request = ++latest;
    if (text.length < MIN_LENGTH) {
      show([]);
      return;
    }
    const query = new URLSearchParams({ title: text, organisation: organisation() });
    fetch(`${region.dataset.similarCases}?${query}`, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((cases) => {
        if (request === latest) show(cases);
      })
      .catch(() => {});
  }

  function askAfterAPause() {
    clearTimeout(timer);
    timer = setTimeout(ask, PAUSE_MS);
  }

  title.addEventListener("input", askAfterAPause);
  for (const input of organisationInputs) input.addEventListener("change", askAfterAPause);
  if (title.value.trim()) ask(); // an edit page, or a form shown again with its errors
});
