// Progressive enhancement only: every page reads fine without this file.
"use strict";

(function () {
  // Countdowns: the server renders the deadline with its zone; this adds the ticking clock
  // and the same moment in the visitor's own time zone (for creators abroad).
  function pad(n) { return String(n).padStart(2, "0"); }

  function startCountdown(el) {
    var target = Date.parse(el.dataset.countdown);
    if (isNaN(target)) return;
    var cells = {};
    el.querySelectorAll("[data-unit]").forEach(function (cell) { cells[cell.dataset.unit] = cell; });
    var timer = null;
    function tick() {
      var left = Math.max(0, target - Date.now());
      var s = Math.floor(left / 1000);
      cells.days.textContent = Math.floor(s / 86400);
      cells.hours.textContent = pad(Math.floor((s % 86400) / 3600));
      cells.minutes.textContent = pad(Math.floor((s % 3600) / 60));
      cells.seconds.textContent = pad(s % 60);
      if (left === 0) {
        if (timer) clearInterval(timer);
        var done = document.createElement("p");
        done.className = "countdown__done";
        done.setAttribute("role", "status");
        done.textContent = el.dataset.doneText;
        el.querySelector(".countdown__clock").replaceWith(done);
      }
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  function showLocalTime(el) {
    var when = new Date(el.dataset.localTime);
    if (isNaN(when.getTime())) return;
    var lang = document.documentElement.lang || undefined;
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (zone === "Asia/Ho_Chi_Minh" || zone === "Asia/Saigon" || zone === "Asia/Bangkok") return;
    // dateStyle/timeStyle cannot be combined with timeZoneName: spell the fields out.
    var text = new Intl.DateTimeFormat(lang, {
      year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    }).format(when);
    el.textContent = el.dataset.localPrefix + ": " + text;
    el.hidden = false;
  }

  // The phone menu: a disclosure button. Escape closes it and gives focus back to the button.
  function initMenu(toggle) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    function set(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
    toggle.addEventListener("click", function () {
      set(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      var inside = menu.contains(document.activeElement) || document.activeElement === toggle;
      set(false);
      if (inside) toggle.focus();
    });
  }

  function init() {
    document.querySelectorAll("[data-menu-toggle]").forEach(initMenu);
    document.querySelectorAll("[data-countdown]").forEach(startCountdown);
    document.querySelectorAll("[data-local-time]").forEach(showLocalTime);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
