// ActorNet dashboard. It shows nothing until it has a checked token (every admin call needs one: reads reveal who
// is connected). Then it follows GET /events (Server-Sent Events, read with fetch so the bearer token can be sent)
// and re-reads tree, toxics and chaos only when something happened; the charts sample /metrics once a second.
// While the event stream is down it polls everything once a second.
const $ = (id) => document.getElementById(id);
const KEY = 'actornet-admin-token';
const HISTORY = 180; // samples (one a second): the last three minutes
const conns = [], rates = [];
let last = null; // { t, frames }
let token = sessionStorage.getItem(KEY);
let events = null; // AbortController of the live /events stream
let live = false;  // true while the stream is open: state is refreshed on events, not by polling
let pending = null;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const fmtBytes = (n) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;

function log(text, cls = '') {
  const line = document.createElement('div');
  line.className = cls;
  line.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $('log').prepend(line);
}

async function getAuthed(path) {
  const r = await fetch(path, { cache: 'no-store', headers: { Authorization: `Bearer ${token}` } });
  if (r.status === 401) { setToken(null); throw new Error('the token was refused; enter it again'); }
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r;
}

const getJson = async (path) => (await getAuthed(path)).json();

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const reply = await r.json().catch(() => ({}));
  if (r.ok) log(`${method} ${path}: ${reply.message ?? 'ok'}`, 'ok');
  else log(`${method} ${path}: ${r.status} ${reply.error ?? ''}`, 'bad');
  if (r.status === 401) setToken(null);
  refresh();
  return r.ok;
}

async function setToken(candidate) {
  if (candidate) {
    const r = await fetch('/auth', { headers: { Authorization: `Bearer ${candidate}` } });
    if (!r.ok) {
      const reply = await r.json().catch(() => ({}));
      $('login-error').textContent = reply.error ?? `refused (${r.status})`;
      candidate = null;
    }
  }
  token = candidate;
  if (token) { sessionStorage.setItem(KEY, token); $('login-error').textContent = ''; } else sessionStorage.removeItem(KEY);
  document.body.classList.toggle('authed', !!token);
  if (!token && events) { events.abort(); events = null; live = false; }
  followEvents();
  if (token) refresh();
}

function findPath(node, suffix) {
  if (node.path.endsWith(suffix)) return node;
  for (const c of node.children ?? []) { const f = findPath(c, suffix); if (f) return f; }
  return null;
}

function renderNode(node, depth, byId) {
  const conn = /^c-(\d+)$/.exec(node.name);
  const stats = conn && byId.get(Number(conn[1]));
  const kind = depth === 0 ? 'listener' : conn ? 'connection' : node.name === 'handler' ? 'handler' : node.kind;
  let attrs = '', extra = '', buttons = '';
  if (depth === 0) {
    attrs = ` data-listener="${esc(node.name)}"`;
    buttons = `<button class="danger authed-only" data-kill-listener="${esc(node.name)}">kill listener</button>`;
  } else if (conn) {
    attrs = ` data-conn="${conn[1]}"`;
    if (stats) extra = `<span class="stats">${esc(stats.remote)} · in ${stats.framesIn} / out ${stats.framesOut} frames · ${fmtBytes(stats.bytesIn)} in · ${fmtBytes(stats.bytesOut)} out${stats.queuedBytes ? ` · queued ${fmtBytes(stats.queuedBytes)}` : ''}</span>`;
    buttons = `<button class="danger authed-only" data-kill-conn="${conn[1]}">kill</button>`;
  }
  const restarts = node.restarts ? `<span class="restarts">↻ ${node.restarts} restart${node.restarts === 1 ? '' : 's'}</span>` : '';
  const children = (node.children ?? []).map((c) => renderNode(c, depth + 1, byId)).join('');
  return `<li${attrs}><div class="node"><span class="kind ${kind}">${esc(kind)}</span><b>${esc(node.name)}</b>${restarts}${extra}${buttons}</div>${children ? `<ul>${children}</ul>` : ''}</li>`;
}

