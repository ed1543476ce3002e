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
        // A collapsed box stands for the states inside it.
        var inside = g.classList.contains('sc-collapsed') && Object.keys(p.current).some(function (c) { return c.indexOf(path + '.') === 0; });
        g.classList.toggle('sc-current', !isRoot && (p.current[path] === true || inside));
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

  // Zoom and pan for the large diagrams: the buttons scale the drawing, the figure scrolls (drag to pan).
  function zoomable(figure) {
    var svg = figure.querySelector('svg.sc-svg');
    var bar = figure.previousElementSibling;
    if (!svg || !bar || !bar.classList.contains('sc-zoom')) return;
    var natural = Number(svg.getAttribute('width')) || svg.getBoundingClientRect().width;
    var scale = 1;
    function fit() { return Math.min(1, (figure.clientWidth - 8) / natural); }
    function apply(next) {
      scale = Math.max(0.05, Math.min(3, next));
      svg.style.width = Math.round(natural * scale) + 'px';
      svg.style.height = 'auto';
      svg.style.maxWidth = 'none';
      svg.style.maxHeight = 'none';
      bar.querySelector('[data-zoom-level]').textContent = Math.round(scale * 100) + '%';
    }
    bar.addEventListener('click', function (e) {
      var button = e.target.closest('button[data-zoom]');
      if (!button) return;
      var how = button.getAttribute('data-zoom');
      apply(how === 'in' ? scale * 1.25 : how === 'out' ? scale / 1.25 : fit());
    });
    var drag = null;
    figure.addEventListener('pointerdown', function (e) { drag = { x: e.clientX, y: e.clientY, left: figure.scrollLeft, top: figure.scrollTop }; });
    window.addEventListener('pointerup', function () { drag = null; });
    figure.addEventListener('pointermove', function (e) {
      if (!drag) return;
      figure.scrollLeft = drag.left - (e.clientX - drag.x);
      figure.scrollTop = drag.top - (e.clientY - drag.y);
    });
    apply(fit());
  }

  function start() {
    document.querySelectorAll('[data-live-src]').forEach(poll);
    document.querySelectorAll('.sc-figure-large').forEach(zoomable);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
