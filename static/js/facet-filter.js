// A search box within each long facet of the initiative list's sidebar: typing narrows the
// options shown to those whose label contains the text. Without JavaScript the box stays
// hidden; the "Show all" page searches every option on the server.
"use strict";

document.querySelectorAll(".facet-filter-row").forEach((row) => {
  const input = row.querySelector("input");
  const list = document.getElementById(input.getAttribute("aria-controls"));
  if (!list) return;
  const items = Array.from(list.querySelectorAll("li"));
  row.hidden = false;
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLocaleLowerCase();
    items.forEach((item) => {
      const checked = item.querySelector("input:checked") !== null;
      const label = item.textContent.toLocaleLowerCase();
      item.hidden = wanted !== "" && !checked && !label.includes(wanted);
    });
  });
  // Enter in the box would send the whole form; it only narrows the list.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
});