function chart(svg, values, color) {
  const w = 360, h = 110, max = Math.max(1, ...values) * 1.15;
  const span = Math.min(HISTORY, Math.max(20, values.length)); // stretch the first seconds, then scroll
  const step = w / (span - 1), x0 = w - (values.length - 1) * step;
  const pts = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(h - (v / max) * (h - 6) - 3).toFixed(1)}`).join(' ');
  const grid = [0.25, 0.5, 0.75].map((f) => `<line x1="0" x2="${w}" y1="${h * f}" y2="${h * f}" stroke="#2a3642" stroke-width="1"/>`).join('');
  svg.innerHTML = `${grid}<text x="4" y="12" fill="#8b98a5" font-size="10">${Math.round(max)}</text><text x="${w - 4}" y="${h - 4}" fill="#8b98a5" font-size="10" text-anchor="end">last ${span}s</text>` +
    (values.length > 1 ? `<polygon points="${x0},${h} ${pts} ${w},${h}" fill="${color}" opacity="0.18"/><polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2" vector-effect="non-scaling-stroke"/>` : '');
}

function sumOf(metrics, ...names) {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    if (names.some((n) => line.startsWith(n + '{'))) sum += Number(line.split(' ').pop()) || 0;
  }
  return sum;
}

// One chart sample a second, from /metrics alone.
async function sample() {
  if (!token) return;
  try {
    const metrics = await getAuthed('/metrics').then((r) => r.text());
    const now = performance.now(), frames = sumOf(metrics, 'actornet_frames_in_total', 'actornet_frames_out_total');
    const open = sumOf(metrics, 'actornet_connections_open');
    if (last) { rates.push(Math.max(0, (frames - last.frames) / ((now - last.t) / 1000))); if (rates.length > HISTORY) rates.shift(); }
    last = { t: now, frames };
    conns.push(open); if (conns.length > HISTORY) conns.shift();
    $('conn-now').textContent = open;
    $('msg-now').textContent = rates.length ? Math.round(rates[rates.length - 1]) : '–';
    chart($('conn-chart'), conns, '#3fb950');
    chart($('msg-chart'), rates, '#4aa3ff');
  } catch (e) {
    $('summary').textContent = `admin API unreachable: ${e.message}`;
  }
}

// Events come in bursts (a chaos run, 100 clients connecting): one refresh per 250 ms at most.
function scheduleRefresh() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; refresh(); }, 250);
}

function describe(kind, e) {
  switch (kind) {
    case 'actor-failed': return `${e.path}: ${e.directive} (${e.error})`;
    case 'killed': return `${e.target}: ${e.mode} by ${e.by}`;
    case 'toxic-added': case 'toxic-removed': return `${e.name} (${e.type}) on ${e.target}`;
    case 'cluster-member': return `${e.address} ${e.status}`;
    case 'connection-closed': return `connection ${e.id} on ${e.listener}: ${e.reason}`;
    default: return JSON.stringify(e);
  }
}

function onEvent(block) {
  let kind = null, data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) kind = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).trim();
  }
  if (!kind) { // the comment the node sends first: the stream is live
    live = true;
    log('following live events', 'ok');
    refresh();
    return;
  }
  const e = JSON.parse(data);
  if (kind !== 'connection-opened' && kind !== 'chaos-draw' && !(kind === 'connection-closed' && e.reason === 'ClientClosed'))
    log(`${kind}  ${describe(kind, e)}`, kind === 'actor-failed' || kind === 'killed' ? 'bad' : '');
  scheduleRefresh();
}

