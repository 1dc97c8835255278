// drill.mjs: the page of `fivewhys serve` in headless Chromium, driven by
// playwright-core, the way a trainee uses it: the seed 004 home-loan drill
// typed in with the keyboard only, the ladder and the motivation it shows,
// the transcript download, an answer made of markup (it must show as text
// and run nothing), and a practice call on a phone-sized screen.
//
// Run by tests/e2e.sh (make check), which checks that node, Chromium and
// playwright-core are there. Environment: FIVEWHYS (the program), TOP_SRCDIR,
// CHROMIUM (default /usr/bin/chromium), FW_SCREENSHOTS (a folder to keep the
// screenshots in; default: a temporary folder, removed).
// Prints "ok NAME" or "FAIL NAME" per check and "N passed, N failed".

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const fivewhys = process.env.FIVEWHYS;
const top = process.env.TOP_SRCDIR;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const keepShots = Boolean(process.env.FW_SCREENSHOTS);
const shots = process.env.FW_SCREENSHOTS || mkdtempSync(join(tmpdir(), 'fivewhys-e2e-'));
const startSeconds = Number(process.env.FW_TIMEOUT || 60);

const SEED_004 = [
  'They need money.',
  'They wish to make a purchase.',
  'They want to progress in life.',
  'They want to provide for their family.',
  'They care for, love, and want the best for their family.',
];
const MODEL_TRAINEE = [
  'Why do you need a home loan?',
  'What would the money let you do?',
  'That sounds exciting. Why is buying a place important to you?',
  "So what I'm hearing is you want to settle down. What would that give you?",
];
const XSS = '<script>alert(1)</script>';
const XSS_IMG = '<img src=x onerror="alert(2)">';

let passed = 0;
let failed = 0;

function check(name, condition, ...details) {
  if (condition) {
    passed++;
    console.log(`ok ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}`);
    for (const d of details) console.log(`    ${typeof d === 'string' ? d : JSON.stringify(d)}`);
  }
  return condition;
}

// Starts the server on a free loopback port; resolves with the process and
// the address it printed.
function startServer() {
  return new Promise((resolve, reject) => {
    const server = spawn(fivewhys, ['serve', '--port', '0', '-r', join(top, 'rules')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no address after ${startSeconds}s: ${out} ${err}`)), startSeconds * 1000);
    server.stdout.on('data', (data) => {
      out += data;
      const m = out.match(/^Open (http:\/\/\S+) in a browser\.$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ server, url: m[1], stderr: () => err });
      }
    });
    server.stderr.on('data', (data) => {
      err += data;
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${err}`));
    });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    server.removeAllListeners('exit');
    server.on('exit', (code, signal) => resolve({ code, signal }));
    server.kill('SIGTERM');
  });
}

async function activeSelector(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a) return '';
    if (a.id) return `#${a.id}`;
    if (a.name) return `${a.tagName.toLowerCase()}[name=${a.name}][value=${a.value}]`;
    return `${a.tagName.toLowerCase()}.${a.className}`;
  });
}

