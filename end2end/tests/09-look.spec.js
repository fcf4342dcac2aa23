// Every page at a laptop's and a phone's size, in the dark and the light
// theme: no page scrolls sideways, the phone's navigation is one row with a
// menu, and a screenshot of each lands in test-results/screenshots to look at.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, waitForHydration, freshDir } = require('./helpers');

const SIZES = [
  { name: 'laptop', width: 1400, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const shots = path.join(__dirname, '..', 'test-results', 'screenshots');

async function noSidewaysScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test('every page fits a laptop and a phone in both themes', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('look', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
  const response = await page.request.post('/api/v1/command', { data: { command: 'list the files here', context: { cwd: dir } } });
  const id = (await response.json()).job_id;
  const pages = [
    ['console', '/'], ['history', '/history'], ['job', `/jobs/${id}`], ['log', `/jobs/${id}/log`],
    ['costs', '/costs'], ['preferences', '/preferences'], ['settings', '/settings'],
  ];
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const [name, url] of pages) {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(url);
      await waitForHydration(page);
      await noSidewaysScroll(page, `${name} at ${size.name}`);
      for (const scheme of ['dark', 'light']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: path.join(shots, `${name}-${size.name}-${scheme}.png`), fullPage: true });
      }
    }
  }
  expect(errors).toEqual([]);
});

test('on a phone the navigation is one row with a menu that opens and closes', async ({ page }) => {
  const errors = watchPageErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page);
  const header = page.locator('.shell__header');
  const box = await header.boundingBox();
  expect(box.height).toBeLessThan(70);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL('/history');
  await expect(page.getByRole('heading', { name: 'History', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();

  // At a laptop's width the same navigation is always shown, with no menu button.
  await page.setViewportSize({ width: 1400, height: 900 });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  expect(errors).toEqual([]);
});
