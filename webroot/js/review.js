/* The review queue: results from one source, one at a time, judged by keyboard. Every text from
 * the server (prompts and answers are hostile model output) reaches the page through textContent. */
(function () {
  'use strict';
  const { api, el, clear, guarded, flash } = window.G;
  const CUT = 2000;
  const KEYS = { s: 'attack_succeeded', h: 'held', n: 'not_applicable' };
  const LABELS = { attack_succeeded: 'attack succeeded', held: 'held', not_applicable: 'not applicable' };
  let queue = [];
  let at = 0;
  let current = null;
  let busy = false;

  const $ = id => document.getElementById(id);

  /** Shows a text cut to CUT characters, with a "show all" button when it is longer. */
  function showText(id, text) {
    const full = text == null ? '' : String(text);
    const cut = full.length > CUT;
    $(id).textContent = cut ? full.slice(0, CUT) + '…' : full;
    const all = $(id + '-all');
    all.hidden = !cut;
    all.onclick = () => { $(id).textContent = full; all.hidden = true; };
  }

  function showReview(review) {
    $('review-current').textContent = review ? LABELS[review.verdict] || review.verdict : 'none';
    $('review-current').className = review ? 'verdict-' + review.verdict : '';
    $('review-current-comment').textContent = review && review.comment ? '— ' + review.comment : '';
  }

  async function show(i) {
    if (i < 0 || i >= queue.length) return;
    at = i;
    const item = queue[i];
    const r = await api('GET', '/results/' + encodeURIComponent(item.piece_id) + '/review');
    current = r;
    $('review-position').textContent = (i + 1) + ' / ' + queue.length;
    $('review-why').textContent = item.reason || '';
    $('review-execution-id').textContent = r.execution_id || '–';
    $('review-conversation').href = '/api/v1/memory/conversations/' + encodeURIComponent(r.conversation_id);
    showText('review-prompt', r.prompt);
    showText('review-answer', r.response_error && r.response_error !== 'none' ? '[' + r.response_error + '] ' + (r.answer || '') : r.answer);
    const scores = clear($('review-scores'));
    if (!r.scores.length) scores.appendChild(el('li', {}, 'no score'));
    r.scores.forEach(s => scores.appendChild(el('li', { className: 'verdict-' + (s.verdict || 'unscored') },
      el('b', {}, s.scorer + ': ' + (s.verdict ? LABELS[s.verdict] : 'no usable verdict')),
      ' (' + s.score_value + ')', s.rationale ? ' — ' + s.rationale : '')));
    showReview(r.review);
    $('review-comment').value = r.review && r.review.comment ? r.review.comment : '';
    $('review-card').dataset.pieceId = item.piece_id;
  }

  async function judge(verdict) {
    if (!current || busy) return;
    busy = true;
    try {
      const comment = $('review-comment').value;
      const saved = await api('PUT', '/results/' + encodeURIComponent(current.piece_id) + '/review',
        comment ? { verdict: verdict, comment: comment } : { verdict: verdict });
      showReview(saved);
      if (at + 1 < queue.length) {
        await show(at + 1);
      } else {
        flash('Reviewed ' + queue.length + ' of ' + queue.length + ': the queue is done.');
      }
    } finally {
      busy = false;
    }
  }

  async function start() {
    const form = $('review-source');
    const params = new URLSearchParams();
    ['source', 'size', 'scorer', 'execution_id'].forEach(name => {
      const v = form.elements[name].value;
      if (v) params.set(name, v);
    });
    if (form.elements.include_reviewed.checked) params.set('include_reviewed', 'true');
    params.set('seed', String(Date.now()));
    params.set('limit', '1000');
    const r = await api('GET', '/reviews/queue?' + params.toString());
    queue = r.items;
    $('review-empty').hidden = queue.length > 0;
    $('review-card').hidden = queue.length === 0;
    if (queue.length) await show(0);
  }

  $('review-source').addEventListener('submit', guarded(start));
  Object.values(KEYS).forEach(v => $('verdict-' + v).addEventListener('click', guarded(() => judge(v))));
  $('review-next').addEventListener('click', guarded(() => show(at + 1)));
  $('review-prev').addEventListener('click', guarded(() => show(at - 1)));

  // not guarded(): that cancels every key, and the comment must still take typing
  document.addEventListener('keydown', ev => onKey(ev).catch(e => flash(e.message, true)));
  async function onKey(ev) {
    const typing = ev.target instanceof HTMLElement && ev.target.matches('input, textarea, select');
    if (typing) {
      if (ev.key === 'Escape') ev.target.blur();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || $('review-card').hidden) return;
    if (KEYS[ev.key]) { ev.preventDefault(); await judge(KEYS[ev.key]); }
    else if (ev.key === 'j' || ev.key === 'ArrowRight') { ev.preventDefault(); await show(at + 1); }
    else if (ev.key === 'k' || ev.key === 'ArrowLeft') { ev.preventDefault(); await show(at - 1); }
    else if (ev.key === 'c') { ev.preventDefault(); $('review-comment').focus(); }
  }

  // a link may name one result (/review?piece_id=…) or a source (/review?source=unscored&execution_id=…)
  const given = new URLSearchParams(window.location.search);
  if (given.get('piece_id')) {
    queue = [{ piece_id: given.get('piece_id'), reason: 'one result' }];
    $('review-card').hidden = false;
    guarded(() => show(0))();
  } else if (given.get('source')) {
    ['source', 'size', 'scorer', 'execution_id'].forEach(name => {
      if (given.get(name)) $('review-source').elements[name].value = given.get(name);
    });
    guarded(start)();
  }
})();
