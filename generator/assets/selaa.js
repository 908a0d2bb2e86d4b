// Selaa: filter every practice, project and collection by several facets at once.
// Without this script the page lists the first records and links to the full listings.
// With it, the records come from data/selaa.json (built with the site); checkboxes filter
// them (OR within a group, AND across groups), each option shows how many records it would
// give, results are shown a page at a time, and the filter is kept in the URL
// (?teema=x&alue=y) so it can be shared. Record text is inserted as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("hk-browse");
  var list = document.getElementById("hk-browse-list");
  var status = document.getElementById("hk-browse-status");
  var more = document.getElementById("hk-browse-more");
  var partial = document.getElementById("hk-browse-partial");
  if (!form || !list || !status || !more || !window.fetch) return;
  var pageSize = parseInt(list.getAttribute("data-page-size"), 10) || 50;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var options = {};  // facet key → [[value, label]] that a long group leaves out of the page
  var records = [];  // [href, title, kind, summary, {facetKey: [values]}]
  var matching = [];
  var limit = pageSize;

  function selected() {
    var chosen = {};
    boxes.forEach(function (box) {
      if (box.checked) (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    return chosen;
  }

  // A record matches when, for every facet with a choice, it has at least one chosen value.
  function matches(record, chosen, skipKey) {
    var values = record[4];
    return Object.keys(chosen).every(function (key) {
      if (key === skipKey) return true;
      var have = values[key] || [];
      return chosen[key].some(function (v) { return have.indexOf(v) !== -1; });
    });
  }

  function item(record) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = record[0];
    link.textContent = record[1];
    var kind = document.createElement("small");
    kind.textContent = "(" + record[2] + ")";
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(kind);
    li.appendChild(document.createTextNode(" – " + record[3]));
    return li;
  }

  function show() {
    var fragment = document.createDocumentFragment();
    matching.slice(0, limit).forEach(function (record) { fragment.appendChild(item(record)); });
    list.replaceChildren(fragment);
    var rest = matching.length - limit;
    more.hidden = rest <= 0;
    more.textContent = "Näytä lisää (" + Math.min(rest, pageSize) + "/" + Math.max(rest, 0) + ")";
  }

  function update(pushUrl) {
    var chosen = selected();
    matching = records.filter(function (record) { return matches(record, chosen, null); });
    limit = pageSize;
    // Each option's count: how many records it would show, given the other groups' choices.
    boxes.forEach(function (box) {
      var n = 0;
      records.forEach(function (record) {
        if ((record[4][box.name] || []).indexOf(box.value) !== -1 && matches(record, chosen, box.name)) n += 1;
      });
      var label = form.querySelector('[data-count-for="' + box.name + "=" + box.value + '"]');
      if (label) label.textContent = "(" + n + ")";
    });
    status.textContent = matching.length === 1 ? "1 kuvaus" : matching.length + " kuvausta";
    show();
    if (pushUrl) {
      var params = new URLSearchParams();
      Object.keys(chosen).sort().forEach(function (key) {
        chosen[key].forEach(function (v) { params.append(key, v); });
      });
      var query = params.toString();
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    }
  }

  // A long group (say, every municipality) lists its most used values in the page; this adds
  // the rest, as the same checkboxes, from data/selaa.json.
  function addOptions(key) {
    var button = form.querySelector('[data-options-for="' + key + '"]');
    if (!button || !options[key]) return;
    options[key].forEach(function (option) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = key;
      box.value = option[0];
      var count = document.createElement("span");
      count.className = "hk-count";
      count.setAttribute("data-count-for", key + "=" + option[0]);
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + option[1] + " "));
      label.appendChild(count);
      button.parentNode.insertBefore(label, button);
      boxes.push(box);
    });
    delete options[key];
    button.remove();
  }

  function start(data) {
    records = data.records;
    options = data.options || {};
    var params = new URLSearchParams(location.search);
    // A shared link may choose a value the page does not list: add its group's options first.
    Object.keys(options).forEach(function (key) {
      var listed = boxes.filter(function (box) { return box.name === key; }).map(function (box) { return box.value; });
      if (params.getAll(key).some(function (v) { return listed.indexOf(v) === -1; })) addOptions(key);
    });
    boxes.forEach(function (box) {
      if (params.getAll(box.name).indexOf(box.value) !== -1) {
        box.checked = true;
        var group = box.closest("details");
        if (group) group.open = true;
      }
    });
    if (partial) partial.hidden = true;
    var nojs = document.getElementById("hk-browse-nojs");
    if (nojs) nojs.hidden = true;
    form.hidden = false;
    form.addEventListener("change", function () { update(true); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-options-for]"), function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-options-for");
        var group = button.parentNode;
        var first = boxes.length;
        addOptions(key);
        update(false);
        // Keyboard users continue from the first option just added.
        if (boxes[first]) boxes[first].focus();
        else if (group) group.focus();
      });
    });
    document.getElementById("hk-browse-clear").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      update(true);
    });
    more.addEventListener("click", function () {
      var first = limit;
      limit += pageSize;
      show();
      // Keyboard and screen-reader users continue from the first record just added.
      var added = list.children[first];
      if (added) added.querySelector("a").focus();
    });
    update(false);
  }

  // A shared link (?teema=x) must not first show the unfiltered list: hide it until the
  // data has come and the link's filter is applied.
  var filtered = location.search.length > 1;
  var waiting = status.textContent;
  if (filtered) {
    list.hidden = true;
    status.textContent = "Ladataan…";
  }

  fetch(list.getAttribute("data-source"))
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) {
      list.hidden = false;
      start(data);
    })
    .catch(function () {
      list.hidden = false;
      status.textContent = waiting + " (suodatus ei ole nyt käytettävissä)";
    });
})();
