/* Orchestrators: launch one (with optional labels) and follow its executions, newest first. */
(function () {
  'use strict';
  const { api, el, clear, guarded, fillSelect, fmtTime } = window.G;

  /** key=value lines (a JSON object, the older syntax, is still read): the same syntax as the orchestrator form's labels. */
  function labels() {
    return window.G.parseLabels(document.getElementById('launch-labels').value) || {};
  }

  async function loadExecutions() {
    const list = await api('GET', '/executions?limit=50');
    const body = clear(document.querySelector('#executions tbody'));
    document.getElementById('executions-empty').hidden = list.items.length > 0;
    list.items.forEach(e => body.appendChild(el('tr', {},
      el('td', {}, el('a', { href: '/executions/' + encodeURIComponent(e.id) }, e.orchestrator_name || e.orchestrator_id)),
      el('td', {}, el('span', { className: 'badge ' + e.status }, e.status)), el('td', { className: 'num' }, e.total),
      el('td', {}, fmtTime(e.created_at)))));
  }

  window.G.onItems(items => {
    fillSelect(document.getElementById('launch-orchestrator'), items);
    document.querySelectorAll('#items tbody tr').forEach(row => {
      const actions = row.querySelector('.actions');
      actions.insertBefore(el('button', { type: 'button', className: 'launch', on: { click: guarded(() => launch(row.dataset.id)) } },
        'Launch'), actions.firstChild);
    });
  });

  async function launch(id) {
    const e = await api('POST', '/orchestrators/' + encodeURIComponent(id) + '/executions', { labels: labels() });
    window.location.assign('/executions/' + encodeURIComponent(e.id));
  }

  document.getElementById('launch-form').addEventListener('submit', guarded(async () => {
    const id = document.getElementById('launch-orchestrator').value;
    if (!id) throw new Error('add an orchestrator first');
    await launch(id);
  }));
  guarded(loadExecutions)();
})();
