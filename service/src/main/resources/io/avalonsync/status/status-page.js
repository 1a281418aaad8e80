// The status page's script (inline in the page, nothing fetched from elsewhere): local times with UTC on hover, the
// controls answered in the page through the JSON API, and a refresh of the figures every 10 s. Without it the page
// still works: UTC times, forms that post and come back, a meta refresh.
(function () {
  'use strict';
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  var zoneName = function (d) {
    try {
      var parts = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(d);
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].type === 'timeZoneName') { return parts[i].value; }
      }
    } catch (e) { /* an old browser: no zone name */ }
    return '';
  };
  var local = function (d, seconds) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':'
      + pad(d.getMinutes()) + (seconds ? ':' + pad(d.getSeconds()) : '');
  };
  // every <time> in the browser's zone (its title keeps UTC), every chart point's tooltip too
  var localTimes = function (root) {
    root.querySelectorAll('time[datetime]').forEach(function (t) {
      var d = new Date(t.getAttribute('datetime'));
      if (!isNaN(d)) { t.textContent = local(d, true) + ' ' + zoneName(d); }
    });
    root.querySelectorAll('svg [data-t]').forEach(function (g) {
      var d = new Date(g.getAttribute('data-t'));
      var title = g.querySelector('title');
      if (title && !isNaN(d)) { title.textContent = local(d, false) + ': ' + g.getAttribute('data-v'); }
    });
  };
  var notice = document.getElementById('notice');
  var say = function (text, bad) {
    notice.textContent = text;
    notice.className = bad ? 'bad' : 'good';
  };
  // one refresh at a time; one asked for meanwhile (after a control) runs right after, so it sees the change
  var loading = false;
  var again = false;
  var refresh = function (force) {
    var typing = document.activeElement && document.activeElement.tagName === 'INPUT'
      && document.getElementById('main').contains(document.activeElement);
    if (typing && !force) { return; }
    if (loading) { again = true; return; }
    loading = true;
    // busy until the fresh figures replace these (assistive technology, and anyone scripting the page, can wait)
    document.getElementById('main').setAttribute('aria-busy', 'true');
    fetch(location.pathname, { headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
        if (fresh) {
          document.getElementById('main').replaceWith(document.adoptNode(fresh));
          localTimes(fresh);
        }
      })
      .catch(function (e) { say('could not refresh the page: ' + e.message, true); })
      .then(function () {
        loading = false;
        if (again) { again = false; refresh(true); } else { document.getElementById('main').removeAttribute('aria-busy'); }
      });
  };
  var describe = function (op, body) {
    if (body.error) { return body.error; }
    if (op === 'run') { return body.summary; }
    return body.done + ': ' + body.representationsChanged + ' representation(s) changed';
  };
  // the controls: the form's fields as JSON to the same API curl uses, the answer shown here
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var op = form.getAttribute('data-op');
    if (!op) { return; }
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, key) { fields[key] = value; });
    say(op === 'run' ? 'site sync pass running…' : op + '…', false);
    // the figures shown are out of date until the answer and the redraw after it
    document.getElementById('main').setAttribute('aria-busy', 'true');
    fetch(form.getAttribute('action'), {
      method: 'POST', credentials: 'same-origin', body: JSON.stringify(fields),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' }
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; },
        function () { return { ok: false, body: { error: 'HTTP ' + r.status } }; });
    }).then(function (answer) {
      say(describe(op, answer.body), !answer.ok);
      refresh(true);
    }).catch(function (e) {
      say(op + ' failed: ' + e.message, true);
      refresh(true);
    });
  });
  localTimes(document);
  setInterval(refresh, 10000);
})();
