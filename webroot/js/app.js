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
      if (ev && ev.preventDefault) {
        ev.preventDefault();
        // a new action: the last one's message no longer applies
        document.getElementById('flash').hidden = true;
      }
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
    scorer_ids: 'scorers' };

  /**
   * Builds the inputs of one type's parameter schema into container, filled from values (an
   * item being edited) or the schema's defaults; returns a reader of the values entered.
   */
  async function schemaForm(container, params, values) {
    clear(container);
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
        // a chain applies in order, which a multiple select cannot tell: steps are added one by one
        const list = await api('GET', '/converters?limit=1000');
        const names = new Map(list.items.map(it => [it.id, it.name + ' (' + it.type + ')']));
        const steps = (Array.isArray(v) ? v : []).filter(x => names.has(x));
        input = el('select', { id: id, name: p.name }, list.items.map(it => el('option', { value: it.id }, names.get(it.id))));
        const ol = el('ol', { className: 'steps', id: id + '-steps' });
        const render = () => {
          clear(ol);
          steps.forEach((s, i) => ol.appendChild(el('li', { dataset: { id: s } }, names.get(s), ' ',
            el('button', { type: 'button', className: 'secondary small', on: { click: () => { steps.splice(i, 1); render(); } } }, 'Remove'))));
        };
        render();
        control = el('div', {}, el('div', { className: 'row' }, input, el('button', { type: 'button', className: 'secondary', id: id + '-add',
          on: { click: () => { if (input.value) { steps.push(input.value); render(); } } } }, 'Add step')), ol);
        read = () => steps.length ? steps.slice() : undefined;
      } else if (REFERENCE_KINDS[kind]) {
        const multiple = kind.endsWith('_ids');
        input = el('select', { id: id, name: p.name, multiple: multiple });
        if (!multiple) input.appendChild(el('option', { value: '' }, p.required ? 'choose…' : '(none)'));
        const list = await api('GET', '/' + REFERENCE_KINDS[kind] + '?limit=1000');
        const chosen = multiple ? (Array.isArray(v) ? v : []) : [v];
        list.items.forEach(it => input.appendChild(el('option', { value: it.id, selected: chosen.includes(it.id) },
          it.name + (it.type ? ' (' + it.type + ')' : ''))));
        read = () => multiple ? Array.from(input.selectedOptions).map(o => o.value) : (input.value || undefined);
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
      if (p.required && kind !== 'boolean') input.required = true;
      container.appendChild(el('div', { className: 'field' }, label, control || input,
        p.description ? el('small', {}, p.description) : null));
      readers.push([p.name, read]);
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

  /** Fills a select with items ({id, name}), keeping the current choice when it is still there. */
  function fillSelect(select, items, emptyLabel) {
    const current = select.value;
    clear(select);
    if (emptyLabel) select.appendChild(el('option', { value: '' }, emptyLabel));
    items.forEach(i => select.appendChild(el('option', { value: i.id }, i.name)));
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

  window.G = { api, el, clear, flash, guarded, confirmButton, schemaForm, fillSelect, datasetSample, listen, fmtTime, csrf, user };
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
