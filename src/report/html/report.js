// antipasta report: draws the snapshot embedded in this page (treemap,
// virtualised function table, directory summary, baseline delta). Plain
// JavaScript, no library, no network: everything it needs is in the page.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var snap = data.snapshot;
  var delta = data.delta;
  var metrics = snap.function_metrics;
  var SHORT = {
    cyclomatic_complexity: "cyc",
    cognitive_complexity: "cog",
    halstead_volume: "volume",
    halstead_difficulty: "difficulty",
    halstead_effort: "effort",
    halstead_time: "time",
    halstead_bugs: "bugs",
    lines_of_code: "lines",
    parameter_count: "params",
    nesting_depth: "nesting"
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Compact enough for a narrow column: 3.25, 734, 15.7k, 2.3M.
  function fmt(v) {
    if (v === null || v === undefined) return "–";
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(1) + "k";
    if (a >= 100 || Math.abs(v - Math.round(v)) < 1e-9) return String(Math.round(v));
    return v.toFixed(2);
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // Green far from the limit, orange near it, red past it (darker the
  // further past).
  function colour(ratio) {
    if (!(ratio > 0)) return "hsl(120, 45%, 78%)";
    if (ratio < 1) return "hsl(" + (120 - 85 * ratio * ratio).toFixed(0) + ", 65%, 70%)";
    var dark = Math.min(ratio - 1, 2) / 2;
    return "hsl(0, 70%, " + (58 - 22 * dark).toFixed(0) + "%)";
  }

  // ---- the tree of directories and files ---------------------------------

  function node(name, path, parent) {
    return { name: name, path: path, parent: parent, dirs: [], byName: {}, files: [],
             size: 0, worst: 0, violations: 0, nfiles: 0 };
  }

  function area(file) {
    return Math.max(file.sloc, 1);
  }

  var root = node(snap.project, ".", null);
  snap.files.forEach(function (f) {
    var parts = f.path.split("/");
    var at = root;
    for (var i = 0; i < parts.length - 1; i++) {
      var child = at.byName[parts[i]];
      if (!child) {
        child = node(parts[i], parts.slice(0, i + 1).join("/"), at);
        at.byName[parts[i]] = child;
        at.dirs.push(child);
      }
      at = child;
    }
    at.files.push(f);
  });
  (function rollUp(n) {
    n.dirs.forEach(function (d) {
      rollUp(d);
      n.size += d.size;
      n.worst = Math.max(n.worst, d.worst);
      n.violations += d.violations;
      n.nfiles += d.nfiles;
    });
    n.files.forEach(function (f) {
      n.size += area(f);
      n.worst = Math.max(n.worst, f.worst);
      n.violations += f.violations;
      n.nfiles += 1;
    });
  })(root);

  // ---- squarified treemap layout ------------------------------------------

  function squarify(items, x, y, w, h) {
    var out = [];
    var total = 0;
    items.forEach(function (it) { total += it.value; });
    if (total <= 0 || w <= 0 || h <= 0) {
      items.forEach(function (it) { out.push({ item: it, x: x, y: y, w: 0, h: 0 }); });
      return out;
    }
    var scale = (w * h) / total;
    var row = [], rowArea = 0, rmax = 0, rmin = Infinity;
    function aspect(sum, max, min, side) {
      var s2 = side * side, a2 = sum * sum;
      return Math.max((s2 * max) / a2, a2 / (s2 * min));
    }
    function place() {
      var i, a;
      if (w >= h) {
        var cw = rowArea / h, cy = y;
        for (i = 0; i < row.length; i++) {
          a = row[i].value * scale;
          out.push({ item: row[i], x: x, y: cy, w: cw, h: a / cw });
          cy += a / cw;
        }
        x += cw; w -= cw;
      } else {
        var rh = rowArea / w, cx = x;
        for (i = 0; i < row.length; i++) {
          a = row[i].value * scale;
          out.push({ item: row[i], x: cx, y: y, w: a / rh, h: rh });
          cx += a / rh;
        }
        y += rh; h -= rh;
      }
      row = []; rowArea = 0; rmax = 0; rmin = Infinity;
    }
    var i = 0;
    while (i < items.length) {
      var a = items[i].value * scale;
      var side = Math.min(w, h);
      if (row.length === 0 ||
          aspect(rowArea + a, Math.max(rmax, a), Math.min(rmin, a), side) <=
          aspect(rowArea, rmax, rmin, side)) {
        row.push(items[i]);
        rowArea += a; rmax = Math.max(rmax, a); rmin = Math.min(rmin, a);
        i++;
      } else {
        place();
      }
    }
    if (row.length) place();
    return out;
  }

  // ---- the treemap ---------------------------------------------------------

  var map = document.getElementById("treemap");
  var crumbs = document.getElementById("crumbs");
  var current = { dir: root, file: null };

  function fileTitle(f) {
    var t = f.path + "\n" + plural(f.sloc, "source line", "source lines") + ", " +
      plural(f.functions.length, "function", "functions") + ", worst " + fmt(f.worst) +
      " of a limit";
    if (f.violations) t += ", " + plural(f.violations, "violation", "violations");
    if (f.error) t += "\nnot analysed: " + f.error;
    return t;
  }

  function drawDir(dir, box, x, y, w, h) {
    var items = dir.dirs.map(function (d) { return { value: d.size, dir: d }; })
      .concat(dir.files.map(function (f) { return { value: area(f), file: f }; }));
    items.sort(function (a, b) { return b.value - a.value; });
    squarify(items, x, y, w, h).forEach(function (r) {
      var div;
      if (r.item.dir) {
        var d = r.item.dir;
        div = el("div", "tm-dir");
        div.dataset.path = d.path;
        div.title = d.path + "\n" + plural(d.nfiles, "file", "files") + ", " +
          plural(d.size, "source line", "source lines") + ", " +
          plural(d.violations, "violation", "violations");
        var label = r.h > 16 && r.w > 24;
        if (label) div.appendChild(el("div", "tm-label", d.name + "/"));
        div.addEventListener("click", function (ev) {
          ev.stopPropagation();
          zoom(d, null);
        });
        place(div, r);
        box.appendChild(div);
        var top = label ? 14 : 0;
        drawDir(d, div, 0, top, Math.max(r.w - 2, 0), Math.max(r.h - 2 - top, 0));
      } else {
        var f = r.item.file;
        div = el("div", "tm-file");
        div.dataset.path = f.path;
        div.style.background = f.error ? "#c4c9ce" : colour(f.worst);
        div.title = fileTitle(f);
        if (r.h > 15 && r.w > 30) div.appendChild(el("div", "tm-label", f.path.split("/").pop()));
        div.addEventListener("click", function (ev) {
          ev.stopPropagation();
          zoom(null, f);
        });
        place(div, r);
        box.appendChild(div);
      }
    });
  }

  function drawFile(f, box, w, h) {
    var items = f.functions.map(function (fn) {
      return { value: Math.max(fn.v[metrics.indexOf("lines_of_code")] || 1, 1), fn: fn };
    });
    items.sort(function (a, b) { return b.value - a.value; });
    squarify(items, 0, 0, w, h).forEach(function (r) {
      var fn = r.item.fn;
      var div = el("div", "tm-fn");
      div.style.background = colour(fn.w);
      div.title = fn.n + " (line " + fn.l + "), worst " + fmt(fn.w) + " of a limit";
      if (r.h > 15 && r.w > 30) div.appendChild(el("div", "tm-label", fn.n));
      place(div, r);
      box.appendChild(div);
    });
  }

  function place(div, r) {
    div.style.left = r.x + "px";
    div.style.top = r.y + "px";
    div.style.width = Math.max(r.w, 0) + "px";
    div.style.height = Math.max(r.h, 0) + "px";
  }

  function drawCrumbs() {
    crumbs.textContent = "";
    var chain = [];
    for (var d = current.dir || dirOf(current.file); d; d = d.parent) chain.unshift(d);
    chain.forEach(function (d, i) {
      if (i) crumbs.appendChild(el("span", "sep", "/"));
      var a = el("a", null, i === 0 ? snap.project : d.name);
      a.addEventListener("click", function () { zoom(d, null); });
      crumbs.appendChild(a);
    });
    if (current.file) {
      crumbs.appendChild(el("span", "sep", "/"));
      crumbs.appendChild(el("span", null, current.file.path.split("/").pop()));
    }
  }

  function dirOf(file) {
    var at = root;
    var parts = file.path.split("/");
    for (var i = 0; i < parts.length - 1 && at; i++) at = at.byName[parts[i]];
    return at || root;
  }

  function drawMap() {
    map.textContent = "";
    var w = map.clientWidth, h = map.clientHeight;
    if (current.file) {
      drawFile(current.file, map, w, h);
      map.dataset.files = "1";
    } else {
      drawDir(current.dir, map, 0, 0, w, h);
      map.dataset.files = String(current.dir.nfiles);
    }
    drawCrumbs();
  }

  function zoom(dir, file) {
    current = { dir: dir, file: file };
    drawMap();
    var filter = document.getElementById("filter");
    filter.value = file ? file.path : dir && dir !== root ? dir.path + "/" : "";
    applyFilter();
  }

  var legend = document.getElementById("legend");
  [[0.25, "far below a limit"], [0.75, "near"], [1.0, "at"], [1.5, "past"], [3, "far past"]]
    .forEach(function (p) {
      var span = el("span");
      var i = el("i");
      i.style.background = colour(p[0]);
      span.appendChild(i);
      span.appendChild(document.createTextNode(p[1]));
      legend.appendChild(span);
    });

  // ---- the function table (virtualised: only the visible rows exist) -----

  var ROW = 24;
  var rows = [];
  snap.files.forEach(function (f) {
    f.functions.forEach(function (fn) { rows.push({ file: f, fn: fn, bad: fn.x.length > 0 }); });
  });
  var columns = [
    { key: "path", label: "path", text: true, get: function (r) { return r.file.path; } },
    { key: "name", label: "function", text: true, get: function (r) { return r.fn.n; } },
    { key: "line", label: "line", get: function (r) { return r.fn.l; } }
  ];
  metrics.forEach(function (m, i) {
    columns.push({ key: m, label: SHORT[m] || m, metric: i,
                   get: function (r) { return r.fn.v[i]; } });
  });
  columns.push({ key: "worst", label: "worst", get: function (r) { return r.fn.w; } });

  var shown = rows.slice();
  var sort = { key: null, dir: 1 };
  var head = document.getElementById("fn-head");
  var scroll = document.getElementById("fn-scroll");
  var body = document.getElementById("fn-rows");
  var table = document.getElementById("functions");

  columns.forEach(function (c) {
    var cell = el("div", c.text ? "" : "num", c.label);
    cell.dataset.col = c.key;
    cell.title = c.key + ": click to sort";
    cell.addEventListener("click", function () { sortBy(c); });
    head.appendChild(cell);
  });

  function compare(c) {
    return function (a, b) {
      var x = c.get(a), y = c.get(b);
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      var d = c.text ? (x < y ? -1 : x > y ? 1 : 0) : x - y;
      if (d === 0) {
        d = a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.fn.l - b.fn.l;
        return d;
      }
      return d * sort.dir;
    };
  }

  function sortBy(c) {
    if (sort.key === c.key) {
      sort.dir = -sort.dir;
    } else {
      sort.key = c.key;
      // Text ascending first; numbers worst (largest) first.
      sort.dir = c.text ? 1 : -1;
    }
    Array.prototype.forEach.call(head.children, function (h) {
      h.classList.remove("sorted-asc", "sorted-desc");
      if (h.dataset.col === c.key) h.classList.add(sort.dir > 0 ? "sorted-asc" : "sorted-desc");
    });
    shown.sort(compare(c));
    head.dataset.sorted = c.key + (sort.dir > 0 ? " asc" : " desc");
    scroll.scrollTop = 0;
    drawRows(true);
  }

  function applyFilter() {
    var needle = document.getElementById("filter").value.toLowerCase();
    var onlyBad = document.getElementById("only-bad").checked;
    shown = rows.filter(function (r) {
      if (onlyBad && !r.bad) return false;
      if (!needle) return true;
      return (r.file.path + "::" + r.fn.n).toLowerCase().indexOf(needle) >= 0;
    });
    if (sort.key) {
      var c = columns.filter(function (k) { return k.key === sort.key; })[0];
      shown.sort(compare(c));
    }
    scroll.scrollTop = 0;
    drawRows(true);
  }

  var drawn = { first: -1, last: -1 };
  function drawRows(force) {
    body.style.height = shown.length * ROW + "px";
    var first = Math.max(Math.floor(scroll.scrollTop / ROW) - 10, 0);
    var last = Math.min(first + Math.ceil(scroll.clientHeight / ROW) + 20, shown.length);
    if (!force && first === drawn.first && last === drawn.last) return;
    drawn = { first: first, last: last };
    body.textContent = "";
    for (var i = first; i < last; i++) {
      var r = shown[i];
      var line = el("div", "row" + (r.bad ? " bad" : ""));
      line.style.top = i * ROW + "px";
      line.dataset.index = String(i);
      columns.forEach(function (c) {
        var v = c.get(r);
        var cell = el("div", c.text ? "" : "num", c.text ? v : fmt(v));
        if (c.metric !== undefined && r.fn.x.indexOf(c.metric) >= 0) cell.className += " over";
        if (c.text) cell.title = v;
        line.appendChild(cell);
      });
      body.appendChild(line);
    }
    table.dataset.rows = String(shown.length);
    table.dataset.total = String(rows.length);
    document.getElementById("fn-count").textContent =
      shown.length === rows.length ? plural(rows.length, "function", "functions")
        : shown.length + " of " + plural(rows.length, "function", "functions");
  }
  scroll.addEventListener("scroll", function () { drawRows(false); });
  document.getElementById("filter").addEventListener("input", applyFilter);
  document.getElementById("only-bad").addEventListener("change", applyFilter);

  // ---- the directory summary ----------------------------------------------

  var dirDelta = {};
  if (delta) delta.directories.forEach(function (d) { dirDelta[d.path] = d; });

  function change(pair) {
    var d = pair[1] - pair[0];
    var s = el("span", d > 0 ? "up" : d < 0 ? "down" : "", (d > 0 ? "+" : "") + fmt(d));
    return s;
  }

  (function drawDirectories() {
    var heads = ["directory", "files", "functions", "source lines", "violations", "worst",
                 "cyc mean", "cyc max", "cog mean", "cog p90", "cog max", "MI mean"];
    if (delta) heads.push("Δ functions", "Δ source lines", "Δ violations");
    var t = el("table", "dirs");
    var tr = el("tr");
    heads.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    snap.directories.forEach(function (d) {
      var row = el("tr");
      row.dataset.path = d.path;
      [d.path === "." ? snap.project + " (all)" : d.path + "/", d.files, d.functions, d.sloc,
       d.violations, d.worst, d.cyclomatic_mean, d.cyclomatic_max, d.cognitive_mean,
       d.cognitive_p90, d.cognitive_max, d.mi_mean].forEach(function (v, i) {
        row.appendChild(el("td", null, i === 0 ? v : fmt(v)));
      });
      if (delta) {
        var dd = dirDelta[d.path];
        [["functions"], ["sloc"], ["violations"]].forEach(function (k) {
          var td = el("td");
          if (dd) td.appendChild(change(dd[k[0]]));
          row.appendChild(td);
        });
      }
      row.addEventListener("click", function () {
        var target = root;
        if (d.path !== ".") d.path.split("/").forEach(function (p) { target = target && target.byName[p]; });
        if (target) {
          zoom(target, null);
          map.scrollIntoView();
        }
      });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    document.getElementById("directories").appendChild(t);
  })();

  // ---- the delta since the baseline ---------------------------------------

  function drawDelta() {
    if (!delta) return;
    var summary = document.getElementById("delta-summary");
    summary.hidden = false;
    summary.textContent = "Since " + delta.baseline + " (" +
      new Date(delta.baseline_created * 1000).toISOString().slice(0, 16).replace("T", " ") +
      " UTC): " + plural(delta.new.length, "new", "new") + ", " + delta.worse.length +
      " worse, " + delta.better.length + " better, " + delta.removed.length +
      " removed; violations " + delta.violations[0] + " → " + delta.violations[1];
    document.getElementById("delta-section").hidden = false;
    var box = document.getElementById("delta");
    [["new", "New functions"], ["worse", "Worse"], ["better", "Better"], ["removed", "Removed"]]
      .forEach(function (g) {
        var list = delta[g[0]];
        var section = el("div", "delta-group");
        section.dataset.kind = g[0];
        section.dataset.count = String(list.length);
        section.appendChild(el("h3", null, g[1] + " (" + list.length + ")"));
        var ul = el("ul");
        list.slice(0, 500).forEach(function (f) {
          var text = f.path + "::" + f.name + " (line " + f.line + ")";
          if (f.changes.length) {
            text += ": " + f.changes.map(function (c) {
              return (SHORT[c[0]] || c[0]) + " " + fmt(c[1]) + " → " + fmt(c[2]);
            }).join(", ");
          }
          ul.appendChild(el("li", null, text));
        });
        if (list.length > 500) ul.appendChild(el("li", null, "… and " + (list.length - 500) + " more"));
        section.appendChild(ul);
        box.appendChild(section);
      });
  }

  // ---- hotspots (report --hotspots) ----------------------------------------

  function date(seconds) {
    return new Date(seconds * 1000).toISOString().slice(0, 10);
  }

  function simpleTable(cls, heads, rows) {
    var t = el("table", "dirs " + cls);
    var tr = el("tr");
    heads.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    var thead = el("thead");
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr");
      r.cells.forEach(function (v, i) {
        row.appendChild(el("td", null, typeof v === "number" ? fmt(v) : v));
      });
      if (r.click) row.addEventListener("click", r.click);
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
    return t;
  }

  function drawHotspots() {
    var h = snap.hotspots;
    if (!h) return;
    document.getElementById("hotspots-section").hidden = false;
    var r = h.range;
    document.getElementById("hotspots-summary").textContent =
      plural(r.commits, "commit", "commits") + (r.first_parent ? " (first parents" : " (all parents") +
      (r.since ? ", since " + r.since : "") +
      (r.oldest ? ", " + date(r.oldest) + " to " + date(r.newest) : "") + ")";
    var box = document.getElementById("hotspots");
    var byPath = {};
    snap.files.forEach(function (f) { byPath[f.path] = f; });
    box.appendChild(el("h3", null, "Files"));
    box.appendChild(simpleTable("hot-files",
      ["path", "score", "commits", "+lines", "−lines", "authors", "last change", "worst"],
      h.files.map(function (f) {
        return {
          cells: [f.path, f.score, f.commits, f.added, f.removed, f.authors, date(f.last), f.worst],
          click: byPath[f.path] ? function () { zoom(null, byPath[f.path]); map.scrollIntoView(); } : null
        };
      })));
    box.appendChild(el("h3", null, "Functions"));
    box.appendChild(simpleTable("hot-functions",
      ["function", "score", "changes", "worst", "cyc", "cog"],
      h.functions.map(function (f) {
        return { cells: [f.path + "::" + f.name, f.score, f.changes, f.worst, f.metrics[0], f.metrics[1]] };
      })));
    [["file_coupling", "Files that change together"], ["function_coupling", "Functions that change together"]]
      .forEach(function (k) {
        box.appendChild(el("h3", null, k[1]));
        box.appendChild(simpleTable("hot-coupling", ["a", "b", "shared commits", "degree"],
          h[k[0]].map(function (c) { return { cells: [c.a, c.b, c.shared, c.degree] }; })));
      });
  }

  // ---- start ----------------------------------------------------------------

  var violations = 0, errors = 0;
  snap.files.forEach(function (f) { violations += f.violations; if (f.error) errors++; });
  var s = document.getElementById("summary");
  s.textContent = plural(snap.files.length, "file", "files") + " · " +
    plural(rows.length, "function", "functions") + " · " +
    plural(violations, "violation", "violations") +
    (errors ? " · " + errors + " not analysed" : "") + " · written " +
    new Date(snap.created * 1000).toISOString().slice(0, 16).replace("T", " ") +
    " UTC by antipasta " + snap.antipasta;
  s.dataset.files = String(snap.files.length);
  s.dataset.functions = String(rows.length);
  drawMap();
  drawRows(true);
  drawDelta();
  drawHotspots();
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(drawMap, 150);
  });
  document.body.dataset.ready = "true";
})();
