// Shared bits for the journeys: the account the first spec creates, page-error
// capture, and a wait for hydration (the app marks <body> once it is live).
const { expect } = require('@playwright/test');

const USER = 'admin';
const PASSWORD = 'correct horse battery';

function watchPageErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function waitForHydration(page) {
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

async function login(page) {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Console' })).toBeVisible();
}

module.exports = { USER, PASSWORD, watchPageErrors, waitForHydration, login };
