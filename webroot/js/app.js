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
      // the server's own sentence, as the API gives it; the code and details ride along for the page
      const e = new Error(json && json.error ? json.error.message : 'request failed with status ' + r.status);
      e.status = r.status;
      e.problem = json && json.error ? json.error : null;
      throw e;
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
    // the banner is at the top of the page, often off-screen: an error is also shown where it is seen
    if (isError) toast(message);
  }

  /** A message fixed on screen, whatever the scroll, until dismissed or a while has passed. */
  function toast(message) {
    let t = document.getElementById('toast');
    if (!t) {
      t = el('div', { id: 'toast', className: 'toast error', role: 'alert' });
      document.body.appendChild(t);
    }
    clear(t).appendChild(el('span', { className: 'toast-text' }, message));
    t.appendChild(el('button', { type: 'button', className: 'secondary small', 'aria-label': 'dismiss',
      on: { click: () => { t.hidden = true; } } }, '×'));
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 12000);
  }

  /**
   * Shows an error where the hand is: always in a toast fixed on screen; inside the panel (the
   * card or form) that was acted on; under the field it names, when it names one of the form's.
   * Text only, as the server wrote it.
   */
  function showError(e, origin) {
    const message = e && e.message ? e.message : String(e);
    // the banner too (it is where earlier pages and scripts look), and with it the toast on screen
    flash(message, true);
    const node = origin instanceof Node ? origin : null;
    const panel = node && node.closest ? (node.closest('form') || node.closest('section.card')) : null;
    if (panel) {
      let box = panel.querySelector(':scope > .panel-error');
      if (!box) {
        box = el('p', { className: 'panel-error error', role: 'alert' });
        panel.appendChild(box);
      }
      box.textContent = message;
      box.hidden = false;
      const field = fieldOf(e, panel);
      if (field) {
        const holder = field.closest('.field') || field.parentNode;
        holder.appendChild(el('small', { className: 'field-error error' }, message));
        field.setAttribute('aria-invalid', 'true');
      }
    }
  }

  /** The input of the panel an error names: a taken name, or 'x' / parameters.x in its sentence. */
  function fieldOf(e, panel) {
    const problem = e && e.problem;
    const names = [];
    if (problem && problem.code === 'name_taken') names.push('name');
    const m = /parameters\.([a-z_0-9]+)|'([a-z_0-9]+)'/.exec(e && e.message || '');
    if (m) names.push(m[1] || m[2]);
    for (const n of names) {
      const f = panel.querySelector('[name="' + n + '"]');
      if (f) return f;
    }
    return null;
  }

  /** Removes the errors an earlier action left in a panel. */
  function clearErrors(origin) {
    const panel = origin && origin.closest ? (origin.closest('form') || origin.closest('section.card')) : null;
    if (!panel) return;
    panel.querySelectorAll('.panel-error').forEach(p => { p.hidden = true; });
    panel.querySelectorAll('.field-error').forEach(f => f.remove());
    panel.querySelectorAll('[aria-invalid]').forEach(f => f.removeAttribute('aria-invalid'));
  }

  /** Runs an async action from a button, showing failures where it was acted on instead of throwing them away. */
  function guarded(fn) {
    return async function (ev) {
      const origin = ev && ev.target instanceof Node ? ev.target : null;
      if (ev && ev.preventDefault) {
        ev.preventDefault();
        // a new action: the last one's message no longer applies
        document.getElementById('flash').hidden = true;
        clearErrors(origin);
      }
      try {
        await fn.call(this, ev);
      } catch (e) {
        showError(e, origin);
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
    scorer_ids: 'scorers' };

  /**
   * Labels as people write them: key=value, one per line. A JSON object (the older syntax, what
   * scripts send) is still read. Returns undefined for an empty text.
   */
  function parseLabels(text) {
    const t = (text || '').trim();
    if (!t) return undefined;
    if (t.startsWith('{')) {
      let o;
      try { o = JSON.parse(t); } catch (e) { throw new Error('labels: write key=value, one per line'); }
      if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error('labels: write key=value, one per line');
      return o;
    }
    const out = {};
    t.split('\n').map(l => l.trim()).filter(l => l).forEach(line => {
      const eq = line.indexOf('=');
      if (eq < 1) throw new Error('a label is key=value: ' + line);
      out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    });
    return out;
  }

  function formatLabels(o) {
    return o && typeof o === 'object' ? Object.entries(o).map(([k, v]) => k + '=' + v).join('\n') : '';
  }

  /** Checkboxes, one per item, in a fieldset named like the parameter: no Ctrl-click. */
  function checkList(id, items, chosen, labelOf) {
    const box = el('fieldset', { id: id, className: 'checks' });
    if (!items.length) box.appendChild(el('span', { className: 'empty' }, 'none yet'));
    items.forEach(it => box.appendChild(el('label', { className: 'check' },
      el('input', { type: 'checkbox', value: it.id, id: id + '-' + it.id, checked: chosen.includes(it.id) }), ' ', labelOf(it))));
    return box;
  }

  /**
   * Builds the inputs of one type's parameter schema into container, filled from values (an
   * item being edited) or the schema's defaults; returns a reader of the values entered.
   * options.essentials names the few fields shown (with the required ones and references); when
   * a type has more than four parameters the others fold under "Advanced parameters".
   * options.placeholders hints what to type in a field.
   */
  async function schemaForm(container, params, values, options) {
    clear(container);
    const opts = options || {};
    const essentials = opts.essentials || [];
    const placeholders = opts.placeholders || {};
    const advanced = el('div', { className: 'advanced-fields' });
    const readers = [];
    for (const p of params) {
      const id = 'param-' + p.name;
      const label = el('label', { htmlFor: id }, p.name + (p.required ? ' *' : ''));
      const v = values && values[p.name] !== undefined ? values[p.name] : p.default;
      let input;
      let read;
      const kind = p.kind;
      let control = null;
      if (kind === 'converter_ids') {
        // a chain applies in order, which a multiple select cannot tell: steps are added one by one, shown as chips
        const list = await api('GET', '/converters?limit=1000');
        const names = new Map(list.items.map(it => [it.id, it.name + ' (' + it.type + ')']));
        const steps = (Array.isArray(v) ? v : []).filter(x => names.has(x));
        input = el('select', { id: id, name: p.name }, list.items.map(it => el('option', { value: it.id }, names.get(it.id))));
        const ol = el('ol', { className: 'steps chips', id: id + '-steps' });
        const render = () => {
          clear(ol);
          steps.forEach((s, i) => ol.appendChild(el('li', { className: 'chip', dataset: { id: s } }, names.get(s), ' ',
            el('button', { type: 'button', className: 'secondary small', title: 'remove this step', 'aria-label': 'remove ' + names.get(s),
              on: { click: () => { steps.splice(i, 1); render(); } } }, '×'))));
        };
        render();
        control = el('div', {}, el('div', { className: 'row' }, input, el('button', { type: 'button', className: 'secondary', id: id + '-add',
          on: { click: () => { if (input.value) { steps.push(input.value); render(); } } } }, 'Add step')), ol);
        read = () => steps.length ? steps.slice() : undefined;
      } else if (REFERENCE_KINDS[kind] && kind.endsWith('_ids')) {
        const list = await api('GET', '/' + REFERENCE_KINDS[kind] + '?limit=1000');
        const labels = optionLabels(list.items);
        control = checkList(id, list.items, Array.isArray(v) ? v : [], it => labels.get(it.id) + (it.type ? ' (' + it.type + ')' : ''));
        input = control;
        read = () => {
          const ids = Array.from(control.querySelectorAll('input:checked')).map(c => c.value);
          return ids.length ? ids : undefined;
        };
      } else if (REFERENCE_KINDS[kind]) {
        input = el('select', { id: id, name: p.name });
        input.appendChild(el('option', { value: '' }, p.required ? 'choose…' : '(none)'));
        const list = await api('GET', '/' + REFERENCE_KINDS[kind] + '?limit=1000');
        const labels = optionLabels(list.items);
        list.items.forEach(it => input.appendChild(el('option', { value: it.id, selected: it.id === v },
          labels.get(it.id) + (it.type ? ' (' + it.type + ')' : ''))));
        read = () => input.value || undefined;
      } else if (kind === 'object' && p.name === 'labels') {
        // one label syntax everywhere: key=value lines, as on the launch form
        input = el('textarea', { id: id, name: p.name, rows: 2, placeholder: 'campaign=spring\nteam=red' });
        input.value = formatLabels(v);
        read = () => parseLabels(input.value);
      } else if (kind === 'boolean') {
        input = el('input', { id: id, name: p.name, type: 'checkbox', checked: v === true });
        read = () => input.checked;
      } else if (kind === 'choice') {
        input = el('select', { id: id, name: p.name });
        if (!p.required && p.default === undefined) input.appendChild(el('option', { value: '' }, '(default)'));
        (p.choices || []).forEach(c => input.appendChild(el('option', { value: c, selected: c === v }, c)));
        read = () => input.value || undefined;
      } else if (kind === 'integer' || kind === 'number') {
        input = el('input', { id: id, name: p.name, type: 'number', step: kind === 'integer' ? '1' : 'any' });
        if (p.min !== undefined) input.min = p.min;
        if (p.max !== undefined) input.max = p.max;
        if (v !== undefined && v !== null) input.value = v;
        read = () => input.value === '' ? undefined : Number(input.value);
      } else if (kind === 'string_list') {
        input = el('textarea', { id: id, name: p.name, rows: 3, placeholder: 'one per line' });
        if (Array.isArray(v)) input.value = v.join('\n');
        read = () => {
          const list = input.value.split('\n').map(s => s.trim()).filter(s => s);
          return list.length ? list : undefined;
        };
      } else if (kind === 'object' || kind === 'secret_map') {
        input = el('textarea', { id: id, name: p.name, rows: 3, placeholder: '{"key": "value"}' });
        if (v !== undefined && v !== null) input.value = JSON.stringify(v);
        read = () => {
          if (!input.value.trim()) return undefined;
          try { return JSON.parse(input.value); } catch (e) { throw new Error(p.name + ' must be JSON'); }
        };
      } else if (kind === 'text') {
        input = el('textarea', { id: id, name: p.name, rows: 3 });
        if (v !== undefined && v !== null) input.value = v;
        read = () => input.value === '' ? undefined : input.value;
      } else {
        input = el('input', { id: id, name: p.name, type: kind === 'secret' ? 'password' : 'text', autocomplete: 'off' });
        if (v !== undefined && v !== null) input.value = v;
        read = () => input.value === '' ? undefined : input.value;
      }
      if (p.required && kind !== 'boolean' && input.tagName !== 'FIELDSET') input.required = true;
      if (placeholders[p.name] && input.tagName !== 'FIELDSET' && input.tagName !== 'SELECT') input.placeholder = placeholders[p.name];
      const field = el('div', { className: 'field', dataset: { param: p.name } }, label, control || input,
        p.description ? el('small', {}, p.description) : null);
      const shown = p.required || essentials.includes(p.name) || (essentials.length === 0 && (REFERENCE_KINDS[kind] || kind === 'converter_ids'));
      (params.length > 4 && !shown ? advanced : container).appendChild(field);
      readers.push([p.name, read]);
    }
    if (advanced.firstChild) {
      container.appendChild(el('details', { className: 'advanced', id: 'advanced-params' },
        el('summary', {}, 'Advanced parameters (' + advanced.children.length + ')'), advanced));
    }
    return () => {
      const out = {};
      readers.forEach(([name, read]) => {
        const value = read();
        if (value !== undefined) out[name] = value;
      });
      return out;
    };
  }

  /**
   * What a picker shows for an item: its name; where two share a name (memories from before names
   * were unique), the start of the id too, so they can be told apart.
   */
  function optionLabels(items) {
    const count = new Map();
    items.forEach(i => { const k = String(i.name).toLowerCase(); count.set(k, (count.get(k) || 0) + 1); });
    return new Map(items.map(i => [i.id, count.get(String(i.name).toLowerCase()) > 1 ? i.name + ' (' + String(i.id).slice(0, 8) + ')' : i.name]));
  }

  /** A small button that copies an id, for the places that keep ids out of sight. */
  function copyButton(id) {
    const b = el('button', { type: 'button', className: 'secondary small copy-id', title: id, dataset: { copy: id },
      'aria-label': 'copy the id ' + id }, 'copy id');
    b.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(id);
        b.textContent = 'copied';
      } catch (e) {
        // no clipboard (plain http, an old browser): show the id to copy by hand
        b.textContent = id;
      }
      setTimeout(() => { b.textContent = 'copy id'; }, 2000);
    });
    return b;
  }

  /**
   * Deletes a configuration the way people expect: when others still use it, the server says who
   * (a 409 with details.used_by); the user is shown them and may delete anyway or cancel.
   */
  function deleteButton(kind, item, after) {
    const b = el('button', { type: 'button', className: 'danger delete' }, 'Delete');
    b.addEventListener('click', guarded(async () => {
      const row = b.closest('tr');
      const old = document.getElementById('delete-dialog');
      if (old) old.remove();
      try {
        await api('DELETE', '/' + kind + '/' + encodeURIComponent(item.id));
      } catch (e) {
        if (!e.problem || e.problem.code !== 'in_use') throw e;
        const users = (e.problem.details && e.problem.details.used_by) || [];
        const dialog = el('div', { id: 'delete-dialog', className: 'dialog', role: 'alertdialog' },
          el('p', {}, '"' + item.name + '" is still used by:'),
          el('ul', { id: 'delete-users' }, users.map(u => el('li', {}, u.kind + ' ', el('strong', {}, u.name), ' (' + u.parameter + ') ',
            copyButton(u.id)))),
          el('p', { className: 'muted' }, 'Deleted anyway, they will show it as deleted and refuse to launch until edited.'),
          el('div', { className: 'buttons' },
            el('button', { type: 'button', className: 'danger', id: 'delete-anyway', on: { click: guarded(async () => {
              await api('DELETE', '/' + kind + '/' + encodeURIComponent(item.id) + '?force=true');
              dialog.remove();
              flash('Deleted ' + item.name + '.');
              await after();
            }) } }, 'Delete anyway'),
            el('button', { type: 'button', className: 'secondary', id: 'delete-cancel', on: { click: () => dialog.remove() } }, 'Cancel')));
        const cell = row ? row.querySelector('td:last-child') : b.parentNode;
        cell.appendChild(dialog);
        dialog.querySelector('#delete-cancel').focus();
        return;
      }
      flash('Deleted ' + item.name + '.');
      await after();
    }));
    return b;
  }

  /** Fills a select with items ({id, name}), keeping the current choice when it is still there. */
  function fillSelect(select, items, emptyLabel) {
    const current = select.value;
    clear(select);
    if (emptyLabel) select.appendChild(el('option', { value: '' }, emptyLabel));
    const labels = optionLabels(items);
    items.forEach(i => select.appendChild(el('option', { value: i.id }, labels.get(i.id))));
    if (items.some(i => i.id === current)) select.value = current;
  }

  /** The prompts of a dataset, first limit of them. */
  async function datasetSample(id, limit) {
    const d = await api('GET', '/datasets/' + encodeURIComponent(id) + '?offset=0&limit=' + limit);
    return d.prompts.map(p => p.value);
  }

  /**
   * Listens on one address of the event-bus bridge over its raw WebSocket endpoint (SockJS's JSON
   * frames), authenticated by the session cookie. Reconnects with backoff; onState hears 'open',
   * 'closed' and 'error'.
   */
  function listen(address, onMessage, onState) {
    let ws = null;
    let pinger = null;
    let retry = 500;
    let stopped = false;
    const decoder = new TextDecoder();
    function open() {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/eventbus/websocket');
      // the bridge writes its JSON frames as binary WebSocket messages
      ws.binaryType = 'arraybuffer';
      ws.addEventListener('open', () => {
        retry = 500;
        ws.send(JSON.stringify({ type: 'register', address: address }));
        // the bridge closes a socket that stays silent longer than its ping timeout
        pinger = setInterval(() => ws.send(JSON.stringify({ type: 'ping' })), 5000);
        onState('open');
      });
      ws.addEventListener('message', ev => {
        let frame;
        try {
          frame = JSON.parse(typeof ev.data === 'string' ? ev.data : decoder.decode(ev.data));
        } catch (e) {
          return;
        }
        if (frame.type === 'rec' && frame.address === address) onMessage(frame.body);
        else if (frame.type === 'err') onState('error', frame.body);
      });
      ws.addEventListener('close', () => {
        clearInterval(pinger);
        onState('closed');
        if (!stopped) {
          setTimeout(open, retry);
          retry = Math.min(retry * 2, 10000);
        }
      });
    }
    open();
    return { close() { stopped = true; if (ws) ws.close(); } };
  }

  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  const user = (document.querySelector('meta[name="gauntlet-user"]') || {}).content || '';

  window.G = { api, el, clear, flash, guarded, confirmButton, schemaForm, fillSelect, datasetSample, listen, fmtTime, csrf, user,
    showError, clearErrors, optionLabels, copyButton, deleteButton, parseLabels, checkList };
})();

