// Progressive enhancement only: every form works without this file.
// Quick status forms ([data-inline-status]) are sent in the background when the select
// changes, so the page does not reload; on any failure the form is submitted normally,
// which shows the full explanation (for example what someone else changed meanwhile).
"use strict";

function statusLabel(value) {
  return value.replace("_", " ");
}

async function sendStatus(form) {
  const result = form.querySelector(".inline-result");
  const select = form.querySelector("select[name=status]");
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const body = await response.json();
    if (!response.ok || !body.ok) {
      throw new Error(body.message || "not saved");
    }
    form.querySelector("input[name=version]").value = body.version;
    select.dataset.saved = body.status;
    result.classList.remove("failed");
    result.textContent = "Saved: " + statusLabel(body.status) +
      (body.warnings.length ? " (" + body.warnings.join("; ") + ")" : "");
  } catch (error) {
    result.classList.add("failed");
    result.textContent = "Not saved: " + error.message;
    select.value = select.dataset.saved;
  } finally {
    form.removeAttribute("aria-busy");
  }
}

function enhance(form) {
  const select = form.querySelector("select[name=status]");
  const button = form.querySelector("button");
  select.dataset.saved = select.value;
  if (button) {
    button.classList.add("visually-hidden");
  }
  select.addEventListener("change", () => sendStatus(form));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendStatus(form);
  });
}

// Copy buttons ([data-copy="<input id>"]) stay hidden without this file or without the
// Clipboard API; the value itself is always selectable text in a read-only input.
function enhanceCopy(button) {
  const target = document.getElementById(button.dataset.copy);
  const result = document.querySelector(`[data-copy-result="${button.dataset.copy}"]`);
  if (!target || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (result) {
        result.classList.remove("failed");
        result.textContent = "Copied";
      }
    } catch (error) {
      target.select();
      if (result) {
        result.classList.add("failed");
        result.textContent = "Not copied: press Ctrl+C (⌘C on a Mac)";
      }
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-inline-status]").forEach(enhance);
  document.querySelectorAll("button[data-copy]").forEach(enhanceCopy);
});
