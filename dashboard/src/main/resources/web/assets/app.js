// dbops dashboard: live updates (server-sent events), API-backed forms, charts (uPlot).
// Everything from the server is inserted as text (textContent), never as HTML.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || '';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined || isNaN(v)) { return '–'; }
    var a = Math.abs(v);
    if (a >= 1e9) { return (v / 1e9).toFixed(1) + 'G'; }
    if (a >= 1e6) { return (v / 1e6).toFixed(1) + 'M'; }
    if (a >= 1e4) { return (v / 1e3).toFixed(1) + 'k'; }
    return (a >= 100 || v === Math.round(v)) ? v.toFixed(0) : v.toFixed(2);
  }
  function time(t) { return t ? String(t).replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }
  function api(method, url, body) {
    return fetch(url, {
      method: method, credentials: 'same-origin',
      headers: body ? { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } : { 'X-CSRF-Token': csrf },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.text().then(function (t) {
        var j = null;
        try { j = t ? JSON.parse(t) : null; } catch (e) { j = { error: t }; }
        if (!r.ok) { var err = new Error((j && j.error) || ('HTTP ' + r.status)); err.body = j; err.status = r.status; throw err; }
        return j;
      });
    });
  }

  // ------------------------------------------------------------------ live stream
  var kinds = document.body.getAttribute('data-live');
  var instanceEl = $('#instance');
  var runEl = $('#run');
  var handlers = {};
  if (kinds) {
    var url = '/live?kinds=' + encodeURIComponent(kinds);
    if (instanceEl) { url += '&instance=' + encodeURIComponent(instanceEl.getAttribute('data-instance')); }
    if (runEl) { url += '&run=' + encodeURIComponent(runEl.getAttribute('data-run')); }
    var es = new EventSource(url);
    var state = $('#live-state');
    es.onopen = function () { if (state) { state.className = 'live-state on'; } if (handlers.open) { handlers.open(); } };
    es.onerror = function () { if (state) { state.className = 'live-state off'; } };
    ['fleet', 'alarm', 'incident', 'run', 'ack'].forEach(function (k) {
      es.addEventListener(k, function (e) { if (handlers[k]) { handlers[k](JSON.parse(e.data)); } });
    });
  }

  // fleet table and instance header
  var fleetTable = $('#fleet');
  var charts = {};
  handlers.fleet = function (rows) {
    rows.forEach(function (r) {
      var cells = fleetTable ? $$('tr[data-instance="' + CSS.escape(r.id) + '"] [data-f]', fleetTable) : [];
      cells.forEach(function (c) {
        var f = c.getAttribute('data-f');
        if (f === 'health') {
          c.textContent = r.up === null || r.up === undefined ? 'no data' : (r.up ? 'up' : 'down');
          c.className = r.up === null || r.up === undefined ? 'unknown' : (r.up ? 'up' : 'down');
        } else if (f !== 'incidents') {
          c.textContent = fmt(r[f]);
        }
      });
      if (instanceEl && r.id === instanceEl.getAttribute('data-instance')) {
        var h = $('[data-f="health"]', instanceEl);
        if (h && r.up !== null && r.up !== undefined) { h.textContent = r.up ? 'up' : ('down: ' + (r.error || '')); h.className = r.up ? 'up' : 'down'; }
        appendLive(r);
      }
    });
  };

  // incidents and alarms
  var incidentsTable = $('#incidents tbody');
  var alarmsTable = $('#alarms tbody');
  function countOpen() {
    var b = $('#open-count');
    if (b && incidentsTable) { b.textContent = String($$('tr', incidentsTable).filter(function (tr) { return !tr.classList.contains('resolved'); }).length); }
  }
  handlers.incident = function (i) {
    if (!incidentsTable) { return; }
    var tr = $('tr[data-incident="' + CSS.escape(i.id) + '"]', incidentsTable);
    var fresh = !tr;
    if (fresh) { tr = document.createElement('tr'); tr.setAttribute('data-incident', i.id); }
    var ack = tr.querySelector('[data-f="ack"]');
    var ackText = ack ? ack.textContent : '';
    tr.textContent = '';
    tr.appendChild(el('td', time(i.openedAt)));
    tr.appendChild(el('td', i.severity, 'sev-' + i.severity));
    var td = el('td'); var a = el('a', i.title); a.href = '/incidents/' + encodeURIComponent(i.id); td.appendChild(a); tr.appendChild(td);
    tr.appendChild(el('td', (i.alarmIds || []).length));
    tr.appendChild(el('td', (i.businessLines || []).join(', ')));
    tr.appendChild(el('td', i.status));
    var ackTd = el('td', ackText); ackTd.setAttribute('data-f', 'ack'); tr.appendChild(ackTd);
    tr.classList.toggle('resolved', i.status === 'resolved');
    if (fresh) { incidentsTable.insertBefore(tr, incidentsTable.firstChild); tr.classList.add('flash'); }
    countOpen();
  };
  handlers.ack = function (a) {
    var tr = incidentsTable && $('tr[data-incident="' + CSS.escape(a.incidentId) + '"] [data-f="ack"]', incidentsTable);
    if (tr) { tr.textContent = a.user; }
  };
  handlers.alarm = function (a) {
    if (!alarmsTable) { return; }
    var old = $('tr[data-alarm="' + CSS.escape(a.id) + '"]', alarmsTable);
    if (old) { old.remove(); }
    var tr = document.createElement('tr');
    tr.setAttribute('data-alarm', a.id);
    tr.appendChild(el('td', time(a.time)));
    tr.appendChild(el('td', a.severity, 'sev-' + a.severity));
    tr.appendChild(el('td', a.type));
    if (!instanceEl) { tr.appendChild(el('td', a.instance ? a.instance.id : a.host)); }
    tr.appendChild(el('td', a.status));
    tr.appendChild(el('td', a.summary));
    tr.classList.add('flash');
    alarmsTable.insertBefore(tr, alarmsTable.firstChild);
    while (alarmsTable.rows.length > 200) { alarmsTable.deleteRow(-1); }
  };
  if (incidentsTable) {
    handlers.open = function () {
      api('GET', '/api/incidents').then(function (list) { list.slice().reverse().forEach(handlers.incident); });
    };
    countOpen();
  }

  // runs list and run page (live log)
  var runsTable = $('#runs tbody');
  var log = $('#log');
  var lastSeq = -1;
  if (log) { $$('[data-seq]', log).forEach(function (s) { lastSeq = Math.max(lastSeq, +s.getAttribute('data-seq')); }); }
  function logLine(e) {
    if (e.seq <= lastSeq) { return; }
    lastSeq = e.seq;
    var text = time(e.time) + ' ' + (e.step ? '[' + e.step + '] ' : '') + (e.state ? e.state + ' ' : '') + (e.message || '') + '\n';
    var s = el('span', text); s.setAttribute('data-seq', e.seq);
    log.appendChild(s);
    log.scrollTop = log.scrollHeight;
  }
  handlers.run = function (e) {
    if (runsTable) {
      var cell = $('tr[data-run="' + CSS.escape(e.runId) + '"] [data-f="state"]', runsTable);
      if (cell && e.type === 'run' && e.state) { cell.textContent = e.state; cell.className = 'state-' + e.state; }
      if (!cell && !$('#runs-reload')) {
        var p = el('p', 'New runs: '); p.id = 'runs-reload'; var a = el('a', 'reload'); a.href = '/runs'; p.appendChild(a);
        runsTable.parentNode.parentNode.insertBefore(p, runsTable.parentNode);
      }
    }
    if (log && runEl && e.runId === runEl.getAttribute('data-run')) {
      logLine(e);
      if (e.type === 'run' && e.state) { var st = $('#run-state'); st.textContent = e.state; st.className = 'state-' + e.state; }
      if (e.type === 'step' && e.state) { stepRow(e); }
    }
  };
  function stepRow(e) {
    var tb = $('#steps tbody');
    if (!tb) { return; }
    var tr = $('tr[data-step="' + e.stepIndex + '"]', tb);
    if (!tr) {
      tr = document.createElement('tr'); tr.setAttribute('data-step', e.stepIndex);
      tr.appendChild(el('td', e.stepIndex)); tr.appendChild(el('td', e.step));
      var s = el('td'); s.setAttribute('data-f', 'state'); tr.appendChild(s);
      tr.appendChild(el('td', ''));
      var m = el('td'); m.setAttribute('data-f', 'error'); tr.appendChild(m);
      tb.appendChild(tr);
    }
    var st = $('[data-f="state"]', tr); st.textContent = e.state; st.className = 'state-' + e.state;
    if (e.message) { $('[data-f="error"]', tr).textContent = e.message; }
  }
  if (log && runEl) {
    handlers.open = function () {
      api('GET', '/api/runs/' + encodeURIComponent(runEl.getAttribute('data-run')) + '?from=' + (lastSeq + 1)).then(function (d) {
        d.log.forEach(function (l) { logLine({ seq: l.seq, time: l.time, step: l.step, state: l.state, message: l.message }); });
        var st = $('#run-state'); st.textContent = d.run.state; st.className = 'state-' + d.run.state;
      });
    };
  }

  // ------------------------------------------------------------------ forms through the API
  $$('form.api-form').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var body = {};
      new FormData(form).forEach(function (v, k) { if (v !== '') { body[k] = v; } });
      $$('.invalid', form).forEach(function (x) { x.classList.remove('invalid'); });
      var out = $('.form-error', form);
      if (out) { out.textContent = ''; }
      api('POST', form.getAttribute('data-action'), body).then(function (res) {
        if (form.getAttribute('data-show')) { showResult(form, res); return; }
        if (form.getAttribute('data-follow') && res && res.request) { followRequest(res.request, out); return; }
        location.reload();
      }).catch(function (err) {
        if (form.getAttribute('data-show') && err.body && err.body[form.getAttribute('data-field') || 'token']) { showResult(form, err.body); }
        var fields = err.body && err.body.fields;
        var msg = err.message;
        if (fields) {
          msg = Object.keys(fields).map(function (k) {
            var input = form.querySelector('[name="' + CSS.escape(k) + '"]');
            if (input) { input.classList.add('invalid'); }
            return k + ': ' + fields[k];
          }).join('; ');
        }
        if (out) { out.textContent = msg; }
      });
    });
  });
  function showResult(form, res) {
    var target = $('#' + form.getAttribute('data-show'), form);
    target.textContent = res[form.getAttribute('data-field') || 'token'];
    var link = $('a.download', form);
    if (link) {
      link.href = URL.createObjectURL(new Blob([target.textContent], { type: 'text/plain' }));
      link.style.display = '';
    }
  }
  function followRequest(requestId, out) {
    if (out) { out.textContent = 'filed as ' + requestId + '; waiting for the action service...'; }
    var tries = 0;
    (function poll() {
      api('GET', '/api/runs?limit=100').then(function (runs) {
        var run = runs.filter(function (r) { return r.requestId === requestId; })[0];
        if (run) { location.href = '/runs/' + encodeURIComponent(run.id); return; }
        if (++tries < 60) { setTimeout(poll, 500); } else if (out) { out.textContent = 'filed as ' + requestId + '; see Runs'; }
      });
    })();
  }

  // recommended servers on the new-instance form
  var ni = $('#new-instance');
  if (ni) {
    var refresh = function () {
      var q = '/api/placement?port=' + encodeURIComponent($('#ni-port').value || '3306');
      if ($('#ni-cluster').value) { q += '&cluster=' + encodeURIComponent($('#ni-cluster').value); }
      if ($('#ni-replica-of').value) { q += '&replica_of=' + encodeURIComponent($('#ni-replica-of').value); }
      if ($('#ni-name').value) { q += '&name=' + encodeURIComponent($('#ni-name').value); }
      if ($('#ni-engine').value) { q += '&engine=' + encodeURIComponent($('#ni-engine').value); }
      if ($('#ni-size').value) { q += '&size=' + encodeURIComponent($('#ni-size').value); }
      if ($('#ni-bl').value) { q += '&business_line=' + encodeURIComponent($('#ni-bl').value); }
      api('GET', q).then(function (list) {
        var tb = $('#placement tbody'); tb.textContent = '';
        list.forEach(function (c, i) {
          var tr = document.createElement('tr');
          var td = el('td');
          if (c.feasible) {
            var r = document.createElement('input'); r.type = 'radio'; r.name = 'server_choice'; r.value = c.server;
            r.checked = i === 0; r.addEventListener('change', function () { $('#ni-server').value = r.checked ? c.server : ''; });
            td.appendChild(r);
          }
          tr.appendChild(td);
          tr.appendChild(el('td', c.server + (i === 0 && c.feasible ? ' (recommended)' : '')));
          tr.appendChild(el('td', c.rack));
          tr.appendChild(el('td', c.reason));
          if (!c.feasible) { tr.className = 'infeasible'; }
          tb.appendChild(tr);
        });
        $('#ni-server').value = '';
      }).catch(function (err) { $('#placement tbody').textContent = err.message; });
    };
    ['ni-port', 'ni-cluster', 'ni-replica-of', 'ni-name', 'ni-engine', 'ni-size', 'ni-bl'].forEach(function (id) { $('#' + id).addEventListener('change', refresh); });
    refresh();
  }

  // ------------------------------------------------------------------ charts
  var CHARTS = [['qps', 'QPS'], ['connections', 'Connections'], ['threadsRunning', 'Threads running'], ['lagSeconds', 'Replication lag (s)'], ['memoryBytes', 'Memory (bytes)']];
  var HIST = { qps: 'qps', connections: 'connections', threadsRunning: 'threads_running', lagSeconds: 'lag_seconds', memoryBytes: 'memory_bytes' };
  function chart(container, title, xs, ys, xRange) {
    if (typeof uPlot === 'undefined') { return null; }
    var div = el('div', null, 'chart'); container.appendChild(div);
    if (!xs.length) { div.appendChild(el('p', title + ': no data yet', 'muted')); return null; }
    var opts = { title: title, width: 360, height: 160, series: [{}, { label: title, stroke: '#2563eb', spanGaps: false, value: function (u, v) { return fmt(v); } }],
      axes: [{}, { size: 56, values: function (u, vals) { return vals.map(fmt); } }] };
    // a history chart spans its whole range even when the store has few points
    if (xRange) { opts.scales = { x: { time: true, range: function () { return xRange; } } }; }
    return new uPlot(opts, [xs, ys], div);
  }
  function appendLive(r) {
    var t = (r.updatedAt || Date.now()) / 1000;
    CHARTS.forEach(function (c) {
      var ch = charts[c[0]];
      if (!ch) { return; }
      var d = ch.data;
      if (d[0].length && d[0][d[0].length - 1] >= t) { return; }
      var xs = d[0].concat([t]), ys = d[1].concat([r[c[0]] === undefined ? null : r[c[0]]]);
      while (xs.length > 0 && xs[0] < t - 600) { xs.shift(); ys.shift(); }
      ch.setData([xs, ys]);
    });
  }
  if (instanceEl) {
    var id = instanceEl.getAttribute('data-instance');
    api('GET', '/api/instances/' + encodeURIComponent(id) + '/live').then(function (points) {
      var xs = points.map(function (p) { return p.t / 1000; });
      CHARTS.forEach(function (c) {
        charts[c[0]] = chart($('#live-charts'), c[1], xs, points.map(function (p) { return p[c[0]] === undefined ? null : p[c[0]]; }));
      });
    });
    var loadHistory = function (range) {
      api('GET', '/api/instances/' + encodeURIComponent(id) + '/history?range=' + range).then(function (h) {
        var box = $('#history-charts'); box.textContent = '';
        CHARTS.forEach(function (c) {
          var pts = h.series[HIST[c[0]]] || [];
          chart(box, c[1] + ' · ' + range, pts.map(function (p) { return p[0]; }), pts.map(function (p) { return p[1]; }), [h.start, h.end]);
        });
        $('#history-note').textContent = h.errors ? ('time-series store: ' + JSON.stringify(h.errors)) : '';
      });
    };
    $$('button.range').forEach(function (b) { b.addEventListener('click', function () { loadHistory(b.getAttribute('data-range')); }); });
    loadHistory('1h');
  }
  var qc = $('#query-chart');
  if (qc) {
    api('GET', '/api/slowsql/' + encodeURIComponent(qc.getAttribute('data-query')) + '?range=' + qc.getAttribute('data-range')).then(function (d) {
      var byT = {};
      d.history.forEach(function (p) { var t = Date.parse(p.windowStart) / 1000; byT[t] = (byT[t] || 0) + p.totalSec; });
      var xs = Object.keys(byT).map(Number).sort(function (a, b) { return a - b; });
      chart(qc, 'Total time per minute (s)', xs, xs.map(function (t) { return byT[t]; }));
    });
  }
})();