/* Texts at the edges: every <time datetime> in the reader's locale with UTC on hover (one
 * timestamp format), and long or invisible-laden texts built safely for the scripts' tables. */
(function () {
  'use strict';
  const SHOWN = 2000;

  function formatTimes(root) {
    (root || document).querySelectorAll('time[datetime]').forEach(t => {
      const d = new Date(t.getAttribute('datetime'));
      if (isNaN(d)) return;
      t.title = d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
      t.textContent = d.toLocaleString();
    });
  }

  // zero-width and joiner characters, bidi controls, BOM, soft hyphen, Unicode tags
  const INVISIBLE = /[\u00AD\u034F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

  /** Appends text to node with each invisible character as a visible ⟨U+XXXX⟩ mark (text nodes only). */
  function appendVisible(node, text) {
    let last = 0;
    text.replace(INVISIBLE, (m, at) => {
      if (at > last) node.appendChild(document.createTextNode(text.slice(last, at)));
      const mark = document.createElement('mark');
      mark.className = 'invisible';
      mark.title = 'a character you cannot see';
      mark.textContent = '⟨U+' + m.codePointAt(0).toString(16).toUpperCase().padStart(4, '0') + '⟩';
      node.appendChild(mark);
      last = at + m.length;
      return m;
    });
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  /** A text for a table: its first 2,000 characters, the rest behind "show all" (not laid out until opened). */
  function longText(text) {
    const s = text === undefined || text === null ? '' : String(text);
    const out = document.createElement('span');
    let cut = s.length > SHOWN ? SHOWN : s.length;
    if (cut < s.length && /[\uD800-\uDBFF]/.test(s.charAt(cut - 1))) cut--;
    appendVisible(out, s.slice(0, cut));
    if (cut < s.length) {
      const more = document.createElement('details');
      more.className = 'show-all';
      const summary = document.createElement('summary');
      summary.textContent = 'show all (' + s.length + ' characters)';
      more.appendChild(summary);
      const rest = document.createElement('span');
      rest.className = 'rest';
      // built only when opened: a 200,000-character prompt costs nothing until then
      more.addEventListener('toggle', () => { if (more.open && !rest.firstChild) appendVisible(rest, s.slice(cut)); });
      more.appendChild(rest);
      out.appendChild(more);
    }
    return out;
  }

  formatTimes(document);
  if (window.G) Object.assign(window.G, { formatTimes, longText, appendVisible });
})();
