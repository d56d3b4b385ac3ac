// The console's only script (served from /console/assets/console.js; the Content-Security-Policy allows no other).
// Loaded as a module (`<script type="module">`, deferred like any module): the build (tsc, a `"type": "module"`
// package) emits it as one, ending in `export {};`, which a classic script cannot parse.
// Pages are complete without it: forms post and the server answers with a page. It adds live updates:
// every few seconds it fetches the page it is on again and swaps in each region marked `data-live` whose
// `data-version` changed. A region holding a form the operator is filling in carries a version that only changes when
// the decision itself changes (the run moved on), so typing is never wiped by an unrelated refresh.
// A file picker marked `data-fills="<textarea id>"` (the fleet page) reads the chosen file into that textarea: the
// form then posts it like pasted text (the page works without the script: paste).
document.querySelectorAll('input[type=file][data-fills]').forEach(function (picker) {
  picker.addEventListener('change', function () {
    var target = document.getElementById(picker.getAttribute('data-fills'));
    var file = picker.files && picker.files[0];
    if (!target || !file) return;
    file.text().then(function (text) {
      target.value = text;
    });
  });
});

(function () {
  'use strict';
  var regions = document.querySelectorAll('[data-live]');
  if (regions.length === 0) return;
  var interval = Number(document.body.getAttribute('data-live-interval')) || 2000;
  var status = document.getElementById('live-status');
  var failures = 0;
  var stopped = false;

  function say(text, state) {
    if (!status) return;
    status.textContent = text;
    status.setAttribute('data-state', state);
  }

  function swap(fresh) {
    var changed = 0;
    fresh.querySelectorAll('[data-live]').forEach(function (next) {
      var current = document.getElementById(next.id);
      if (!current || current.getAttribute('data-version') === next.getAttribute('data-version')) return;
      current.replaceWith(document.importNode(next, true));
      changed += 1;
    });
    var title = fresh.querySelector('title');
    if (title && title.textContent !== document.title) document.title = title.textContent;
    return changed;
  }

  function poll() {
    if (stopped) return;
    if (document.hidden) return void setTimeout(poll, interval);
    fetch(location.href, { headers: { 'X-Console-Live': '1' }, credentials: 'same-origin', cache: 'no-store', redirect: 'manual' })
      .then(function (answer) {
        if (answer.status === 401 || answer.type === 'opaqueredirect') {
          stopped = true;
          say('Session ended: log in again to see live updates.', 'ended');
          return;
        }
        if (!answer.ok && answer.status !== 422) throw new Error('HTTP ' + answer.status);
        return answer.text().then(function (text) {
          failures = 0;
          swap(new DOMParser().parseFromString(text, 'text/html'));
          say('Live', 'live');
        });
      })
      .catch(function () {
        failures += 1;
        say('Connection lost, retrying…', 'lost');
      })
      .then(function () {
        if (!stopped) setTimeout(poll, Math.min(interval * Math.pow(2, failures), 30000));
      });
  }

  say('Live', 'live');
  setTimeout(poll, interval);
})();
