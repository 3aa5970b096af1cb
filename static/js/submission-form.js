// The partner's submission form (templates/submissions/form.html), improved where scripts run.
// Without this file the form works as it is: plain selects, "Add another …" buttons that show
// the form again with one more row, a Delete box on saved rows, and "Save draft".
//
// - Sections: a contents link moves the focus to its section.
// - Pickers: a select-multiple ([data-picker]) becomes a filter box, the matching options as
//   checkboxes, and the chosen ones as removable chips; the select stays, hidden, and is what
//   the form sends.
// - Rows: "Add another …" clones the formset's empty row in place; "Remove" takes out a new row
//   or ticks Delete on a saved one (with Undo).
// - "Describe it as a tool" shows the optional tool fields in place (without scripts the button
//   shows the form again with them).
// - Autosave: 2 s after the last change, and when the focus moves to another section, the form
//   is posted in the background to its own address (asking for JSON); the first save creates
//   the draft (the form's submission_key makes two quick saves one draft), later ones go to its
//   edit address. A status line says "Saved at …" or why not. Leaving with unsaved changes asks
//   first.
"use strict";

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_match, name) => values[name]);
}

function setUpToolSection(form) {
  const button = form.querySelector("[data-show-tool]");
  const fields = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!fields) return;
  button.addEventListener("click", (event) => {
    event.preventDefault();
    fields.hidden = false;
    button.hidden = true;
    const first = fields.querySelector("input, select, textarea");
    if (first) first.focus();
  });
}

function setUpSections(form) {
  for (const link of document.querySelectorAll(".form-contents a[href^='#']")) {
    link.addEventListener("click", () => {
      const section = document.getElementById(link.getAttribute("href").slice(1));
      if (section) requestAnimationFrame(() => section.focus());
    });
  }
  // An error summary link to a field a picker hid leads to the picker's filter box.
  for (const link of document.querySelectorAll(".error-summary a[href^='#']")) {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target && target.hidden && target.pickerFilter) {
        event.preventDefault();
        target.pickerFilter.focus();
      }
    });
  }
  return form;
}

// How many options a picker lists at once: a long list (organisations) is narrowed by typing.
const PICKER_SHOWN = 60;

// What every picker puts in place of its field (a select, or a box of names): a filter box
// labelled as the field was, the chosen items as chips, the options, and a live count; the
// field itself is hidden but still what the form sends.
function replaceWithPicker(container, field) {
  const text = container.dataset;
  const label = container.querySelector(`label[for="${field.id}"]`);
  const name = label ? label.textContent.replace(/:\s*$/, "") : field.name;
  const filter = document.createElement("input");
  filter.type = "search";
  filter.id = `${field.id}-filter`;
  filter.className = "picker-filter";
  filter.autocomplete = "off";
  filter.placeholder = text.filterLabel;
  filter.dataset.pickerFilter = field.id;
  const chips = document.createElement("ul");
  chips.className = "picker-chips";
  chips.setAttribute("aria-label", `${text.chosenLabel}: ${name}`);
  const options = document.createElement("div");
  options.className = "picker-options";
  options.id = `${field.id}-options`;
  options.setAttribute("role", "group");
  options.setAttribute("aria-label", name);
  options.dataset.pickerOptions = field.id;
  filter.setAttribute("aria-controls", options.id);
  const count = document.createElement("p");
  count.className = "picker-count";
  count.id = `${field.id}-count`;
  count.setAttribute("aria-live", "polite");
  // The field's own help is about the plain control ("Hold Ctrl to choose several"), which
  // the picker replaces; its other descriptions (an error) stay.
  const described = [field.getAttribute("aria-describedby"), count.id]
    .filter(Boolean)
    .join(" ")
    .replace(`${field.id}_helptext`, "")
    .trim();
  filter.setAttribute("aria-describedby", described);
  if (field.getAttribute("aria-invalid")) filter.setAttribute("aria-invalid", "true");
  if (label) label.htmlFor = filter.id;
  const help = document.getElementById(`${field.id}_helptext`);
  if (help) help.hidden = true;
  field.hidden = true;
  field.pickerFilter = filter;
  field.after(chips, filter, count, options);
  return { filter, chips, options, count };
}

