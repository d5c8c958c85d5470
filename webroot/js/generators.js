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
