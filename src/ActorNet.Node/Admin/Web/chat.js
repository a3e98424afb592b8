// ActorNet web chat: IRC over WebSocket (one IRC line per text message, subprotocol text.ircv3.net).
const $ = (id) => document.getElementById(id);
const channels = new Map(); // lower-case name -> { name, members: Set, lines: [] }
let ws = null, url = null, nick = '', wanted = [], active = null, retry = 0, retryTimer = null, userClosed = false;

export function parse(line) {
  let rest = line, prefix = '';
  if (rest.startsWith('@')) rest = rest.slice(rest.indexOf(' ') + 1);
  if (rest.startsWith(':')) { const i = rest.indexOf(' '); prefix = rest.slice(1, i); rest = rest.slice(i + 1); }
  const params = [];
  while (rest.length) {
    if (rest.startsWith(':')) { params.push(rest.slice(1)); break; }
    const i = rest.indexOf(' ');
    if (i < 0) { params.push(rest); break; }
    params.push(rest.slice(0, i)); rest = rest.slice(i + 1).replace(/^ +/, '');
  }
  return { prefix, from: prefix.split('!')[0], command: (params.shift() ?? '').toUpperCase(), params };
}

const chan = (name) => {
  const key = name.toLowerCase();
  if (!channels.has(key)) channels.set(key, { name, members: new Set(), lines: [] });
  return channels.get(key);
};
const send = (line) => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(line); };
const setState = (text, cls = 'dim') => { $('state').textContent = text; $('state').className = cls; };

function add(channel, from, text, sys = false) {
  const c = chan(channel);
  c.lines.push({ from, text, sys, at: new Date().toLocaleTimeString() });
  if (c.lines.length > 500) c.lines.shift();
  if (!active) active = c.name.toLowerCase();
  render();
}

function render() {
  $('channels').innerHTML = '';
  for (const [key, c] of channels) {
    const li = document.createElement('li');
    li.textContent = c.name; li.dataset.channel = key;
    if (key === active) li.className = 'active';
    li.onclick = () => { active = key; render(); };
    $('channels').append(li);
  }
  const c = active && channels.get(active);
  $('title').textContent = c ? c.name : 'Messages';
  $('members').innerHTML = '';
  $('messages').innerHTML = '';
  if (!c) return;
  for (const m of [...c.members].sort()) { const li = document.createElement('li'); li.textContent = m; $('members').append(li); }
  for (const l of c.lines) {
    const div = document.createElement('div');
    div.className = l.sys ? 'sys' : 'msg';
    if (l.sys) div.textContent = `${l.at} ${l.text}`;
    else { const n = document.createElement('span'); n.className = 'nick'; n.textContent = `<${l.from}>`; div.append(`${l.at} `, n, ` ${l.text}`); }
    $('messages').append(div);
  }
  $('messages').scrollTop = $('messages').scrollHeight;
}

function onLine(line) {
  const m = parse(line);
  const [p0, p1] = m.params;
  switch (m.command) {
    case 'PING': send(`PONG :${p0 ?? ''}`); break;
    case '001':
      nick = p0; retry = 0; setState(`connected as ${nick}`, 'ok');
      for (const name of wanted) send(`JOIN ${name}`);
      break;
    case '433': nick = `${nick}_`; send(`NICK ${nick}`); break;
    case 'JOIN': {
      const c = chan(p0);
      c.members.add(m.from);
      if (m.from === nick) { active = p0.toLowerCase(); c.members = new Set([nick]); if (!wanted.includes(p0)) wanted.push(p0); }
      add(p0, '', `${m.from} joined`, true); break;
    }
    case 'PART': chan(p0).members.delete(m.from); add(p0, '', `${m.from} left`, true); break;
    case 'QUIT':
      for (const c of channels.values()) if (c.members.delete(m.from)) add(c.name, '', `${m.from} quit (${p0 ?? ''})`, true);
      break;
    case 'NICK':
      if (m.from === nick) nick = p0;
      for (const c of channels.values()) if (c.members.delete(m.from)) { c.members.add(p0); add(c.name, '', `${m.from} is now ${p0}`, true); }
      break;
    case '353': { const c = chan(m.params[2]); for (const n of (m.params[3] ?? '').split(' ').filter(Boolean)) c.members.add(n.replace(/^[@+]/, '')); render(); break; }
    case 'PRIVMSG': case 'NOTICE':
      if (p0.startsWith('#')) add(p0, m.from, p1 ?? '');
      else add(active ? channels.get(active).name : p0, m.from, `(private) ${p1 ?? ''}`);
      break;
    case 'ERROR': setState(`error: ${p0 ?? ''}`, 'bad'); break;
    default:
      if (/^[45]\d\d$/.test(m.command)) { const c = active && channels.get(active); if (c) add(c.name, '', m.params.slice(1).join(' '), true); }
  }
}

function connect() {
  clearTimeout(retryTimer);
  userClosed = false;
  setState(`connecting to ${url}…`);
  const socket = new WebSocket(url, ['text.ircv3.net']);
  ws = socket;
  socket.onopen = () => { send(`NICK ${nick}`); send(`USER ${nick} 0 * :${nick} (web)`); };
  socket.onmessage = (e) => { for (const line of String(e.data).split(/\r?\n/)) if (line) onLine(line); };
  socket.onclose = (e) => {
    if (ws !== socket) return;
    for (const c of channels.values()) { c.members.clear(); add(c.name, '', `disconnected (${e.code})`, true); }
    if (userClosed) return setState('not connected');
    const delay = Math.min(10000, 500 * 2 ** retry++);
    setState(`disconnected, reconnecting in ${(delay / 1000).toFixed(1)}s`, 'bad');
    retryTimer = setTimeout(connect, delay);
  };
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  nick = $('nick').value.trim();
  wanted = $('join-list').value.split(/[\s,]+/).filter(Boolean).map((n) => (n.startsWith('#') ? n : `#${n}`));
  if (ws) { userClosed = true; ws.close(); }
  connect();
});
$('join').addEventListener('submit', (e) => {
  e.preventDefault();
  let name = $('join-name').value.trim();
  if (!name) return;
  if (!name.startsWith('#')) name = `#${name}`;
  if (!wanted.includes(name)) wanted.push(name);
  send(`JOIN ${name}`); $('join-name').value = '';
});
$('send').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value;
  const c = active && channels.get(active);
  if (!text || !c) return;
  if (text.startsWith('/')) send(text.slice(1));
  else { send(`PRIVMSG ${c.name} :${text}`); add(c.name, nick, text); }
  $('text').value = '';
});

const config = await fetch('/config.json').then((r) => r.json());
url = new URLSearchParams(location.search).get('ws') ?? config.chatUrl;
if (!url) setState('this node has no websocket irc listener', 'bad');
