// natreport page script: progressive enhancement only. Without it every
// form still works (post, redirect, get). With it, answers save themselves
// shortly after they change, conditional questions show and hide at once,
// and leaving the page with unsaved changes asks first.
'use strict';

(function () {
  var form = document.getElementById('section-form');
  if (!form) { return; }
  var base = form.getAttribute('data-autosave');
  var state = document.getElementById('save-state');
  var msg = function (key, time) {
    var s = (state && state.getAttribute('data-' + key)) || key;
    return time ? s.replace('{time}', time) : s;
  };
  var dirty = {};      // code -> true while a change is not yet saved
  var timers = {};     // code -> debounce timer
  var inflight = {};   // code -> true while a save is on its way
  var retryDelay = {}; // code -> next retry delay (ms)
  var saveIds = {};    // code -> id of the save being tried, the same on retries
  var submitting = false;

  function esc(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/([.:\[\]])/g, '\\$1'); }
  function questionOf(el) { return el.closest ? el.closest('.question[data-code]') : null; }
  function fieldsOf(code) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      var n = el.name;
      if (!n) { return; }
      if (n === code || n.indexOf(code + '.') === 0 || n === 'v.' + code || n === 'h.' + code) { out.push(el); }
    });
    return out;
  }
  function setState(text, failed) {
    if (!state) { return; }
    state.textContent = text;
    state.classList.toggle('failed', !!failed);
  }
  // Times follow the language of the page, not the browser's: an Arabic
  // page says the time in Arabic.
  var timeFormat = (function () {
    var opts = { hour: '2-digit', minute: '2-digit' };
    try { return new Intl.DateTimeFormat(document.documentElement.lang || undefined, opts); }
    catch (e) { return new Intl.DateTimeFormat(undefined, opts); }
  })();
  function now() {
    return timeFormat.format(new Date());
  }

  function clearErrors(q) {
    // Both the server's messages and ours: the answer is valid now.
    Array.prototype.forEach.call(q.querySelectorAll('.field-error'), function (e) { e.remove(); });
    Array.prototype.forEach.call(q.querySelectorAll('[aria-invalid="true"]'), function (e) {
      e.removeAttribute('aria-invalid');
      e.removeAttribute('aria-describedby');
    });
  }
  function showErrors(q, errors) {
    clearErrors(q);
    Object.keys(errors).forEach(function (field) {
      var el = form.querySelector('[name="' + field.replace(/"/g, '') + '"]');
      var span = document.createElement('span');
      span.className = 'field-error js';
      span.id = 'e-' + field;
      span.textContent = errors[field];
      if (el) {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-describedby', span.id);
        el.insertAdjacentElement('afterend', span);
      } else {
        q.appendChild(span);
      }
    });
  }
  function showConflict(q, code, c) {
    var old = q.querySelector('.conflict.js');
    if (old) { old.remove(); }
    var box = document.createElement('div');
    box.className = 'conflict js';
    box.setAttribute('role', 'alert');
    var p = document.createElement('p');
    p.textContent = c.message + ' (' + c.at + ')';
    var theirs = document.createElement('p');
    theirs.textContent = msg('theirs') + ': ' + (c.theirs || '—');
    var mine = document.createElement('p');
    mine.textContent = msg('mine') + ': ' + (c.mine || '—');
    var keep = document.createElement('button');
    keep.type = 'button';
    keep.textContent = msg('keep');
    keep.addEventListener('click', function () {
      // Keep mine: save again on top of their version, knowingly.
      var v = form.querySelector('[name="v.' + code + '"]');
      if (v) { v.value = String(c.version); }
      box.remove();
      save(code);
    });
    var take = document.createElement('button');
    take.type = 'button';
    take.className = 'secondary';
    take.textContent = msg('take');
    take.addEventListener('click', function () {
      // Take theirs: the form saves everything else and drops this change.
      var t = document.createElement('input');
      t.type = 'hidden'; t.name = 'take'; t.value = code;
      form.appendChild(t);
      delete dirty[code];
      submitting = true;
      form.submit();
    });
    box.appendChild(p); box.appendChild(theirs); box.appendChild(mine); box.appendChild(keep); box.appendChild(take);
    q.insertBefore(box, q.firstChild);
  }

  // The page-level notices say what is still wrong; once nothing is, they go.
  function updateBanners() {
    var errs = document.getElementById('form-errors');
    if (errs && !form.querySelector('.field-error')) { errs.remove(); }
    var conf = document.getElementById('form-conflicts');
    if (conf && !form.querySelector('.conflict')) { conf.remove(); }
  }

  function applyVisible(visible) {
    Object.keys(visible || {}).forEach(function (code) {
      var q = form.querySelector('.question[data-code="' + code + '"]');
      if (q) { q.classList.toggle('hidden-by-rule', !visible[code]); }
    });
  }

  // Client-side conditional display, the same rule as surveys.Visible.
  function answerOf(code) {
    var vals = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if ((el.name === code + '.status' || el.name === code) && (el.type === 'radio' || el.type === 'checkbox') && el.checked) { vals.push(el.value); }
      if (el.name === code && el.tagName === 'SELECT') { vals.push(el.value); }
    });
    return vals;
  }
  function evaluate() {
    Array.prototype.forEach.call(form.querySelectorAll('.question[data-show-when]'), function (q) {
      var rule = q.getAttribute('data-show-when');
      if (!rule) { return; }
      var c;
      try { c = JSON.parse(rule); } catch (e) { return; }
      var ctrl = form.querySelector('.question[data-code="' + c.question + '"]');
      if (!ctrl) { return; } // the controlling question is in another section: the server decided
      var shown = !ctrl.classList.contains('hidden-by-rule') && answerOf(c.question).some(function (v) { return c.in.indexOf(v) >= 0; });
      q.classList.toggle('hidden-by-rule', !shown);
    });
  }

  function save(code) {
    if (inflight[code]) { timers[code] = setTimeout(function () { save(code); }, 500); return; }
    var q = form.querySelector('.question[data-code="' + code + '"]');
    var body = new URLSearchParams();
    fieldsOf(code).forEach(function (el) {
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) { return; }
      if (el.type === 'submit' || el.type === 'button') { return; }
      body.append(el.name, el.value);
    });
    // A retry carries the id of the save it repeats, so that the server
    // answers "saved" if the first try committed but its reply was lost.
    if (!saveIds[code]) { saveIds[code] = Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12); }
    body.append('save_id', saveIds[code]);
    inflight[code] = true;
    dirty[code] = false;
    setState(msg('saving'));
    fetch(base + encodeURIComponent(code), {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) { return { status: res.status, data: data }; });
    }).then(function (r) {
      inflight[code] = false;
      if (r.status < 500 && r.status !== 401) { delete saveIds[code]; }
      if (r.status === 200) {
        var v = form.querySelector('[name="v.' + code + '"]');
        var h = form.querySelector('[name="h.' + code + '"]');
        if (v) { v.value = String(r.data.version); }
        if (h && r.data.shown) { h.value = r.data.shown; }
        if (q) {
          clearErrors(q);
          Array.prototype.forEach.call(q.querySelectorAll('.carried, .conflict'), function (e) { e.remove(); });
        }
        updateBanners();
        applyVisible(r.data.visible);
        retryDelay[code] = 0;
        if (!dirty[code]) { delete dirty[code]; }
        if (!pending()) { setState(msg('saved', now())); }
      } else if (r.status === 422) {
        dirty[code] = true;
        if (q) { showErrors(q, r.data.errors || {}); }
        setState(msg('invalid'), true);
      } else if (r.status === 409 && r.data.conflict) {
        dirty[code] = true;
        if (q) { showConflict(q, code, r.data.conflict); }
        setState(msg('conflict'), true);
      } else if (r.status === 401) {
        dirty[code] = true;
        setState(msg('expired'), true);
        retry(code);
      } else if (r.status >= 400 && r.status < 500) {
        dirty[code] = true;
        setState((r.data && r.data.error) || msg('failed'), true);
      } else {
        dirty[code] = true;
        setState(msg('failed'), true);
        retry(code);
      }
    }).catch(function () {
      inflight[code] = false;
      dirty[code] = true;
      setState(msg('failed'), true);
      retry(code);
    });
  }
  // pending: a change not yet saved, or a save on its way, anywhere on the page.
  function pending() {
    return Object.keys(dirty).some(function (k) { return dirty[k]; }) || Object.keys(inflight).some(function (k) { return inflight[k]; });
  }
  function retry(code) {
    var d = Math.min(30000, (retryDelay[code] || 1000) * 2);
    retryDelay[code] = d;
    clearTimeout(timers[code]);
    timers[code] = setTimeout(function () { if (dirty[code]) { save(code); } }, d);
  }
  function changed(e) {
    var t = e.target;
    if (!t.name || t.name === 'body') { return; }
    var q = questionOf(t);
    if (!q) { return; }
    var code = q.getAttribute('data-code');
    dirty[code] = true;
    evaluate();
    clearTimeout(timers[code]);
    timers[code] = setTimeout(function () { save(code); }, 800);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function () { submitting = true; });
  window.addEventListener('beforeunload', function (e) {
    if (submitting) { return; }
    if (pending()) { e.preventDefault(); e.returnValue = ''; }
  });
  evaluate();
})();
