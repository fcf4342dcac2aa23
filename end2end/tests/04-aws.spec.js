// AWS from the console, against the seeded moto emulator: listing buckets
// runs at once; deleting objects shows exactly which keys would go, a
// rejection leaves them and an approval removes them.
const { test, expect } = require('@playwright/test');
const { login, freshDir, ask } = require('./helpers');

test('s3: buckets are listed; a deletion previews its keys and runs only when approved', async ({ page }) => {
  await login(page);
  const dir = freshDir('aws', {});
  await page.getByLabel('Working directory').fill(dir);
  await expect(page.getByTestId('context-aws')).toContainText('region us-east-1');
  const list = await ask(page, 'list my s3 buckets', dir);
  await expect(list.getByTestId('job-status')).toHaveText('completed');
  await expect(list.getByTestId('job-log')).toContainText('releases-bucket');
  await expect(list.getByTestId('job-log')).toContainText('scratch-bucket');

  const request = 'delete the nightly/ objects in bucket releases-bucket';
  const first = await ask(page, request, dir);
  await expect(first.getByTestId('job-status')).toHaveText('pending');
  const preview = first.getByTestId('step-preview');
  await expect(preview).toContainText('deletes 2 object(s)');
  await expect(preview).toContainText('nightly/build-1.zip');
  await expect(preview).not.toContainText('keep/me.txt');
  await first.getByRole('button', { name: 'Reject' }).click();
  await expect(first.getByTestId('job-status')).toHaveText('rejected');

  const kept = await ask(page, "what's in s3://releases-bucket/nightly/", dir);
  await expect(kept.getByTestId('job-status')).toHaveText('completed');
  await expect(kept.getByTestId('job-log')).toContainText('2 object(s)');

  const second = await ask(page, `${request} now`, dir);
  await expect(second.getByTestId('job-status')).toHaveText('pending');
  await second.getByRole('button', { name: 'Approve' }).click();
  await expect(second.getByTestId('job-status')).toHaveText('completed');
  await expect(second.getByTestId('job-log')).toContainText('deleted 2 object(s)');

  const gone = await ask(page, "list what's in s3://releases-bucket/nightly/", dir);
  await expect(gone.getByTestId('job-status')).toHaveText('completed');
  await expect(gone.getByTestId('job-log')).toContainText('0 object(s)');
});
