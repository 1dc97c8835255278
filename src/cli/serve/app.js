/* app.js: the page of `fivewhys serve`. Plain DOM, no framework.
 *
 * Every piece of text that comes from a trainee or from the rules reaches
 * the page through textContent or a text node (see el()), never as HTML, so
 * an answer such as <script>alert(1)</script> shows as what it is. */
'use strict';

(function () {
  const LEVELS = ['attribute', 'function', 'benefit', 'motivation'];
  const DRILL_DEPTH = 5; /* five whys */
  const STORE_KEY = 'fivewhys-session';

  const $ = (id) => document.getElementById(id);

  /* el('p', {className: 'x'}, 'text', child...): an element whose string
   * children become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function words(id) {
    return String(id).replace(/-/g, ' ');
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new Error('The server cannot be reached. Is fivewhys serve still running?');
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error((data && data.error) || `The server answered ${response.status}.`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function showError(node, message) {
    node.textContent = message || '';
    node.hidden = !message;
  }

  /* ---- the start form ------------------------------------------------------ */

  let personas = [];

  function selectedMode() {
    const checked = document.querySelector('input[name="mode"]:checked');
    return checked ? checked.value : 'drill';
  }

  function showMode() {
    const practice = selectedMode() === 'practice';
    $('need-field').hidden = practice;
    $('persona-field').hidden = !practice;
    describePersona();
  }

  function describePersona() {
    const persona = personas.find((p) => p.id === $('persona').value);
    $('persona-about').textContent = persona
      ? `${persona.name}. ${persona.description || ''} Temperament: ${persona.temperament}.`
      : '';
  }

  async function loadChoices() {
    const [needs, people] = await Promise.all([api('GET', '/api/needs'), api('GET', '/api/personas')]);
    const needSelect = $('need');
    needSelect.replaceChildren();
    for (const need of needs.needs) {
      const label = need.lang && need.lang !== 'en' ? `${need.title} (${need.lang})` : need.title;
      needSelect.append(el('option', { value: need.id }, label));
    }
    const home = needs.needs.find((n) => n.id === 'home-loan');
    if (home) needSelect.value = home.id;
    personas = people.personas;
    const personaSelect = $('persona');
    personaSelect.replaceChildren();
    for (const p of personas) {
      personaSelect.append(el('option', { value: p.id }, `${p.name}: ${p.need_title || p.need}`));
    }
    if (personas.length === 0) {
      const practice = document.querySelector('input[name="mode"][value="practice"]');
      practice.disabled = true;
      practice.closest('label').classList.add('disabled');
    }
    describePersona();
  }

  async function startSession(event) {
    event.preventDefault();
    showError($('start-error'), '');
    const mode = selectedMode();
    const body = mode === 'practice' ? { mode, persona: $('persona').value } : { mode, need: $('need').value };
    /* ?seed=N: every trainee of a class meets the same customer, word for word. */
    const seed = new URLSearchParams(window.location.search).get('seed');
    if (mode === 'practice' && seed !== null && /^[0-9]{1,15}$/.test(seed)) body.seed = Number(seed);
    $('start-button').disabled = true;
    try {
      const session = await api('POST', '/api/sessions', body);
      openSession(session);
    } catch (e) {
      showError($('start-error'), e.message);
    } finally {
      $('start-button').disabled = false;
    }
  }

  /* ---- a session ----------------------------------------------------------------- */

  let current = null;  /* the session JSON last received */
  let shown = 0;       /* steps or turns already in the transcript */

  function openSession(session) {
    current = null;
    shown = 0;
    $('transcript').replaceChildren();
    $('ladder').replaceChildren();
    $('result').hidden = true;
    $('start').hidden = true;
    $('session').hidden = false;
    try {
      sessionStorage.setItem(STORE_KEY, session.id);
    } catch (e) {
      /* private mode: no resuming after a reload */
    }
    const drill = session.mode === 'drill';
    $('session-title').textContent = drill
      ? `Drill: ${session.need.title}`
      : `Practice: ${session.persona.name}`;
    $('session-sub').textContent = drill
      ? 'Answer each question as your customer would. The ladder on the right grows with every answer that names a reason.'
      : `${session.persona.description || ''} You are the seller: find out why they want this, one question at a time.`.trim();
    $('turn-label').textContent = drill ? 'Your answer, as the customer' : 'Your question to the customer';
    $('turn-button').textContent = drill ? 'Answer' : 'Ask';
    $('turn-input').value = '';
    $('download').href = `/api/sessions/${encodeURIComponent(session.id)}/transcript`;
    $('download').setAttribute('download', `fivewhys-${drill ? session.need.id : session.persona.id}.json`);
    if (!drill) {
      $('transcript').append(bubble('customer', session.persona.name, session.opening));
    }
    update(session);
    if (!isOver(session)) $('turn-input').focus();
  }

  function isOver(session) {
    return session.mode === 'drill' ? session.status !== 'asking' : session.status !== 'talking';
  }

  function bubble(who, name, text, extra) {
    return el('li', { className: `bubble ${who}` },
      el('span', { className: 'who' }, name),
      el('span', { className: 'said' }, text),
      extra || null);
  }

  function note(kind, ...children) {
    return el('li', { className: `note ${kind}` }, ...children);
  }

  function levelChip(level) {
    return el('span', { className: `level level-${LEVELS.includes(level) ? level : 'other'}` }, level);
  }

  function drillStep(step) {
    const items = [bubble('engine', 'fivewhys', step.question), bubble('trainee', 'You, as the customer', step.answer)];
    switch (step.kind) {
      case 'descend':
        items.push(note('good', 'A rung: ', el('strong', {}, step.rung.label), ' ', levelChip(step.rung.level),
          step.evidence ? el('span', { className: 'evidence' }, ` heard in “${step.evidence}”`) : null));
        break;
      case 'jump':
        items.push(note('good', 'Straight to the motivation: ', el('strong', {}, step.rung.label), ' ',
          levelChip(step.rung.level)));
        break;
      case 'no-match':
        items.push(note('kind', 'That did not match a reason on this ladder yet, and that is fine: here is the question in other words.'));
        break;
      default:
        items.push(note('kind', 'Not sure? That is all right. Think about what the customer would really say, in their own words.'));
        break;
    }
    return items;
  }

  function practiceTurn(turn, persona) {
    const chips = el('span', { className: 'chips' }, el('span', { className: `chip class-${turn.class}` }, words(turn.class)));
    for (const also of turn.also) {
      if (also === 'empathy' || also === 'summary') chips.append(' ', el('span', { className: `chip class-${also}` }, `+ ${words(also)}`));
    }
    const items = [bubble('trainee', 'You', turn.question, chips), bubble('customer', persona.name, turn.reply)];
    for (const rung of turn.revealed) {
      items.push(note('good', 'Revealed: ', el('strong', {}, rung.label), ' ', levelChip(rung.level)));
    }
    return items;
  }

  function renderTranscript(session) {
    const list = $('transcript');
    const pending = list.querySelector('.pending');
    if (pending) pending.remove();
    const entries = session.mode === 'drill' ? session.steps : session.turns;
    let announce = '';
    for (let i = shown; i < entries.length; i++) {
      const items = session.mode === 'drill' ? drillStep(entries[i]) : practiceTurn(entries[i], session.persona);
      list.append(...items);
      announce = items.slice(1).map((n) => n.textContent).join(' ');
    }
    shown = entries.length;
    if (session.mode === 'drill' && session.question) {
      const ask = bubble('engine pending', 'fivewhys asks', session.question);
      list.append(ask);
      announce = `${announce} ${session.question}`.trim();
    }
    $('live').textContent = announce;
    list.scrollTop = list.scrollHeight;
  }

  function renderLadder(session) {
    const ladder = $('ladder');
    const before = ladder.querySelectorAll('.rung.reached').length;
    ladder.replaceChildren();
    const top = session.mode === 'drill' ? session.need.title : (session.persona.need_title || session.persona.need);
    ladder.append(el('li', { className: 'rung need' },
      el('span', { className: 'depth-no' }, '0'),
      el('span', { className: 'label' }, top),
      levelChip('need')));
    const length = session.mode === 'drill'
      ? Math.max(DRILL_DEPTH, session.ladder.length)
      : Math.max(session.ladder_length, session.ladder.length);
    session.ladder.forEach((rung, i) => {
      const item = el('li', { className: `rung reached${rung.level === 'motivation' ? ' motivation' : ''}${i >= before ? ' new' : ''}` },
        el('span', { className: 'depth-no' }, i + 1),
        el('span', { className: 'label' }, rung.label),
        levelChip(rung.level));
      ladder.append(item);
    });
    const over = isOver(session);
    for (let i = session.ladder.length; i < length; i++) {
      if (over && session.mode === 'drill') break;
      ladder.append(el('li', { className: 'rung open', 'aria-label': `rung ${i + 1}: not reached yet` },
        el('span', { className: 'depth-no' }, i + 1),
        el('span', { className: 'label' }, i === session.ladder.length && !over ? 'why?' : '')));
    }
    const of = session.mode === 'drill' ? `of ${DRILL_DEPTH} whys` : `of ${session.ladder_length} rungs`;
    $('ladder-depth').textContent = `Depth ${session.depth} ${of}`;
    $('turn-hint').textContent = `Depth ${session.depth} ${of} so far. Enter sends.`;
    if (session.mode === 'practice') {
      $('ladder-depth').append(el('span', { className: 'warmth' }, ` · the customer feels ${warmthWords(session.warmth)}`));
    }
  }

  function warmthWords(warmth) {
    if (warmth <= -2) return 'cold';
    if (warmth < 0) return 'cool';
    if (warmth === 0) return 'neutral';
    if (warmth < 3) return 'warm';
    return 'very warm';
  }

  function motivationCard(m) {
    const card = el('div', { className: 'motivation-card' },
      el('h3', {}, `The motivation: ${m.label}`),
      el('p', { className: 'motivation-id' }, `${m.id}${m.schwartz ? ` · nearest Schwartz value: ${m.schwartz}` : ''}`));
    const list = el('dl', {});
    if (m.description) list.append(el('dt', {}, 'What they care about'), el('dd', {}, m.description));
    if (m.framing) list.append(el('dt', {}, 'How to speak to it'), el('dd', {}, m.framing));
    if (m.avoid) list.append(el('dt', {}, 'Avoid'), el('dd', {}, m.avoid));
    card.append(list);
    return card;
  }

  function scorecard(session) {
    const s = session.scorecard;
    const card = el('div', { className: 'scorecard' }, el('h3', {}, 'Scorecard'));
    const rows = [
      ['Depth', `${s.depth} of ${s.ladder} rungs`],
      ['Turns', String(s.turns)],
      ['First pitch', s.first_pitch ? `turn ${s.first_pitch}` : 'none'],
      ['Motivation surfaced', s.motivation_surfaced ? 'yes' : 'no'],
      ['Warmed the customer', `${s.warming} question${s.warming === 1 ? '' : 's'}`],
      ['Held back', `${s.holds} time${s.holds === 1 ? '' : 's'}`],
      ['Warmth at the end', `${s.warmth} (${warmthWords(s.warmth)})`],
    ];
    const table = el('table', {}, el('caption', { className: 'visually-hidden' }, 'How the call went'));
    const body = el('tbody', {});
    for (const [name, value] of rows) body.append(el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value)));
    table.append(body);
    card.append(table);
    const kinds = el('table', { className: 'kinds' }, el('caption', {}, 'Your questions'));
    const kindsBody = el('tbody', {});
    for (const [klass, count] of Object.entries(s.questions)) {
      kindsBody.append(el('tr', {}, el('th', { scope: 'row' }, el('span', { className: `chip class-${klass}` }, words(klass))), el('td', {}, String(count))));
    }
    kinds.append(kindsBody);
    card.append(kinds);
    if (s.advice.length > 0) {
      const advice = el('ul', { className: 'advice' });
      for (const text of s.advice) advice.append(el('li', {}, text));
      card.append(el('h4', {}, 'Advice'), advice);
    }
    return card;
  }

  function renderResult(session) {
    const drill = session.mode === 'drill';
    let title;
    let summary;
    if (drill) {
      if (session.status === 'reached') {
        title = 'You reached the motivation';
        summary = `Depth ${session.depth}: ${session.ladder.map((r) => r.label).join(' → ')}.`;
      } else if (session.status === 'stalled') {
        title = 'No motivation this time';
        summary = 'The answers stopped matching the ladder. Try another angle next time: what would the customer get out of it?';
      } else {
        title = 'Session ended';
        summary = `You stopped at depth ${session.depth}, before a motivation surfaced.`;
      }
    } else {
      const outcomes = {
        reached: 'The motivation surfaced',
        lost: 'The customer ended the call',
        'out-of-time': 'The customer ran out of time',
        ended: 'Call ended',
      };
      title = outcomes[session.status] || 'Call ended';
      summary = `${session.persona.name} told you ${session.depth} of ${session.ladder_length} rungs in ${session.turns.length} turns.`;
    }
    $('result-title').textContent = title;
    $('result-summary').textContent = summary;
    $('motivation-card').replaceChildren(session.motivation ? motivationCard(session.motivation) : '');
    $('scorecard').replaceChildren(!drill && session.scorecard ? scorecard(session) : '');
    $('result').hidden = false;
  }

  function update(session) {
    const wasOver = current !== null && isOver(current);
    current = session;
    renderTranscript(session);
    renderLadder(session);
    const over = isOver(session);
    $('turn-form').hidden = over;
    $('session').classList.toggle('over', over);
    if (over) {
      renderResult(session);
      if (!wasOver) $('result-title').focus();
    }
  }

  async function takeTurn(event) {
    event.preventDefault();
    if (!current) return;
    const input = $('turn-input');
    const text = input.value.trim();
    const drill = current.mode === 'drill';
    if (text === '') {
      showError($('turn-error'), drill ? 'Type the customer’s answer first.' : 'Type your question first.');
      input.focus();
      return;
    }
    showError($('turn-error'), '');
    $('turn-button').disabled = true;
    input.setAttribute('aria-busy', 'true');
    try {
      const path = `/api/sessions/${encodeURIComponent(current.id)}/${drill ? 'answers' : 'questions'}`;
      const session = await api('POST', path, drill ? { answer: text } : { question: text });
      input.value = '';
      update(session);
      if (!isOver(session)) input.focus();
    } catch (e) {
      showError($('turn-error'), e.message);
      if (e.status === 404 || e.status === 409) forget();
      input.focus();
    } finally {
      $('turn-button').disabled = false;
      input.removeAttribute('aria-busy');
    }
  }

  async function endSession() {
    if (!current) return;
    try {
      update(await api('POST', `/api/sessions/${encodeURIComponent(current.id)}/end`, {}));
    } catch (e) {
      showError($('turn-error'), e.message);
    }
  }

  function forget() {
    try {
      sessionStorage.removeItem(STORE_KEY);
    } catch (e) {
      /* nothing stored */
    }
  }

  function startAgain() {
    forget();
    current = null;
    $('session').hidden = true;
    $('start').hidden = false;
    $('start-title').focus();
  }

  async function resume() {
    let id = null;
    try {
      id = sessionStorage.getItem(STORE_KEY);
    } catch (e) {
      id = null;
    }
    if (!id) return;
    try {
      openSession(await api('GET', `/api/sessions/${encodeURIComponent(id)}`));
    } catch (e) {
      forget();
    }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', showMode);
    $('persona').addEventListener('change', describePersona);
    $('start-form').addEventListener('submit', startSession);
    $('turn-form').addEventListener('submit', takeTurn);
    $('end-button').addEventListener('click', endSession);
    $('again-button').addEventListener('click', startAgain);
    try {
      await loadChoices();
      showMode();
      document.body.dataset.ready = 'true';
      await resume();
    } catch (e) {
      showError($('start-error'), e.message);
    }
  });
})();
