/* Admin: provider budgets per endpoint host, with what each used today and what is left. */
(function () {
  'use strict';
  const { api, el, clear, flash, guarded, confirmButton } = window.G;

  function left(value, fmt) {
    return value === null || value === undefined ? '–' : fmt(value);
  }

  const usd = v => '$' + Number(v).toFixed(4);

  async function load() {
    const list = await api('GET', '/admin/budgets');
    const body = clear(document.querySelector('#budgets tbody'));
    document.getElementById('budgets-none').hidden = list.items.length > 0;
    list.items.forEach(b => {
      const used = b.used || {};
      const remaining = b.remaining || {};
      body.appendChild(el('tr', { className: 'budget', dataset: { host: b.host } },
        el('td', {}, el('code', {}, b.host)),
        el('td', { className: 'num' }, b.requests_per_minute ? String(b.requests_per_minute) : '–'),
        el('td', { className: 'num' }, String(used.tokens || 0) + (b.tokens_per_day ? ' of ' + b.tokens_per_day : '')),
        el('td', { className: 'num remaining-tokens' }, left(remaining.tokens_per_day, String)),
        el('td', { className: 'num' }, usd(used.spend_usd || 0) + (b.spend_cap_usd ? ' of ' + usd(b.spend_cap_usd) : '')),
        el('td', { className: 'num remaining-spend' }, left(remaining.spend_usd, usd)),
        el('td', { className: 'state' }, b.exhausted ? 'used up: runs wait' : 'open'),
        el('td', { className: 'actions' },
          el('button', { type: 'button', className: 'secondary edit', on: { click: () => edit(b) } }, 'Edit'),
          deleteButton(b))));
    });
  }

  function deleteButton(b) {
    const button = confirmButton('Delete', async () => {
      await api('DELETE', '/admin/budgets/' + encodeURIComponent(b.host));
      flash('Removed the budget of ' + b.host + '.');
      await load();
    });
    button.classList.add('delete');
    return button;
  }

  function edit(b) {
    document.getElementById('budget-host').value = b.host;
    document.getElementById('budget-rpm').value = b.requests_per_minute;
    document.getElementById('budget-tokens').value = b.tokens_per_day;
    document.getElementById('budget-spend').value = b.spend_cap_usd;
    document.getElementById('budget-prices').value = JSON.stringify(b.prices || {}, null, 2);
    document.getElementById('budget-form').scrollIntoView();
  }

  document.getElementById('budget-form').addEventListener('submit', guarded(async ev => {
    ev.preventDefault();
    let prices;
    try {
      prices = JSON.parse(document.getElementById('budget-prices').value || '{}');
    } catch (e) {
      flash('prices: not JSON (' + e.message + ')', true);
      return;
    }
    const host = document.getElementById('budget-host').value.trim();
    await api('PUT', '/admin/budgets/' + encodeURIComponent(host), {
      requests_per_minute: Number(document.getElementById('budget-rpm').value || 0),
      tokens_per_day: Number(document.getElementById('budget-tokens').value || 0),
      spend_cap_usd: Number(document.getElementById('budget-spend').value || 0),
      prices
    });
    flash('Saved the budget of ' + host + '.');
    await load();
  }));

  guarded(load)();
})();
