// /docs "Try it": each GET operation's form sends the request from this page (same origin, the
// session cookie if logged in) and shows the status and the JSON answer. Text only, never HTML.
(function () {
  'use strict';
  document.querySelectorAll('form.try').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var out = form.querySelector('.try-out');
      var path = form.dataset.path;
      var query = new URLSearchParams();
      form.querySelectorAll('input[data-in]').forEach(function (input) {
        if (input.value === '') return;
        if (input.dataset.in === 'path') path = path.replace('{' + input.name + '}', encodeURIComponent(input.value));
        else query.append(input.name, input.value);
      });
      var url = path + (query.toString() ? '?' + query.toString() : '');
      out.hidden = false;
      out.textContent = 'GET ' + url + ' …';
      fetch(url, { headers: { accept: 'application/json' } })
        .then(function (r) {
          return r.text().then(function (body) {
            var shown = body;
            try { shown = JSON.stringify(JSON.parse(body), null, 2); } catch (err) { /* not JSON: show as is */ }
            out.textContent = 'GET ' + url + ' → ' + r.status + '\n' + shown.slice(0, 20000);
          });
        })
        .catch(function (err) { out.textContent = 'GET ' + url + ' failed: ' + err; });
    });
  });
})();
