// First run: set up the account through the real setup link, log out, log in.
const { test, expect } = require('@playwright/test');
const { USER, PASSWORD, watchPageErrors, waitForHydration } = require('./helpers');

test('first-run setup, logout and login reach the console', async ({ page }) => {
  const errors = watchPageErrors(page);
  const link = new URL(process.env.DEVOS_SETUP_LINK);

  // Logged out, a page sends us to the login form.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F|\/login\?next=\//);
  await expect(page.getByRole('status')).toContainText('setup link');

  await page.goto(link.pathname + link.search);
  await waitForHydration(page);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password (8+ characters)').fill(PASSWORD);
  await page.getByLabel('Repeat password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Console' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText(USER);

  // The link worked once.
  await page.goto(link.pathname + link.search);
  await expect(page.getByText('this link no longer works')).toBeVisible();

  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=/);

  // A wrong password is refused with a message, then the right one works.
  await waitForHydration(page);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('wrong user name or password');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByRole('link', { name: 'Console' }).click();
  await expect(page.getByRole('heading', { name: 'Console' })).toBeVisible();
  expect(errors).toEqual([]);
});
