// Loads the gateway's live page in headless Chromium (Debian's, driven by playwright-core), checks it shows what the
// test expects with no script, no external request and no CSP violation, and keeps a screenshot.
// Env: PAGE (URL), EXPECT (text the page must show), SHOT (screenshot path). Prints one JSON line.
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // The machine's network is closed: background connections are refused, so they are turned off.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const requests = [];
  const problems = [];
  page.on('request', r => requests.push(r.url()));
  page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', e => problems.push(e.message));
  const response = await page.goto(process.env.PAGE, { waitUntil: 'load' });
  await page.getByText(process.env.EXPECT).first().waitFor({ timeout: 10000 });
  await page.screenshot({ path: process.env.SHOT, fullPage: true });
  const origin = new URL(process.env.PAGE).origin;
  console.log(JSON.stringify({
    status: response.status(),
    csp: response.headers()['content-security-policy'] ?? null,
    title: await page.title(),
    scripts: await page.locator('script').count(),
    external: requests.filter(u => !u.startsWith(origin)),
    problems,
    text: await page.locator('body').innerText(),
  }));
} finally {
  await browser.close();
}
