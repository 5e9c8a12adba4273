// While a form is being sent its button is disabled and says so: a slow save is never sent
// twice. Plain forms and htmx-submitted ones alike; autosaves (not a submit) are left alone.
(function () {
  function busy(button) {
    if (!button || button.disabled) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.dataset.busy = "1";
  }
  function free(button) {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    delete button.dataset.busy;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post" || !button) return;
    // After this tick, so the button's own name and value still go with the form.
    setTimeout(function () { busy(button); }, 0);
    setTimeout(function () { free(button); }, 20000);  // a download or an error page
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (trigger && trigger.type === "submit" && trigger.submitter) busy(trigger.submitter);
  });
  document.addEventListener("htmx:afterRequest", function () {
    document.querySelectorAll("[data-busy]").forEach(free);
  });
  window.addEventListener("pageshow", function () {  // back to a page left while sending
    document.querySelectorAll("[data-busy]").forEach(free);
  });

  // An evidence form shows only the inputs of the chosen kind (without JavaScript: all).
  function switchKinds(root) {
    (root || document).querySelectorAll("form[data-kind-switch]").forEach(function (form) {
      var select = form.querySelector("select[name=kind]");
      if (!select) return;
      var show = function () {
        form.querySelectorAll("[data-kind]").forEach(function (part) {
          part.hidden = part.dataset.kind !== select.value;
        });
      };
      select.addEventListener("change", show);
      show();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { switchKinds(); });
  document.addEventListener("htmx:load", function (event) { switchKinds(event.target); });
})();
