/* The user's own API keys: create (the key is shown once), list, revoke. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, confirmButton, fmtTime } = window.G;

  async function load() {
    const list = await api('GET', '/keys');
    const body = clear(document.querySelector('#keys tbody'));
    document.getElementById('keys-empty').hidden = list.items.length > 0;
    list.items.forEach(k => {
      const revoked = !!k.revoked_at;
      const expired = k.expires_at && Date.parse(k.expires_at) <= Date.now();
      body.appendChild(el('tr', { className: 'key', dataset: { id: k.id, name: k.name } },
        el('td', {}, k.name), el('td', {}, el('code', {}, k.prefix)), el('td', {}, (k.scopes || []).join(', ')),
        el('td', {}, fmtTime(k.created_at)), el('td', {}, k.expires_at ? fmtTime(k.expires_at) : 'never'),
        el('td', {}, k.last_used_at ? fmtTime(k.last_used_at) + (k.last_used_from ? ' from ' + k.last_used_from : '') : 'never'),
        el('td', { className: 'state' }, revoked ? 'revoked' : expired ? 'expired' : 'active'),
        el('td', { className: 'actions' }, revoked ? null : confirmButton('Revoke', async () => {
          await api('DELETE', '/keys/' + encodeURIComponent(k.id));
          flash('Revoked ' + k.name + '.');
          await load();
        }))));
    });
  }

  document.getElementById('key-form').addEventListener('submit', guarded(async () => {
    const scopes = Array.from(document.querySelectorAll('input[name=scope]:checked')).map(c => c.value);
    const body = { name: document.getElementById('key-name').value, scopes: scopes };
    const expires = document.getElementById('key-expires').value;
    if (expires) body.expires_at = new Date(expires + 'T23:59:59Z').toISOString();
    const k = await api('POST', '/keys', body);
    document.getElementById('new-key-value').textContent = k.key;
    document.getElementById('new-key').hidden = false;
    document.getElementById('key-name').value = '';
    await load();
  }));
  guarded(load)();
})();
