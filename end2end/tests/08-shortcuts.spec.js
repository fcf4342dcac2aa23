// Keyboard shortcuts, the count of waiting plans in the tab title, and a
// notification for a plan that needs approval while the tab is hidden.
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, freshDir } = require('./helpers');

// Lets the test hide the tab and records the notifications the page makes
// (the real Notification still runs; the subclass only keeps a reference).
function recordNotifications() {
  let hidden = false;
  window.__setHidden = (value) => { hidden = value; };
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true,
    get() { return hidden ? 'hidden' : 'visible'; },
  });
  const Real = window.Notification;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push(this);
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
}

async function submit(page, command, cwd) {
  const response = await page.request.post('/api/v1/command', { data: { command, context: { cwd } } });
  expect(response.status()).toBe(200);
  return (await response.json()).job_id;
}

test('a plan waiting while the tab is hidden notifies; its click focuses the card', async ({ page, context, baseURL }) => {
  const errors = watchPageErrors(page);
  await context.grantPermissions(['notifications'], { origin: baseURL });
  await page.addInitScript(recordNotifications);
  await login(page);
  // Permission is already granted, so there is nothing to ask.
  await expect(page.getByTestId('enable-notifications')).toHaveCount(0);
  // The page knows what was waiting before (earlier journeys may have left
  // plans waiting): only later plans are news.
  const waiting = page.getByTestId('pending-approvals');
  await expect(waiting).toHaveText(/waiting for approval/);
  const before = Number((await waiting.textContent()).match(/^\d+/)?.[0] ?? 0);
  const title = (n) => (n === 0 ? 'DevOS' : `(${n}) DevOS · approval needed`);
  await expect(page).toHaveTitle(title(before));

  const dir = freshDir('notify', { 'old.tmp': 'x', 'keep.txt': 'y' });
  await page.evaluate(() => window.__setHidden(true));
  const id = await submit(page, 'delete all temporary files', dir);
  await expect(page).toHaveTitle(title(before + 1));
  await expect.poll(() => page.evaluate(() => window.__notifications.length)).toBe(1);
  const shown = await page.evaluate(() => {
    const [n] = window.__notifications;
    return { title: n.title, body: n.body, tag: n.tag };
  });
  expect(shown).toEqual({
    title: 'DevOS: a plan needs your approval', body: 'delete all temporary files', tag: `devos-job-${id}`,
  });

  const card = page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
  await expect(card.getByTestId('job-status')).toHaveText('pending');
  await expect(card).not.toBeFocused();
  await page.evaluate(() => window.__setHidden(false));
  await page.evaluate(() => window.__notifications[0].dispatchEvent(new Event('click')));
  await expect(card).toBeFocused();

  // `r` rejects the focused card; the title stops counting it.
  await page.keyboard.press('r');
  await expect(card.getByTestId('job-status')).toHaveText('rejected');
  await expect(page).toHaveTitle(title(before));
  expect(errors).toEqual([]);
});

test('shortcuts focus the request box, move between cards, approve, undo and navigate', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('keys', { 'one.tmp': '1', 'two.tmp': '2', 'keep.txt': 'k' });
  await submit(page, 'list the files here', dir);
  const pending = await submit(page, 'delete all temporary files', dir);
  const card = page.locator(`[data-testid="job-card"][data-job-id="${pending}"]`);
  await expect(card.getByTestId('job-status')).toHaveText('pending');

  // Letters typed into the request box stay text.
  const input = page.getByLabel('What should DevOS do?');
  await page.keyboard.press('/');
  await expect(input).toBeFocused();
  await page.keyboard.type('ja');
  await expect(input).toHaveValue('ja');
  await input.fill('');
  await page.keyboard.press('Escape');
  await page.getByRole('heading', { name: 'Console' }).click();

  // j focuses the newest card, k stays on the first, j moves on.
  await page.keyboard.press('j');
  await expect(card).toBeFocused();
  await page.keyboard.press('j');
  await expect(page.getByTestId('job-card').nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(card).toBeFocused();

  // The plan deletes, so `a` asks first: dismissing keeps it waiting.
  const questions = [];
  page.on('dialog', async (dialog) => {
    questions.push(dialog.message());
    if (questions.length === 1) await dialog.dismiss(); else await dialog.accept();
  });
  const destructive = await card.locator('.risk-badge--destructive').count();
  expect(destructive).toBeGreaterThan(0);
  await page.keyboard.press('a');
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('delete all temporary files');
  await expect(card.getByTestId('job-status')).toHaveText('pending');
  await page.keyboard.press('a');
  await expect(card.getByTestId('job-status')).toHaveText('completed');

  // `u` undoes the focused job: the deleted files come back.
  await card.focus();
  await page.keyboard.press('u');
  await expect(card.getByRole('status')).toContainText('reverted');

  // `?` lists the shortcuts; Escape closes the list.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Go to Costs');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // g h, g c, g s go to History, Costs and Settings; Ctrl+K comes back to type.
  for (const [key, url, heading] of [['h', '/history', 'History'], ['c', '/costs', 'Costs'], ['s', '/settings', 'Settings']]) {
    await page.keyboard.press('g');
    await page.keyboard.press(key);
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
  await page.keyboard.press('Control+k');
  await expect(page).toHaveURL('/');
  await expect(input).toBeFocused();
  expect(errors).toEqual([]);
});