async function followEvents() {
  if (!token || events) return;
  const ctl = new AbortController();
  events = ctl;
  try {
    const r = await fetch('/events', { headers: { Authorization: `Bearer ${token}` }, signal: ctl.signal, cache: 'no-store' });
    if (!r.ok) throw new Error(`${r.status}`);
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) { onEvent(buffer.slice(0, end)); buffer = buffer.slice(end + 2); }
    }
  } catch (e) {
    if (!ctl.signal.aborted) log(`events: ${e.message}; polling until they are back`, 'bad');
  }
  live = false;
  if (events === ctl) events = null;
  if (token && !ctl.signal.aborted) setTimeout(followEvents, 2000);
}

async function refresh() {
  if (!token) {
    $('summary').textContent = 'locked: enter the admin token (the node logs where it wrote it, e.g. ~/.actornet/actornet-1.admin-token)';
    return;
  }
  try {
    const [status, tree, connections, toxics, chaos] = await Promise.all([
      getJson('/status'), getJson('/tree'), getJson('/connections'), getJson('/toxics'), getJson('/chaos')]);
    $('node').textContent = `${status.node} · v${status.version} · up ${status.uptimeSeconds}s`;
    $('summary').textContent = `${status.connections} connection${status.connections === 1 ? '' : 's'} · ${status.listeners.length} listeners`;
    const byId = new Map(connections.map((c) => [c.id, c]));
    const listeners = findPath(tree.data, '/listeners');
    $('tree').innerHTML = listeners && listeners.children.length
      ? listeners.children.map((l) => renderNode(l, 0, byId)).join('') : '<li class="dim">no listeners</li>';

    const list = toxics.data ?? [];
    $('toxics').innerHTML = list.length ? list.map((t) => `<tr data-toxic="${esc(t.name)}"><td><b>${esc(t.name)}</b></td><td>${esc(t.type)}</td><td class="dim">${esc(Object.entries(t).filter(([k]) => k !== 'name' && k !== 'type').map(([k, v]) => `${k}=${v}`).join(' '))}</td><td><button class="danger authed-only" data-remove-toxic="${esc(t.name)}">remove</button></td></tr>`).join('')
      : '<tr><td class="dim">none</td></tr>';
    const c = chaos.data ?? {};
    $('chaos').innerHTML = `<span class="${c.running ? 'warn' : 'ok'}">${c.running ? 'running' : 'stopped'}</span> <span class="dim">· seed ${esc(c.seed ?? '–')} · ${esc(c.draws ?? 0)} draws · ${esc(c.kills ?? 0)} kills · p=${esc(c.probability ?? '–')}</span>`;
  } catch (e) {
    $('summary').textContent = `admin API unreachable: ${e.message}`;
  }
}

document.addEventListener('click', (e) => {
  const b = e.target.closest('button');
  if (!b || !token) return;
  if (b.dataset.killConn) call('POST', `/connections/${b.dataset.killConn}/kill?mode=${$('kill-mode').value}`);
  else if (b.dataset.killListener) call('POST', `/listeners/${encodeURIComponent(b.dataset.killListener)}/kill`);
  else if (b.dataset.removeToxic) call('DELETE', `/toxics/${encodeURIComponent(b.dataset.removeToxic)}`);
});
$('login').addEventListener('submit', (e) => { e.preventDefault(); setToken($('token').value.trim()); $('token').value = ''; });
$('logout').addEventListener('click', () => setToken(null));
$('toxic-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = { name: $('toxic-name').value.trim(), type: $('toxic-type').value };
  if ($('toxic-listener').value.trim()) body.listener = $('toxic-listener').value.trim();
  for (const pair of $('toxic-params').value.split(/\s+/).filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    body[k] = v.join('=');
  }
  call('POST', '/toxics', body);
});
$('chaos-start').addEventListener('click', () => call('POST', '/chaos/start', { seed: Number($('chaos-seed').value) }));
$('chaos-stop').addEventListener('click', () => call('POST', '/chaos/stop'));

setToken(token);
refresh();
sample();
setInterval(() => { sample(); if (!live) refresh(); }, 1000);
