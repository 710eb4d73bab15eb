// The scoring page: autosave (a closed tab loses nothing), submit with the keyboard, and
// N / P to move through the queue. The page works without it: the form posts normally.
"use strict";

(function () {
  var form = document.getElementById("score-form");
  if (!form) return;
  var statusLine = form.querySelector("[data-autosave-status]");
  var dirty = false;
  var saving = null;
  var timer = null;

  function say(text) { if (statusLine) statusLine.textContent = text; }

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
    });
    Object.keys(errors || {}).forEach(function (key) {
      var input = key === "__all__" ? null : form.querySelector("[name='score-" + key + "']");
      var box = document.createElement("p");
      box.className = key === "__all__" ? "form-errors" : "field__errors";
      box.setAttribute("data-live-error", "");
      box.setAttribute("role", "alert");
      box.textContent = errors[key];
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-live", "");
        input.insertAdjacentElement("afterend", box);
      } else {
        statusLine.insertAdjacentElement("beforebegin", box);
      }
    });
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
          say(form.dataset.saved + " " + result.data.saved_at + " · " + result.data.status_label);
          showErrors(result.data.errors);
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

  function submitAndNext() {
    clearTimeout(timer);
    save(true).then(function (result) {
      if (result.ok && result.data.status === "submitted") {
        if (nextLink) window.location.href = nextLink.href;
        else window.location.reload();
      }
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "submit") {
      event.preventDefault();
      submitAndNext();
    }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      submitAndNext();
      return;
    }
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "n" || event.key === "N") { event.preventDefault(); go(nextLink); }
    else if (event.key === "p" || event.key === "P") { event.preventDefault(); go(previousLink); }
    else if (/^[1-9]$/.test(event.key)) {
      var input = form.querySelector("[data-criterion='" + event.key + "']");
      if (input) { event.preventDefault(); input.focus(); input.select(); }
    }
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (!window.confirm(f.dataset.confirm)) event.preventDefault();
    });
  });
})();
