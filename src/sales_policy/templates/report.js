(function () {
  "use strict";
  // Everything from the data block reaches the page as text nodes (put), never as markup.
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var root = document.documentElement;
  var PAGE = 100;
  var CODES = {O: "ok", L: "late", E: "early", A: "absent", M: "missing", V: "leave",
    R: "rest", H: "holiday", "-": "none"};

  // A character that would not be seen as itself (a control, a zero-width space, a mark
  // that turns the direction of text) is shown as its escape, as the terminal shows it, in a
  // span of its own that sets it apart from text that spells the same: S001\u200b.
  var ESCAPES = D.escapes;
  function put(node, text) {
    var value = String(text), start = 0;
    for (var i = 0; i < value.length; i++) {
      var code = value.codePointAt(i), wide = code > 0xFFFF ? 1 : 0;
      if (Object.prototype.hasOwnProperty.call(ESCAPES, code)) {
        if (i > start) { node.appendChild(document.createTextNode(value.slice(start, i))); }
        var mark = node.appendChild(document.createElement("span"));
        mark.className = "esc";
        mark.textContent = ESCAPES[code];
        start = i + 1 + wide;
      }
      i += wide;
    }
    if (start < value.length) { node.appendChild(document.createTextNode(value.slice(start))); }
    return node;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { put(node, text); }
    return node;
  }
  function bi(pair, tag, cls) {
    var node = el(tag || "span", cls);
    node.appendChild(el("span", "zh", pair[0]));
    node.appendChild(el("span", "en", pair[1]));
    return node;
  }
  function label(key) { return D.labels[key] || [key, key]; }
  function fill(key, values) {
    return label(key).map(function (text) {
      return text.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
    });
  }
  function byId(id) { return document.getElementById(id); }
  // A tooltip is an attribute, which CSS cannot switch: the node keeps both texts, and the
  // title is the page's language's (set again by setLang).
  function tooltip(node, pair) {
    node.setAttribute("data-title-zh", pair[0]);
    node.setAttribute("data-title-en", pair[1]);
    node.title = pair[root.getAttribute("data-lang") === "zh" ? 0 : 1];
  }
  function setLang(lang) {
    root.setAttribute("data-lang", lang);
    root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    document.title = label("title")[lang === "zh" ? 0 : 1];
    var search = byId("employee-filter");  // its placeholder and name follow the language
    search.setAttribute("placeholder", label("filter")[lang === "zh" ? 0 : 1]);
    search.setAttribute("aria-label", label("filter")[lang === "zh" ? 0 : 1]);
    Array.prototype.forEach.call(document.querySelectorAll("[data-title-zh]"), function (node) {
      node.title = node.getAttribute("data-title-" + lang);
    });
  }
  byId("lang-toggle").addEventListener("click", function () {
    setLang(root.getAttribute("data-lang") === "zh" ? "en" : "zh");
  });
  function severity(name) { return bi(label(name), "span", "sev sev-" + name); }
  function table(headers, rows, numericFrom) {
    var node = el("table"), head = el("tr"), body = el("tbody");
    headers.forEach(function (header, i) {
      var th = el("th", i >= numericFrom ? "n" : "");
      th.appendChild(typeof header === "string" ? bi(label(header)) : header);
      head.appendChild(th);
    });
    node.appendChild(el("thead")).appendChild(head);
    rows.forEach(function (cells) {
      var tr = el("tr");
      cells.forEach(function (cell, i) {
        var td = el("td", i >= numericFrom ? "n" : "");
        if (cell instanceof Node) { td.appendChild(cell); } else if (cell !== null) { put(td, cell); }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    node.appendChild(body);
    var box = el("div", "scroll");  // too wide for the screen, it scrolls, not the page
    box.appendChild(node);
    return box;
  }
  // a whole number with a thousands separator (20,000), as the totals of the score table
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function more(count, tag) { return bi(fill("and_more", {n: count}), tag || "p", "muted"); }

  function header() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-label]"), function (node) {
      node.appendChild(bi(label(node.getAttribute("data-label"))));
    });
    var period = byId("period");
    if (D.period) {
      period.appendChild(document.createTextNode(D.period[0]));
      period.appendChild(bi(label("to")));
      period.appendChild(document.createTextNode(D.period[1]));
    } else {
      period.appendChild(bi(label("no_period")));
    }
    var listed = D.files.slice(0, Math.min(D.limits[3], D.fileCount));
    var files = byId("files");  // a name breaks only if it is wider than the line
    listed.forEach(function (name, i) {
      if (i > 0) { files.appendChild(document.createTextNode(", ")); }
      files.appendChild(el("span", "file", name));
    });
    if (D.fileCount > listed.length) { files.appendChild(document.createTextNode(" (+" + (D.fileCount - listed.length) + ")")); }
  }

  function totals() {
    var box = byId("totals-tables");
    var names = ["rows_read", "accepted", "rejected", "findings"];
    var rows = names.map(function (name, i) { return [bi(label(name)), D.counts[i]]; });
    rows.push([bi(label("employees_count")), D.employeesWithFindings]);
    box.appendChild(table([bi(label("totals")), ""], rows, 1));
    // no finding: said once, plainly, rather than by a column of zeros and an empty table
    if (D.counts[3] > 0) {
      box.appendChild(table(["severity", "findings"], D.severities.map(function (name, i) {
        return [severity(name), D.severityCounts[i]];
      }), 1));
      box.appendChild(table(["ruleset", "findings"], D.rulesets.map(function (r) {
        return [bi([r[0], r[1]]), r[2]];
      }), 1));
    }
    if (D.byType.length) {
      box.appendChild(table(["record_type", "rows"], D.byType.map(function (r) {
        return [bi(r[0]), r[1]];
      }), 1));
    }
    if (D.counts[3] === 0) { byId("totals").insertBefore(bi(label("none_found"), "p", "none"), box); }
    if (D.notes.length) {
      byId("notes").appendChild(bi(label("notes"), "h3"));
      var list = byId("notes").appendChild(el("ul"));
      D.notes.forEach(function (note) { list.appendChild(bi(note, "li")); });
    }
    if (D.rejects.length) {
      byId("rejects").appendChild(bi(label("rejects"), "h3"));
      byId("rejects").appendChild(table(["where", "record_type", "field", "value", "reason"], D.rejects.map(function (r) {
        // the record type and the reason in Chinese and in English; the value as it is, or
        // in both when it is cut short in each (a document pasted into a cell)
        return [r[0], r[1] === null ? null : bi(r[1]), r[2], Array.isArray(r[3]) ? bi(r[3]) : r[3], bi(r[4])];
      }), 9));
      if (D.rejectsMore > 0) { byId("rejects").appendChild(more(D.rejectsMore)); }
    }
  }

  function chart() {
    var box = byId("chart");
    if (!D.ruleCounts.length) { box.appendChild(bi(label("none_found"), "p", "none")); return; }
    var top = Math.max.apply(null, D.ruleCounts.map(function (r) { return r[1]; }));
    var bars = el("div", "bars");
    var svgNs = "http://www.w3.org/2000/svg";
    D.ruleCounts.forEach(function (r) {
      var rule = D.rules[r[0]];
      // one line of the chart's grid; on a phone, the rule's title goes under the bar
      var line = bars.appendChild(el("div", "bar-line"));
      var name = el("span");
      name.appendChild(severity(rule[3]));
      name.appendChild(document.createTextNode(" " + rule[0]));
      line.appendChild(name);
      line.appendChild(bi([rule[1], rule[2]], "span", "bar-title"));
      var svg = document.createElementNS(svgNs, "svg");
      svg.setAttribute("class", "bar");
      svg.setAttribute("width", "100%");
      svg.setAttribute("height", "14");
      var rect = document.createElementNS(svgNs, "rect");
      rect.setAttribute("class", "sev-" + rule[3]);
      rect.setAttribute("width", Math.max(0.5, 100 * r[1] / top).toFixed(1) + "%");
      rect.setAttribute("height", "14");
      svg.appendChild(rect);
      line.appendChild(svg);
      var count = el("span", "n", r[1] + " · " + r[2] + " ");
      count.appendChild(bi(label("employees")));
      line.appendChild(count);
    });
    box.appendChild(bars);
  }

  function legend() {
    var caps = byId("caps");
    if (D.counts[3] > 0) {  // what the caps leave out, of findings there are
      caps.appendChild(bi(fill("findings_cap", {per_rule: grouped(D.limits[0]), total: grouped(D.limits[1])}), "p", "muted"));
    }
    if (D.limits[2] > 0) { caps.appendChild(bi(fill("findings_left_out", {n: D.limits[2]}), "p", "muted")); }
    if (!D.calendar) { return; }
    var box = byId("legend");
    box.appendChild(bi(label("legend")));
    Object.keys(CODES).forEach(function (letter) {
      var item = el("span");
      item.appendChild(el("span", "day d-" + CODES[letter]));
      item.appendChild(document.createTextNode(letter + " "));
      item.appendChild(bi(label("day_" + CODES[letter])));
      box.appendChild(item);
    });
    var adjusted = el("span");
    adjusted.appendChild(el("span", "day d-ok adj"));
    adjusted.appendChild(document.createTextNode("o "));
    adjusted.appendChild(bi(label("day_adjusted")));
    box.appendChild(adjusted);
  }

  function clauses() {
    var box = byId("clause-list");
    // every rule cites a clause or a reference: nothing is cited when nothing was found
    if (!D.cited.length && !D.references.length) { box.appendChild(bi(label("none_cited"), "p", "none")); }
    D.cited.forEach(function (id) {
      var clause = D.clauses[id];
      var block = el("div", "clause");
      block.id = "clause-" + id;
      var title = el("h3", "", id + " ");
      title.appendChild(bi([clause[0], clause[1]]));
      block.appendChild(title);
      if (clause[2]) { block.appendChild(el("p", "", clause[2])); }
      block.appendChild(el("p", "", clause[3]));
      box.appendChild(block);
    });
    if (D.references.length) {
      box.appendChild(bi(label("references"), "h3"));
      var list = box.appendChild(el("ul"));
      D.references.forEach(function (ref) { list.appendChild(bi(ref, "li")); });
    }
  }

  function countCode(codes, letter) {
    var n = 0;
    for (var i = 0; i < codes.length; i++) { if (codes[i].toUpperCase() === letter) { n++; } }
    return n;
  }
  var calendar = D.calendar;
  var columns = [
    {key: "employee", get: function (e) { return e[0]; }},
    {key: "name", get: function (e) { return e[1]; }},
    {key: "team", get: function (e) { return e[2]; }}
  ];
  if (calendar) {
    [["late_days", "L"], ["early_days", "E"], ["absent_days", "A"]].forEach(function (pair) {
      columns.push({key: pair[0], num: true, get: function (e) { return countCode(e[3], pair[1]); }});
    });
  }
  D.severities.forEach(function (severity, index) {
    columns.push({key: severity, num: true, get: function (e) { return e[4][index]; }});
  });
  columns.push({key: "total", num: true, get: function (e) { return e[5]; }});
  // a figure to its places with a thousands separator, as the score table writes it; an
  // amount a number would not write every digit of comes as its text (987654321098765432.11)
  var AMOUNT = /^-?\d+(\.\d+)?$/;
  function figure(text) {
    var parts = text.split(".");
    parts[0] = grouped(parts[0]);
    return parts.join(".");
  }
  D.scoreColumns.forEach(function (pair, index) {
    var places = D.scorePlaces[index];
    columns.push({title: pair, num: true, get: function (e) { return e[6][index]; },
      // sorted by the number, an amount's text too
      order: places === null ? null : function (e) {
        var value = e[6][index];
        return typeof value === "string" && AMOUNT.test(value) ? Number(value) : value;
      },
      show: function (value) {
        if (typeof value === "boolean") { return label(value ? "yes" : "no"); }
        if (places === null) { return value; }
        if (typeof value === "number") { return figure(value.toFixed(places)); }
        return AMOUNT.test(value) ? figure(value) : value;
      }});
  });

  var employeeTable = document.getElementById("employee-table");
  var body = employeeTable.tBodies[0];
  var status = document.getElementById("employee-status");
  var moreButton = document.getElementById("employee-more");
  var filter = document.getElementById("employee-filter");
  var current = D.employees;
  var shown = 0;

  var head = el("tr");
  head.appendChild(el("th"));
  columns.forEach(function (column, index) {
    var th = bi(column.title || label(column.key), "th", column.num ? "n" : "");
    th.appendChild(el("span", "arrow"));  // ▲ or ▼ on the column the rows are sorted by
    th.addEventListener("click", function () { sortBy(index); });
    head.appendChild(th);
  });
  employeeTable.tHead.appendChild(head);
  function showSort() {
    columns.forEach(function (column, index) {
      var th = head.children[index + 1], sorted = sortState.index === index;
      th.querySelector(".arrow").textContent = sorted ? (sortState.descending ? "\u00a0▼" : "\u00a0▲") : "";
      if (sorted) { th.setAttribute("aria-sort", sortState.descending ? "descending" : "ascending"); } else { th.removeAttribute("aria-sort"); }
    });
  }

  var sortState = {index: -1, descending: false};
  function sortBy(index) {
    var column = columns[index];
    var descending = sortState.index === index ? !sortState.descending : !!column.num;
    sortState = {index: index, descending: descending};
    var sign = descending ? -1 : 1;
    current = current.slice().sort(function (a, b) {
      var key = column.order || column.get, x = key(a), y = key(b);
      if (x === y) { return a[0] < b[0] ? -1 : 1; }
      if (x === null || x === "") { return 1; }
      if (y === null || y === "") { return -1; }
      return (x < y ? -1 : 1) * sign;
    });
    showSort();
    reset();
  }

  function row(employee) {
    var tr = el("tr", "row");
    var cell = el("td");
    var toggle = el("button", "toggle", "▸");
    toggle.setAttribute("aria-expanded", "false");
    cell.appendChild(toggle);
    tr.appendChild(cell);
    columns.forEach(function (column) {
      var value = column.get(employee);
      var text = value === null ? "" : column.show ? column.show(value) : value;
      // a pair of texts (yes/no) follows the page's language
      tr.appendChild(Array.isArray(text) ? bi(text, "td", column.num ? "n" : "")
        : el("td", column.num ? "n" : "", text));
    });
    toggle.addEventListener("click", function () {
      var open = tr.nextSibling && tr.nextSibling.className === "detail";
      if (open) {
        body.removeChild(tr.nextSibling);
      } else {
        var detail = el("tr", "detail");
        var td = el("td");
        td.colSpan = columns.length + 1;
        td.appendChild(details(employee));
        detail.appendChild(td);
        body.insertBefore(detail, tr.nextSibling);
      }
      toggle.textContent = open ? "▸" : "▾";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
    });
    return tr;
  }

  function reset() {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    shown = 0;
    page();
  }
  function page() {
    var stop = Math.min(current.length, shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = shown; i < stop; i++) { fragment.appendChild(row(current[i])); }
    body.appendChild(fragment);
    shown = stop;
    status.textContent = "";
    status.appendChild(bi([label("shown")[0] + " " + shown + " / " + current.length,
      label("shown")[1] + " " + shown + " " + label("of")[1] + " " + current.length]));
    moreButton.hidden = shown >= current.length;
  }
  moreButton.addEventListener("click", page);
  filter.addEventListener("input", function () {
    var needle = filter.value.trim().toLowerCase();
    current = D.employees.filter(function (e) {
      return !needle || [e[0], e[1], e[2]].some(function (text) {
        return String(text).toLowerCase().indexOf(needle) !== -1;
      });
    });
    reset();
  });

  function isoDay(offset) {
    var day = new Date(D.period[0] + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + offset);
    return day;
  }
  function heatmap(employee, rulesByDate) {
    var months = el("div", "months");
    var grid = null, month = "";
    for (var i = 0; i < employee[3].length; i++) {
      var day = isoDay(i), iso = day.toISOString().slice(0, 10);
      if (iso.slice(0, 7) !== month) {
        month = iso.slice(0, 7);
        grid = el("div", "month");
        grid.appendChild(el("div", "cap", month));
        for (var w = 0; w < 7; w++) { grid.appendChild(bi([label("weekdays")[0][w], label("weekdays")[1][w]], "div", "wd")); }
        for (var blank = (day.getUTCDay() + 6) % 7; blank > 0; blank--) { grid.appendChild(el("div")); }
        months.appendChild(grid);
      }
      var code = employee[3][i], kind = CODES[code.toUpperCase()] || "none";
      var cell = el("div", "day d-" + kind + (code !== code.toUpperCase() ? " adj" : ""), day.getUTCDate());
      var pair = label("day_" + kind), rules = rulesByDate[iso] || [];
      tooltip(cell, [
        iso + " " + pair[0] + (rules.length ? " — " + rules.join("、") : ""),
        iso + " " + pair[1] + (rules.length ? " — " + rules.join(", ") : "")
      ]);
      grid.appendChild(cell);
    }
    return months;
  }

  function details(employee) {
    var box = el("div");
    var rulesByDate = {};
    employee[7].forEach(function (group) {
      group[2].forEach(function (finding) {
        (rulesByDate[finding[0]] = rulesByDate[finding[0]] || []).push(D.rules[group[0]][0]);
      });
    });
    if (calendar && employee[3]) {
      box.appendChild(bi(label("calendar"), "h3"));
      box.appendChild(heatmap(employee, rulesByDate));
    }
    if (!employee[7].length) { box.appendChild(bi(label("no_findings"), "p", "muted")); }
    employee[7].forEach(function (group) { box.appendChild(ruleGroup(group)); });
    return box;
  }

  function ruleGroup(group) {
    var rule = D.rules[group[0]];
    var box = el("div", "group");
    var title = el("h3");
    title.appendChild(bi(label(rule[3]), "span", "sev sev-" + rule[3]));
    title.appendChild(document.createTextNode(" " + rule[0] + " "));
    title.appendChild(bi([rule[1], rule[2]]));
    box.appendChild(title);
    rule[4].forEach(function (id) {
      var clause = D.clauses[id];
      var fold = el("details", "clause");
      var summary = el("summary");
      summary.appendChild(document.createTextNode(id + " "));
      summary.appendChild(bi([clause[0], clause[1]]));
      fold.appendChild(summary);
      if (clause[2]) { fold.appendChild(el("p", "", clause[2])); }
      fold.appendChild(el("p", "", clause[3]));
      box.appendChild(fold);
    });
    rule[5].forEach(function (ref) { box.appendChild(bi(ref, "p", "muted")); });
    var list = el("ul");
    group[2].forEach(function (finding) {
      var item = el("li");
      // its date or month first, in bold; a message that opens with it ("2026-11 净销售额")
      // does not say it twice
      [[finding[1], "zh"], [finding[2], "en"]].forEach(function (pair) {
        var message = pair[0], when = finding[0] || "";
        var said = when !== "" && message.slice(0, when.length) === when;
        var text = item.appendChild(el("span", pair[1]));
        if (when !== "") { text.appendChild(el("b", "", when + (said ? "" : " "))); }
        put(text, said ? message.slice(when.length) : message);
      });
      var evidence = el("div", "ev");
      finding[3].forEach(function (field) {  // [[name zh, name], [value zh, value]]
        evidence.appendChild(bi(field[0], "b"));
        evidence.appendChild(bi(label("colon")));
        evidence.appendChild(bi(field[1]));
        evidence.appendChild(document.createTextNode("  "));
      });
      item.appendChild(evidence);
      if (finding[4].length) {
        var sources = el("div", "src");
        sources.appendChild(bi(label("sources")));
        sources.appendChild(bi(label("colon")));
        put(sources, finding[4].map(function (ref) {
          return D.files[ref[0]] + ":" + ref[1];
        }).join(", "));
        item.appendChild(sources);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (group[1] > 0) { box.appendChild(more(group[1])); }
    return box;
  }

  setLang(root.getAttribute("data-lang"));
  header();
  totals();
  chart();
  legend();
  clauses();
  reset();
})();
