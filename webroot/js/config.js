/* Generators, converters, scorers and orchestrators: list, add or edit through the type's schema,
 * delete with confirmation. Each kind's own panel (chat, chain, scorer test, launch) lives in its
 * script, told of the current items through G.onItems. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, schemaForm, copyButton, deleteButton } = window.G;
  const kind = document.getElementById('config-page').dataset.kind;
  const listeners = [];
  let items = null;
  let types = [];
  let readParams = () => ({});
  let editing = null;
  let generation = 0;

  /** Calls fn with the items now (if loaded) and after every change. */
  window.G.onItems = function (fn) {
    listeners.push(fn);
    if (items) guarded(() => fn(items))();
  };
  window.G.refreshItems = () => loadItems();
  /** For a kind's own script: the form's type and parameters as entered, the item being edited, and a way to fill the form. */
  window.G.readForm = () => ({ type: document.getElementById('add-type').value, parameters: readParams() });
  window.G.editingId = () => editing ? editing.id : null;
  window.G.fillForm = async (type, values) => {
    document.getElementById('add-type').value = type;
    await selectType(values);
  };

  async function loadItems() {
    const list = await api('GET', '/' + kind + '?limit=1000');
    items = list.items;
    const body = clear(document.querySelector('#items tbody'));
    document.getElementById('items-empty').hidden = items.length > 0;
    items.forEach(item => {
      const actions = el('td', { className: 'actions' },
        el('button', { type: 'button', className: 'secondary edit', on: { click: guarded(() => edit(item)) } }, 'Edit'),
        el('button', { type: 'button', className: 'secondary duplicate', on: { click: guarded(async () => {
          const copy = await api('POST', '/' + kind + '/' + encodeURIComponent(item.id) + '/duplicate');
          flash('Added ' + copy.name + '.');
          await loadItems();
        }) } }, 'Duplicate'),
        deleteButton(kind, item, async () => {
          if (editing && editing.id === item.id) await stopEditing();
          await loadItems();
        }));
      const broken = (item.references || []).some(r => r.deleted);
      body.appendChild(el('tr', { dataset: { id: item.id, name: item.name }, className: broken ? 'broken' : '' },
        el('td', { className: 'name' }, el('span', { className: 'item-name' }, item.name), ' ', copyButton(item.id)),
        el('td', { className: 'summary' }, summary(item)), actions));
    });
    for (const fn of listeners) await fn(items);
  }

  /** A readable summary: headline, what it refers to by name (a chain in order), a few facts. */
  function summary(item) {
    const s = item.summary || { headline: item.type, facts: [] };
    const box = el('div', {}, el('div', { className: 'headline' }, s.headline));
    const byParam = new Map();
    (item.references || []).forEach(r => {
      if (!byParam.has(r.param)) byParam.set(r.param, []);
      byParam.get(r.param).push(r);
    });
    byParam.forEach((refs, param) => {
      const chain = param === 'converter_ids';
      const line = el('div', { className: 'refs' + (chain ? ' chain' : '') }, el('span', { className: 'ref-label' }, label(param) + ':'));
      refs.forEach((r, i) => {
        if (chain && i > 0) line.appendChild(el('span', { className: 'arrow' }, '→'));
        line.appendChild(r.deleted
          ? el('span', { className: 'chip broken', title: r.id }, r.kind + ' ' + (r.name ? '\'' + r.name + '\'' : r.id) + ' was deleted')
          : el('span', { className: 'chip', title: r.kind }, r.name));
      });
      box.appendChild(line);
    });
    if (s.facts && s.facts.length) box.appendChild(el('div', { className: 'facts' }, s.facts.join(' · ')));
    return box;
  }

  /** A parameter's name as people say it: generator_id → generator, scorer_ids → scorers. */
  function label(param) {
    return param.replace(/_ids$/, 's').replace(/_id$/, '').replace(/_/g, ' ');
  }

  /** Rebuilds the parameter inputs for the chosen type; a later choice wins over a slower earlier one. */
  async function selectType(values) {
    const mine = ++generation;
    const type = types.find(t => t.type === document.getElementById('add-type').value);
    const box = document.createElement('div');
    const options = window.G.formOptions ? window.G.formOptions(type ? type.type : null) : {};
    const reader = await schemaForm(box, type ? type.parameters : [], values, options);
    if (mine !== generation) return;
    const params = clear(document.getElementById('params'));
    while (box.firstChild) params.appendChild(box.firstChild);
    readParams = reader;
    document.getElementById('type-description').textContent = type ? type.description : '';
  }

  /** Loads an item into the form; saving replaces it (secrets shown as ******** are kept as stored). */
  async function edit(item) {
    editing = item;
    document.getElementById('form-title').textContent = 'Edit ' + item.name;
    document.getElementById('add-name').value = item.name;
    document.getElementById('add-type').value = item.type;
    document.getElementById('add-submit').textContent = 'Save';
    document.getElementById('edit-cancel').hidden = false;
    await selectType(item.parameters);
    document.getElementById('edit-card').scrollIntoView();
  }

  async function stopEditing() {
    editing = null;
    document.getElementById('form-title').textContent = 'Add';
    document.getElementById('add-name').value = '';
    document.getElementById('add-submit').textContent = 'Add';
    document.getElementById('edit-cancel').hidden = true;
    await selectType();
  }

  async function init() {
    types = (await api('GET', '/' + kind + '/types')).types;
    const select = document.getElementById('add-type');
    types.forEach(t => select.appendChild(el('option', { value: t.type }, t.type + ' — ' + t.category)));
    select.addEventListener('change', guarded(() => selectType()));
    await selectType();
    document.getElementById('edit-cancel').addEventListener('click', guarded(stopEditing));
    document.getElementById('add-form').addEventListener('submit', guarded(async () => {
      const value = { name: document.getElementById('add-name').value, type: select.value, parameters: readParams() };
      if (editing) {
        const saved = await api('PUT', '/' + kind + '/' + editing.id, value);
        flash('Saved ' + saved.name + '.');
        await stopEditing();
      } else {
        const created = await api('POST', '/' + kind, value);
        flash('Added ' + created.name + '.');
        document.getElementById('add-name').value = '';
        await selectType();
      }
      await loadItems();
    }));
    await loadItems();
  }

  guarded(init)();
})();
