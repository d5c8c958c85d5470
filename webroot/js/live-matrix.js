/* An execution's rows as they arrive: while the run is not finished, the server-rendered matrix
 * fragment of this execution is fetched again every few seconds and put in place of the last one
 * (the server escaped every text in it; nothing here builds markup from data). */
(function () {
  'use strict';
  const box = document.getElementById('live-rows');
  if (!box) return;
  const FINISHED = ['completed', 'failed', 'cancelled'];
  let timer = null;

  function finished() {
    const s = document.getElementById('status');
    return s && FINISHED.includes(s.textContent.trim());
  }

  async function load() {
    const r = await fetch(box.dataset.src, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
    if (!r.ok) return;
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    const fragment = doc.getElementById('matrix-fragment');
    if (!fragment) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(document.adoptNode(fragment));
    if (window.G && G.formatTimes) G.formatTimes(box);
  }

  async function tick() {
    const last = finished();
    try { await load(); } catch (e) { /* the next tick tries again */ }
    timer = last ? null : setTimeout(tick, 2000);
  }
  tick();
})();
