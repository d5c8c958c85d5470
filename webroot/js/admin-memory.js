/* Admin: memory health (files, users, orphans, switch events), open connections, the orchestrator cache. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, confirmButton } = window.G;

  async function load() {
    const h = await api('GET', '/admin/memory-health');
    document.getElementById('health-files').textContent = h.files;
    document.getElementById('health-users').textContent = h.users;
    document.getElementById('health-open').textContent = h.open_connections;
    document.getElementById('health-switches').textContent = h.switch_events;
    document.getElementById('health-orphans').textContent = h.orphans.length;
    document.getElementById('health-dir').textContent = h.memory_dir;
    const verdict = document.getElementById('health-verdict');
    verdict.textContent = h.switch_events === 0 ? 'Healthy: no memory was ever opened at a path other than its user\'s.'
      : h.switch_events + ' attempts to open a memory at another path were refused; see the server log.';
    verdict.className = h.switch_events === 0 ? 'ok' : 'error';
    // in a cluster the open connections are every node's; a node that did not answer is named, not counted
    if ((h.unanswered_nodes || []).length > 0) {
      verdict.textContent += ' Nodes that did not answer (their connections are not counted): ' + h.unanswered_nodes.join(', ') + '.';
      verdict.className = 'error';
    }
    const orphans = clear(document.getElementById('orphans'));
    h.orphans.forEach(o => orphans.appendChild(el('li', {}, el('code', {}, o), ' belongs to no registered user')));
    const archived = clear(document.getElementById('archived'));
    (h.archived || []).forEach(a => archived.appendChild(el('li', {}, el('code', {}, a.dir), ': ',
      a.files.map(f => f.name + ' (' + f.bytes + ' bytes)').join(', ') || 'no memory file')));
    document.getElementById('archived-none').hidden = (h.archived || []).length > 0;
    const c = await api('GET', '/admin/memory/connections');
    const body = clear(document.querySelector('#connections tbody'));
    const clustered = (c.nodes || []).length > 1;
    c.shards.forEach(s => body.appendChild(el('tr', { className: 'shard' }, el('td', {}, clustered ? 'node ' + s.node + ' · ' + s.shard : s.shard),
      el('td', { className: 'num' }, s.open),
      el('td', {}, (s.connections || []).map(x => el('div', {}, x.username + ' · ' + x.file + ' · idle ' + x.idle_seconds + ' s'))))));
    const o = await api('GET', '/admin/orchestrators');
    document.getElementById('orchestrator-stats').textContent = Object.entries(o).map(([k, v]) => k + ': ' + v).join('\n');
  }

  const closeAll = confirmButton('Close all connections', async () => {
    await api('POST', '/admin/memory/close-all');
    flash('Closed every open memory connection.');
    await load();
  });
  closeAll.id = 'close-all';
  document.getElementById('close-all').replaceWith(closeAll);
  guarded(load)();
})();
