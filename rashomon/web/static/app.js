// rashomon: small progressive enhancements. Every feature works without this file.
"use strict";

(function () {
  const dialog = document.getElementById("context-dialog");

  function text(tag, className, value) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value; // never innerHTML: article text is untrusted
    return node;
  }

  async function showContext(link) {
    const article = link.dataset.article;
    const sentence = link.dataset.sentence;
    const url = "/api/articles/" + encodeURIComponent(article) + "/context?sentence=" +
      encodeURIComponent(sentence) + "&around=2";
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error("context unavailable");
    const data = await response.json();
    const body = document.getElementById("context-body");
    body.replaceChildren();
    for (const before of data.before) { body.append(text("span", "ctx-other", before + " ")); }
    body.append(text("mark", "", data.text));
    for (const after of data.after) { body.append(" ", text("span", "ctx-other", after)); }
    document.getElementById("context-source").textContent = link.dataset.source || "";
    document.getElementById("context-link").href = link.getAttribute("href");
    dialog.returnFocusTo = link;
    dialog.showModal();
  }

  if (dialog && typeof dialog.showModal === "function") {
    document.addEventListener("click", function (event) {
      const link = event.target.closest("a.claim[data-article]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      showContext(link).catch(function () { window.location.href = link.getAttribute("href"); });
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target.closest("[data-close-dialog]")) dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (dialog.returnFocusTo) dialog.returnFocusTo.focus();
    });
  }

  // Forms that record a decision ask once before posting.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