async function drill(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');

  // Keyboard only: the tab order goes skip link, mode, need, Start.
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await activeSelector(page));
  }
  check('keyboard: tab order is skip link, mode, need, Start',
    JSON.stringify(order) === JSON.stringify(['a.skip', 'input[name=mode][value=drill]', '#need', '#start-button']), order);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check('keyboard: the focused control shows a visible outline', outline !== 'none' && outline !== '', outline);
  check('drill: the home loan is the need offered first', (await page.inputValue('#need')) === 'home-loan');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#session:not([hidden])');
  check('keyboard: Start moves the focus to the answer box', (await activeSelector(page)) === '#turn-input',
    await activeSelector(page));
  check('drill: the first question is asked',
    (await page.textContent('#transcript .pending .said')) === 'Why do you need a home loan?');

  for (let i = 0; i < SEED_004.length; i++) {
    await page.keyboard.type(SEED_004[i]);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#ladder .rung.reached').length === n, i + 1);
    if (i < SEED_004.length - 1) {
      check(`keyboard: the focus stays in the answer box (answer ${i + 1})`, (await activeSelector(page)) === '#turn-input');
    }
  }
  await page.waitForSelector('#result:not([hidden])');
  const rungs = await page.$$eval('#ladder .rung.reached', (items) => items.map((li) => ({
    label: li.querySelector('.label').textContent,
    level: li.querySelector('.level').textContent,
  })));
  check('drill: the ladder shows 5 rungs, rung by rung, with their levels',
    JSON.stringify(rungs.map((r) => r.level)) === JSON.stringify(['function', 'function', 'benefit', 'benefit', 'motivation']),
    rungs);
  check('drill: the last rung is the motivation', await page.$eval('#ladder .rung.reached:last-child',
    (li) => li.classList.contains('motivation')));
  check('drill: depth 5 of 5', (await page.textContent('#ladder-depth')) === 'Depth 5 of 5 whys',
    await page.textContent('#ladder-depth'));
  const motivation = await page.textContent('#motivation-card .motivation-id');
  check('drill: the motivation is family', motivation.startsWith('family'), motivation);
  const card = await page.textContent('#motivation-card');
  check('drill: the motivation comes with its description and framing advice',
    card.includes('What they care about') && card.includes('How to speak to it'), card.slice(0, 200));
  check('keyboard: the result takes the focus', (await activeSelector(page)) === '#result-title');
  check('drill: the answer box is gone once the ladder is done', await page.isHidden('#turn-form'));
  await page.screenshot({ path: join(shots, 'drill-laptop.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const path = join(shots, 'transcript.json');
  await download.saveAs(path);
  const transcript = JSON.parse(readFileSync(path, 'utf8'));
  check('drill: the transcript downloads as JSON',
    transcript.need === 'home-loan' && transcript.depth === 5 && transcript.motivation === 'family'
      && transcript.status === 'reached' && transcript.steps.length === 5, transcript);
}

async function xss(page, dialogs) {
  await page.click('#again-button');
  await page.waitForSelector('#start:not([hidden])');
  await page.check('input[name=mode][value=drill]');
  await page.click('#start-button');
  await page.waitForSelector('#session:not([hidden])');
  for (const answer of [XSS, XSS_IMG]) {
    await page.fill('#turn-input', answer);
    await page.press('#turn-input', 'Enter');
    await page.waitForFunction((a) => [...document.querySelectorAll('#transcript .bubble.trainee .said')]
      .some((n) => n.textContent === a), answer);
  }
  await page.waitForTimeout(300);
  const shown = await page.$$eval('#transcript .bubble.trainee .said', (n) => n.map((x) => x.textContent));
  check('xss: the answer <script>alert(1)</script> shows as text', shown.includes(XSS), shown);
  check('xss: an <img onerror> answer shows as text', shown.includes(XSS_IMG), shown);
  check('xss: no element was made from an answer',
    (await page.$$('#transcript script, #transcript img')).length === 0);
  check('xss: no dialog fired', dialogs.length === 0, dialogs);
  check('drill: an answer that matches nothing is met kindly',
    (await page.$$('#transcript .note.kind')).length >= 1);
}

async function practice(browser, url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(`${url}?seed=42`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.check('input[name=mode][value=practice]');
  await page.selectOption('#persona', 'home-loan-priya');
  await page.screenshot({ path: join(shots, 'start-phone.png'), fullPage: true });
  await page.click('#start-button');
  await page.waitForSelector('#session:not([hidden])');
  check('practice: the customer opens', (await page.textContent('#transcript .bubble.customer .said')).length > 0);
  for (let i = 0; i < MODEL_TRAINEE.length; i++) {
    await page.fill('#turn-input', MODEL_TRAINEE[i]);
    await page.press('#turn-input', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#transcript .bubble.customer').length === n, i + 2);
    if (i === 1) await page.screenshot({ path: join(shots, 'practice-phone-call.png') });
  }
  await page.waitForSelector('#result:not([hidden])');
  check('practice: the model trainee reaches the motivation',
    (await page.textContent('#result-title')) === 'The motivation surfaced', await page.textContent('#result-title'));
  const score = await page.textContent('#scorecard');
  check('practice: the scorecard is shown', score.includes('Scorecard') && score.includes('5 of 5 rungs')
    && score.includes('open probe'), score.slice(0, 300));
  check('practice: the advice is shown', (await page.$$('#scorecard .advice li')).length >= 2);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check('phone: nothing is wider than the screen', width <= 390, width);
  await page.screenshot({ path: join(shots, 'practice-phone.png'), fullPage: true });
  check('practice: no dialog fired', dialogs.length === 0, dialogs);
  await context.close();
}

async function main() {
  const { server, url, stderr } = await startServer();
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems = [];
    const dialogs = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    const response = await page.goto(url);
    const csp = response.headers()['content-security-policy'] || '';
    check('page: served with a strict Content-Security-Policy',
      csp.includes("script-src 'self'") && csp.includes("default-src 'self'") && !csp.includes('unsafe'), csp);
    await drill(page, url);
    await xss(page, dialogs);
    check('page: no errors in the console (a CSP violation would be one)', problems.length === 0, problems);
    await context.close();
    await practice(browser, url);
  } catch (e) {
    check('the browser test ran to its end', false, e.stack || String(e));
  } finally {
    if (browser) await browser.close();
    const { code, signal } = await stopServer(server);
    check('server: SIGTERM stops it cleanly', code === 0, `exit ${code} ${signal || ''}`, stderr());
  }
  if (keepShots) console.log(`screenshots in ${shots}`);
  else rmSync(shots, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
