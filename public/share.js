/*
 * "Chia sẻ…": where the phone has the Web Share API, shows the share buttons of a certificate and
 * opens the phone's own share sheet (Zalo, Messenger, SMS…) with the verification link. Without it,
 * or without JavaScript, the buttons stay hidden and the plain link and message beside them remain.
 * Loaded with <script src defer>; ES5 on purpose (old phones' browsers).
 */
(function () {
  if (typeof navigator.share !== "function") return;
  var buttons = document.querySelectorAll("[data-share-url]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    button.hidden = false;
    button.addEventListener("click", function (event) {
      var b = event.currentTarget;
      var shared = navigator.share({
        title: b.getAttribute("data-share-title"),
        text: b.getAttribute("data-share-text"),
        url: b.getAttribute("data-share-url"),
      });
      shared["catch"](function () {});
    });
  }
})();
