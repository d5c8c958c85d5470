/* Datasets: the user's list, uploads (preview first, then store) and the built-in sets. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, confirmButton } = window.G;

  async function loadItems() {
    const list = await api('GET', '/datasets?limit=1000');
    const body = clear(document.querySelector('#items tbody'));
    document.getElementById('items-empty').hidden = list.items.length > 0;
    list.items.forEach(d => {
      body.appendChild(el('tr', { dataset: { id: d.id, name: d.name } },
        el('td', {}, el('a', { href: '/datasets/' + encodeURIComponent(d.id) }, d.name)),
        el('td', { className: 'num' }, d.prompt_count), el('td', {}, d.description || ''),
        el('td', { className: 'actions' }, confirmButton('Delete', async () => {
          await api('DELETE', '/datasets/' + d.id);
          flash('Deleted ' + d.name + '.');
          await loadItems();
        }))));
    });
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

  function formData(preview) {
    const f = new FormData();
    const file = document.getElementById('upload-file').files[0];
    if (!file) throw new Error('choose a file first');
    f.append('preview', preview ? 'true' : 'false');
    f.append('name', document.getElementById('upload-name').value || file.name);
    ['value-field', 'harm-field'].forEach(id => {
      const input = document.getElementById('upload-' + id);
      if (input.value) f.append(input.name, input.value);
    });
    f.append('file', file, file.name);
    return f;
  }

  function showPreview(p) {
    const out = clear(document.getElementById('upload-result'));
    out.appendChild(el('p', { id: 'preview-count' }, p.count + ' prompts found (' + p.format + '); the first ' + p.rows.length + ':'));
    const body = el('tbody');
    p.rows.forEach((r, i) => body.appendChild(el('tr', {}, el('td', { className: 'num' }, i + 1), el('td', {}, r.value),
      el('td', {}, (r.harm_categories || []).join(', ')))));
    out.appendChild(el('div', { className: 'scroll' }, el('table', { id: 'preview' },
      el('thead', {}, el('tr', {}, el('th', { className: 'num' }, '#'), el('th', {}, 'prompt'), el('th', {}, 'harm categories'))), body)));
  }

  document.getElementById('upload-form').addEventListener('submit', guarded(async () => {
    const store = document.getElementById('upload-store');
    store.disabled = true;
    showPreview(await api('POST', '/datasets/upload', formData(true)));
    store.disabled = false;
  }));
  document.getElementById('upload-file').addEventListener('change', () => {
    document.getElementById('upload-store').disabled = true;
    clear(document.getElementById('upload-result'));
  });
  document.getElementById('upload-store').addEventListener('click', guarded(async () => {
    const d = await api('POST', '/datasets/upload', formData(false));
    flash('Stored ' + d.name + ' with ' + d.prompt_count + ' prompts.');
    document.getElementById('upload-store').disabled = true;
    await loadItems();
  }));

  guarded(async () => { await loadItems(); await loadBuiltins(); })();
})();
