/*
 * "In thẻ": shows the print buttons of a page ([data-print]) and opens the browser's print dialog.
 * Without JavaScript the buttons stay hidden (the browser's own menu prints the page). Loaded with
 * <script src defer>; ES5 on purpose (old phones' browsers).
 */
(function () {
  if (typeof window.print !== "function") return;
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