function setUpPicker(container, onChange) {
  const names = container.querySelector("textarea[data-organisation-suggest]");
  if (names) {
    setUpNamesPicker(container, names, onChange);
    return;
  }
  const select = container.querySelector("select[multiple]");
  if (!select) return;
  const text = container.dataset;
  const { filter, chips, options, count } = replaceWithPicker(container, select);

  const all = [...select.options];

  function showChips() {
    chips.replaceChildren();
    const chosen = all.filter((option) => option.selected);
    if (!chosen.length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = text.none;
      chips.append(none);
    }
    for (const option of chosen) {
      const chip = document.createElement("li");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", format(text.remove, { name: option.text }));
      remove.addEventListener("click", () => {
        option.selected = false;
        refresh();
        onChange();
        filter.focus();
      });
      chip.append(option.text, remove);
      chips.append(chip);
    }
  }

  function showOptions() {
    const wanted = filter.value.trim().toLocaleLowerCase();
    options.replaceChildren();
    // Until something is typed the list stays closed: the chips show what is chosen.
    options.hidden = !wanted;
    if (!wanted) {
      count.textContent = format(text.type, { total: all.length });
      return;
    }
    const matching = all.filter((option) => option.text.toLocaleLowerCase().includes(wanted));
    for (const option of matching.slice(0, PICKER_SHOWN)) {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `${select.id}-option-${option.index}`;
      box.checked = option.selected;
      box.addEventListener("change", () => {
        option.selected = box.checked;
        showChips();
        onChange();
      });
      const boxLabel = document.createElement("label");
      boxLabel.htmlFor = box.id;
      boxLabel.append(box, ` ${option.text}`);
      options.append(boxLabel);
    }
    const shown = Math.min(matching.length, PICKER_SHOWN);
    count.textContent = format(text.count, { shown, total: matching.length });
    if (matching.length > PICKER_SHOWN) count.textContent += ` ${text.more}`;
  }

  function refresh() {
    showChips();
    showOptions();
  }

  let timer = null;
  filter.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(showOptions, 150);
  });
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault(); // Enter in the filter must not send the form
      const first = options.querySelector("input");
      if (first) first.focus();
    }
  });
  refresh();
}

// The same picker over organisations' names (a textarea, one name a line, which stays the
// field the form sends): the options are the names near what is typed, asked of the API, so the
// page never holds every organisation.
function setUpNamesPicker(container, textarea, onChange) {
  const text = container.dataset;
  const { filter, chips, options, count } = replaceWithPicker(container, textarea);
  options.hidden = true;

  function chosen() {
    return textarea.value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  }

  function choose(names) {
    textarea.value = names.join("\n");
    showChips();
    onChange();
  }

  function showChips() {
    chips.replaceChildren();
    if (!chosen().length) {
      const none = document.createElement("li");
      none.className = "muted";
      none.textContent = text.none;
      chips.append(none);
    }
    for (const each of chosen()) {
      const chip = document.createElement("li");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", format(text.remove, { name: each }));
      remove.addEventListener("click", () => {
        choose(chosen().filter((other) => other !== each));
        showOptions(latestFound);
        filter.focus();
      });
      chip.append(each, remove);
      chips.append(chip);
    }
  }

  let latestFound = [];
  function showOptions(found) {
    latestFound = found;
    options.replaceChildren();
    options.hidden = !filter.value.trim();
    found.forEach((organisation, index) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `${textarea.id}-option-${index}`;
      box.checked = chosen().some((each) => each.toLocaleLowerCase() === organisation.name.toLocaleLowerCase());
      box.addEventListener("change", () => {
        const others = chosen().filter((each) => each.toLocaleLowerCase() !== organisation.name.toLocaleLowerCase());
        choose(box.checked ? [...others, organisation.name] : others);
      });
      const boxLabel = document.createElement("label");
      boxLabel.htmlFor = box.id;
      boxLabel.append(box, ` ${organisation.name}`);
      options.append(boxLabel);
    });
    count.textContent = filter.value.trim()
      ? format(text.count, { shown: found.length, total: found.length })
      : text.filterLabel;
  }

  let timer = null;
  let latest = 0;
  function ask() {
    const typed = filter.value.trim();
    const request = ++latest;
    if (typed.length < 2) {
      showOptions([]);
      return;
    }
    const query = new URLSearchParams({ name: typed });
    fetch(`${textarea.dataset.organisationSuggest}?${query}`, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((found) => {
        if (request === latest) showOptions(found);
      })
      .catch(() => {});
  }
  filter.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      const first = options.querySelector("input");
      if (first) first.focus();
    }
  });
  showChips();
  showOptions([]);
}

function setUpFormset(section, onChange) {
  const prefix = section.dataset.formset;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const rows = section.querySelector("[data-rows]");
  const template = section.querySelector("template[data-empty-row]");
  const add = section.querySelector("[data-add-row]");
  const max = Number(section.dataset.maxRows);
  if (!total || !rows || !template) return;
  const text = section.dataset;

  function present() {
    return [...rows.querySelectorAll("[data-row]")].filter((row) => !row.dataset.removed);
  }

  function renumber() {
    present().forEach((row, index) => {
      row.querySelector("[data-row-number]").textContent = index + 1;
    });
    if (add) add.hidden = present().length >= max;
  }

  function addRemoveButton(row) {
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button-secondary";
    remove.textContent = text.remove;
    const legend = row.querySelector("legend");
    remove.setAttribute("aria-label", `${text.remove}: ${legend.textContent.trim()}`);
    const deleteBox = row.querySelector("input[name$='-DELETE']");
    if (deleteBox) deleteBox.closest(".row-delete").hidden = true;
    remove.addEventListener("click", () => {
      if (!deleteBox) {
        // A new row: taken out; the rows after it keep their numbers in the form's data.
        const next = row.nextElementSibling || add;
        row.remove();
        renumber();
        onChange();
        if (next) next.querySelector?.("input, select, textarea, button")?.focus?.();
        return;
      }
      deleteBox.checked = true;
      row.dataset.removed = "true";
      for (const child of row.children) if (child.tagName !== "LEGEND") child.hidden = true;
      const note = document.createElement("p");
      note.className = "row-removed";
      const undo = document.createElement("button");
      undo.type = "button";
      undo.className = "link-button";
      undo.textContent = text.undo;
      undo.addEventListener("click", () => {
        deleteBox.checked = false;
        delete row.dataset.removed;
        note.remove();
        for (const child of row.children) if (!child.classList.contains("row-delete")) child.hidden = false;
        renumber();
        onChange();
        remove.focus();
      });
      note.append(`${text.removed} `, undo);
      row.append(note);
      renumber();
      onChange();
      undo.focus();
    });
    row.append(remove);
  }

  for (const row of rows.querySelectorAll("[data-row]")) addRemoveButton(row);

  if (add) {
    add.addEventListener("click", (event) => {
      event.preventDefault();
      if (present().length >= max) return;
      const index = Number(total.value);
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(present().length + 1));
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const row = holder.querySelector("[data-row]");
      rows.append(row);
      total.value = String(index + 1);
      addRemoveButton(row);
      renumber();
      onChange();
      row.querySelector("input, select, textarea").focus();
    });
  }
  renumber();
}

