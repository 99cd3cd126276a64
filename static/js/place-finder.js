// The finders of the trails and car park lists: "use my location" fills the hidden near field with
// the phone's position (rounded to about 100 m, as the lists use it) and sends the form. The
// position goes nowhere else.
// Empty fields are left out of the address, so the page comes straight from the cache.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.querySelector("[data-place-finder]");
    if (!form) return;
    const button = form.querySelector("[data-locate]");
    const status = form.querySelector("[data-locate-status]");
    const near = form.elements.namedItem("near");
    const from = form.elements.namedItem("from");

    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "" && !field.disabled) field.disabled = true;
      });
    });
    if (from) {
      from.addEventListener("change", function () {
        if (from.value) near.value = "";
      });
    }
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding || "…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          near.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
          if (from) from.value = "";
          form.requestSubmit ? form.requestSubmit() : form.submit();
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  });
})();
