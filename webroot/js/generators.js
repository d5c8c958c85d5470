/* The generator chat panel: a conversation with one generator, each answer sent with the turns
 * before it, shown as text. */
(function () {
  'use strict';
  const { api, el, clear, guarded, fillSelect } = window.G;
  const log = document.getElementById('chat-log');
  let turns = [];

  function show(role, text, note) {
    document.getElementById('chat-empty').hidden = true;
    log.appendChild(el('div', { className: 'bubble ' + role },
      el('span', { className: 'role' }, role + (note ? ' · ' + note : '')), el('pre', { className: 'text' }, text)));
    log.scrollTop = log.scrollHeight;
  }

  function reset() {
    turns = [];
    clear(log).appendChild(el('p', { className: 'empty', id: 'chat-empty' }, 'Send a message to start a conversation.'));
  }

  window.G.onItems(items => {
    fillSelect(document.getElementById('chat-generator'), items);
    // each row's Test opens the chat with that generator
    document.querySelectorAll('#items tbody tr').forEach(row => {
      const actions = row.querySelector('.actions');
      actions.insertBefore(el('button', { type: 'button', className: 'secondary test', on: { click: () => {
        document.getElementById('chat-generator').value = row.dataset.id;
        reset();
        document.getElementById('chat-panel').scrollIntoView();
        document.getElementById('chat-text').focus();
      } } }, 'Test'), actions.firstChild);
    });
  });
  document.getElementById('chat-generator').addEventListener('change', reset);
  document.getElementById('chat-reset').addEventListener('click', reset);
  document.getElementById('chat-form').addEventListener('submit', guarded(async () => {
    const id = document.getElementById('chat-generator').value;
    if (!id) throw new Error('add a generator first');
    const box = document.getElementById('chat-text');
    const prompt = box.value;
    const send = document.getElementById('chat-send');
    send.disabled = true;
    try {
      show('user', prompt);
      box.value = '';
      const r = await api('POST', '/generators/' + encodeURIComponent(id) + '/test', { prompt: prompt, messages: turns });
      const stats = r.latency_ms + ' ms, ' + r.attempts + ' attempt(s)';
      if (r.ok) {
        turns.push({ role: 'user', content: prompt }, { role: 'assistant', content: r.answer });
        show('assistant', r.answer, stats);
      } else {
        show('error', r.error + (r.detail ? ' — ' + r.detail : ''), stats);
      }
    } finally {
      send.disabled = false;
    }
  }));
})();

/* The generator form: provider presets fill it (type, URL, model, limits, where the key goes),
 * and Test sends one prompt with the settings as entered, unsaved, through the egress policy. */
(function () {
  'use strict';
  const { api, el, clear, guarded } = window.G;
  const select = document.getElementById('add-preset');
  const result = document.getElementById('form-test-result');
  let presets = [];

  function chosen() {
    return presets.find(p => p.id === select.value) || null;
  }

  // the preset's few fields are shown; the rest of the type's parameters fold under "advanced"
  window.G.formOptions = type => {
    const p = chosen();
    if (p && p.type === type) return { essentials: p.essentials, placeholders: p.placeholders };
    const first = presets.find(x => x.type === type);
    return first ? { essentials: first.essentials } : {};
  };

  select.addEventListener('change', guarded(async () => {
    const p = chosen();
    document.getElementById('preset-description').textContent = p ? p.description + ' · key: ' + p.auth : '';
    if (!p) return;
    const name = document.getElementById('add-name');
    if (!name.value) name.value = p.name;
    await window.G.fillForm(p.type, p.parameters);
  }));

  function show(ok, text) {
    result.hidden = false;
    result.className = 'test-result ' + (ok ? 'ok' : 'error');
    clear(result).appendChild(el('pre', { className: 'text' }, text));
    // the answer or the error is shown where the hand is, not below the fold
    result.scrollIntoView({ block: 'nearest' });
  }

  document.getElementById('form-test').addEventListener('click', guarded(async () => {
    const button = document.getElementById('form-test');
    button.disabled = true;
    show(true, 'Testing…');
    try {
      const r = await api('POST', '/generators/try', { value: window.G.readForm(), id: window.G.editingId() || undefined,
        prompt: 'Hello! Please answer in one short sentence.' });
      const stats = ' (' + r.latency_ms + ' ms, ' + r.attempts + ' attempt' + (r.attempts === 1 ? '' : 's') + ')';
      show(r.ok, r.ok ? 'It answered' + stats + ':\n' + r.answer : 'It failed: ' + r.error + (r.detail ? ' — ' + r.detail : '') + stats);
    } catch (e) {
      show(false, e.message);
    } finally {
      button.disabled = false;
    }
  }));

  guarded(async () => {
    presets = (await api('GET', '/generators/presets')).items;
    presets.forEach(p => select.appendChild(el('option', { value: p.id }, p.name)));
    // the type's few fields come from its presets: redraw the empty form with them
    if (!window.G.editingId()) await window.G.fillForm(document.getElementById('add-type').value);
  })();
})();
