// Settings → Access: a token is shown once, works against REST v1, and is
// refused as soon as it is revoked. Settings also says how steps are ended.
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, waitForHydration } = require('./helpers');

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
