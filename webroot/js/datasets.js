/* Datasets: the user's list; uploads (preview with field mapping first, then store); combine;
 * transform through a template; derive from memory; the built-in sets. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, fillSelect, datasetSample, fmtTime, copyButton, deleteButton } = window.G;
  const PLACEHOLDER = '{{prompt}}';

  async function loadItems() {
    const list = await api('GET', '/datasets?limit=1000');
    const body = clear(document.querySelector('#items tbody'));
    document.getElementById('items-empty').hidden = list.items.length > 0;
    list.items.forEach(d => {
      const categories = (d.harm_categories || []).map(c => el('span', { className: 'chip' }, c));
      body.appendChild(el('tr', { dataset: { id: d.id, name: d.name } },
        el('td', { className: 'name' }, el('a', { href: '/datasets/' + encodeURIComponent(d.id) }, d.name), ' ', copyButton(d.id)),
        el('td', { className: 'num' }, d.prompt_count),
        el('td', {}, d.description || '', categories.length ? el('div', { className: 'categories' }, categories) : null),
        el('td', { className: 'actions' },
          el('button', { type: 'button', className: 'secondary duplicate', on: { click: guarded(async () => {
            const copy = await api('POST', '/datasets/' + encodeURIComponent(d.id) + '/duplicate');
            flash('Added ' + copy.name + '.');
            await loadItems();
          }) } }, 'Duplicate'),
          deleteButton('datasets', d, loadItems))));
    });
    document.querySelectorAll('.dataset-select').forEach(s => fillSelect(s, list.items));
    // combining picks several: a checkbox each, ticks kept across a reload of the list
    const combine = document.getElementById('combine-datasets');
    const ticked = Array.from(combine.querySelectorAll('input:checked')).map(c => c.value);
    combine.replaceWith(window.G.checkList('combine-datasets', list.items, ticked, d => d.name + ' (' + d.prompt_count + ')'));
  }

  async function loadBuiltins() {
    const list = await api('GET', '/datasets/builtin');
    const body = clear(document.querySelector('#builtins tbody'));
    list.items.forEach(b => body.appendChild(el('tr', {},
      el('td', {}, b.name || b.id), el('td', { className: 'num' }, b.prompt_count), el('td', {}, b.description || ''),
      el('td', { className: 'actions' }, el('button', { type: 'button', dataset: { builtin: b.id }, on: { click: guarded(async () => {
        const d = await api('POST', '/datasets/builtin/' + encodeURIComponent(b.id) + '/import');
        flash('Imported ' + d.name + ' (' + d.prompt_count + ' prompts).');
        await loadItems();
      }) } }, 'Import')))));
  }

  async function loadExecutions() {
    const list = await api('GET', '/executions?limit=100');
    fillSelect(document.getElementById('derive-execution'), list.items.map(e => ({
      id: e.id, name: (e.orchestrator_name || e.orchestrator_id) + ' · ' + e.status + ' · ' + fmtTime(e.created_at) })),
    'every execution');
  }

  // --- upload: preview with the field mapping, then store exactly what was previewed -----------

  function formData(preview) {
    const f = new FormData();
    const file = document.getElementById('upload-file').files[0];
    if (!file) throw new Error('choose a file first');
    f.append('preview', preview ? 'true' : 'false');
    f.append('name', document.getElementById('upload-name').value || file.name);
    ['source', 'value-field', 'harm-field'].forEach(id => {
      const input = document.getElementById('upload-' + id);
      if (input.value) f.append(input.name, input.value);
    });
    f.append('file', file, file.name);
    return f;
  }

  function showPreview(p) {
    const out = clear(document.getElementById('upload-result'));
    out.appendChild(el('p', { id: 'preview-count' }, p.count + ' prompts found (' + p.format
      + (p.source && p.source !== 'auto' ? ', ' + p.source : '') + ')'
      + (p.value_field ? ', prompt field "' + p.value_field + '"' : '')
      + (p.harm_categories_field ? ', harm categories field "' + p.harm_categories_field + '"' : '')
      + (p.skipped_blank ? ', ' + p.skipped_blank + ' blank skipped' : '') + '; the first ' + p.rows.length + ':'));
    const fields = clear(document.getElementById('upload-fields'));
    (p.fields || []).forEach(f => fields.appendChild(el('option', { value: f })));
    const others = [];
    p.rows.forEach(r => Object.keys(r.metadata || {}).forEach(k => { if (!others.includes(k)) others.push(k); }));
    const body = el('tbody');
    p.rows.forEach((r, i) => body.appendChild(el('tr', {}, el('td', { className: 'num' }, i + 1), el('td', { className: 'text' }, G.longText(r.value)),
      el('td', {}, (r.harm_categories || []).join(', ')),
      others.map(k => el('td', {}, r.metadata && r.metadata[k] !== undefined ? String(r.metadata[k]) : '')))));
    out.appendChild(el('div', { className: 'scroll' }, el('table', { id: 'preview' },
      el('thead', {}, el('tr', {}, el('th', { className: 'num' }, '#'), el('th', {}, 'prompt'), el('th', {}, 'harm categories'),
        others.map(k => el('th', { className: 'meta' }, k)))), body)));
  }

  function invalidatePreview() {
    document.getElementById('upload-store').disabled = true;
    clear(document.getElementById('upload-result'));
  }

  document.getElementById('upload-form').addEventListener('submit', guarded(async () => {
    invalidatePreview();
    showPreview(await api('POST', '/datasets/upload', formData(true)));
    document.getElementById('upload-store').disabled = false;
  }));
  ['upload-file', 'upload-value-field', 'upload-harm-field'].forEach(id =>
    document.getElementById(id).addEventListener('change', invalidatePreview));
  document.getElementById('upload-store').addEventListener('click', guarded(async () => {
    const d = await api('POST', '/datasets/upload', formData(false));
    flash('Stored ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    invalidatePreview();
    await loadItems();
  }));

  // --- combine, transform, derive ---------------------------------------------------------------

  document.getElementById('combine-form').addEventListener('submit', guarded(async () => {
    const ids = Array.from(document.querySelectorAll('#combine-datasets input:checked')).map(o => o.value);
    if (ids.length < 2) throw new Error('choose at least two datasets to combine');
    const d = await api('POST', '/datasets/combine', { name: document.getElementById('combine-name').value, dataset_ids: ids,
      dedupe: document.getElementById('combine-dedupe').checked });
    flash('Created ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    await loadItems();
  }));

  function template() {
    const t = document.getElementById('transform-template').value;
    if (!t.includes(PLACEHOLDER)) throw new Error('the template must contain ' + PLACEHOLDER);
    return t;
  }

  document.getElementById('transform-preview').addEventListener('click', guarded(async () => {
    const t = template();
    const id = document.getElementById('transform-dataset').value;
    if (!id) throw new Error('choose a dataset');
    const table = document.getElementById('transform-result');
    const body = clear(table.querySelector('tbody'));
    (await datasetSample(id, 5)).forEach(p => body.appendChild(el('tr', {}, el('td', { className: 'text' }, p),
      el('td', { className: 'text' }, t.split(PLACEHOLDER).join(p)))));
    table.hidden = false;
  }));
  document.getElementById('transform-form').addEventListener('submit', guarded(async () => {
    const id = document.getElementById('transform-dataset').value;
    const d = await api('POST', '/datasets/' + encodeURIComponent(id) + '/transform',
      { name: document.getElementById('transform-name').value, template: template() });
    flash('Created ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    await loadItems();
  }));
  document.getElementById('derive-form').addEventListener('submit', guarded(async () => {
    const execution = document.getElementById('derive-execution').value;
    const body = { name: document.getElementById('derive-name').value };
    if (execution) body.execution_id = execution;
    const d = await api('POST', '/datasets/derive', body);
    flash('Created ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    await loadItems();
  }));

  guarded(async () => { await loadItems(); await loadBuiltins(); await loadExecutions(); })();
})();
