// Replay timeline webview: draws one lane per thread with the events' span, exception and log markers and the
// current position, from the `timeline` message the extension posts; a click asks the extension to jump.
// Labels are customer data: they only ever become text nodes and titles, never markup.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const lanes = /** @type {HTMLElement} */ (document.getElementById('lanes'));
  const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
  let current = null;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function pct(index, count) {
    return count <= 1 ? 0 : (100 * index) / (count - 1);
  }

  function jump(index) {
    vscode.postMessage({ type: 'jump', index: Math.max(0, Math.round(index)) });
  }

  function render(t) {
    current = t;
    const count = t.eventCount;
    summary.textContent =
      `${count.toLocaleString()} events, ${t.lanes.length} threads` +
      (t.start !== null && t.end !== null ? `, ${t.start}–${t.end} ${t.clock.unit}` : '') +
      ` · now at event ${t.position}` +
      (t.sampled ? ' · sampled' : '') +
      (t.omittedMarkers ? ` · ${t.omittedMarkers} more markers not shown` : '');
    lanes.replaceChildren();
    for (const lane of t.lanes) {
      const row = el('div', 'lane');
      row.setAttribute('role', 'listitem');
      row.appendChild(el('div', 'name', lane.name));
      const track = el('div', 'track');
      track.title = `${lane.name}: ${lane.events} events`;
      if (lane.first >= 0) {
        const span = el('div', 'span');
        span.style.left = `${pct(lane.first, count)}%`;
        span.style.width = `${Math.max(0.3, pct(lane.last, count) - pct(lane.first, count))}%`;
        track.appendChild(span);
      }
      for (const m of t.markers.filter((x) => x.threadId === lane.threadId)) {
        const kind =
          m.kind === 'exception' ? 'exception' : m.level === 'error' || m.level === 'fatal' ? 'error' : 'log';
        const mark = el('button', `m ${kind}`);
        mark.style.left = `${pct(m.index, count)}%`;
        mark.title = `event ${m.index}: ${m.label}`;
        mark.setAttribute('aria-label', mark.title);
        mark.addEventListener('click', (e) => {
          e.stopPropagation();
          jump(m.index);
        });
        track.appendChild(mark);
      }
      const now = el('div', 'now');
      now.style.left = `${pct(t.position, count)}%`;
      track.appendChild(now);
      track.addEventListener('click', (e) => {
        const r = track.getBoundingClientRect();
        jump(((e.clientX - r.left) / Math.max(1, r.width)) * (count - 1));
      });
      row.appendChild(track);
      lanes.appendChild(row);
    }
  }

  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m && m.type === 'timeline') render(m.timeline);
    if (m && m.type === 'ended' && current) summary.textContent += ' · replay ended';
  });
  vscode.postMessage({ type: 'ready' });
})();
