// A link in the menu bar to the same page in the book's other edition: the English book is
// the root of the site, its Chinese edition the folder zh-CN/ inside it.
(function () {
    const english = document.documentElement.lang !== "zh-CN";
    const root = new URL(path_to_root || "./", location.href);
    const otherRoot = new URL(english ? "zh-CN/" : "../", root);
    const page = location.href.split("#")[0].slice(root.href.length) || "index.html";
    const link = document.createElement("a");
    link.id = "language-switch";
    link.href = new URL(page, otherRoot).href;
    link.lang = english ? "zh-CN" : "en";
    link.textContent = english ? "中文" : "English";
    link.title = english ? "本书中文版" : "The English edition";
    link.style.marginInline = "0.5em";
    link.style.fontSize = "1.4rem";
    document.querySelector(".right-buttons").prepend(link);
})();
