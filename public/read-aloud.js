/*
 * "Đọc to bài này": reads a lesson aloud with the browser's speech synthesis in Vietnamese,
 * sentence by sentence, highlighting the sentence being read and scrolling to it; pause and
 * resume, slower, stop. Where the phone lists voices but none is Vietnamese, it says how to add
 * one instead of reading in a foreign voice. Loaded with <script src defer> on plain-HTML lesson
 * pages; ES5 on purpose (old phones' browsers). Without it, the controls stay hidden.
 */
(function () {
  var box = document.querySelector("[data-read-aloud]");
  if (!box || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") return;
  var syn = window.speechSynthesis;
  var target = document.getElementById(box.getAttribute("data-target"));
  var play = box.querySelector("[data-role=play]");
  var slower = box.querySelector("[data-role=slower]");
  var stopButton = box.querySelector("[data-role=stop]");
  var help = box.querySelector("[data-role=help]");
  if (!target || !play) return;

  var BLOCKS = "h2,h3,h4,p,li,dt,dd,figcaption,th,td";
  var queue = null;
  var index = 0;
  var state = "idle"; // idle | playing | paused
  var token = 0; // ends of cancelled utterances are ignored
  var slow = false;
  var current = null;

  function vietnameseVoice() {
    var voices = syn.getVoices();
    for (var i = 0; i < voices.length; i++) if (/^vi([-_]|$)/i.test(voices[i].lang)) return voices[i];
    return null;
  }
  function noVietnamese() {
    return syn.getVoices().length > 0 && !vietnameseVoice();
  }

  /** The leaf blocks of the lesson, each split into sentences with their character offsets. */
  function sentences() {
    var list = [];
    var all = target.querySelectorAll(BLOCKS);
    for (var i = 0; i < all.length; i++) {
      var block = all[i];
      // The labels drawn on a picture are not read: its caption says what it shows.
      if (
        block.querySelector(BLOCKS) ||
        block.closest(".section-next") ||
        block.closest("[data-read-aloud=skip]")
      )
        continue;
      var text = block.textContent || "";
      var re = /[^.!?…]+[.!?…]*["”)]?\s*/g;
      var m;
      while ((m = re.exec(text))) {
        var raw = m[0];
        var start = m.index + (raw.length - raw.replace(/^\s+/, "").length);
        var trimmed = raw.replace(/^\s+|\s+$/g, "");
        if (trimmed) list.push({ block: block, start: start, end: start + trimmed.length, text: trimmed });
        if (m[0] === "") re.lastIndex++;
      }
    }
    return list;
  }

  function rangeOf(item) {
    if (!document.createRange) return null;
    var walker = document.createTreeWalker(item.block, NodeFilter.SHOW_TEXT, null);
    var range = document.createRange();
    var seen = 0;
    var started = false;
    var node;
    while ((node = walker.nextNode())) {
      var length = node.nodeValue.length;
      if (!started && item.start <= seen + length) {
        range.setStart(node, item.start - seen);
        started = true;
      }
      if (started && item.end <= seen + length) {
        range.setEnd(node, item.end - seen);
        return range;
      }
      seen += length;
    }
    return null;
  }

  function clearHighlight() {
    if (current) current.classList.remove("is-reading");
    current = null;
    if (window.CSS && CSS.highlights) CSS.highlights["delete"]("read-aloud");
  }

  function highlight(item) {
    clearHighlight();
    current = item.block;
    current.classList.add("is-reading");
    var range = window.CSS && CSS.highlights && typeof window.Highlight === "function" ? rangeOf(item) : null;
    if (range) CSS.highlights.set("read-aloud", new window.Highlight(range));
    var rect = current.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > (window.innerHeight || document.documentElement.clientHeight)) {
      current.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }

  function label() {
    play.textContent = state === "playing" ? "Tạm dừng" : state === "paused" ? "Đọc tiếp" : "Đọc to bài này";
    slower.textContent = slow ? "Đọc nhanh hơn" : "Đọc chậm hơn";
    slower.hidden = state === "idle";
    stopButton.hidden = state === "idle";
  }

  function speak() {
    if (!queue || index >= queue.length) {
      stop();
      return;
    }
    var mine = ++token;
    var item = queue[index];
    var u = new SpeechSynthesisUtterance(item.text);
    u.lang = "vi-VN";
    var voice = vietnameseVoice();
    if (voice) u.voice = voice;
    u.rate = slow ? 0.65 : 0.9;
    u.onend = function () {
      if (mine !== token || state !== "playing") return;
      index++;
      speak();
    };
    highlight(item);
    syn.speak(u);
  }

  function stop() {
    token++;
    syn.cancel();
    state = "idle";
    index = 0;
    queue = null;
    clearHighlight();
    label();
  }

  play.addEventListener("click", function () {
    if (state === "idle" && noVietnamese()) {
      help.hidden = false;
      help.focus();
      return;
    }
    if (state === "playing") {
      token++;
      syn.cancel();
      state = "paused";
    } else {
      if (!queue) {
        queue = sentences();
        index = 0;
      }
      syn.cancel();
      state = "playing";
      speak();
    }
    label();
  });
  slower.addEventListener("click", function () {
    slow = !slow;
    if (state === "playing") {
      token++;
      syn.cancel();
      speak();
    }
    label();
  });
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", function () {
    syn.cancel();
  });
  box.hidden = false;
  label();
})();
