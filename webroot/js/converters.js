/* Converter chains: pick converters in order, preview them side by side on sample prompts (typed
 * or from a dataset), and apply the chain to a dataset to make a new one. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, fillSelect, datasetSample } = window.G;
  let converters = [];
  const chain = [];

  function renderChain() {
    const list = clear(document.getElementById('chain-steps'));
    document.getElementById('chain-empty').hidden = chain.length > 0;
    chain.forEach((c, i) => list.appendChild(el('li', { dataset: { id: c.id } }, c.name + ' ',
      el('small', {}, c.type), ' ',
      el('button', { type: 'button', className: 'secondary small', on: { click: () => { chain.splice(i, 1); renderChain(); } } },
        'Remove'))));
  }

  function requireChain() {
    if (!chain.length) throw new Error('add at least one converter to the chain');
    return { id: chain[0].id, then: chain.slice(1).map(c => c.id) };
  }

  async function loadDatasets() {
    const list = await api('GET', '/datasets?limit=1000');
    document.querySelectorAll('.dataset-select').forEach(s => fillSelect(s, list.items));
  }

  window.G.onItems(items => {
    converters = items;
    fillSelect(document.getElementById('chain-choice'), items);
    for (let i = chain.length - 1; i >= 0; i--) {
      if (!items.some(c => c.id === chain[i].id)) chain.splice(i, 1);
    }
    renderChain();
    // each row's Test puts that converter in the chain panel, ready to preview
    document.querySelectorAll('#items tbody tr').forEach(row => {
      const actions = row.querySelector('.actions');
      actions.insertBefore(el('button', { type: 'button', className: 'secondary test', on: { click: () => {
        const c = converters.find(x => x.id === row.dataset.id);
        if (c && !chain.some(x => x.id === c.id)) chain.push(c);
        renderChain();
        document.getElementById('chain-panel').scrollIntoView();
        document.getElementById('chain-prompts').focus();
      } } }, 'Test'), actions.firstChild);
    });
  });
  document.getElementById('chain-add').addEventListener('click', guarded(() => {
    const c = converters.find(x => x.id === document.getElementById('chain-choice').value);
    if (!c) throw new Error('add a converter first');
    chain.push(c);
    renderChain();
  }));
  document.getElementById('chain-sample').addEventListener('click', guarded(async () => {
    const id = document.getElementById('chain-sample-dataset').value;
    if (!id) throw new Error('upload or import a dataset first');
    const n = Math.min(Math.max(Number(document.getElementById('chain-sample-size').value) || 5, 1), 100);
    document.getElementById('chain-prompts').value = (await datasetSample(id, n)).join('\n');
  }));
  document.getElementById('chain-form').addEventListener('submit', guarded(async () => {
    const c = requireChain();
    const prompts = document.getElementById('chain-prompts').value.split('\n').filter(p => p.trim());
    if (!prompts.length) throw new Error('type sample prompts or load a sample of a dataset');
    const r = await api('POST', '/converters/' + encodeURIComponent(c.id) + '/preview', { prompts: prompts, then: c.then });
    const table = document.getElementById('chain-preview');
    const head = clear(table.querySelector('thead'));
    head.appendChild(el('tr', {}, el('th', {}, 'original'), chain.map((s, i) => el('th', {}, (i + 1) + '. ' + s.name))));
    const body = clear(table.querySelector('tbody'));
    r.items.forEach(item => body.appendChild(el('tr', { className: 'preview-row' }, el('td', { className: 'text' }, item.original),
      item.error !== undefined ? el('td', { className: 'error', colSpan: chain.length }, 'error: ' + item.error)
        : item.steps.map(t => el('td', { className: 'text' }, t)))));
    table.hidden = false;
  }));
  document.getElementById('apply-form').addEventListener('submit', guarded(async () => {
    const c = requireChain();
    const d = await api('POST', '/converters/' + encodeURIComponent(c.id) + '/apply', {
      dataset_id: document.getElementById('apply-dataset').value, name: document.getElementById('apply-name').value, then: c.then });
    flash('Created dataset ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    await loadDatasets();
  }));
  guarded(loadDatasets)();
})();
