/* One dataset's prompts, a page at a time. */
(function () {
  'use strict';
  const { api, el, clear, guarded } = window.G;
  const id = document.getElementById('dataset').dataset.id;
  const LIMIT = 50;
  let offset = 0;
  let total = 0;

  async function load() {
    const d = await api('GET', '/datasets/' + encodeURIComponent(id) + '?offset=' + offset + '&limit=' + LIMIT);
    total = d.prompt_count;
    document.getElementById('dataset-name').textContent = d.name;
    document.getElementById('dataset-description').textContent = d.description || '';
    const body = clear(document.querySelector('#prompts tbody'));
    d.prompts.forEach(p => body.appendChild(el('tr', {}, el('td', { className: 'num' }, p.sequence + 1),
      el('td', { className: 'text' }, p.value), el('td', {}, (p.harm_categories || []).join(', ')))));
    document.getElementById('page-info').textContent = total === 0 ? 'no prompts'
      : (offset + 1) + '–' + Math.min(offset + LIMIT, total) + ' of ' + total;
    document.getElementById('prev').disabled = offset === 0;
    document.getElementById('next').disabled = offset + LIMIT >= total;
  }

  document.getElementById('prev').addEventListener('click', guarded(async () => { offset = Math.max(0, offset - LIMIT); await load(); }));
  document.getElementById('next').addEventListener('click', guarded(async () => { offset += LIMIT; await load(); }));
  guarded(load)();
})();
