"use strict";
// The lease add form: picking a unit fills an empty "monthly rent" with the unit's listed
// rent. The unit field is a select2 autocomplete, which announces its change through jQuery
// (django.jQuery), not as a DOM event; the rent comes from a small JSON endpoint whose URL the
// field carries in data-rent-url. A rent typed by hand is never overwritten.
(function () {
  function setUp() {
    const unit = document.getElementById("id_unit");
    const rent = document.getElementById("id_monthly_rent");
    if (!unit || !rent || !unit.dataset.rentUrl) {
      return;
    }
    let filled = null; // the last rent this script put in, so another unit may replace it

    function fill() {
      const current = rent.value.trim();
      if (!unit.value || (current !== "" && current !== filled)) {
        return;
      }
      const url = new URL(unit.dataset.rentUrl, window.location.href);
      url.searchParams.set("unit", unit.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          const now = rent.value.trim();
          if (!data || (now !== "" && now !== filled)) {
            return;
          }
          rent.value = data.monthly_rent || "";
          filled = rent.value;
          rent.dispatchEvent(new Event("input", { bubbles: true }));
          rent.dispatchEvent(new Event("change", { bubbles: true }));
        })
        .catch(() => {});
    }

    if (window.django && window.django.jQuery) {
      window.django.jQuery(unit).on("change", fill);
    } else {
      unit.addEventListener("change", fill);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
