/* Dashboard: the server's summary for the chosen days, per scorer and generator, over time. */
(function () {
  'use strict';
  const { api, el, clear, guarded } = window.G;
  let chart = null;

  function rate(s, n) {
    return n ? (100 * s / n).toFixed(1) + '%' : '–';
  }

  function group(rows, key) {
    const out = new Map();
    rows.forEach(r => {
      const g = out.get(r[key]) || { scores: 0, successes: 0 };
      g.scores += r.scores;
      g.successes += r.successes;
      out.set(r[key], g);
    });
    return out;
  }

  function table(id, groups) {
    const body = clear(document.querySelector('#' + id + ' tbody'));
    groups.forEach((g, name) => body.appendChild(el('tr', {}, el('td', {}, name), el('td', { className: 'num' }, g.scores),
      el('td', { className: 'num' }, g.successes), el('td', { className: 'num' }, rate(g.successes, g.scores)))));
  }

  async function load() {
    const days = document.getElementById('days').value;
    document.getElementById('export-csv').href = '/api/v1/memory/export?format=csv&days=' + encodeURIComponent(days);
    const s = await api('GET', '/dashboard/summary?days=' + encodeURIComponent(days));
    document.getElementById('total-scores').textContent = s.scores;
    document.getElementById('total-successes').textContent = s.successes;
    document.getElementById('success-rate').textContent = rate(s.successes, s.scores);
    table('by-scorer', group(s.rows, 'scorer'));
    table('by-generator', group(s.rows, 'generator'));
    const byDay = group(s.rows, 'day');
    const labels = Array.from(byDay.keys()).sort();
    const data = {
      labels: labels,
      datasets: [
        { label: 'attack successes', data: labels.map(d => byDay.get(d).successes), borderColor: '#c0392b', backgroundColor: '#c0392b' },
        { label: 'scores', data: labels.map(d => byDay.get(d).scores), borderColor: '#2c6fbb', backgroundColor: '#2c6fbb' }
      ]
    };
    if (typeof Chart === 'undefined') return;
    if (chart) {
      chart.data = data;
      chart.update();
    } else {
      chart = new Chart(document.getElementById('over-time'), { type: 'line', data: data,
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } } });
    }
  }

  document.getElementById('days').addEventListener('change', guarded(load));
  guarded(load)();
})();
