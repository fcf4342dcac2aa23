// Settings → Access: a token is shown once, works against REST v1, and is
// refused as soon as it is revoked; open sessions are listed and signed out,
// one or all others; a password change makes the old one fail. Settings also
// says how steps are ended and where each configuration value came from.
const { test, expect } = require('@playwright/test');
const { USER, PASSWORD, login, watchPageErrors, waitForHydration } = require('./helpers');

// Logs `page` in with `password`; resolves with whether the console opened.
async function tryLogin(page, password) {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const console = page.getByRole('heading', { name: 'Console' });
  // The login form's refusal (job cards on the console say why jobs failed, too).
  const refused = page.getByRole('alert').filter({ hasText: /password|too many/ });
  await expect(console.or(refused)).toBeVisible();
  return console.isVisible();
}

// Whether `page` is still signed in: a protected page either shows or sends it to /login.
async function signedIn(page) {
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Settings' }).or(page.getByRole('button', { name: 'Log in' }))).toBeVisible();
  return !page.url().includes('/login');
}

test('a token made in Settings works until it is revoked', async ({ page, request }) => {
  const errors = watchPageErrors(page);
  await login(page);
  await page.goto('/settings');
  await waitForHydration(page);
  // How steps are ended is stated, not implied (this machine gives each a control group).
  await expect(page.getByTestId('step-control')).toContainText('a control group per step');
  await page.getByLabel('Token label').fill('e2e laptop');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByTestId('token-secret').textContent()).trim();
  expect(secret).toMatch(/^dvs_/);
  const item = page.getByTestId('token-item').filter({ hasText: 'e2e laptop' });
  await expect(item).toContainText('never used');

  const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);

  await item.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Revoked: requests with it are refused from now on.')).toBeVisible();
  await expect(item).toHaveCount(0);
  const after = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect(errors).toEqual([]);
});

test('open sessions are listed and signed out; a new password makes the old one fail', async ({ page, browser }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const [onLaptop, onPhone] = [await laptop.newPage(), await phone.newPage()];
  expect(await tryLogin(onLaptop, PASSWORD)).toBe(true);
  expect(await tryLogin(onPhone, PASSWORD)).toBe(true);

  await page.goto('/settings');
  await waitForHydration(page);
  await expect(page.getByTestId('config-values')).toContainText('not from the defaults');
  await page.getByTestId('config-values').locator('summary').click();
  await expect(page.locator('tr[data-key="server.addr"]')).toContainText('DEVOS_ADDR');
  const items = page.getByTestId('session-item');
  await expect(items.first()).toContainText('(this session)');
  // The most recently active sessions come first: the two just made are there.
  await expect(items.nth(2)).toBeVisible();

  // Sign out one other session (the newest other one is the phone).
  await items.nth(1).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('that session is signed out')).toBeVisible();
  const stillIn = [await signedIn(onLaptop), await signedIn(onPhone)];
  expect(stillIn.filter(Boolean)).toHaveLength(1);

  // Then all the others at once.
  await page.getByRole('button', { name: 'Sign out other sessions' }).click();
  await expect(page.getByText(/every other session is signed out/)).toBeVisible();
  expect(await signedIn(onLaptop)).toBe(false);
  expect(await signedIn(onPhone)).toBe(false);
  expect(await signedIn(page)).toBe(true);

  // A new password: the old one fails from then on; then put it back.
  const change = async (from, to) => {
    await page.goto('/settings');
    await waitForHydration(page);
    await page.getByLabel('Current password').fill(from);
    await page.getByLabel('New password (at least 8 characters)').fill(to);
    await page.getByLabel('New password again').fill(to);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('password changed; your other sessions are signed out')).toBeVisible();
  };
  await change(PASSWORD, 'a brand new long secret');
  expect(await tryLogin(onLaptop, PASSWORD)).toBe(false);
  expect(await tryLogin(onLaptop, 'a brand new long secret')).toBe(true);
  await change('a brand new long secret', PASSWORD);
  expect(await signedIn(onLaptop)).toBe(false);
  await laptop.close();
  await phone.close();
  expect(errors).toEqual([]);
});
