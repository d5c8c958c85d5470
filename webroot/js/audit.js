/* Audit log (admins): every write, admin read and refusal, newest first, filtered on the server. */
(function () {
  'use strict';
  const { api, el, clear, guarded, fmtTime } = window.G;
  const PAGE = 50;
  let offset = 0;

  function query() {
    const q = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    ['user', 'action', 'resource', 'outcome'].forEach(name => {
      const v = document.getElementById('f-' + name).value.trim();
      if (v) q.set(name, v);
    });
    ['since', 'until'].forEach(name => {
      const v = document.getElementById('f-' + name).value;
      if (v) q.set(name, new Date(v).toISOString());
    });
    return q.toString();
  }

  async function load() {
    const page = await api('GET', '/admin/audit?' + query());
    const body = clear(document.querySelector('#audit-rows tbody'));
    page.items.forEach(r => body.appendChild(el('tr', { className: r.outcome === 'success' ? '' : 'outcome-' + r.outcome },
      el('td', {}, fmtTime(r.at)), el('td', {}, r.actor || '–'), el('td', {}, r.action), el('td', {}, r.resource || ''),
      el('td', {}, r.outcome), el('td', { className: 'num' }, r.status === null ? '' : r.status), el('td', {}, r.address || ''),
      el('td', {}, r.user_agent || ''), el('td', {}, r.detail || ''))));
    const last = Math.min(offset + page.items.length, page.total);
    document.getElementById('audit-range').textContent = page.total ? (offset + 1) + '–' + last + ' of ' + page.total : 'no entries';
    document.getElementById('audit-newer').disabled = offset === 0;
    document.getElementById('audit-older').disabled = last >= page.total;
  }

  document.getElementById('audit-filter').addEventListener('submit', guarded(async () => { offset = 0; await load(); }));
  document.getElementById('audit-newer').addEventListener('click', guarded(async () => { offset = Math.max(0, offset - PAGE); await load(); }));
  document.getElementById('audit-older').addEventListener('click', guarded(async () => { offset += PAGE; await load(); }));
  guarded(load)();
})();
