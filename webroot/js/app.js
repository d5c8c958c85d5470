/* Gauntlet UI helpers: REST calls with the session, safe DOM building, schema-generated forms.
 * Data from the server or the user only ever reaches the page through textContent and value. */
(function () {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  /** Calls the REST API; rejects with the server's error message. */
  async function api(method, path, body) {
    const opts = { method: method, headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET') {
      opts.headers['X-CSRF-Token'] = csrf;
    }
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    const r = await fetch('/api/v1' + path, opts);
    if (r.status === 401) {
      window.location.assign('/login');
      throw new Error('signed out');
    }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!r.ok) {
      throw new Error(json && json.error ? json.error.message : 'request failed with status ' + r.status);
    }
    return json;
  }

  /** el('td', {className: 'num'}, 'text', childNode, ...): children are text or nodes, never HTML. */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (v === undefined || v === null) return;
      if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k === 'on') Object.entries(v).forEach(([ev, fn]) => e.addEventListener(ev, fn));
      else if (k in e) e[k] = v;
      else e.setAttribute(k, v);
    });
    children.flat().forEach(c => {
      if (c === undefined || c === null) return;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    });
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function flash(message, isError) {
    const f = document.getElementById('flash');
    f.textContent = message;
    f.className = 'flash' + (isError ? ' error' : '');
    f.hidden = false;
  }

  /** Runs an async action from a button, showing failures instead of throwing them away. */
  function guarded(fn) {
    return async function (ev) {
      if (ev && ev.preventDefault) ev.preventDefault();
      try {
        await fn.call(this, ev);
      } catch (e) {
        flash(e.message, true);
      }
    };
  }

  /** A button that asks "sure?" on the first click and acts on the second. */
  function confirmButton(label, action) {
    const b = el('button', { type: 'button', className: 'danger' }, label);
    let armed = false;
    b.addEventListener('click', guarded(async () => {
      if (!armed) {
        armed = true;
        b.textContent = 'Confirm ' + label.toLowerCase() + '?';
        setTimeout(() => { armed = false; b.textContent = label; }, 4000);
        return;
      }
      await action();
    }));
    return b;
  }

  const REFERENCE_KINDS = { generator_id: 'generators', scorer_id: 'scorers', dataset_id: 'datasets',
    scorer_ids: 'scorers', converter_ids: 'converters' };

  /** Builds the inputs of one type's parameter schema into container; returns a reader of values. */
  async function schemaForm(container, params) {
    clear(container);
    const readers = [];
    for (const p of params) {
      const id = 'param-' + p.name;
      const label = el('label', { htmlFor: id }, p.name + (p.required ? ' *' : ''));
      let input;
      let read;
      const kind = p.kind;
      if (REFERENCE_KINDS[kind]) {
        const multiple = kind.endsWith('_ids');
        input = el('select', { id: id, name: p.name, multiple: multiple });
        if (!multiple) input.appendChild(el('option', { value: '' }, p.required ? 'choose…' : '(none)'));
        const list = await api('GET', '/' + REFERENCE_KINDS[kind] + '?limit=1000');
        list.items.forEach(it => input.appendChild(el('option', { value: it.id }, it.name + (it.type ? ' (' + it.type + ')' : ''))));
        read = () => multiple ? Array.from(input.selectedOptions).map(o => o.value) : (input.value || undefined);
      } else if (kind === 'boolean') {
        input = el('input', { id: id, name: p.name, type: 'checkbox', checked: p.default === true });
        read = () => input.checked;
      } else if (kind === 'choice') {
        input = el('select', { id: id, name: p.name });
        if (!p.required && p.default === undefined) input.appendChild(el('option', { value: '' }, '(default)'));
        (p.choices || []).forEach(c => input.appendChild(el('option', { value: c, selected: c === p.default }, c)));
        read = () => input.value || undefined;
      } else if (kind === 'integer' || kind === 'number') {
        input = el('input', { id: id, name: p.name, type: 'number', step: kind === 'integer' ? '1' : 'any' });
        if (p.min !== undefined) input.min = p.min;
        if (p.max !== undefined) input.max = p.max;
        if (p.default !== undefined) input.value = p.default;
        read = () => input.value === '' ? undefined : Number(input.value);
      } else if (kind === 'string_list') {
        input = el('textarea', { id: id, name: p.name, rows: 3, placeholder: 'one per line' });
        if (Array.isArray(p.default)) input.value = p.default.join('\n');
        read = () => {
          const v = input.value.split('\n').map(s => s.trim()).filter(s => s);
          return v.length ? v : undefined;
        };
      } else if (kind === 'object' || kind === 'secret_map') {
        input = el('textarea', { id: id, name: p.name, rows: 3, placeholder: '{"key": "value"}' });
        if (p.default !== undefined) input.value = JSON.stringify(p.default);
        read = () => {
          if (!input.value.trim()) return undefined;
          try { return JSON.parse(input.value); } catch (e) { throw new Error(p.name + ' must be JSON'); }
        };
      } else if (kind === 'text') {
        input = el('textarea', { id: id, name: p.name, rows: 3 });
        if (p.default !== undefined) input.value = p.default;
        read = () => input.value === '' ? undefined : input.value;
      } else {
        input = el('input', { id: id, name: p.name, type: kind === 'secret' ? 'password' : 'text', autocomplete: 'off' });
        if (p.default !== undefined) input.value = p.default;
        read = () => input.value === '' ? undefined : input.value;
      }
      if (p.required && kind !== 'boolean') input.required = true;
      container.appendChild(el('div', { className: 'field' }, label, input,
        p.description ? el('small', {}, p.description) : null));
      readers.push([p.name, read]);
    }
    return () => {
      const out = {};
      readers.forEach(([name, read]) => {
        const v = read();
        if (v !== undefined) out[name] = v;
      });
      return out;
    };
  }

  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  window.G = { api, el, clear, flash, guarded, confirmButton, schemaForm, fmtTime, csrf };
})();
