// The entry page: autosave, direct-to-storage uploads with progress and retry, small helpers.
// The page works without it (Save button, no uploads); with it, nothing typed is lost and
// files go straight to the bucket, three at a time.
"use strict";

(function () {
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function postForm(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    });
  }

  function replaceStatus(html) {
    var current = document.getElementById("entry-status");
    if (!current || !html) return;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    current.replaceWith(fresh);
    bindConfirm(fresh);
    bindSubmit(fresh);
  }

  // Autosave ------------------------------------------------------------------------------
  var form = document.getElementById("entry-form");
  var dirty = false;
  var saving = null;
  var timer = null;
  var statusLine = document.querySelector("[data-autosave-status]");

  function say(text) { if (statusLine) statusLine.textContent = text; }

  function save() {
    if (!form || !form.dataset.autosave) return Promise.resolve();
    if (saving) return saving.then(save);
    if (!dirty) return Promise.resolve();
    dirty = false;
    say(form.dataset.saving);
    saving = postForm(form.dataset.autosave, new FormData(form))
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        clearErrors();
        if (result.ok) {
          say(form.dataset.saved + " " + result.data.saved_at);
          showTitle(result.data.title);
          replaceStatus(result.data.status_html);
          showErrors(result.data.errors || {});
        } else {
          say(result.data.error || "");
        }
      })
      .catch(function () {
        dirty = true; // keep it: retry on the next change or in a few seconds
        say(form.dataset.offline);
        schedule(5000);
      })
      .finally(function () { saving = null; });
    return saving;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function clearErrors() {
    form.querySelectorAll(".field__errors[data-live]").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid][data-live-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-live-invalid");
    });
  }

  function showErrors(errors) {
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-live-invalid", "");
      var box = document.createElement("div");
      box.className = "field__errors";
      box.setAttribute("data-live", "");
      box.textContent = errors[name].join(" ");
      input.insertAdjacentElement("afterend", box);
    });
  }

  // The heading follows the saved title ("Untitled entry" until there is one).
  function showTitle(title) {
    var heading = document.querySelector("[data-entry-title]");
    if (!heading || !title || heading.textContent === title) return;
    heading.textContent = title;
    var rest = document.title.indexOf(" · ");
    document.title = title + (rest >= 0 ? document.title.slice(rest) : "");
  }

  // Each language panel says how many of its texts are written.
  function countTexts() {
    document.querySelectorAll("[data-lang-panel]").forEach(function (panel) {
      var boxes = panel.querySelectorAll("input, textarea");
      var filled = Array.prototype.filter.call(boxes, function (box) { return box.value.trim() !== ""; }).length;
      var total = Number(panel.dataset.total) || boxes.length;
      var state = panel.querySelector("[data-lang-state]");
      if (!state) return;
      state.textContent = filled >= total ? panel.dataset.doneText : filled + "/" + total;
      state.classList.toggle("lang-panel__state--done", filled >= total);
    });
  }

  // A link to a part of the page that sits in a closed panel opens the panel.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var closed = target && (target.tagName === "DETAILS" ? target : target.closest("details:not([open])"));
    if (closed) closed.open = true;
  });

  if (form) form.addEventListener("input", countTexts);

  if (form && form.dataset.autosave) {
    form.addEventListener("input", function () { dirty = true; schedule(1200); });
    form.addEventListener("change", function () { dirty = true; schedule(300); });
    // Leaving the page: send what is left, even as the tab closes.
    window.addEventListener("pagehide", function () {
      if (dirty && navigator.sendBeacon) {
        var data = new FormData(form);
        navigator.sendBeacon(form.dataset.autosave, data);
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save();
    });
  }

  // Credits: add a row.
  var addCredit = document.querySelector("[data-add-credit]");
  if (addCredit) {
    addCredit.hidden = false;
    addCredit.addEventListener("click", function () {
      var rows = document.querySelectorAll(".credit-row");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var n = rows.length + 1;
      copy.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.id = input.id.replace(/\d+$/, n);
      });
      copy.querySelectorAll("label").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/\d+$/, n);
      });
      last.after(copy);
      copy.querySelector("input").focus();
    });
  }

  // Confirmations and submit ------------------------------------------------------------
  function bindConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        if (!window.confirm(f.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function bindSubmit(root) {
    root.querySelectorAll("form[data-submit-form]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = f.querySelector("button");
        button.disabled = true; // one click, one submission (the server makes sure too)
        save().finally(function () { f.submit(); });
      });
    });
  }
  bindConfirm(document);
  bindSubmit(document);

  // Uploads -------------------------------------------------------------------------------
  var uploader = document.querySelector("[data-uploader]");
  if (!uploader) return;
  var input = document.getElementById("file-input");
  var queue = uploader.querySelector("[data-queue]");
  var text = uploader.dataset;
  var waiting = [];
  var active = 0;
  var MAX_PARALLEL = 3;
  var MAX_TRIES = 4;

  function row(file) {
    var li = document.createElement("li");
    li.className = "upload";
    li.innerHTML =
      '<span class="upload__name"></span>' +
      '<progress class="upload__bar" max="100" value="0"></progress>' +
      '<span class="upload__state"></span>';
    li.querySelector(".upload__name").textContent = file.name;
    li.querySelector(".upload__state").textContent = text.textWaiting;
    queue.appendChild(li);
    return li;
  }

  function button(label, onClick, name) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button--ghost button--small";
    element.textContent = label;
    if (name) element.setAttribute("aria-label", name);
    element.addEventListener("click", onClick);
    return element;
  }

  function setState(li, state, message, kind) {
    li.querySelector(".upload__state").textContent = message;
    li.dataset.state = state;
    if (kind) li.classList.add("upload--" + kind);
  }

  function refreshFiles() {
    return fetch(text.filesUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = uploader.parentElement.querySelector("[data-files]");
        holder.innerHTML = html;
        bindConfirm(holder);
      });
  }

  function release(target) {
    return postForm(target.release, new FormData())
      .then(function () { return refreshFiles(); })
      .catch(function () {});
  }

  function jsonOrText(response) {
    return response.text().then(function (body) {
      var data = {};
      try { data = JSON.parse(body); } catch (e) { data = { error: body }; }
      return { ok: response.ok, status: response.status, data: data };
    });
  }

  function sendToStorage(target, file, li) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      Object.keys(target.fields).forEach(function (name) { body.append(name, target.fields[name]); });
      body.append("file", file); // last: S3 ignores fields after the file
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target.url);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) li.querySelector("progress").value = Math.round((event.loaded / event.total) * 100);
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject({ status: xhr.status, message: xhr.responseText });
      };
      xhr.onerror = function () { reject({ status: 0 }); };
      xhr.send(body);
    });
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // Retries a step on network failures and 5xx (the store or the app briefly away); a 4xx is
  // an answer, shown to the creator as it is.
  function withRetry(step, li) {
    var attempt = 0;
    function run() {
      attempt += 1;
      return step().catch(function (error) {
        var transient = !error.status || error.status >= 500;
        if (transient && attempt < MAX_TRIES) {
          setState(li, "retry", text.textRetry + " (" + attempt + "/" + (MAX_TRIES - 1) + ")…");
          return wait(1000 * Math.pow(2, attempt)).then(run);
        }
        throw error;
      });
    }
    return run();
  }

  // Some browsers leave the type empty (files from cloud drives, odd extensions): guess it
  // from the name; the server decides by the content anyway.
  var TYPES = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", pdf: "application/pdf" };
  function typeOf(file) {
    if (file.type) return file.type;
    var ext = (file.name.split(".").pop() || "").toLowerCase();
    return TYPES[ext] || "";
  }

  // Images keep the order they were dropped in: each gets its place as it joins the queue,
  // before three uploads race to the server (which keeps the place it is given).
  var nextPosition = 0;
  function claimPosition(file) {
    if (typeOf(file) === TYPES.pdf) return null;
    var list = document.getElementById("file-list");
    nextPosition = Math.max(nextPosition, list ? parseInt(list.dataset.nextPosition, 10) || 1 : 1);
    return nextPosition++;
  }

  function upload(file, li, position) {
    var target;
    li.classList.remove("upload--error");
    setState(li, "uploading", text.textUploading);
    var request = { name: file.name, size: file.size, type: typeOf(file), position: position };
    return withRetry(function () {
      return postForm(text.startUrl, JSON.stringify(request))
        .then(jsonOrText)
        .then(function (result) {
          if (!result.ok) throw { status: result.status, message: result.data.error };
          target = result.data;
        });
    }, li)
      .then(function () {
        return withRetry(function () { return sendToStorage(target, file, li); }, li);
      })
      .then(function () {
        setState(li, "checking", text.textChecking);
        return withRetry(function () {
          return postForm(target.finalize, new FormData()).then(jsonOrText).then(function (result) {
            if (result.status === 422) target.release = null; // refused: the app removed it
            if (!result.ok) throw { status: result.status, message: result.data.error };
            replaceStatus(result.data.status_html);
          });
        }, li);
      })
      .then(function () {
        setState(li, "done", text.textDone, "done");
        li.querySelector("progress").value = 100;
        return refreshFiles();
      })
      .catch(function (error) {
        setState(li, "failed", text.textFailed + ": " + (error.message || ""), "error");
        li.querySelector("progress").hidden = true;
        // The reservation holds one of the category's places: give it back now (trying
        // again asks for a new one). If this report is lost, the server frees it later.
        if (target && target.release) release(target);
        var actions = document.createElement("span");
        actions.className = "upload__actions";
        if (!error.status || error.status >= 500) {
          actions.appendChild(button(text.textRetryButton, function () {
            actions.remove();
            li.querySelector("progress").hidden = false;
            enqueue(file, li, position); // its reservation was released: same place again
          }));
        }
        actions.appendChild(button(text.textDismiss, function () {
          var next = li.nextElementSibling && li.nextElementSibling.querySelector("button");
          li.remove();
          if (next) next.focus();
        }, text.textDismiss + ": " + file.name));
        li.appendChild(actions);
      });
  }

  function pump() {
    while (active < MAX_PARALLEL && waiting.length) {
      var job = waiting.shift();
      active += 1;
      upload(job.file, job.li, job.position).finally(function () {
        active -= 1;
        pump();
      });
    }
  }

  function enqueue(file, li, position) {
    waiting.push({
      file: file,
      li: li || row(file),
      position: position === undefined ? claimPosition(file) : position
    });
    pump();
  }

  // Leaving mid-upload loses the files still on their way: ask first.
  window.addEventListener("beforeunload", function (event) {
    if (active || waiting.length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  input.addEventListener("change", function () {
    Array.prototype.forEach.call(input.files, function (file) { enqueue(file); });
    input.value = "";
  });
  var zone = uploader.querySelector(".dropzone");
  zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("dropzone--over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("dropzone--over"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("dropzone--over");
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { enqueue(file); });
  });
})();
