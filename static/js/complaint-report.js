// The report form works without this script; with it the resident gets a category suggestion,
// a map pin, photo thumbnails, similar cases nearby and a preview without leaving the page.
(function () {
  "use strict";

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function debounce(callback, wait) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(callback, wait);
    };
  }

  function setUpReportForm(form) {
    const texts = JSON.parse(document.getElementById("report-texts").textContent);
    const description = form.elements.description;
    const category = form.elements.category;
    const latitude = form.elements.latitude;
    const longitude = form.elements.longitude;
    const photoInput = form.elements.photos;
    const previewSlot = document.getElementById("report-preview-slot");
    const sendActions = document.getElementById("send-actions");
    const digest = document.getElementById("id_preview_digest");
    let chosenPhotos = [];
    let sending = false;

    // --- Preview: anything changed after it must be previewed again.
    function markStale() {
      if (sendActions.hidden) return;
      sendActions.hidden = true;
      digest.value = "";
      previewSlot.replaceChildren(element("p", "notice notice--warning", texts.previewStale));
    }
    form.addEventListener("input", markStale);
    form.addEventListener("change", markStale);

    // --- Category and its questions: only the chosen category's questions are shown and sent.
    function showQuestions() {
      form.querySelectorAll(".category-questions").forEach(function (group) {
        const chosen = group.dataset.category === category.value;
        group.hidden = !chosen;
        group.disabled = !chosen;
      });
    }
    category.addEventListener("change", function () {
      showQuestions();
      markChosenSuggestion();
      findSimilar();
    });
    showQuestions();

    // --- Triage: suggest the category from the description.
    const triageRegion = document.getElementById("triage-suggestion");
    let triageShown = "";
    let triageRequest = null;

    function categoryName(code) {
      const option = Array.from(category.options).find(function (item) { return item.value === code; });
      return option ? option.textContent : "";
    }

    function markChosenSuggestion() {
      triageRegion.querySelectorAll("button[data-category]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.category === category.value));
      });
    }

    function showSuggestion(result) {
      const codes = [result.category].concat(result.alternatives.map(function (item) { return item.category; }))
        .filter(function (code) { return categoryName(code); });
      const key = codes.join(",");
      if (!result.confidence || !codes.length) {
        triageShown = "";
        triageRegion.replaceChildren();
        return;
      }
      if (key === triageShown) return;
      triageShown = key;
      const choices = element("div", "triage__choices");
      codes.forEach(function (code) {
        const button = element("button", "button button--choice", categoryName(code));
        button.type = "button";
        button.dataset.category = code;
        button.addEventListener("click", function () {
          category.value = code;
          category.dispatchEvent(new Event("change", { bubbles: true }));
          status.textContent = format(texts.triageChosen, { name: categoryName(code) });
        });
        choices.append(button);
      });
      const status = element("p", "field__message");
      triageRegion.replaceChildren(element("p", "triage__question", texts.triageQuestion), choices, status);
      markChosenSuggestion();
    }

    const suggest = debounce(function () {
      const text = description.value.trim();
      if (text.length < 8) return;
      if (triageRequest) triageRequest.abort();
      triageRequest = new AbortController();
      fetch(form.dataset.triageUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text: text }),
        signal: triageRequest.signal,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) { if (result) showSuggestion(result); })
        .catch(function () {}); // a suggestion is a nicety; the select is always there
    }, 600);
    description.addEventListener("input", suggest);

    // --- Similar open cases nearby, once the category and the pin are known.
    const similarRegion = document.getElementById("similar-cases");
    let similarRequest = 0;

    // Only cases of published categories come back: a private case is nobody else's to follow.
    function showSimilar(cases) {
      if (!cases.length) {
        similarRegion.replaceChildren();
        return;
      }
      const list = element("ul", "similar__list");
      cases.forEach(function (found) {
        const item = element("li");
        const line = [found.number, texts.statuses[found.status] || found.status,
          format(texts.similarDistance, { distance: found.distance_m })].join(" · ");
        item.append(element("p", "similar__case", line));
        const link = element("a", "", format(texts.similarFollow, { number: found.number }));
        link.href = form.dataset.caseUrl.replace("0000-000000", encodeURIComponent(found.number));
        item.append(link);
        list.append(item);
      });
      const box = element("div", "notice notice--info");
      box.append(element("p", "similar__title", texts.similarTitle), element("p", "", texts.similarHint), list);
      similarRegion.replaceChildren(box);
    }

    function findSimilar() {
      const code = category.value;
      if (!code || !latitude.value || !longitude.value) {
        similarRegion.replaceChildren();
        return;
      }
      const request = ++similarRequest;
      const query = new URLSearchParams({ category: code, latitude: latitude.value, longitude: longitude.value });
      fetch(form.dataset.nearbyUrl + "?" + query.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (cases) { if (request === similarRequest) showSimilar(cases); })
        .catch(function () {});
    }

    // --- Map pin and "use my location".
    if (window.ComplaintMap) {
      window.ComplaintMap.pinPicker(form, texts, function (restoring) {
        findSimilar(); // or clears them, with the pin removed
        if (!restoring) markStale();
      });
    }

    // --- Photos: thumbnails, and the limits checked before anything is uploaded.
    const photoMessage = document.getElementById("photo-message");
    const thumbs = document.getElementById("photo-thumbs");
    const canRebuildFileList = (function () {
      try { return Boolean(new DataTransfer().items); } catch (error) { return false; }
    })();

    function syncPhotoInput() {
      if (!canRebuildFileList) return;
      const transfer = new DataTransfer();
      chosenPhotos.forEach(function (file) { transfer.items.add(file); });
      photoInput.files = transfer.files;
    }

    function showThumbs() {
      thumbs.querySelectorAll("img").forEach(function (image) { URL.revokeObjectURL(image.src); });
      thumbs.replaceChildren();
      chosenPhotos.forEach(function (file, index) {
        const item = element("li", "photo-thumbs__item");
        const image = element("img");
        image.src = URL.createObjectURL(file);
        image.alt = format(texts.photoAlt, { number: index + 1, name: file.name });
        item.append(image);
        if (canRebuildFileList) {
          const remove = element("button", "button button--small", "×");
          remove.type = "button";
          remove.setAttribute("aria-label", format(texts.photoRemove, { name: file.name }));
          remove.addEventListener("click", function () {
            chosenPhotos.splice(index, 1);
            syncPhotoInput();
            showThumbs();
            markStale();
          });
          item.append(remove);
        }
        thumbs.append(item);
      });
    }

    photoInput.addEventListener("change", function () {
      const problems = [];
      // Each pick adds to the photos already chosen (a phone camera gives one photo a time).
      const kept = canRebuildFileList ? chosenPhotos.slice() : [];
      Array.from(photoInput.files).forEach(function (file) {
        if (!file.type.startsWith("image/")) {
          problems.push(format(texts.photoNotImage, { name: file.name }));
        } else if (file.size > texts.maxPhotoBytes) {
          problems.push(format(texts.photoTooLarge, { name: file.name }));
        } else if (kept.length >= texts.maxPhotos) {
          if (problems.indexOf(texts.photoTooMany) < 0) problems.push(texts.photoTooMany);
        } else {
          kept.push(file);
        }
      });
      chosenPhotos = kept;
      syncPhotoInput();
      showThumbs();
      photoMessage.textContent = problems.join(" ");
    });

    // --- Errors returned by the preview, placed the way the server places them.
    function describedBy(node, id, add) {
      const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter(function (item) {
        return item && item !== id;
      });
      if (add) ids.push(id);
      if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
      else node.removeAttribute("aria-describedby");
    }

    function clearErrors() {
      form.querySelectorAll(".errorlist").forEach(function (list) {
        const owner = form.querySelector("[aria-describedby~='" + list.id + "']");
        if (owner) describedBy(owner, list.id, false);
        list.remove();
      });
      form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
      form.querySelectorAll(".field--error").forEach(function (node) { node.classList.remove("field--error"); });
      document.getElementById("error-summary").replaceChildren();
    }

    function showErrors(result) {
      clearErrors();
      result.errors.forEach(function (error) {
        const field = form.querySelector("[data-field='" + error.field + "']");
        const control = field && document.getElementById(error.id);
        if (!control) return;
        const list = element("ul", "errorlist");
        list.id = error.id + "_error";
        error.messages.forEach(function (message) { list.append(element("li", "", message)); });
        control.parentNode.insertBefore(list, control);
        field.classList.add("field--error");
        const owner = field.querySelector("fieldset") || control;
        describedBy(owner, list.id, true);
        if (owner === control) control.setAttribute("aria-invalid", "true");
      });
      const summary = document.getElementById("error-summary");
      summary.innerHTML = result.summary;
      const box = summary.querySelector(".error-summary");
      if (box) box.focus();
    }

    function showPreview(result) {
      clearErrors();
      previewSlot.innerHTML = result.html;
      digest.value = result.digest;
      sendActions.hidden = false;
      const preview = document.getElementById("report-preview");
      preview.focus();
      preview.scrollIntoView({ block: "start" });
    }

    form.addEventListener("submit", function (event) {
      const action = event.submitter ? event.submitter.value : "preview";
      if (action === "send") {
        if (sending) event.preventDefault();
        sending = true; // one report, however often the button is pressed
        return;
      }
      event.preventDefault();
      const data = new FormData(form);
      data.delete("photos"); // the preview needs only how many there are
      data.set("photo_count", String(chosenPhotos.length || photoInput.files.length));
      data.set("action", "preview");
      // form.action would name the buttons called "action"; the attribute is the address.
      fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (result) {
          if (result.ok) showPreview(result);
          else showErrors(result);
        })
        .catch(function () {
          previewSlot.replaceChildren(element("p", "notice notice--warning", texts.previewFailed));
        });
    });

    const summary = document.querySelector("#error-summary .error-summary");
    if (summary) summary.focus();
  }

  // The receipt's "copy" button.
  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      const input = document.getElementById(button.dataset.copy);
      const status = document.getElementById("copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        function copied() { status.textContent = button.dataset.copied; }
        function selectForCopying() {
          input.focus();
          input.select();
          if (document.execCommand("copy")) copied();
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(copied, selectForCopying);
        } else {
          selectForCopying();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("report-form");
    if (form) setUpReportForm(form);
    setUpCopyButtons();
  });
})();
