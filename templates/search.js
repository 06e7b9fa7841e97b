/* digest search: loads search.json once and filters it as you type. No dependencies. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var input = document.getElementById("q");
  var select = document.getElementById("company");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var base = root.getAttribute("data-base") || "/";
  var data = null;
  var MAX = 50;

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function prepare(index) {
    index.items.forEach(function (item) {
      var names = item[4].map(function (c) { return index.companies[c]; })
        .concat(item[5].map(function (t) { return index.terms[t]; }));
      item.title = fold(item[0]);
      item.text = fold(item[0] + " " + item[1] + " " + names.join(" "));
    });
    index.companies
      .map(function (name, i) { return [name, i]; })
      .sort(function (a, b) { return a[0].localeCompare(b[0]); })
      .forEach(function (pair) {
        var option = document.createElement("option");
        option.value = String(pair[1]);
        option.textContent = pair[0];
        select.appendChild(option);
      });
    return index;
  }

  function search() {
    if (!data) return;
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var company = select.value === "" ? -1 : Number(select.value);
    var hits = [];
    if (words.length || company >= 0) {
      data.items.forEach(function (item) {
        if (company >= 0 && item[4].indexOf(company) < 0) return;
        var score = 0;
        for (var i = 0; i < words.length; i++) {
          if (item.text.indexOf(words[i]) < 0) return;
          if (item.title.indexOf(words[i]) >= 0) score += 2; else score += 1;
        }
        hits.push([score, item]);
      });
    }
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1][3] < b[1][3] ? 1 : -1); });
    show(hits.slice(0, MAX).map(function (h) { return h[1]; }), hits.length, words.length || company >= 0);
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (select.value) params.set("company", select.options[select.selectedIndex].text);
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
  }

  function show(items, total, asked) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + item[2];
      link.textContent = item[0];
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = item[3] + (item[4].length ? " \u00b7 " + item[4].map(function (c) { return data.companies[c]; }).join(", ") : "");
      var summary = document.createElement("p");
      summary.textContent = item[1];
      li.appendChild(link);
      li.appendChild(meta);
      li.appendChild(summary);
      list.appendChild(li);
    });
    status.textContent = !asked ? data.items.length + " articles to search."
      : total === 0 ? "No articles match."
      : total + (total === 1 ? " article" : " articles") + (total > MAX ? ", showing the best " + MAX : "") + ".";
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    var company = params.get("company");
    if (company) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].text === company) select.selectedIndex = i;
      }
    }
  }

  status.textContent = "Loading the index\u2026";
  fetch(root.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (index) {
      data = prepare(index);
      restore();
      search();
    })
    .catch(function () { status.textContent = "The search index could not be loaded."; });
  input.addEventListener("input", search);
  select.addEventListener("change", search);
  root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); search(); });
})();
