// tconv report: draws report.html from the JSON model embedded in the page
// (reports/report_model.cpp prepares every number; this script only lays it out).
// No libraries, no network: DOM, inline SVG, and a virtual table that keeps only the
// visible rows in the DOM so 20,000 rows stay responsive.
(function () {
  'use strict';

  const DATA = JSON.parse(document.getElementById('tconv-data').textContent);
  const OUTCOMES = DATA.outcomes.outcomes;
  const FAILING = new Set(['INCORRECT', 'FAILED', 'TIMEOUT', 'CRASHED']);
  const PASSING = new Set(['PASSED', 'MISTRUSTED']);
  const OUTCOME_COLOR = {
    PASSED: '#2e9e4f', MISTRUSTED: '#9ccc65', INCORRECT: '#d7301f', FAILED: '#e66101', TIMEOUT: '#7b3294',
    CRASHED: '#222222', UNSUPPORTED: '#aab3bd', INVALID: '#d5dae1', SKIPPED: '#6b9ab8',
  };
  // Worst first: the table's default order puts failures at the top.
  const SEVERITY = ['CRASHED', 'TIMEOUT', 'FAILED', 'INCORRECT', 'MISTRUSTED', 'SKIPPED', 'UNSUPPORTED', 'INVALID', 'PASSED'];
  const BACKEND_COLORS = ['#2857b8', '#e66101', '#2e9e4f', '#7b3294', '#c62828', '#00838f', '#8d6e63', '#c0ca33', '#5e35b1', '#f06292'];
  const SVGNS = 'http://www.w3.org/2000/svg';
  const collator = new Intl.Collator(undefined, { numeric: true });

  // ---- DOM helpers ------------------------------------------------------------------
  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  function append(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
  }
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function s(tag, attrs, ...children) {
    const e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function svgText(x, y, text, attrs) { return s('text', Object.assign({ x, y }, attrs || {}), text); }

  // ---- numbers ----------------------------------------------------------------------
  // The model writes non-finite reals as "inf", "-inf", "nan" (JSON has none).
  function num(v) {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v === 'nan' ? NaN : v.startsWith('-') ? -Infinity : Infinity;
    return v;
  }
  function fmt(v, digits) {
    digits = digits || 3;
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    if (v === 0) return '0';
    const a = Math.abs(v);
    if (a >= 1e-3 && a < 1e5) return String(+v.toPrecision(digits));
    const [m, e] = v.toExponential(digits - 1).split('e');
    return String(+m) + 'e' + Number(e);
  }
  function pct(x) { return x >= 1 ? '100%' : (Math.floor(x * 1000) / 10) + '%'; }
  function sum(a) { return a.reduce((x, y) => x + y, 0); }
  function clamp(x, lo, hi) { return Math.max(lo, Math.min(hi, x)); }
  function lerpColor(stops, t) {
    t = clamp(t, 0, 1) * (stops.length - 1);
    const k = Math.min(Math.floor(t), stops.length - 2), f = t - k;
    const a = parseInt(stops[k].slice(1), 16), b = parseInt(stops[k + 1].slice(1), 16);
    const ch = (sh) => Math.round(((a >> sh) & 255) * (1 - f) + ((b >> sh) & 255) * f);
    return 'rgb(' + ch(16) + ',' + ch(8) + ',' + ch(0) + ')';
  }
  function formatBytes(b) {
    if (!b) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let k = 0;
    while (b >= 1024 && k < units.length - 1) { b /= 1024; k++; }
    return (+b.toPrecision(3)) + ' ' + units[k];
  }

  // ---- rows (columnar, packed: see reports/row_encoding.h) ----------------------------
  const CODE_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const DIGIT = new Int32Array(128);
  for (let k = 0; k < CODE_DIGITS.length; k++) DIGIT[CODE_DIGITS.charCodeAt(k)] = k;
  function decodeCodes(packed, width, n) {
    const out = new Int32Array(n);
    for (let r = 0, p = 0; r < n; r++) {
      let v = 0;
      for (let j = 0; j < width; j++) v = v * 64 + DIGIT[packed.charCodeAt(p++)];
      out[r] = v;
    }
    return out;
  }
  // "1.5,,inf" -> [1.5, null, 'inf'] (num() reads the non-finite texts).
  function decodeNumbers(text, n) {
    if (n === 0) return [];
    return text.split(',').map((t) => (t === '' ? null : t === 'inf' || t === '-inf' || t === 'nan' ? t : Number(t)));
  }
  // Every column as a row column: {d: labels, i: code per row} or {v: value per row}.
  const ROWS = (function (enc) {
    const n = enc.n, cols = {};
    const decode = (c, m) => (c.d ? { d: c.d, i: decodeCodes(c.k, c.w, m) } : c.f !== undefined ? { v: decodeNumbers(c.f, m) } : { v: c.v });
    const caseOf = decodeCodes(enc.cols.case_ref.k, enc.cols.case_ref.w, n);
    for (const name of Object.keys(enc.cases.cols)) {
      const c = decode(enc.cases.cols[name], enc.cases.n);
      if (name === 'case') cols[name] = { d: c.v, i: caseOf };
      else if (c.d) cols[name] = { d: c.d, i: Int32Array.from(caseOf, (k) => c.i[k]) };
      else cols[name] = { v: Array.from(caseOf, (k) => c.v[k]) };
    }
    for (const name of Object.keys(enc.cols)) if (name !== 'case_ref') cols[name] = decode(enc.cols[name], n);
    const get = {};
    for (const name of Object.keys(cols)) {
      const c = cols[name];
      if (c.d) { const d = c.d, idx = c.i; get[name] = (i) => d[idx[i]]; } else { const v = c.v; get[name] = (i) => v[i]; }
    }
    return { n, cols, get, has: (k) => k in cols, shortened: enc.shortened || 0 };
  })(DATA.rows);
  const G = ROWS.get;
  // ' + 0.01 ms staging' where row i's backend timed a staging copy apart from its median.
  function stagingNote(i) {
    const v = G.staging_ms ? G.staging_ms(i) : null;
    return v === null || v === undefined ? '' : ' + ' + fmt(v) + ' ms staging';
  }

  // The same text as to_repro(problem) in backends/api/problem.cpp.
  function problemText(i) {
    return 'n=' + G.n(i) + ' ci=' + G.c_in(i) + ' co=' + G.c_out(i) + ' g=' + G.groups(i) + ' in=' + G.input(i) +
      ' k=' + G.kernel(i) + ' s=' + G.stride(i) + ' d=' + G.dil(i) + ' crop=' + G.crop(i) + ' bias=' + G.bias(i) +
      ' dt=' + G.dtype(i) + ' layout=' + G.layout(i) + ' wl=' + G.wl(i);
  }
  function reproOf(i) {
    return G.repro(i).replace('{P}', () => problemText(i)).replace('{D}', () => G.dir(i)).replace('{B}', () => G.backend(i));
  }

  // ---- copying ------------------------------------------------------------------------
  function fallbackCopy(text) {
    const ta = h('textarea', { style: 'position:fixed;left:-9999px;top:0' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    return ok;
  }
  function copyText(text, button) {
    const done = (ok) => {
      if (!button) return;
      const old = button.textContent;
      button.textContent = ok ? 'copied' : 'select and copy';
      setTimeout(() => { button.textContent = old; }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => done(true), () => done(fallbackCopy(text)));
    } else {
      done(fallbackCopy(text));
    }
  }

  // ---- the table filter ----------------------------------------------------------------
  // Words match the case name, backend, status and reason; KEY=V (V1|V2 for either),
  // KEY!=V, KEY~TEXT (contains), KEY<X, KEY>X, KEY<=X, KEY>=X on any column.
  const FILTER_KEYS = {
    status: 'status', case: 'case', name: 'case', backend: 'backend', dir: 'dir', direction: 'dir', dtype: 'dtype',
    dt: 'dtype', layout: 'layout', wl: 'wl', weights: 'wl', weight_layout: 'wl', n: 'n', c_in: 'c_in', ci: 'c_in',
    c_out: 'c_out', co: 'c_out', groups: 'groups', g: 'groups', input: 'input', in: 'input', kernel: 'kernel',
    k: 'kernel', stride: 'stride', s: 'stride', dil: 'dil', dilation: 'dil', d: 'dil', crop: 'crop', crop_class: 'crop_class',
    output: 'output',
    out: 'output', bias: 'bias', math: 'math', source: 'source', reason: 'reason', abs_err: 'abs_err',
    rel_err: 'rel_err', ulp: 'ulp', max_ulp: 'ulp', ratio: 'ratio', err_bound_ratio: 'ratio', mismatches: 'mismatches', elements: 'elements',
    time_ms: 'time_ms', ms: 'time_ms', gflops: 'gflops', gbps: 'gbps', timer: 'timer', repeats: 'repeats',
    algorithm: 'algorithm', algo: 'algorithm', workspace: 'workspace', workspace_bytes: 'workspace',
    deterministic: 'deterministic', det: 'deterministic', repeat_diff: 'repeat_diff', repeat_max_diff: 'repeat_diff',
    reference: 'reference', ref: 'reference', staging_ms: 'staging_ms', staging: 'staging_ms',
  };
  const NUMERIC = new Set(['n', 'c_in', 'c_out', 'groups', 'bias', 'abs_err', 'rel_err', 'ulp', 'ratio', 'mismatches',
    'elements', 'zero_frac', 'time_ms', 'time_min_ms', 'time_max_ms', 'repeats', 'gflops', 'gbps', 'workspace',
    'repeat_diff', 'staging_ms']);

  function compileFilter(text) {
    const preds = [], errors = [];
    const re = /"([^"]*)"|(\S+)/g;
    let m;
    while ((m = re.exec(text))) {
      const phrase = m[1] !== undefined ? m[1] : null, tok = m[2];
      const kv = phrase === null ? /^([A-Za-z_]+)(!=|<=|>=|=|<|>|~)(.*)$/.exec(tok) : null;
      if (!kv) {
        const word = (phrase !== null ? phrase : tok).toLowerCase();
        if (word) preds.push((i) => (G.case(i) + ' ' + G.backend(i) + ' ' + G.status(i) + ' ' + G.reason(i)).toLowerCase().includes(word));
        continue;
      }
      const key = kv[1].toLowerCase(), op = kv[2], value = kv[3];
      const col = FILTER_KEYS[key];
      if (!col) { errors.push('unknown key "' + key + '"'); continue; }
      if (!ROWS.has(col)) { errors.push('this run has no "' + key + '" column'); continue; }
      const get = G[col];
      if (op === '<' || op === '>' || op === '<=' || op === '>=') {
        const x = num(value === 'inf' ? 'inf' : parseFloat(value));
        if (x === null || Number.isNaN(x)) { errors.push('"' + tok + '": not a number'); continue; }
        const cmp = { '<': (a) => a < x, '>': (a) => a > x, '<=': (a) => a <= x, '>=': (a) => a >= x }[op];
        preds.push((i) => { const v = num(get(i)); return v !== null && !Number.isNaN(v) && cmp(v); });
        continue;
      }
      const alts = value.toLowerCase().split('|');
      const one = (i, alt) => {
        const raw = get(i);
        if (col === 'status' && (alt === 'failing' || alt === 'fail')) return FAILING.has(raw);
        if (col === 'status' && (alt === 'passing' || alt === 'pass')) return PASSING.has(raw);
        if (NUMERIC.has(col) && op !== '~') {
          if (alt === '') return raw === null;
          const v = num(raw);
          if (alt === 'nan') return v !== null && Number.isNaN(v);
          return v !== null && v === num(alt === 'inf' ? alt : parseFloat(alt));
        }
        const t = raw === null || raw === undefined ? '' : String(raw).toLowerCase();
        if (op === '~') return t.includes(alt);
        return t === alt || (col === 'backend' && t.split(':')[0] === alt);
      };
      const match = (i) => alts.some((a) => one(i, a));
      preds.push(op === '!=' ? (i) => !match(i) : match);
    }
    return { test: (i) => preds.every((p) => p(i)), errors, empty: preds.length === 0 };
  }

  // ---- sorting ------------------------------------------------------------------------
  function sortKeyOf(col) {
    const c = ROWS.cols[col];
    if (col === 'status') {
      const rank = c.d.map((l) => SEVERITY.indexOf(l));
      return (i) => rank[c.i[i]];
    }
    if (c.d) {
      const order = c.d.map((l, k) => k).sort((a, b) => collator.compare(c.d[a], c.d[b]));
      const rank = new Int32Array(c.d.length);
      order.forEach((k, r) => { rank[k] = r; });
      return (i) => rank[c.i[i]];
    }
    return (i) => { const v = num(c.v[i]); return v === null || Number.isNaN(v) ? null : v; };
  }
  // Stable; empty values last in both directions.
  function sortIndex(index, keyFn, dir) {
    const keys = Array.from(index, keyFn);
    const order = Array.from(index, (_, k) => k);
    order.sort((a, b) => {
      const x = keys[a], y = keys[b];
      if (x === y) return a - b;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    });
    return Int32Array.from(order, (k) => index[k]);
  }

  // ---- virtual table ------------------------------------------------------------------
  // columns: [{key, label, width, num, title, cell(i) -> text | Node, cls(i)}]
  // opts: {columns, rowHeight, rowAttrs(i), onSelect(i), sortKey(key) -> fn, maxHeight}
  function VirtualTable(opts) {
    const ROW = opts.rowHeight || 24, HEAD = 30;
    const template = opts.columns.map((c) => (c.width ? c.width + 'px' : 'minmax(' + (c.min || 220) + 'px,1fr)')).join(' ');
    let base = new Int32Array(0), index = base, sortKey = null, sortDir = 1, selected = -1, pending = false;
    const arrows = {};
    const head = h('div', { class: 'vt-head' }, opts.columns.map((c) => {
      arrows[c.key] = h('span', { class: 'sort' });
      return h('div', { class: 'vt-th' + (c.num ? ' num' : ''), title: (c.title || c.label) + ': click to sort', 'data-key': c.key,
        onclick: () => sortBy(c.key) }, c.label, arrows[c.key]);
    }));
    head.style.gridTemplateColumns = template;
    const rowsBox = h('div', { class: 'vt-rows' });
    const body = h('div', { class: 'vt-body' }, rowsBox);
    const view = h('div', { class: 'vt-view' }, head, body);

    function render() {
      pending = false;
      const n = index.length;
      body.style.height = Math.max(n * ROW, n ? 0 : 48) + 'px';
      const top = Math.max(0, view.scrollTop - HEAD);
      const first = Math.max(0, Math.floor(top / ROW) - 8);
      const last = Math.min(n, first + Math.ceil((view.clientHeight || 600) / ROW) + 16);
      rowsBox.style.transform = 'translateY(' + first * ROW + 'px)';
      rowsBox.textContent = '';
      const frag = document.createDocumentFragment();
      for (let k = first; k < last; k++) {
        const i = index[k];
        const row = h('div', Object.assign({ class: 'vt-row' + (i === selected ? ' sel' : ''), 'data-row': i },
          opts.rowAttrs ? opts.rowAttrs(i) : {}));
        row.style.gridTemplateColumns = template;
        for (const c of opts.columns) {
          const v = c.cell(i);
          const cls = (c.num ? 'num ' : '') + (c.cls ? c.cls(i) || '' : '');
          row.appendChild(h('div', { class: cls || null, title: typeof v === 'string' && v.length > 12 ? v : null }, v));
        }
        frag.appendChild(row);
      }
      if (n === 0) frag.appendChild(h('div', { class: 'vt-empty' }, 'no rows match'));
      rowsBox.appendChild(frag);
    }
    function schedule() { if (!pending) { pending = true; requestAnimationFrame(render); } }
    function resize() {
      const max = opts.maxHeight || Math.max(320, Math.round(window.innerHeight * 0.62));
      view.style.height = Math.min(HEAD + Math.max(index.length, 2) * ROW + 18, max) + 'px';
    }
    function apply() {
      index = sortKey ? sortIndex(base, opts.sortKey(sortKey), sortDir) : base;
      for (const k of Object.keys(arrows)) arrows[k].textContent = k === sortKey ? (sortDir > 0 ? '\u25B2' : '\u25BC') : '';
      resize();
      render();
    }
    function sortBy(key, dir) {
      if (dir) { sortKey = key; sortDir = dir; } else if (sortKey === key) sortDir = -sortDir; else { sortKey = key; sortDir = 1; }
      apply();
    }
    view.addEventListener('scroll', schedule);
    window.addEventListener('resize', () => { resize(); schedule(); });
    rowsBox.addEventListener('click', (e) => {
      if (e.target.closest('button')) return;
      const row = e.target.closest('.vt-row');
      if (!row) return;
      selected = Number(row.getAttribute('data-row'));
      render();
      if (opts.onSelect) opts.onSelect(selected);
    });
    return {
      el: view,
      setRows(arr) { base = arr; view.scrollTop = 0; apply(); },
      sortBy,
      count: () => index.length,
    };
  }

  // ---- page skeleton ------------------------------------------------------------------
  const app = document.getElementById('app');
  const run = DATA.run, env = DATA.environment || {};
  const perfOn = !!DATA.perf;
  const failures = DATA.outcomes.failures;

  // "device (timeout 60 s; workers restarted: cudnn 2)"; runs before supervised workers said true / false.
  function isolationText(run) {
    const mode = run.isolate === true ? 'all' : (run.isolate === false || !run.isolate ? 'none' : run.isolate);
    const restarts = Object.entries(run.worker_restarts || {}).filter(([, n]) => n > 0).map(([b, n]) => b + ' ' + n);
    return mode + (mode !== 'none' ? ' (timeout ' + run.timeout_s + ' s' +
      (restarts.length ? '; workers restarted after a crash or hang: ' + restarts.join(', ') : '') + ')' : '') +
      (run.repeat_check ? '; --repeat-check' : '');
  }

  function section(id, title, ...children) {
    return h('section', { class: 'card', id }, h('h2', null, title), children);
  }

  function renderHeader() {
    const nav = h('nav', null,
      h('a', { href: '#outcomes' }, 'Outcomes'), h('a', { href: '#heatmaps' }, 'Heatmaps'),
      h('a', { href: '#errors' }, 'Errors'), perfOn ? h('a', { href: '#perf' }, 'Performance') : null,
      h('a', { href: '#rows' }, 'All rows'));
    const verdict = failures > 0
      ? h('a', { class: 'verdict bad', href: '#q=' + encodeURIComponent('status=failing'), style: 'color:#fff' }, failures + ' failing rows')
      : h('span', { class: 'verdict good' }, 'no failures');
    document.body.insertBefore(h('header', { class: 'top' }, h('h1', null, 'tconv report: ' + run.suite.name), nav, verdict), app);
  }

  function durationText(a, b) {
    const t0 = Date.parse(a), t1 = Date.parse(b);
    if (!(t1 >= t0)) return '';
    const sec = Math.round((t1 - t0) / 1000);
    return sec < 90 ? sec + ' s' : sec < 5400 ? Math.round(sec / 60) + ' min' : (sec / 3600).toFixed(1) + ' h';
  }

  function kvTable(pairs) {
    return h('table', { class: 'kv' }, pairs.filter((p) => p[1] !== '' && p[1] !== null && p[1] !== undefined)
      .map((p) => h('tr', null, h('th', null, p[0]), h('td', null, p[1]))));
  }

  function renderRunInfo() {
    const when = run.start_time + (run.end_time ? '  (' + durationText(run.start_time, run.end_time) + ')' : '');
    const runPairs = [
      ['suite', run.suite.name + (run.suite.path ? '  (' + run.suite.path + ')' : '')],
      ['date', when],
      ['state', run.state],
      ['command', h('code', null, run.command_line)],
      ['commit', h('code', null, env.git_commit || '')],
      ['rows', ROWS.n + ' (' + (run.cases_selected || '?') + ' of ' + (run.suite.cases || '?') + ' cases)'],
      ['backends', (run.backends || []).join(', ')],
      ['directions', (run.directions || []).join(', ') || 'each case\u2019s own'],
      ['seed', run.seed],
      ['filter', run.filter], ['shard', run.shard],
      ['perf', run.perf ? 'yes' : 'no'], ['isolate', isolationText(run)],
      ['merged from', (run.merged_from || []).join(', ')],
    ];
    const gpus = (env.gpus || []).map((g) => g.name + (g.compute_capability ? ' (sm ' + g.compute_capability + ')' : '') +
      (g.memory_gib ? ', ' + (+g.memory_gib).toFixed(0) + ' GiB' : '')).join('; ');
    const envPairs = [
      ['CPU', (env.cpu || '') + (env.cores ? '  (' + env.cores + ' cores)' : '')],
      ['memory', formatBytes(env.memory_bytes)],
      ['GPU', gpus || env.gpu_note || (env.gpus ? 'none' : 'not built with CUDA')],
      ['driver', env.cuda_driver_version], ['CUDA runtime', env.cuda_runtime_version],
      ['cuDNN', env.cudnn_version], ['oneDNN', env.onednn_version],
      ['compiler', env.compiler], ['build type', env.build_type],
      ['built with', (env.built_with || []).join(', ')],
      ['OS', env.os], ['host', env.host],
      ['peak GFLOP/s', peakText(env.peak_gflops)],
      ['ceilings from', (env.ceilings || []).map((c) => c.source + ' (' + c.device + ')').join(', ')],
    ];
    const notes = (DATA.notes || []).slice();
    if (env.per_shard) notes.push('the shards ran in different environments (results.json lists each)');
    if (ROWS.shortened) notes.push(ROWS.shortened + ' rows have a shortened reason or mismatch list here; results.csv has them in full');
    return h('div', null,
      notes.map((n) => h('div', { class: 'banner' }, n)),
      h('div', { class: 'two' }, h('div', { class: 'card' }, h('h3', null, 'Run'), kvTable(runPairs)),
        h('div', { class: 'card' }, h('h3', null, 'Environment'), kvTable(envPairs))));
  }

  // environment.peak_gflops: a number, or per backend a number or {data type: GFLOP/s}.
  function peakText(p) {
    if (p === undefined || p === null) return '';
    if (typeof p !== 'object') return String(p);
    return Object.keys(p).map((b) => b + ' ' + (typeof p[b] === 'object' ?
      Object.keys(p[b]).map((t) => t + ' ' + p[b][t]).join(' / ') : p[b])).join(', ');
  }

  function filterLink(text) { return '#q=' + encodeURIComponent(text); }

  // ---- outcomes: tiles and stacked bars per backend x direction -----------------------
  function renderOutcomes() {
    const total = DATA.outcomes.total;
    const tiles = h('div', { class: 'tiles', id: 'outcome-tiles' }, h('a', { class: 'tile', href: filterLink(''), 'data-outcome': 'ALL', 'data-count': ROWS.n },
      h('b', null, ROWS.n), h('span', null, 'rows')), OUTCOMES.map((o, k) => h('a', {
      class: 'tile' + (total[k] ? (FAILING.has(o) ? ' bad' : '') : ' zero'), href: filterLink('status=' + o),
      'data-outcome': o, 'data-count': total[k],
    }, h('b', null, total[k]), h('span', null, h('i', { class: 'sw', style: 'background:' + OUTCOME_COLOR[o] }), o))));

    const bars = DATA.outcomes.bars;
    const labelW = 24 + 7 * Math.max(10, ...bars.map((b) => b.backend.length)), dirW = 92, barW = 620, rowH = 22, gap = 10;
    const width = labelW + dirW + barW + 170;
    let y = 4;
    const g = [];
    let lastBackend = null;
    for (const b of bars) {
      if (b.backend !== lastBackend) {
        if (lastBackend !== null) { y += gap; g.push(s('line', { class: 'gridline', x1: 0, x2: width, y1: y - gap / 2, y2: y - gap / 2 })); }
        g.push(svgText(0, y + 15, b.backend, { 'font-weight': 600, 'font-size': 12 }));
        lastBackend = b.backend;
      }
      const n = sum(b.counts);
      g.push(svgText(labelW, y + 15, b.direction));
      let x = labelW + dirW;
      b.counts.forEach((c, k) => {
        if (!c) return;
        const w = (c / n) * barW, o = OUTCOMES[k];
        const q = 'backend=' + b.backend + ' dir=' + b.direction + ' status=' + o;
        g.push(s('a', { href: filterLink(q) }, s('rect', {
          x, y: y + 2, width: Math.max(w, 0.5), height: rowH - 4, fill: OUTCOME_COLOR[o],
          'data-backend': b.backend, 'data-direction': b.direction, 'data-status': o, 'data-count': c,
        }, s('title', null, b.backend + ' ' + b.direction + ': ' + c + ' ' + o + ' (' + pct(c / n) + ')')),
        w > 34 ? svgText(x + w / 2, y + 15, c, { 'text-anchor': 'middle', fill: o === 'INVALID' ? '#333' : '#fff', 'pointer-events': 'none' }) : null));
        x += w;
      });
      const failing = sum(b.counts.filter((c, k) => FAILING.has(OUTCOMES[k])));
      g.push(svgText(labelW + dirW + barW + 8, y + 15, n + ' rows', { fill: '#637083' }));
      if (failing) {
        g.push(s('a', { href: filterLink('backend=' + b.backend + ' dir=' + b.direction + ' status=failing') },
          svgText(labelW + dirW + barW + 70, y + 15, failing + ' failing \u2192', { fill: '#c62828', 'font-weight': 600 })));
      }
      y += rowH;
    }
    const svg = s('svg', { width, height: y + 6, viewBox: '0 0 ' + width + ' ' + (y + 6), class: 'fit', role: 'img', 'aria-label': 'outcomes per backend and direction' }, g);
    const legend = h('div', { class: 'legend' }, OUTCOMES.filter((o, k) => total[k]).map((o) =>
      h('span', null, h('i', { style: 'background:' + OUTCOME_COLOR[o] }), o)), h('span', null, 'click a segment to list its rows'));
    return section('outcomes', 'Outcomes per backend and direction', tiles, h('div', { style: 'height:12px' }), legend, h('div', { class: 'chart' }, svg));
  }

  // ---- heatmaps -----------------------------------------------------------------------
  const RATE_STOPS = ['#c62828', '#ef6c00', '#fbc02d'];
  const RATIO_STOPS = ['#f4f8fc', '#d4e4f4', '#a3c6e6', '#6a9fd4', '#3f72b8'];
  function rateColor(r) { return r >= 1 ? '#2e9e4f' : lerpColor(RATE_STOPS, r); }
  function ratioColor(v) {
    const x = num(v);
    if (x === null) return '#eceff3';
    if (!(x <= 1)) return '#c62828';
    if (x === 0) return '#f3f8fb';
    return lerpColor(RATIO_STOPS, (Math.log10(x) + 8) / 8);
  }

  function heatmapSvg(map, pair, backend, metric) {
    const cw = 24, ch = 17;
    const xMax = Math.max(...map.xs.map((l) => l.length)), yMax = Math.max(...map.ys.map((l) => l.length));
    const left = 12 + 6 * Math.max(yMax, 2), top = 22 + (xMax > 3 ? 5.5 * xMax : 12);
    const width = left + cw * map.xs.length + 6, height = top + ch * map.ys.length + 4;
    const cells = new Map(map.cells.map((c) => [c[0] + ',' + c[1], c]));
    const g = [svgText(0, 11, pair.x + ' \u00D7 ' + pair.y, { 'font-weight': 600, 'font-size': 11 })];
    map.xs.forEach((l, x) => {
      const cx = left + x * cw + cw / 2;
      g.push(xMax > 3 ? svgText(cx + 3, top - 4, l, { transform: 'rotate(-50 ' + (cx + 3) + ' ' + (top - 4) + ')' }) :
        svgText(cx, top - 4, l, { 'text-anchor': 'middle' }));
    });
    map.ys.forEach((l, y) => g.push(svgText(left - 4, top + y * ch + ch / 2 + 3.5, l, { 'text-anchor': 'end' })));
    map.ys.forEach((yl, y) => map.xs.forEach((xl, x) => {
      const c = cells.get(x + ',' + y);
      const rx = left + x * cw, ry = top + y * ch;
      if (!c) { g.push(s('rect', { x: rx + 0.5, y: ry + 0.5, width: cw - 1, height: ch - 1, fill: '#fafbfc' })); return; }
      const [, , rows, tested, passed, failed, worst] = c;
      let fill, label = '';
      if (metric === 'rate') {
        fill = tested ? rateColor(passed / tested) : '#e3e7ec';
        if (tested && passed < tested) label = Math.floor((100 * passed) / tested);
      } else {
        fill = ratioColor(worst);
        if (worst !== null && num(worst) > 1) label = '>1';
      }
      const tip = backend + '\n' + pair.x + ' ' + xl + ', ' + pair.y + ' ' + yl + '\n' + rows + ' rows, ' + tested + ' tested, ' +
        passed + ' passed, ' + failed + ' failing' + (tested ? ' (pass rate ' + pct(passed / tested) + ')' : ' (none ran: unsupported / invalid / skipped)') +
        '\nworst err/bound ' + (worst === null ? '-' : fmt(num(worst)));
      const q = 'backend=' + backend + ' ' + map.x_filters[x] + ' ' + map.y_filters[y];
      g.push(s('a', { href: filterLink(q) }, s('rect', { x: rx + 0.5, y: ry + 0.5, width: cw - 1, height: ch - 1, fill, rx: 2 }, s('title', null, tip)),
        label !== '' ? svgText(rx + cw / 2, ry + ch / 2 + 3.5, label, { 'text-anchor': 'middle', 'font-size': 9, fill: metric === 'rate' ? '#111' : '#fff', 'pointer-events': 'none' }) : null));
    }));
    return s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, class: 'heatmap' }, g);
  }

  function heatLegend(metric) {
    if (metric === 'rate') {
      return h('div', { class: 'legend' }, h('span', null, h('i', { style: 'background:#2e9e4f' }), 'all passed'),
        [0.95, 0.5, 0].map((r) => h('span', null, h('i', { style: 'background:' + rateColor(r) }), pct(r) + ' passed')),
        h('span', null, h('i', { style: 'background:#e3e7ec' }), 'nothing ran (unsupported, invalid, skipped)'),
        h('span', null, 'numbers: pass rate % where below 100; click a cell to list its rows'));
    }
    return h('div', { class: 'legend' }, [0, 1e-6, 1e-4, 1e-2, 1].map((v) => h('span', null, h('i', { style: 'background:' + ratioColor(v) }), 'worst err/bound ' + fmt(v))),
      h('span', null, h('i', { style: 'background:#c62828' }), 'over the bound'), h('span', null, h('i', { style: 'background:#eceff3' }), 'no comparison'));
  }

  function renderHeatmaps() {
    const hm = DATA.heatmaps;
    const body = h('div');
    let metric = 'rate', only = '';
    const draw = () => {
      body.textContent = '';
      body.appendChild(heatLegend(metric));
      for (const b of hm.backends) {
        if (only && b.backend !== only) continue;
        body.appendChild(h('div', { class: 'backend-block' }, h('h3', null, b.backend),
          h('div', { class: 'charts' }, b.maps.map((m, k) => h('div', { class: 'chart' }, heatmapSvg(m, hm.pairs[k], b.backend, metric))))));
      }
    };
    const radio = (value, label) => h('label', null, h('input', { type: 'radio', name: 'heat-metric', value, checked: value === metric,
      onchange: () => { metric = value; draw(); } }), ' ' + label);
    const pick = h('select', { 'aria-label': 'backend', onchange: (e) => { only = e.target.value; draw(); } },
      h('option', { value: '' }, 'every backend'), hm.backends.map((b) => h('option', { value: b.backend }, b.backend)));
    draw();
    return section('heatmaps', 'Where each backend breaks', h('div', { class: 'controls' }, radio('rate', 'pass rate'),
      radio('ratio', 'worst error/bound ratio'), hm.backends.length > 1 ? pick : null),
      h('div', { class: 'hint' }, 'Crop classes (crops t,b,l,r): 0 none; symN all four N; asymN unequal, up to N; negN some crop is -N (bias-only lines). Every direction counts; hover a cell for its numbers.'),
      body);
  }

  // ---- error/bound histograms ---------------------------------------------------------
  function renderHistograms() {
    const H = DATA.histograms, edges = H.log10_edges;
    if (!H.backends.length) return section('errors', 'Error distribution', h('p', { class: 'muted' }, 'No row was compared against the oracle.'));
    // A common x range: every non-empty bin of any backend, and the bound.
    const boundBin = edges.indexOf(0);
    let lo = boundBin - 1, hi = boundBin;
    for (const b of H.backends) b.bins.forEach((c, k) => { if (c) { lo = Math.min(lo, k); hi = Math.max(hi, k); } });
    lo = Math.max(0, lo - 1);
    hi = Math.min(edges.length - 2, hi + 1);
    const hasNonFinite = H.backends.some((b) => b.non_finite);
    const slots = 1 + (hi - lo + 1) + (hasNonFinite ? 1 : 0);
    const bw = Math.max(9, Math.min(18, Math.floor(330 / slots))), left = 40, top = 16, ph = 110;
    const width = left + slots * bw + 14, height = top + ph + 34;
    const charts = H.backends.map((b) => {
      const bars = [{ count: b.exact, label: 'exactly 0', q: 'ratio=0', color: '#2e9e4f' }];
      for (let k = lo; k <= hi; k++) {
        const a = Math.pow(10, edges[k]), z = Math.pow(10, edges[k + 1]);
        const first = k === 0, last = k === edges.length - 2;  // these also hold everything beyond them
        bars.push({ count: b.bins[k], label: first ? '<= ' + fmt(z, 2) : last ? '> ' + fmt(a, 2) : fmt(a, 2) + ' .. ' + fmt(z, 2),
          q: (first ? 'ratio>0' : 'ratio>' + fmt(a, 4)) + (last ? '' : ' ratio<=' + fmt(z, 4)),
          color: edges[k] >= 0 ? '#c62828' : '#4a78c9', edge: edges[k] });
      }
      if (hasNonFinite) bars.push({ count: b.non_finite, label: 'NaN / Inf', q: 'ratio=inf|nan', color: '#7b1010' });
      const max = Math.max(1, ...bars.map((x) => x.count));
      const g = [s('line', { class: 'axis', x1: left, x2: width - 10, y1: top + ph, y2: top + ph }),
        svgText(left - 4, top + 4, max, { 'text-anchor': 'end', fill: '#637083' }), svgText(left - 4, top + ph, 0, { 'text-anchor': 'end', fill: '#637083' })];
      bars.forEach((x, k) => {
        const bh = x.count ? Math.max(1.5, (x.count / max) * ph) : 0, bx = left + k * bw;
        if (bh) {
          g.push(s('a', { href: filterLink('backend=' + b.backend + ' ' + x.q) }, s('rect', { x: bx + 1, y: top + ph - bh, width: bw - 2, height: bh, fill: x.color },
            s('title', null, b.backend + ': ' + x.count + ' rows with err/bound ' + x.label))));
        }
        if (x.edge !== undefined && Number.isInteger(x.edge) && x.edge % 2 === 0) {
          g.push(svgText(bx, top + ph + 12, x.edge === 0 ? '1' : '1e' + x.edge, { 'text-anchor': 'middle', fill: '#637083' }));
          g.push(s('line', { class: 'axis', x1: bx, x2: bx, y1: top + ph, y2: top + ph + 3 }));
        }
      });
      g.push(svgText(left + bw / 2, top + ph + 24, '0', { 'text-anchor': 'middle', fill: '#2e9e4f' }));
      if (hasNonFinite) g.push(svgText(left + (slots - 0.5) * bw, top + ph + 24, 'NaN', { 'text-anchor': 'middle', fill: '#7b1010' }));
      const bx = left + (1 + boundBin - lo) * bw;
      g.push(s('line', { class: 'bound', x1: bx, x2: bx, y1: top - 6, y2: top + ph }), svgText(bx + 3, top - 2, 'bound', { fill: '#c62828' }));
      return h('figure', { class: 'chart', style: 'margin:0' }, h('figcaption', null, b.backend,
        h('span', { class: 'muted', style: 'font-weight:400' }, '  ' + b.total + ' compared, ' + b.exact + ' exact, ' + b.over_bound + ' over the bound')),
      s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height }, g));
    });
    return section('errors', 'Error distribution: max error / bound per row (log scale)',
      h('p', { class: 'muted', style: 'margin-top:-6px' }, 'Each row\u2019s largest error divided by its shape-aware bound; right of the dashed line is a failure. Bars link to their rows.'),
      h('div', { class: 'charts' }, charts));
  }

  // ---- performance --------------------------------------------------------------------
  function renderPerf() {
    const P = DATA.perf;
    if (!P) return null;
    // A shape: [GFLOP, then per backend the index of its row or -1].
    const B = P.backends;
    const shapes = P.shapes.map((line) => {
      const refs = line.slice(1);
      const first = refs.find((r) => r >= 0);
      return { gflop: line[0], refs, case: G.case(first), dir: G.dir(first), problem: problemText(first) };
    });
    let baseline = B.findIndex((b) => !b.startsWith('naive:'));
    if (baseline < 0) baseline = 0;
    const ref = (s, b) => (s.refs[b] >= 0 ? s.refs[b] : null);
    const gf = (s, b) => (ref(s, b) === null ? null : num(G.gflops(ref(s, b))));
    const color = (b) => BACKEND_COLORS[b % BACKEND_COLORS.length];
    const select = h('select', { id: 'perf-baseline' }, B.map((b, k) => h('option', { value: k, selected: k === baseline }, b)));
    const summary = h('div'), dots = h('div'), tableBox = h('div');
    // Per shape and backend: the fraction of the measured ceiling of the row's data type.
    const hasPeak = !!P.peak_fraction;
    const peakFraction = (i, k) => (hasPeak ? P.peak_fraction[i][k] : null);
    const copyFraction = (i, k) => (P.copy_fraction ? P.copy_fraction[i][k] : null);

    function drawSummary() {
      // Geometric mean speed-up over the shapes both backends ran.
      const rows = B.map((b, k) => {
        const r = shapes.filter((s) => gf(s, k) && gf(s, baseline)).map((s) => Math.log(gf(s, k) / gf(s, baseline)));
        return { b, k, n: r.length, g: r.length ? Math.exp(sum(r) / r.length) : null };
      });
      const labelW = 24 + 7 * Math.max(...B.map((b) => b.length)), barW = 420, rowH = 22;
      const lim = Math.max(2, ...rows.filter((r) => r.g).map((r) => Math.max(r.g, 1 / r.g)));
      const scale = (v) => labelW + barW / 2 + (Math.log(v) / Math.log(lim)) * (barW / 2);
      const width = labelW + barW + 150, height = rows.length * rowH + 28;
      const g = [s('line', { class: 'axis', x1: scale(1), x2: scale(1), y1: 0, y2: rows.length * rowH + 4 }),
        svgText(scale(1), rows.length * rowH + 18, '1\u00D7 (' + B[baseline] + ')', { 'text-anchor': 'middle', fill: '#637083' })];
      rows.forEach((r, k) => {
        const y = k * rowH;
        g.push(svgText(0, y + 15, r.b));
        if (!r.g) { g.push(svgText(labelW, y + 15, 'no shape in common', { fill: '#637083' })); return; }
        const x0 = scale(1), x1 = scale(r.g);
        g.push(s('rect', { x: Math.min(x0, x1), y: y + 3, width: Math.max(1, Math.abs(x1 - x0)), height: rowH - 6, fill: color(r.k) },
          s('title', null, r.b + ': geometric mean ' + fmt(r.g) + '\u00D7 over ' + r.n + ' shapes')));
        g.push(svgText(Math.max(x0, x1) + 5, y + 15, fmt(r.g) + '\u00D7  (' + r.n + ' shapes)'));
      });
      summary.textContent = '';
      summary.appendChild(h('figure', { class: 'chart', style: 'margin:0' }, h('figcaption', null, 'Speed-up against the baseline (geometric mean over shared shapes)'),
        s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height }, g)));
    }

    function drawDots() {
      // The 40 largest shapes: one row each, one dot per backend, GFLOP/s on a log axis.
      const top = shapes.slice().sort((a, b) => b.gflop - a.gflop).slice(0, 40);
      const vals = [];
      top.forEach((sh) => B.forEach((b, k) => { if (gf(sh, k) > 0) vals.push(gf(sh, k)); }));
      if (!vals.length) { dots.textContent = ''; return; }
      const lo = Math.floor(Math.log10(Math.min(...vals))), hi = Math.ceil(Math.log10(Math.max(...vals))) || lo + 1;
      const labels = top.map((s) => s.case + ' ' + s.dir);
      const left = 16 + 6.2 * Math.min(46, Math.max(...labels.map((l) => l.length))), plotW = 560, rowH = 16, topPad = 22;
      const xs = (v) => left + ((Math.log10(v) - lo) / Math.max(1, hi - lo)) * plotW;
      const width = left + plotW + 20, height = topPad + top.length * rowH + 10;
      const g = [];
      for (let e = lo; e <= hi; e++) {
        g.push(s('line', { class: 'gridline', x1: xs(Math.pow(10, e)), x2: xs(Math.pow(10, e)), y1: topPad - 4, y2: height - 6 }));
        g.push(svgText(xs(Math.pow(10, e)), topPad - 8, fmt(Math.pow(10, e)), { 'text-anchor': 'middle', fill: '#637083' }));
      }
      top.forEach((sh, k) => {
        const y = topPad + k * rowH + rowH / 2;
        g.push(svgText(left - 6, y + 3.5, labels[k].length > 46 ? labels[k].slice(0, 45) + '\u2026' : labels[k], { 'text-anchor': 'end' }));
        g.push(s('line', { class: 'gridline', x1: left, x2: left + plotW, y1: y, y2: y }));
        B.forEach((name, b) => {
          const v = gf(sh, b);
          if (!(v > 0)) return;
          const st = G.status(ref(sh, b));
          g.push(s('circle', { cx: xs(v), cy: y, r: 4.2, fill: color(b), 'fill-opacity': 0.85, stroke: FAILING.has(st) ? '#c62828' : '#fff', 'stroke-width': 1 },
            s('title', null, name + ': ' + fmt(v) + ' GFLOP/s, ' + fmt(G.time_ms(ref(sh, b))) + ' ms' + stagingNote(ref(sh, b)) + ' (' + sh.problem + ')' + (st !== 'PASSED' ? ' ' + st : ''))));
        });
      });
      dots.textContent = '';
      dots.appendChild(h('figure', { class: 'chart', style: 'margin:0' }, h('figcaption', null, 'GFLOP/s per shape (the ' + top.length + ' largest shapes)'),
        h('div', { class: 'legend' }, B.map((b, k) => h('span', null, h('i', { style: 'background:' + color(k) + ';border-radius:50%' }), b))),
        s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height }, g)));
    }

    // The table of every shape: GFLOP/s per backend, speed-up against the baseline, % of peak.
    const cols = [
      { key: 'case', label: 'case', width: 200, cell: (i) => shapes[i].case },
      { key: 'dir', label: 'direction', width: 90, cell: (i) => shapes[i].dir },
      { key: 'gflop', label: 'GFLOP', width: 70, num: true, cell: (i) => fmt(shapes[i].gflop) },
    ];
    let maxGf = 1e-9;
    for (const sh of shapes) B.forEach((b, k) => { maxGf = Math.max(maxGf, gf(sh, k) || 0); });
    B.forEach((b, k) => {
      cols.push({ key: 'gf' + k, label: b + ' GFLOP/s', title: b + ': GFLOP/s (median time)', width: 130, num: true, cls: () => 'bar-cell', cell: (i) => {
        const v = gf(shapes[i], k);
        if (v === null) return '';
        const st = G.status(ref(shapes[i], k));
        const bad = FAILING.has(st);  // a fast wrong answer is no speed-up
        return [h('i', { style: 'width:' + (100 * v / maxGf).toFixed(1) + '%' }),
          h('span', { class: bad ? 'slower' : null, title: bad ? st : null }, (bad ? '\u2717 ' : '') + fmt(v))];
      } });
      cols.push({ key: 'sp' + k, label: 'vs base', title: b + ': speed-up against the baseline', width: 70, num: true, cell: (i) => {
        const a = gf(shapes[i], k), z = gf(shapes[i], baseline);
        if (!a || !z || k === baseline) return '';
        const r = a / z;
        return h('span', { class: r >= 1.1 ? 'faster' : r <= 0.9 ? 'slower' : null }, fmt(r) + '\u00D7');
      } });
      if (P.peak_gflops[k]) cols.push({ key: 'pk' + k, label: '% peak', title: b + ': fraction of the measured ceiling of the row\u2019s data type (' + P.peak_gflops[k] + ')', width: 64, num: true,
        // Not capped at 100%: flops() counts cropped taps too, so a backend that skips them
        // can pass a GEMM ceiling; the number says so instead of hiding it.
        cell: (i) => (peakFraction(i, k) === null ? '' : (100 * peakFraction(i, k)).toFixed(1) + '%') });
      // Memory-bound rows (depthwise, bwd_bias) read against the measured copy bandwidth.
      if (P.peak_gbps && P.peak_gbps[k]) cols.push({ key: 'cp' + k, label: '% copy', title: b + ': GB/s (each tensor once) as a fraction of the measured copy bandwidth ' + P.peak_gbps[k] + ' GB/s', width: 64, num: true,
        cell: (i) => (copyFraction(i, k) === null ? '' : (100 * copyFraction(i, k)).toFixed(1) + '%') });
    });
    cols.push({ key: 'problem', label: 'problem', min: 380, cell: (i) => shapes[i].problem });
    const sortKey = (key) => {
      if (key === 'case' || key === 'dir' || key === 'problem') return (i) => shapes[i][key];
      if (key === 'gflop') return (i) => shapes[i].gflop;
      const k = Number(key.slice(2));
      if (key.startsWith('gf')) return (i) => gf(shapes[i], k);
      if (key.startsWith('pk')) return (i) => peakFraction(i, k);
      if (key.startsWith('cp')) return (i) => copyFraction(i, k);
      return (i) => (gf(shapes[i], k) && gf(shapes[i], baseline) ? gf(shapes[i], k) / gf(shapes[i], baseline) : null);
    };
    const table = VirtualTable({ columns: cols, sortKey, rowHeight: 24 });
    tableBox.appendChild(table.el);
    const all = Int32Array.from(shapes, (_, i) => i);
    const redraw = () => { drawSummary(); drawDots(); table.setRows(all); };
    select.addEventListener('change', () => { baseline = Number(select.value); redraw(); });
    redraw();
    return section('perf', 'Performance',
      h('div', { class: 'controls' }, h('label', { for: 'perf-baseline' }, 'baseline backend'), select,
        h('span', { class: 'muted' }, shapes.length + ' shapes timed' + (hasPeak ? '' : '; no measured ceilings recorded for this run (tconv run --ceilings FILE), so no fraction of peak'))),
      h('div', { class: 'charts' }, summary, dots), h('div', { style: 'height:12px' }), tableBox);
  }

  // ---- all rows -----------------------------------------------------------------------
  function rowsSection() {
    const pill = (o) => h('span', { class: 'pill st-' + o }, o);
    const cols = [
      { key: 'status', label: 'status', width: 104, cell: (i) => pill(G.status(i)) },
      { key: 'case', label: 'case', width: 180, cell: G.case },
      { key: 'backend', label: 'backend', width: 140, cell: G.backend },
      { key: 'dir', label: 'direction', width: 90, cell: G.dir },
      { key: 'dtype', label: 'dtype', width: 58, cell: G.dtype },
      { key: 'layout', label: 'layout', width: 58, cell: G.layout },
      { key: 'wl', label: 'weights', width: 104, cell: G.wl },
      { key: 'n', label: 'n', width: 34, num: true, cell: G.n },
      { key: 'c_in', label: 'C in', width: 44, num: true, cell: G.c_in },
      { key: 'c_out', label: 'C out', width: 54, num: true, cell: G.c_out },
      { key: 'groups', label: 'g', width: 34, num: true, cell: G.groups },
      { key: 'input', label: 'input', width: 58, cell: G.input },
      { key: 'kernel', label: 'kernel', width: 60, cell: G.kernel },
      { key: 'stride', label: 'stride', width: 60, cell: G.stride },
      { key: 'dil', label: 'dil', width: 44, cell: G.dil },
      { key: 'crop', label: 'crop', width: 74, title: 'crop top,bottom,left,right', cell: G.crop },
      { key: 'output', label: 'output', width: 62, cell: G.output },
      { key: 'abs_err', label: 'max abs err', width: 92, num: true, cell: (i) => fmt(G.abs_err(i)) },
      { key: 'rel_err', label: 'max rel err', width: 92, num: true, cell: (i) => fmt(G.rel_err(i)) },
      { key: 'ratio', label: 'err/bound', width: 76, num: true, title: 'max error / shape-aware bound (pass <= 1)',
        cell: (i) => fmt(G.ratio(i)), cls: (i) => (num(G.ratio(i)) > 1 || Number.isNaN(num(G.ratio(i))) ? 'over' : '') },
      { key: 'mismatches', label: 'mism.', width: 58, num: true, title: 'elements over their bound', cell: G.mismatches },
      { key: 'reference', label: 'reference', width: 120, title: 'what the output was checked against (oracle, a sample of it, or the fast reference)',
        cell: (i) => (G.reference ? G.reference(i) : '') },
    ];
    if (perfOn) {
      cols.push({ key: 'time_ms', label: 'ms', width: 70, num: true, title: 'median time (ms)', cell: (i) => fmt(G.time_ms(i)) });
      cols.push({ key: 'gflops', label: 'GFLOP/s', width: 70, num: true, cell: (i) => fmt(G.gflops(i)) });
    }
    cols.push({ key: 'repro', label: 'repro', width: 58, title: 'copy the command that re-runs this row',
      cell: (i) => h('button', { class: 'copy', onclick: (e) => copyText(reproOf(i), e.target) }, 'copy') });
    cols.push({ key: 'reason', label: 'reason', min: 260, cell: G.reason });

    const details = h('div', { class: 'details', id: 'row-details' }, h('span', { class: 'muted' }, 'Click a row for its details, first mismatches and repro command.'));
    function showDetails(i) {
      const repro = reproOf(i);
      const mism = G.mismatch_list(i);
      const params = [['case', G.case(i)], ['source', G.source(i)], ['backend', G.backend(i)], ['direction', G.dir(i)],
        ['math', G.math(i)], ['problem', problemText(i)], ['output', G.output(i)], ['max abs err', fmt(G.abs_err(i), 6)],
        ['max rel err', fmt(G.rel_err(i), 6)], ['max ulp', fmt(G.ulp(i), 4)], ['err/bound', fmt(G.ratio(i), 6)], ['mismatches', G.mismatches(i)],
        ['elements', G.elements(i)], ['zero fraction', fmt(G.zero_frac(i))], ['algorithm', G.algorithm(i)],
        ['workspace bytes', G.workspace(i)], ['deterministic', G.deterministic(i)], ['reference', G.reference ? G.reference(i) : ''],
        ['repeat max diff', G.repeat_diff ? fmt(G.repeat_diff(i), 6) : '']];
      if (perfOn) params.push(['median ms', fmt(G.time_ms(i), 4)], ['min .. max ms', fmt(G.time_min_ms(i), 4) + ' .. ' + fmt(G.time_max_ms(i), 4)],
        ['repeats', G.repeats(i)], ['timer', G.timer(i)], ['GFLOP/s', fmt(G.gflops(i))], ['GB/s', fmt(G.gbps(i))],
        ['staging ms (not in the median)', G.staging_ms ? fmt(G.staging_ms(i), 4) : '']);
      const button = h('button', { class: 'copy', onclick: (e) => copyText(repro, e.target) }, 'copy');
      details.textContent = '';
      append(details, [
        h('div', { class: 'head' }, pill(G.status(i)), h('b', null, G.case(i)), h('span', null, G.backend(i)), h('span', null, G.dir(i))),
        G.reason(i) ? h('div', { class: 'reason' }, G.reason(i)) : null,
        mism ? [h('div', { class: 'muted' }, 'first mismatches: [n,c,h,w] got / want'),
          h('ol', null, mism.split('; ').map((m) => (m === '...' ? h('li', { class: 'muted', style: 'list-style:none' }, 'more in results.csv') : h('li', null, m))))] : null,
        h('div', { class: 'repro-line' }, h('code', { class: 'repro', id: 'repro-text' }, repro), button),
        h('div', { class: 'params' }, params.filter((p) => p[1] !== '' && p[1] !== null && p[1] !== undefined)
          .map((p) => h('div', { class: p[0] === 'problem' ? 'wide' : null }, h('span', null, p[0] + ': '), String(p[1])))),
      ]);
    }

    const table = VirtualTable({
      columns: cols, sortKey: sortKeyOf, onSelect: showDetails,
      rowAttrs: (i) => ({ 'data-backend': G.backend(i), 'data-status': G.status(i), 'data-dir': G.dir(i) }),
    });
    const input = h('input', { type: 'search', id: 'row-filter', placeholder: 'filter: words, or status=failing backend=openmp dir=fwd stride=2x2 ratio>0.5 ...', spellcheck: 'false' });
    const count = h('span', { id: 'table-count', class: 'muted' });
    const hint = h('div', { class: 'hint' }, 'Words match case, backend, status and reason. KEY=A|B, KEY!=V, KEY~TEXT, KEY<X, KEY>X on: status (also failing, passing), backend, dir, dtype, layout, wl, n, c_in, c_out, groups, input, kernel, stride, dil, crop, crop_class, output, ratio, abs_err, rel_err, ulp, mismatches' + (perfOn ? ', time_ms, gflops, staging_ms' : '') + ', reason, source.');
    const uniq = (col) => ROWS.cols[col].d.slice().sort(collator.compare);
    // Quick selects write their KEY=VALUE token into the filter text (the one source of truth).
    const quick = (key, label, values) => {
      const sel = h('select', { 'data-key': key, 'aria-label': label }, h('option', { value: '' }, label + ': all'), values.map((v) => h('option', { value: v }, v)));
      sel.addEventListener('change', () => {
        const rest = input.value.split(/\s+/).filter((t) => t && !t.startsWith(key + '=')).join(' ');
        setFilter((rest + (sel.value ? ' ' + key + '=' + sel.value : '')).trim(), true);
      });
      return sel;
    };
    const selects = [quick('status', 'status', ['failing', 'passing'].concat(OUTCOMES.filter((o, k) => DATA.outcomes.total[k]))),
      quick('backend', 'backend', uniq('backend')), quick('dir', 'direction', uniq('dir'))];

    function setFilter(text, fromUser) {
      input.value = text;
      const f = compileFilter(text);
      const keep = [];
      for (let i = 0; i < ROWS.n; i++) if (f.test(i)) keep.push(i);
      table.setRows(Int32Array.from(keep));
      count.textContent = keep.length + ' of ' + ROWS.n + ' rows';
      count.setAttribute('data-count', keep.length);
      hint.className = 'hint' + (f.errors.length ? ' error' : '');
      if (f.errors.length) hint.textContent = f.errors.join('; ');
      for (const sel of selects) {
        const tok = text.split(/\s+/).find((t) => t.startsWith(sel.getAttribute('data-key') + '='));
        sel.value = tok && Array.from(sel.options).some((o) => o.value === tok.split('=')[1]) ? tok.split('=')[1] : '';
      }
      if (fromUser) history.replaceState(null, '', text ? filterLink(text) : '#rows');
    }
    let timer = null;
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => setFilter(input.value, true), 120); });
    table.sortBy('status', 1);
    const el = section('rows', 'All rows', h('div', { class: 'controls' }, input, selects, count), hint, table.el, details);
    return { el, setFilter, table };
  }

  // ---- self-test hooks for the browser test (#...&selftest=1) --------------------------
  function selfTest() {
    const repros = [];
    for (let i = 0; i < ROWS.n; i++) repros.push(reproOf(i));
    document.body.appendChild(h('textarea', { id: 'selftest-repro', style: 'display:none' }, JSON.stringify(repros)));
  }

  // ---- assemble -----------------------------------------------------------------------
  renderHeader();
  const rows = rowsSection();
  append(app, [h('main', null, renderRunInfo(), renderOutcomes(), renderHeatmaps(), renderHistograms(), renderPerf(), rows.el)]);

  function applyHash(scroll) {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has('q')) {
      rows.setFilter(params.get('q'), false);
      if (scroll) document.getElementById('rows').scrollIntoView();
    }
    if (params.has('selftest')) selfTest();
  }
  window.addEventListener('hashchange', () => applyHash(true));
  applyHash(false);
  if (!new URLSearchParams(location.hash.slice(1)).has('q')) rows.setFilter('', false);

  const status = h('div', { id: 'report-status', hidden: true, 'data-ready': '1', 'data-rows': ROWS.n, 'data-errors': window.tconvErrors.length });
  document.body.appendChild(status);
  window.addEventListener('error', () => status.setAttribute('data-errors', window.tconvErrors.length));
})();
