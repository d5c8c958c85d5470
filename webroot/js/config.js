/* Generators, converters, scorers and orchestrators: list, add through the type's schema, delete,
 * and try one (generator test, converter preview, scorer test) or launch one (orchestrators). */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, confirmButton, schemaForm } = window.G;
  const kind = document.getElementById('config-page').dataset.kind;
  const TRY = {
    generators: { title: 'Test a generator', label: 'prompt', path: id => '/generators/' + id + '/test',
      body: t => ({ prompt: t }),
      show: r => (r.ok ? r.answer : 'error: ' + r.error + (r.detail ? ' — ' + r.detail : '')) + '\n\n' + r.latency_ms + ' ms, ' + r.attempts + ' attempt(s)' },
    converters: { title: 'Preview a converter', label: 'prompt', path: id => '/converters/' + id + '/preview',
      body: t => ({ prompts: [t] }),
      show: r => r.items.map(i => i.converted !== undefined ? i.converted : 'error: ' + i.error).join('\n') },
    scorers: { title: 'Test a scorer on text', label: 'response text', path: id => '/scorers/' + id + '/test',
      body: t => ({ text: t }),
      show: r => r.scores.map(s => s.score_category + ': ' + s.score_value + (s.success ? ' (attack succeeded)' : ' (target held)')
        + (s.score_rationale ? '\n  ' + s.score_rationale : '')).join('\n') }
  };
  let types = [];
  let readParams = () => ({});

  async function loadItems() {
    const list = await api('GET', '/' + kind + '?limit=1000');
    const body = clear(document.querySelector('#items tbody'));
    document.getElementById('items-empty').hidden = list.items.length > 0;
    list.items.forEach(item => {
      const actions = el('td', { className: 'actions' });
      if (kind === 'orchestrators') {
        actions.appendChild(el('button', { type: 'button', className: 'launch', dataset: { id: item.id },
          on: { click: guarded(async () => {
            const e = await api('POST', '/orchestrators/' + item.id + '/executions', {});
            window.location.assign('/executions/' + encodeURIComponent(e.id));
          }) } }, 'Launch'));
      }
      actions.appendChild(confirmButton('Delete', async () => {
        await api('DELETE', '/' + kind + '/' + item.id);
        flash('Deleted ' + item.name + '.');
        await refresh();
      }));
      body.appendChild(el('tr', { dataset: { id: item.id, name: item.name } },
        el('td', {}, item.name), el('td', {}, item.type),
        el('td', {}, el('code', { className: 'params' }, JSON.stringify(item.parameters))), actions));
    });
    const select = document.getElementById('try-item');
    if (select) {
      clear(select);
      list.items.forEach(i => select.appendChild(el('option', { value: i.id }, i.name)));
    }
  }

  let generation = 0;

  /** Rebuilds the parameter inputs for the chosen type; a later choice wins over a slower earlier one. */
  async function selectType() {
    const mine = ++generation;
    const type = types.find(t => t.type === document.getElementById('add-type').value);
    const box = document.createElement('div');
    const reader = await schemaForm(box, type ? type.parameters : []);
    if (mine !== generation) return;
    const params = clear(document.getElementById('params'));
    while (box.firstChild) params.appendChild(box.firstChild);
    readParams = reader;
    document.getElementById('type-description').textContent = type ? type.description : '';
  }

  async function refresh() {
    await loadItems();
    if (kind === 'orchestrators') await loadExecutions();
  }

  /** Orchestrators: their executions, newest first, each linking to its live page. */
  async function loadExecutions() {
    let section = document.getElementById('executions');
    if (!section) {
      section = el('section', { className: 'card', id: 'executions' }, el('h2', {}, 'Executions'),
        el('div', { className: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'orchestrator'),
          el('th', {}, 'status'), el('th', { className: 'num' }, 'prompts'), el('th', {}, 'created'))), el('tbody'))));
      document.getElementById('config-page').appendChild(section);
    }
    const list = await api('GET', '/executions?limit=50');
    const body = clear(section.querySelector('tbody'));
    list.items.forEach(e => body.appendChild(el('tr', {},
      el('td', {}, el('a', { href: '/executions/' + encodeURIComponent(e.id) }, e.orchestrator_name || e.orchestrator_id)),
      el('td', {}, el('span', { className: 'badge ' + e.status }, e.status)), el('td', { className: 'num' }, e.total),
      el('td', {}, window.G.fmtTime(e.created_at)))));
  }

  async function init() {
    types = (await api('GET', '/' + kind + '/types')).types;
    const select = document.getElementById('add-type');
    types.forEach(t => select.appendChild(el('option', { value: t.type }, t.type + ' — ' + t.category)));
    select.addEventListener('change', guarded(selectType));
    await selectType();
    document.getElementById('add-form').addEventListener('submit', guarded(async () => {
      const value = { name: document.getElementById('add-name').value, type: select.value, parameters: readParams() };
      const created = await api('POST', '/' + kind, value);
      flash('Added ' + created.name + '.');
      document.getElementById('add-name').value = '';
      await refresh();
      await selectType();
    }));
    const t = TRY[kind];
    if (t) {
      document.getElementById('try-panel').hidden = false;
      document.getElementById('try-title').textContent = t.title;
      document.getElementById('try-label').textContent = t.label;
      document.getElementById('try-form').addEventListener('submit', guarded(async () => {
        const out = document.getElementById('try-output');
        out.textContent = '…';
        const id = document.getElementById('try-item').value;
        if (!id) throw new Error('add one first');
        const r = await api('POST', t.path(id), t.body(document.getElementById('try-text').value));
        out.textContent = t.show(r);
      }));
    }
    await refresh();
  }

  guarded(init)();
})();
