/*
 * Practice taps without a page load ("Thực hành"): a tap still posts the same form, which the
 * server judges and answers with a redirect to the next screen, but in the background; the
 * practice section of the answer then replaces this one. Any trouble (an old browser, an error
 * page, no network) falls back to the plain form post, which is safe to repeat: the run's state
 * travels in the form, and its key makes a finished run count once. Loaded with <script src defer>
 * on the practice page only; ES5 on purpose (old phones' browsers).
 */
(function () {
  if (!window.fetch || !window.FormData || !window.DOMParser || !window.history.pushState) return;
  var shown = location.pathname + location.search;
  var tapped = null; // for browsers without SubmitEvent.submitter
  var busy = false;

  function choiceButtons(form) {
    return form.querySelectorAll("button[name]");
  }
  function setBusy(form, value) {
    busy = value;
    var buttons = choiceButtons(form);
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = value;
  }

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest(".sim-choices button[name]");
      if (button) tapped = button;
    },
    true
  );

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var section = document.querySelector(".practice");
    if (!form.classList || !form.classList.contains("sim-choices") || !section) return;
    event.preventDefault();
    if (busy) return;
    var choice = event.submitter || tapped;
    var body = new FormData(form);
    if (choice && choice.name) body.append(choice.name, choice.value);
    setBusy(form, true);

    function read(response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text().then(function (html) {
        return { url: response.url, html: html };
      });
    }
    function show(answer) {
      var page = new DOMParser().parseFromString(answer.html, "text/html");
      var fresh = page.querySelector(".practice");
      if (!fresh) throw new Error("not a practice page");
      section.parentNode.replaceChild(document.importNode(fresh, true), section);
      document.title = page.title;
      history.pushState(null, "", answer.url);
      shown = location.pathname + location.search;
      busy = false;
      // As after a page load: the new screen from its top.
      window.scrollTo(0, 0);
    }
    function postPlainly() {
      setBusy(form, false);
      if (choice && choice.name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = choice.name;
        input.value = choice.value;
        form.appendChild(input);
      }
      HTMLFormElement.prototype.submit.call(form);
    }

    var tap = fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(read)
      .then(show);
    tap["catch"](postPlainly);
  });

  // Back and forward move between screens this script drew: load the one asked for.
  window.addEventListener("popstate", function () {
    if (location.pathname + location.search !== shown) location.reload();
  });
})();