function setUpOrganisationSuggestions(onChange) {
  const input = document.getElementById("id_lead_organisation");
  const proposed = document.getElementById("id_new_organisation_name");
  for (const button of document.querySelectorAll("button[name='use_organisation']")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      input.value = button.value;
      if (proposed) proposed.value = "";
      button.closest(".organisation-suggestions").remove();
      onChange();
      input.focus();
    });
  }
}

function setUpAutosave(form) {
  const status = form.querySelector("[data-autosave-status]");
  if (!status) return () => {};
  const text = status.dataset;
  const PAUSE_MS = 2000;
  let timer = null;
  let version = 0; // changes made so far
  let savedVersion = 0; // the changes the last successful save holds
  let inFlight = null;
  let again = false; // a save was asked for while one was on its way
  let leaving = false;
  let lastSection = null;

  function dirty() {
    return version !== savedVersion;
  }

  function say(message, failed) {
    status.textContent = message;
    status.classList.toggle("failed", Boolean(failed));
    // For tests and styles: "saved" only when every change so far is saved.
    status.dataset.state = failed ? "failed" : dirty() ? "dirty" : "saved";
  }

  function refused(answer) {
    const errors = (answer && answer.errors) || [];
    if (!errors.length) return format(text.notSaved, { reason: text.offline });
    if (errors.length === 1 || errors[0].field === null) {
      return format(text.notSaved, { reason: errors[0].message });
    }
    return format(text.fix, { count: errors.length, first: errors[0].message });
  }

  function save() {
    clearTimeout(timer);
    if (!dirty() || leaving) return;
    if (inFlight) {
      again = true;
      return;
    }
    const sending = version;
    say(text.saving);
    const body = new FormData(form);
    inFlight = fetch(form.action || window.location.href, {
      method: "POST",
      body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((response) =>
        response
          .json()
          .catch(() => null)
          .then((answer) => ({ response, answer }))
      )
      .then(({ response, answer }) => {
        if (response.ok && answer && answer.saved) {
          savedVersion = sending;
          const time = new Date(answer.saved_at).toLocaleTimeString(document.documentElement.lang || [], {
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          });
          say(format(text.savedAt, { time }));
          if (answer.edit_url && form.getAttribute("action") !== answer.edit_url) {
            form.setAttribute("action", answer.edit_url);
            window.history.replaceState(null, "", answer.edit_url);
          }
        } else {
          say(refused(answer), true);
        }
      })
      .catch(() => say(format(text.notSaved, { reason: text.offline }), true))
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          save();
        }
      });
  }

  function changed() {
    version += 1;
    status.dataset.state = "dirty";
    clearTimeout(timer);
    timer = setTimeout(save, PAUSE_MS);
  }

  // Only the form's own fields count: a picker's filter box and boxes have no name (the
  // picker reports its changes itself).
  form.addEventListener("input", (event) => {
    if (event.target.name) changed();
  });
  form.addEventListener("change", (event) => {
    // A text box's change follows its input events; count choices (boxes, selects) here.
    if (event.target.name && event.target.matches("input[type=checkbox], input[type=radio], select")) changed();
  });
  form.addEventListener("focusin", (event) => {
    const section = event.target.closest(".form-section");
    if (section && lastSection && section !== lastSection && dirty()) save();
    if (section) lastSection = section;
  });
  form.addEventListener("submit", () => {
    leaving = true; // the form's own button saves; no warning, no autosave racing it
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", (event) => {
    if (!leaving && (dirty() || inFlight)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  return changed;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.submission-form");
  if (!form) return;
  setUpSections(form);
  setUpToolSection(form);
  const changed = setUpAutosave(form);
  for (const picker of form.querySelectorAll("[data-picker]")) setUpPicker(picker, changed);
  for (const section of form.querySelectorAll("[data-formset]")) setUpFormset(section, changed);
  setUpOrganisationSuggestions(changed);
});
