// The scoring page: autosave (a closed tab loses nothing), and a keyboard path through the
// queue: 1–9 go to a score, ↑/↓ step it, Tab moves on, Ctrl+Enter submits and opens the next
// entry (where the first empty score is ready for typing), Esc leaves a field, then N / P.
// The page works without it: the form posts normally.
"use strict";

(function () {
  var form = document.getElementById("score-form");
  if (!form) return;
  var statusLine = form.querySelector("[data-autosave-status]");
  var scoreInputs = Array.prototype.slice.call(form.querySelectorAll("[data-criterion]"));
  var dirty = false;
  var saving = null;
  var timer = null;
  // Set when an entry was submitted from the keyboard: the next page starts where the hands are.
  var KEYBOARD_FLAG = "hcda-score-keyboard";

  function say(text, submitted) {
    if (!statusLine) return;
    statusLine.textContent = text;
    statusLine.classList.toggle("score-status--submitted", !!submitted);
  }

  function csrf() { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }

  function fields() {
    var data = new FormData(form);
    data.delete("submit");
    data.delete("save");
    return data;
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-live-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll("input[aria-invalid][data-live]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-live");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== el.id + "-live-error";
      });
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    var first = null;
    Object.keys(errors || {}).forEach(function (key) {
      var input = key === "__all__" ? null : form.querySelector("[name='score-" + key + "']");
      var box = document.createElement(key === "__all__" ? "div" : "p");
      box.className = key === "__all__" ? "form-errors" : "field__errors";
      box.setAttribute("data-live-error", "");
      box.setAttribute("role", "alert");
      box.textContent = errors[key];
      if (input) {
        box.id = input.id + "-live-error";
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-live", "");
        input.setAttribute("aria-describedby", (box.id + " " + (input.getAttribute("aria-describedby") || "")).trim());
        (input.closest(".criterion__input") || input).insertAdjacentElement("afterend", box);
        first = first || input;
      } else {
        // Just above the submit button, where the eye is after pressing it.
        var actions = form.querySelector(".score-actions") || statusLine;
        if (actions) actions.insertAdjacentElement("beforebegin", box);
      }
    });
    return first;
  }

  function save(submit) {
    if (saving) return saving.then(function () { return save(submit); });
    if (!dirty && !submit) return Promise.resolve({ ok: true, data: {} });
    dirty = false;
    var data = fields();
    if (submit) data.append("submit", "1");
    say(form.dataset.saving);
    saving = fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, status: response.status, data: body }; });
      })
      .then(function (result) {
        if (result.data.error) {
          say(result.data.error);
        } else {
          say(form.dataset.saved + " " + result.data.saved_at + " · " + result.data.status_label,
              result.data.status === "submitted");
          result.firstInvalid = showErrors(result.data.errors);
        }
        return result;
      })
      .catch(function () {
        dirty = true;
        say(form.dataset.offline);
        schedule(5000);
        return { ok: false, data: {} };
      })
      .finally(function () { saving = null; });
    return saving;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, delay);
  }

  form.addEventListener("input", function () { dirty = true; schedule(800); });
  form.addEventListener("change", function () { dirty = true; schedule(200); });
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) navigator.sendBeacon(form.dataset.autosave, fields());
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(false);
  });

  var nextLink = document.querySelector("[data-nav=next]");
  var previousLink = document.querySelector("[data-nav=previous]");

  function go(link) {
    if (!link) return;
    save(false).then(function () { window.location.href = link.href; });
  }

  function submitAndNext(fromKeyboard) {
    clearTimeout(timer);
    save(true).then(function (result) {
      if (result.ok && result.data.status === "submitted") {
        try {
          if (fromKeyboard) sessionStorage.setItem(KEYBOARD_FLAG, "1");
        } catch (e) { /* private mode: the next page simply starts unfocused */ }
        if (nextLink) window.location.href = nextLink.href;
        else window.location.reload();
      } else if (result.firstInvalid) {
        result.firstInvalid.focus();
        result.firstInvalid.select();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "submit") {
      event.preventDefault();
      // Enter in a score field submits the form through its first button, like a click.
      var active = document.activeElement;
      submitAndNext(active !== submitter && !!active && active.matches("input, textarea"));
    }
  });

  // ↑ / ↓ step a score along the round's scale (the fields are text, so that "7,5" works).
  function decimals(text) { return (String(text).split(".")[1] || "").length; }

  function step(input, direction) {
    var min = parseFloat(input.dataset.min), max = parseFloat(input.dataset.max);
    var stepSize = parseFloat(input.dataset.step) || 1;
    var places = Math.max(decimals(input.dataset.step), decimals(input.dataset.min));
    var current = parseFloat(String(input.value).replace(",", "."));
    var value;
    if (isNaN(current)) value = direction > 0 ? min : max;
    else value = min + Math.round((current - min) / stepSize + direction) * stepSize;
    value = Math.min(max, Math.max(min, value));
    input.value = String(parseFloat(value.toFixed(places)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  scoreInputs.forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        step(input, event.key === "ArrowUp" ? 1 : -1);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      submitAndNext(true);
      return;
    }
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing && event.key === "Escape") { target.blur(); return; }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "n" || event.key === "N") { event.preventDefault(); go(nextLink); }
    else if (event.key === "p" || event.key === "P") { event.preventDefault(); go(previousLink); }
    else if (/^[1-9]$/.test(event.key)) {
      var input = scoreInputs[Number(event.key) - 1];
      if (input) { event.preventDefault(); input.focus(); input.select(); }
    }
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (!window.confirm(f.dataset.confirm)) event.preventDefault();
    });
  });

  var cameByKeyboard = false;
  try {
    cameByKeyboard = sessionStorage.getItem(KEYBOARD_FLAG) === "1";
    sessionStorage.removeItem(KEYBOARD_FLAG);
  } catch (e) { /* no storage: nothing to resume */ }
  if (cameByKeyboard) {
    var empty = scoreInputs.filter(function (input) { return !input.value; })[0];
    if (empty) empty.focus({ preventScroll: true });
  }
})();
