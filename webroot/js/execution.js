/* One execution: live progress polled every 500 ms without reloading, cancel, and its results
 * with each conversation's turns and scores expandable. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded } = window.G;
  const id = document.getElementById('execution').dataset.id;
  const FINISHED = ['completed', 'failed', 'cancelled'];
  const LIMIT = 50;
  let offset = 0;
  let first = null;
  let loadedResultsFor = null;

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) return '–';
    if (seconds < 60) return Math.round(seconds) + ' s';
    return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
  }

  function showProgress(e) {
    const p = e.progress || { total: e.total || 0, done: 0, succeeded: 0, failed: 0, attack_successes: 0 };
    const total = p.total || e.total || 0;
    const done = p.done || 0;
    document.getElementById('execution-title').textContent = (e.orchestrator ? e.orchestrator.name + ' · ' + e.orchestrator.type : 'Execution');
    const status = document.getElementById('status');
    status.textContent = e.status;
    status.className = 'badge ' + e.status;
    document.getElementById('execution-error').textContent = e.error || '';
    const bar = document.getElementById('progress');
    bar.max = Math.max(total, 1);
    bar.value = done;
    const pct = total ? Math.floor(done * 100 / total) : (FINISHED.includes(e.status) ? 100 : 0);
    document.getElementById('progress-text').textContent = done + ' / ' + total;
    document.getElementById('progress-percent').textContent = pct + '%';
    ['succeeded', 'failed'].forEach(k => { document.getElementById(k).textContent = p[k] || 0; });
    document.getElementById('attack-successes').textContent = p.attack_successes || 0;
    let rate = NaN;
    if (e.started_at && e.finished_at) {
      rate = done / Math.max((Date.parse(e.finished_at) - Date.parse(e.started_at)) / 1000, 0.001);
    } else if (first && done > first.done) {
      rate = (done - first.done) / Math.max((Date.now() - first.at) / 1000, 0.001);
    }
    if (!first && e.status === 'running') first = { at: Date.now(), done: done };
    document.getElementById('rate').textContent = isFinite(rate) ? rate.toFixed(1) + ' prompts/s' : '–';
    document.getElementById('eta').textContent = FINISHED.includes(e.status) ? 'done' : duration((total - done) / rate);
    document.getElementById('cancel').hidden = FINISHED.includes(e.status);
  }

  function turns(r) {
    const box = el('div', { className: 'turns' });
    (r.pieces || []).forEach(p => {
      box.appendChild(el('div', { className: 'turn ' + p.role },
        el('span', { className: 'role' }, p.role + (p.response_error && p.response_error !== 'none' ? ' · ' + p.response_error : '')),
        el('pre', { className: 'text' }, p.converted_value),
        p.converted_value !== p.original_value ? el('small', {}, 'original: ', p.original_value) : null));
    });
    (r.scores || []).forEach(s => box.appendChild(el('div', { className: 'score' },
      (s.scorer_class_identifier && s.scorer_class_identifier.name ? s.scorer_class_identifier.name + ' · ' : '')
      + s.score_category + ': ' + s.score_value + (s.score_rationale ? ' — ' + s.score_rationale : ''))));
    return box;
  }

  async function loadResults() {
    const page = await api('GET', '/executions/' + encodeURIComponent(id) + '/results?offset=' + offset + '&limit=' + LIMIT);
    const body = clear(document.querySelector('#results tbody'));
    page.items.forEach(r => {
      const prompt = r.pieces && r.pieces.length ? r.pieces[0].original_value : '';
      body.appendChild(el('tr', { className: 'result', dataset: { index: r.prompt_index } },
        el('td', { className: 'num' }, r.prompt_index + 1),
        el('td', { className: 'text' }, prompt),
        el('td', {}, r.status + (r.error ? ' (' + r.error + ')' : '')),
        el('td', {}, r.attack_success === true ? 'succeeded' : r.attack_success === false ? 'held' : '–'),
        el('td', {}, el('details', {}, el('summary', {}, (r.pieces || []).length + ' turns, ' + (r.scores || []).length + ' scores'), turns(r)))));
    });
    const total = page.total || 0;
    document.getElementById('page-info').textContent = total === 0 ? 'no results yet'
      : (offset + 1) + '–' + Math.min(offset + LIMIT, total) + ' of ' + total;
    document.getElementById('prev').disabled = offset === 0;
    document.getElementById('next').disabled = offset + LIMIT >= total;
  }

  async function poll() {
    let e;
    try {
      e = await api('GET', '/executions/' + encodeURIComponent(id));
    } catch (err) {
      flash(err.message, true);
      setTimeout(poll, 2000);
      return;
    }
    showProgress(e);
    if (FINISHED.includes(e.status)) {
      if (loadedResultsFor !== e.status) {
        loadedResultsFor = e.status;
        await guarded(loadResults)();
      }
      return;
    }
    setTimeout(poll, 500);
  }

  document.getElementById('cancel').addEventListener('click', guarded(async () => {
    await api('POST', '/executions/' + encodeURIComponent(id) + '/cancel');
    flash('Cancelled.');
  }));
  document.getElementById('prev').addEventListener('click', guarded(async () => { offset = Math.max(0, offset - LIMIT); await loadResults(); }));
  document.getElementById('next').addEventListener('click', guarded(async () => { offset += LIMIT; await loadResults(); }));
  guarded(loadResults)();
  poll();
})();
