// Live statecharts: each [data-live-src] region polls its fragment, swaps it in and moves the
// highlight in the SVG of that machine. Polling rather than a stream: a fragment is a few hundred
// bytes, it needs nothing but this file (CSP script-src 'self'), and it recovers from a restart
// of the service by itself.
(function () {
  'use strict';

  // "open.long" → open and open.long are active, open.long is current ("a.x,b.y" for parallel states).
  function paths(state) {
    var active = {};
    var current = {};
    if (!state) return { active: active, current: current };
    state.split(',').forEach(function (leaf) {
      current[leaf] = true;
      var parts = leaf.split('.');
      for (var i = 1; i <= parts.length; i++) active[parts.slice(0, i).join('.')] = true;
    });
    return { active: active, current: current };
  }

  function highlight(machine, state) {
    var p = paths(state);
    document.querySelectorAll('svg.sc-svg[data-machine="' + CSS.escape(machine) + '"]').forEach(function (svg) {
      if (svg.getAttribute('data-active') === state) return;
      svg.setAttribute('data-active', state);
      svg.querySelectorAll('g.sc-state').forEach(function (g) {
        var path = g.getAttribute('data-state');
        var isRoot = path === '';
        g.classList.toggle('sc-active', !isRoot && p.active[path] === true);
        g.classList.toggle('sc-current', !isRoot && p.current[path] === true);
      });
    });
  }

  function poll(region) {
    var src = region.getAttribute('data-live-src');
    var every = Math.max(250, Number(region.getAttribute('data-poll-ms')) || 1000);
    var wait = every;
    function tick() {
      // A hidden tab does not need the picture; look again when it is shown.
      if (document.visibilityState === 'hidden') return schedule(every);
      fetch(src, { headers: { accept: 'text/html' }, cache: 'no-store', credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.text();
        })
        .then(function (text) {
          region.innerHTML = text;
          region.classList.remove('sc-stale');
          var body = region.querySelector('[data-active]');
          if (body) highlight(body.getAttribute('data-machine'), body.getAttribute('data-active'));
          wait = every;
        })
        .catch(function () {
          // The service is restarting or gone: say so on the page and back off, up to 30 s.
          region.classList.add('sc-stale');
          wait = Math.min(wait * 2, 30000);
        })
        .then(function () {
          schedule(wait);
        });
    }
    function schedule(ms) {
      setTimeout(tick, ms);
    }
    schedule(every);
  }

  function start() {
    document.querySelectorAll('[data-live-src]').forEach(poll);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
