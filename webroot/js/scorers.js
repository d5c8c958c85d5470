/* Scorer tests: on typed text, or on a sample of a dataset's prompts, each with its scores and
 * whether it would mark an attack success. */
(function () {
  'use strict';
  const { api, el, clear, guarded, fillSelect, datasetSample } = window.G;

  function describe(s) {
    return s.score_category + ': ' + s.score_value + (s.success ? ' (attack succeeded)' : ' (target held)')
      + (s.score_rationale ? ' — ' + s.score_rationale : '');
  }

  async function score(text) {
    const id = document.getElementById('score-scorer').value;
    if (!id) throw new Error('add a scorer first');
    const objective = document.getElementById('score-objective').value;
    return api('POST', '/scorers/' + encodeURIComponent(id) + '/test', objective ? { text: text, objective: objective } : { text: text });
  }

  window.G.onItems(items => {
    fillSelect(document.getElementById('score-scorer'), items);
    // each row's Test opens the scorer test with that scorer
    document.querySelectorAll('#items tbody tr').forEach(row => {
      const actions = row.querySelector('.actions');
      actions.insertBefore(window.G.el('button', { type: 'button', className: 'secondary test', on: { click: () => {
        document.getElementById('score-scorer').value = row.dataset.id;
        document.getElementById('scorer-panel').scrollIntoView();
        document.getElementById('score-text').focus();
      } } }, 'Test'), actions.firstChild);
    });
  });
  guarded(async () => {
    const list = await api('GET', '/datasets?limit=1000');
    fillSelect(document.getElementById('score-dataset'), list.items);
  })();
  document.getElementById('score-form').addEventListener('submit', guarded(async () => {
    const out = document.getElementById('score-output');
    const text = document.getElementById('score-text').value;
    if (!text) throw new Error('type the text to score');
    out.textContent = '…';
    const r = await score(text);
    out.textContent = r.scores.map(describe).join('\n');
  }));
  document.getElementById('score-sample').addEventListener('click', guarded(async () => {
    const id = document.getElementById('score-dataset').value;
    if (!id) throw new Error('upload or import a dataset first');
    const n = Math.min(Math.max(Number(document.getElementById('score-sample-size').value) || 5, 1), 50);
    const table = document.getElementById('score-results');
    const body = clear(table.querySelector('tbody'));
    table.hidden = false;
    for (const text of await datasetSample(id, n)) {
      const r = await score(text);
      const success = r.scores.some(s => s.success);
      body.appendChild(el('tr', { className: 'sample-row' }, el('td', { className: 'text' }, text),
        el('td', {}, r.scores.map(s => el('div', {}, describe(s)))), el('td', {}, success ? 'succeeded' : 'held')));
    }
  }));

  // judge quality: the scorer's verdicts against people's, per version (GET /scorers/{id}/quality)
  function pct(p) {
    if (!p || p.rate === null || p.rate === undefined) return '–';
    const r = Math.round(p.rate * 1000) / 10 + '%';
    return p.low === null || p.low === undefined ? r
      : r + ' (' + Math.round(p.low * 1000) / 10 + '–' + Math.round(p.high * 1000) / 10 + '%)';
  }
  window.G.onItems(items => fillSelect(document.getElementById('quality-scorer'), items));
  document.getElementById('quality-show').addEventListener('click', guarded(async () => {
    const id = document.getElementById('quality-scorer').value;
    if (!id) throw new Error('add a scorer first');
    const r = await api('GET', '/scorers/' + encodeURIComponent(id) + '/quality');
    const table = document.getElementById('quality');
    const body = clear(table.querySelector('tbody'));
    table.hidden = false;
    if (!r.versions.length) {
      body.appendChild(el('tr', {}, el('td', { colSpan: 9, className: 'muted' }, 'No reviewed results scored by this scorer yet.')));
    }
    r.versions.forEach(v => {
      const q = v.quality;
      body.appendChild(el('tr', { className: q.warn ? 'quality-warn' : '', dataset: { version: v.version } },
        el('td', {}, v.version + (v.current ? ' (current)' : '')), el('td', { className: 'num' }, q.reviews),
        el('td', { className: 'num' }, pct(q.agreement)), el('td', { className: 'num' }, pct(q.precision)),
        el('td', { className: 'num' }, pct(q.recall)), el('td', { className: 'num' }, q.false_positives),
        el('td', { className: 'num' }, q.false_negatives),
        el('td', { className: 'num' }, q.kappa === null ? '–' : q.kappa.toFixed(2)),
        el('td', {}, q.warn ? 'agrees with people less than 80% of the time' : '')));
    });
  }));
})();
