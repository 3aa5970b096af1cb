// An organisation's name box (catalogue/forms.py's OrganisationInput) ships no names: while a
// name is typed, this fills the box's datalist with the catalogue names near it, from
// /api/v1/organisations/near/ ("UNICEF" suggests "UNICEF China"), so the browser offers them.
// Without scripts, or if the request fails, the box is a plain text box and the form's own
// answer suggests the near names.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const PAUSE_MS = 250;
  const MIN_LENGTH = 2; // the endpoint's own minimum
  for (const input of document.querySelectorAll("input[data-organisation-suggest]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) continue;
    let timer = null;
    let latest = 0; // a slow answer to an earlier name must not replace a newer one

    function show(organisations) {
      list.replaceChildren();
      const typed = input.value.trim().toLocaleLowerCase();
      for (const organisation of organisations) {
        // The exact name is already typed: offering it again would only hide the box's text.
        if (organisation.name.toLocaleLowerCase() === typed) continue;
        const option = document.createElement("option");
        option.value = organisation.name;
        if (organisation.name_zh) option.label = organisation.name_zh;
        list.append(option);
      }
    }

    function ask() {
      const name = input.value.trim();
      const request = ++latest;
      if (name.length < MIN_LENGTH) {
        show([]);
        return;
      }
      const query = new URLSearchParams({ name });
      fetch(`${input.dataset.organisationSuggest}?${query}`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((organisations) => {
          if (request === latest) show(organisations);
        })
        .catch(() => {});
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, PAUSE_MS);
    });
  }
});
