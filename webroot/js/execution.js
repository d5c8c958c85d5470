/* One execution: live progress pushed over the event-bus bridge (no reload, no polling while the
 * socket is up), cancel, resume, and its results with each conversation's turns and scores. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, listen, user } = window.G;
  const id = document.getElementById('execution').dataset.id;
  const FINISHED = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
  const OUTCOMES = ['attack_succeeded', 'held', 'error', 'unscored'];
  const RESUMABLE = ['failed', 'cancelled'];
  const LIMIT = 50;
  let offset = 0;
  let current = null;
  let resultsShownFor = null;
  let fallback = null;

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) return '–';
    if (seconds < 60) return Math.round(seconds) + ' s';
    return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
  }

  /** Applies a state from the bridge or the API; an older or stale state never overwrites a newer one. */
  function apply(e, source) {
    if (!e || e.id !== id) return;
    const p = e.progress || { total: e.total || 0, done: 0 };
    if (current) {
      const was = current.progress || {};
      const wasFinished = FINISHED.includes(current.status);
      if (wasFinished && !FINISHED.includes(e.status) && source !== 'resume' && source !== 'bridge') return;
      if (!wasFinished && !FINISHED.includes(e.status) && (p.done || 0) < (was.done || 0)) return;
    }
    current = Object.assign({}, current || {}, e);
    if (source === 'bridge') {
      const bar = document.getElementById('progress');
      bar.dataset.frames = Number(bar.dataset.frames) + 1;
    }
    show(current, p);
    if (FINISHED.includes(current.status) && resultsShownFor !== current.status) {
      resultsShownFor = current.status;
      // the end state comes from the bridge without the stored details: read them once
      guarded(async () => { show(current = await api('GET', '/executions/' + encodeURIComponent(id)), null); await loadResults(); })();
    }
  }

  function show(e, progress) {
    const p = progress || e.progress || { total: e.total || 0, done: 0 };
    const total = p.total || e.total || 0;
    const done = p.done || 0;
    const finished = FINISHED.includes(e.status);
    if (e.orchestrator) {
      document.getElementById('execution-title').textContent = e.orchestrator.name + ' · ' + e.orchestrator.type;
    }
    const status = document.getElementById('status');
    status.textContent = e.status;
    status.className = 'badge ' + e.status;
    document.getElementById('execution-error').textContent = e.error || e.paused_reason || '';
    const bar = document.getElementById('progress');
    bar.max = Math.max(total, 1);
    bar.value = done;
    const pct = total ? Math.floor(done * 100 / total) : (finished ? 100 : 0);
    document.getElementById('progress-text').textContent = done + ' / ' + total;
    document.getElementById('progress-percent').textContent = pct + '%';
    document.getElementById('succeeded').textContent = p.succeeded || 0;
    document.getElementById('failed').textContent = p.failed || 0;
    document.getElementById('attack-successes').textContent = p.attack_successes || 0;
    OUTCOMES.forEach(o => { document.getElementById('outcome-' + o).textContent = p[o] || 0; });
    const judged = (p.attack_succeeded || 0) + (p.held || 0);
    document.getElementById('attack-rate').textContent = judged
      ? Math.round(100 * (p.attack_succeeded || 0) / judged) + '% of ' + judged + ' judged' : '–';
    let rate = p.rate_per_s;
    if (finished && e.started_at && e.finished_at) {
      rate = done / Math.max((Date.parse(e.finished_at) - Date.parse(e.started_at)) / 1000, 0.001);
    }
    document.getElementById('rate').textContent = rate > 0 ? rate.toFixed(1) + ' prompts/s' : '–';
    document.getElementById('eta').textContent = finished ? 'done' : (p.eta_s === null || p.eta_s === undefined ? '–' : duration(p.eta_s));
    document.getElementById('cancel').hidden = finished;
    document.getElementById('resume').hidden = !(RESUMABLE.includes(e.status) && done < total);
  }

  function count(n, noun) {
    return n + ' ' + noun + (n === 1 ? '' : 's');
  }

  function turns(r) {
    const box = el('div', { className: 'turns' });
    (r.pieces || []).forEach(p => {
      box.appendChild(el('div', { className: 'turn ' + p.role },
        el('span', { className: 'role' }, p.role + (p.response_error && p.response_error !== 'none' ? ' · ' + p.response_error : '')),
        el('pre', { className: 'text' }, G.longText(p.converted_value)),
        p.converted_value !== p.original_value ? el('small', {}, 'original: ', G.longText(p.original_value)) : null));
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
        el('td', { className: 'outcome-' + (r.outcome || 'none') }, (r.outcome || '–') + (r.reason ? ': ' + r.reason : '')),
        el('td', {}, el('details', {}, el('summary', {}, count((r.pieces || []).length, 'turn') + ', ' + count((r.scores || []).length, 'score')), turns(r)))));
    });
    const total = page.total || 0;
    const running = current && !FINISHED.includes(current.status);
    document.getElementById('page-info').textContent = total === 0
      ? (running ? 'the run is going: its rows stream in above, and this table is read again when it ends' : 'no results')
      : (offset + 1) + '–' + Math.min(offset + LIMIT, total) + ' of ' + total;
    document.getElementById('prev').disabled = offset === 0;
    document.getElementById('next').disabled = offset + LIMIT >= total;
  }

  async function refresh() {
    apply(await api('GET', '/executions/' + encodeURIComponent(id)), 'api');
  }

  /** Only while the bridge is down: read the state every few seconds until it is back. */
  function bridgeState(state) {
    const live = document.getElementById('live');
    if (state === 'open') {
      live.textContent = 'live';
      live.className = 'live on';
      clearInterval(fallback);
      fallback = null;
      // whatever was published before the registration is read once
      guarded(refresh)();
    } else if (state === 'closed' && !fallback) {
      live.textContent = 'reconnecting…';
      live.className = 'live';
      fallback = setInterval(guarded(refresh), 3000);
    } else if (state === 'error') {
      live.textContent = 'live progress refused';
      live.className = 'live';
    }
  }

  document.getElementById('cancel').addEventListener('click', guarded(async () => {
    await api('POST', '/executions/' + encodeURIComponent(id) + '/cancel');
    flash('Cancelled.');
  }));
  document.getElementById('resume').addEventListener('click', guarded(async () => {
    const r = await api('POST', '/executions/' + encodeURIComponent(id) + '/resume');
    resultsShownFor = null;
    apply(Object.assign({}, current, { status: r.status, error: null }), 'resume');
    flash('Resumed: only the prompts not yet committed are sent.');
  }));
  document.getElementById('prev').addEventListener('click', guarded(async () => { offset = Math.max(0, offset - LIMIT); await loadResults(); }));
  document.getElementById('next').addEventListener('click', guarded(async () => { offset += LIMIT; await loadResults(); }));
  guarded(async () => { await refresh(); if (!resultsShownFor) await loadResults(); })();
  listen('gauntlet.progress.' + user, e => apply(e, 'bridge'), bridgeState);
})();
