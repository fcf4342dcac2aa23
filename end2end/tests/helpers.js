// Shared bits for the journeys: the account the first spec creates, page-error
// capture, and a wait for hydration (the app marks <body> once it is live).
const fs = require('node:fs');
const path = require('node:path');
const { expect } = require('@playwright/test');

const USER = 'admin';
const PASSWORD = 'correct horse battery';

// Uncaught errors, and the Rust panic message the panic hook logs before
// the wasm trap (which alone says only "unreachable").
function watchPageErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('panicked at')) errors.push(message.text());
  });
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

// A fresh folder under the server's work dir with the given files.
function freshDir(name, files) {
  const dir = path.join(process.env.DEVOS_E2E_WORK_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}

// Relative paths with content, to compare a tree byte for byte.
function listing(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) { out.push(`${path.relative(dir, full)}/`); walk(full); }
      else out.push(`${path.relative(dir, full)} ${fs.readFileSync(full).toString('base64')}`);
    }
  };
  walk(dir);
  return out.sort();
}

// Types a request for `cwd` into the console and returns its card.
async function ask(page, request, cwd) {
  await page.getByLabel('Working directory').fill(cwd);
  const input = page.getByLabel('What should DevOS do?');
  await input.fill(request);
  await input.press('Enter');
  const card = page.getByTestId('job-card').filter({ hasText: request }).first();
  await expect(card).toBeVisible();
  return card;
}

module.exports = { USER, PASSWORD, watchPageErrors, waitForHydration, login, freshDir, listing, ask };
