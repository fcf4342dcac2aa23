// Remembered approvals: approve with "remember", the same request runs
// without a card next time; a riskier variant asks again; Preferences lists the rule.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { login, freshDir, ask } = require('./helpers');

test('a remembered approval skips the card only for the same command', async ({ page }) => {
  await login(page);
  const dir = freshDir('remember', { 'one.tmp': '1', 'keep.txt': 'k' });
  const request = 'delete all temporary files';

  const first = await ask(page, request, dir);
  await expect(first.getByTestId('job-status')).toHaveText('pending');
  await first.getByLabel('Remember this decision for similar commands').check();
  await first.getByRole('button', { name: 'Approve' }).click();
  await expect(first.getByTestId('job-status')).toHaveText('completed');

  fs.writeFileSync(path.join(dir, 'two.tmp'), '2');
  await page.getByLabel('What should DevOS do?').fill('');
  const second = await ask(page, 'remove temporary files', dir);
  await expect(second.getByTestId('job-status')).toHaveText('completed');
  await expect(second.getByRole('region', { name: 'Approval' })).toHaveCount(0);
  await expect(second).toContainText('you approved this before');
  expect(fs.existsSync(path.join(dir, 'two.tmp'))).toBe(false);

  fs.writeFileSync(path.join(dir, 'three.tmp'), '3');
  const riskier = await ask(page, 'delete all temporary files recursively', dir);
  await expect(riskier.getByTestId('job-status')).toHaveText('pending');
  expect(fs.existsSync(path.join(dir, 'three.tmp'))).toBe(true);

  await page.getByRole('link', { name: 'Preferences' }).click();
  const rule = page.getByTestId('rule').filter({ hasText: 'fs:trash' });
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText('used 1 times');
  await expect(rule).toContainText(dir);
});
