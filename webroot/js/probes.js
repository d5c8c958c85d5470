/* Probes: the list is rendered by the server; each "Make a dataset" button stores the probe's prompts and judge-free scorers. */
(function () {
  'use strict';
  const { api, flash, guarded } = window.G;

  document.querySelectorAll('button.make-dataset').forEach(b => b.addEventListener('click', guarded(async () => {
    const probe = b.dataset.probe;
    const d = await api('POST', '/probes/' + encodeURIComponent(probe) + '/dataset', {});
    const skipped = d.skipped.length ? ' ' + d.skipped.length + ' detector(s) need a judge or are not available yet.' : '';
    flash('Made dataset ' + d.name + ' (' + d.count + ' prompts) and ' + d.scorer_ids.length + ' scorer(s).' + skipped);
  })));
})();
