/* Admin: the audit log, newest first, filtered by actor and action, a page at a time. */
(function () {
  'use strict';
  const { api, el, clear, guarded, fmtTime, copyButton } = window.G;
  const LIMIT = 50;
  let offset = 0;

  const NAMED = /^(generator|dataset|converter|scorer|orchestrator) '/;

  /** A configuration's kind and name where the entry knows it, its path (with ids) on hover and behind a copy button. */
  function resource(a) {
    if (a.detail && NAMED.test(a.detail)) {
      return el('td', { className: 'text', title: a.resource || '' }, el('span', { className: 'named' }, a.detail), ' ',
        copyButton(a.resource || ''));
    }
    return el('td', { className: 'text' }, a.resource || '');
  }

  async function load() {
    const q = new URLSearchParams({ offset: offset, limit: LIMIT });
    const actor = document.getElementById('audit-actor').value.trim();
    const action = document.getElementById('audit-action').value.trim();
    if (actor) q.set('actor', actor);
    if (action) q.set('action', action);
    const page = await api('GET', '/admin/audit?' + q);
    const body = clear(document.querySelector('#audit tbody'));
    page.items.forEach(a => body.appendChild(el('tr', { className: 'entry ' + a.outcome },
      el('td', {}, fmtTime(a.at)), el('td', { className: 'actor' }, a.actor || ''), el('td', { className: 'action' }, a.action),
      resource(a), el('td', {}, a.outcome), el('td', { className: 'num' }, a.status),
      el('td', {}, a.address || ''))));
    const total = page.total || 0;
    document.getElementById('page-info').textContent = total === 0 ? 'no entries'
      : (offset + 1) + '–' + Math.min(offset + LIMIT, total) + ' of ' + total;
    document.getElementById('prev').disabled = offset === 0;
    document.getElementById('next').disabled = offset + LIMIT >= total;
  }

  document.getElementById('audit-filter').addEventListener('submit', guarded(async () => { offset = 0; await load(); }));
  document.getElementById('prev').addEventListener('click', guarded(async () => { offset = Math.max(0, offset - LIMIT); await load(); }));
  document.getElementById('next').addEventListener('click', guarded(async () => { offset += LIMIT; await load(); }));
  guarded(load)();
})();
