/* Dashboard pages: the server renders every figure and row; this script only draws the charts
 * from their data-chart attribute and applies a filter as soon as it changes. */
(function () {
  'use strict';
  const COLORS = ['#2c6fbb', '#c0392b', '#7d3c98', '#1e8449'];

  function draw(canvas) {
    if (typeof Chart === 'undefined') return;
    let spec;
    try { spec = JSON.parse(canvas.dataset.chart); } catch (e) { return; }
    const rate = spec.datasets.some(d => d.yAxisID === 'rate');
    const scales = { y: { beginAtZero: true } };
    if (rate) scales.rate = { position: 'right', beginAtZero: true, max: 100, grid: { drawOnChartArea: false } };
    // the server's colours win: red is the attack got through, everywhere
    spec.datasets.forEach((d, i) => {
      d.borderColor = d.borderColor || d.backgroundColor || COLORS[i % COLORS.length];
      d.backgroundColor = d.backgroundColor || (d.type === 'line' ? d.borderColor : COLORS[i % COLORS.length] + 'aa');
    });
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales,
        interaction: { mode: 'index', intersect: false } } });
  }

  document.querySelectorAll('canvas[data-chart]').forEach(draw);

  // a changed filter applies at once; without this script the Apply button does the same
  const form = document.getElementById('filter');
  if (form) {
    form.querySelectorAll('select').forEach(s => s.addEventListener('change', () => form.requestSubmit()));
  }
})();
