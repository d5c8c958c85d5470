/* Admin: local accounts and every user's roles; rename a login, reset a password. The username,
 * which names the user's memory, never changes. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, fmtTime, confirmButton } = window.G;
  let editing = null;

  function checked(name) {
    return Array.from(document.querySelectorAll('input[name="' + name + '"]:checked')).map(c => c.value);
  }

  async function load() {
    const list = await api('GET', '/admin/users');
    const body = clear(document.querySelector('#users tbody'));
    list.items.forEach(u => body.appendChild(el('tr', { className: 'user', dataset: { id: u.id, username: u.username } },
      el('td', {}, u.username), el('td', { className: 'login' }, u.login || ''), el('td', {}, u.display_name || ''),
      el('td', { className: 'roles' }, (u.roles || []).join(', ')), el('td', {}, el('code', { className: 'params' }, u.memory_file)),
      el('td', {}, u.last_login_at ? fmtTime(u.last_login_at) : 'never'),
      el('td', { className: 'status' }, u.disabled ? 'disabled' : 'enabled'),
      el('td', { className: 'actions' }, el('button', { type: 'button', className: 'secondary edit', on: { click: () => edit(u) } }, 'Edit'),
        u.disabled
          ? el('button', { type: 'button', className: 'secondary enable', on: { click: guarded(() => setEnabled(u, true)) } }, 'Enable')
          : el('button', { type: 'button', className: 'secondary disable', on: { click: guarded(() => setEnabled(u, false)) } }, 'Disable'),
        deleteButton(u)))));
  }

  async function setEnabled(u, enabled) {
    await api('POST', '/admin/users/' + encodeURIComponent(u.id) + (enabled ? '/enable' : '/disable'));
    flash((enabled ? 'Enabled ' : 'Disabled ') + u.username + '.');
    await load();
  }

  // the memory is moved to the archive folder, not erased: the message says where
  function deleteButton(u) {
    const b = confirmButton('Delete', async () => {
      const r = await api('DELETE', '/admin/users/' + encodeURIComponent(u.id));
      flash('Deleted ' + r.username + '; their memory is in ' + r.archive + '.');
      await load();
    });
    b.classList.add('delete');
    return b;
  }

  function edit(u) {
    editing = u;
    document.getElementById('user-edit').hidden = false;
    document.getElementById('user-edit-title').textContent = 'Edit ' + u.username;
    document.getElementById('edit-login').value = u.login || '';
    document.getElementById('edit-display-name').value = u.display_name || '';
    document.getElementById('edit-password').value = '';
    document.querySelectorAll('input[name="edit-role"]').forEach(c => { c.checked = (u.roles || []).includes(c.value); });
    document.getElementById('user-edit').scrollIntoView();
  }

  function stopEditing() {
    editing = null;
    document.getElementById('user-edit').hidden = true;
  }

  document.getElementById('user-edit-cancel').addEventListener('click', stopEditing);
  document.getElementById('user-edit-form').addEventListener('submit', guarded(async () => {
    const change = { login: document.getElementById('edit-login').value, roles: checked('edit-role'),
      display_name: document.getElementById('edit-display-name').value };
    const password = document.getElementById('edit-password').value;
    if (password) change.password = password;
    const u = await api('PUT', '/admin/users/' + encodeURIComponent(editing.id), change);
    flash('Saved ' + u.username + '.');
    stopEditing();
    await load();
  }));
  document.getElementById('user-form').addEventListener('submit', guarded(async () => {
    const u = await api('POST', '/admin/users', { username: document.getElementById('new-username').value,
      password: document.getElementById('new-password').value, roles: checked('new-role') });
    flash('Created ' + u.username + '.');
    document.getElementById('new-username').value = '';
    document.getElementById('new-password').value = '';
    await load();
  }));
  guarded(load)();
})();
