// Selaa: filter the plain listing by several facets at once. Without this script the
// page is a complete listing; with it, checkboxes filter the list, counts update, and
// the filtered view is kept in the URL (?teema=x&alue=y) so it can be shared.
(function () {
  "use strict";
  var form = document.getElementById("hk-browse");
  var list = document.getElementById("hk-browse-list");
  var status = document.getElementById("hk-browse-status");
  if (!form || !list || !status) return;
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));

  function valuesOf(item, key) {
    var raw = item.getAttribute("data-" + key);
    return raw ? raw.split(" ") : [];
  }

  function selected() {
    var chosen = {};
    boxes.forEach(function (box) {
      if (box.checked) (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    return chosen;
  }

  // An item matches when, for every facet with a choice, it has at least one chosen value.
  function matches(item, chosen, skipKey) {
    return Object.keys(chosen).every(function (key) {
      if (key === skipKey) return true;
      var have = valuesOf(item, key);
      return chosen[key].some(function (v) { return have.indexOf(v) !== -1; });
    });
  }

  function update(pushUrl) {
    var chosen = selected();
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(item, chosen, null);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    // Each option's count: how many items it would show, given the other facets' choices.
    boxes.forEach(function (box) {
      var n = items.filter(function (item) {
        return matches(item, chosen, box.name) && valuesOf(item, box.name).indexOf(box.value) !== -1;
      }).length;
      var label = form.querySelector('[data-count-for="' + box.name + "=" + box.value + '"]');
      if (label) label.textContent = "(" + n + ")";
    });
    status.textContent = shown === 1 ? "1 kuvaus" : shown + " kuvausta";
    if (pushUrl) {
      var params = new URLSearchParams();
      Object.keys(chosen).sort().forEach(function (key) {
        chosen[key].forEach(function (v) { params.append(key, v); });
      });
      var query = params.toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    }
  }

  var params = new URLSearchParams(location.search);
  boxes.forEach(function (box) {
    if (params.getAll(box.name).indexOf(box.value) !== -1) {
      box.checked = true;
      var group = box.closest("details");
      if (group) group.open = true;
    }
  });
  form.hidden = false;
  form.addEventListener("change", function () { update(true); });
  document.getElementById("hk-browse-clear").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = false; });
    update(true);
  });
  update(false);
})();
