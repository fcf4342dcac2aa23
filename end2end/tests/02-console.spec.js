// Console journeys: a safe request streams its result in; a risky one waits
// for the approval card, is approved and completes; another is rejected; an
// organize job is undone from its card, leaving the folder as it was; so is a
// bash step that edits and creates files (from the snapshot taken before it).
// A folder outside the workspace roots can be watched from the context panel.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, freshDir, listing, ask } = require('./helpers');

test('a safe request runs and its output streams into the card', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('listing', { 'alpha.txt': 'a', 'beta.log': 'b' });
  const card = await ask(page, 'list the files here', dir);
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  await expect(card.getByTestId('job-log')).toContainText('alpha.txt');
  await expect(card.getByTestId('job-log')).toContainText('beta.log');
  expect(errors).toEqual([]);
});

test('a risky request waits for approval, then runs; another is rejected', async ({ page }) => {
  await login(page);
  const dir = freshDir('cleanup', { 'old.tmp': 'x', 'keep.txt': 'y' });
  const card = await ask(page, 'delete all temporary files', dir);
  await expect(card.getByTestId('job-status')).toHaveText('pending');
  await expect(card.getByTestId('step-preview')).toContainText('1 file');
  await expect(card.getByTestId('step-preview')).toContainText('old.tmp');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  expect(fs.existsSync(path.join(dir, 'old.tmp'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'keep.txt'))).toBe(true);

  fs.writeFileSync(path.join(dir, 'again.tmp'), 'z');
  const second = await ask(page, 'remove temporary files', dir);
  await expect(second.getByTestId('job-status')).toHaveText('pending');
  await second.getByLabel('Note (optional)').fill('not today');
  await second.getByRole('button', { name: 'Reject' }).click();
  await expect(second.getByTestId('job-status')).toHaveText('rejected');
  await expect(second).toContainText('not today');
  expect(fs.existsSync(path.join(dir, 'again.tmp'))).toBe(true);
});

test('organizing a folder can be undone from the card, byte for byte', async ({ page }) => {
  await login(page);
  const dir = freshDir('organize', {
    'photo.jpg': 'jpeg bytes', 'report.pdf': 'pdf bytes', 'main.rs': 'fn main() {}',
    'data.csv': 'a,b', 'song.mp3': 'mp3', 'notes.unknownext': '?',
  });
  const before = listing(dir);
  const card = await ask(page, `organize ${dir} by file type`, dir);
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  expect(fs.existsSync(path.join(dir, 'images', 'photo.jpg'))).toBe(true);
  expect(listing(dir)).not.toEqual(before);
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.getByRole('status')).toContainText('reverted');
  expect(listing(dir)).toEqual(before);
});

test('an approved bash step that edits files is undone from the card', async ({ page }) => {
  await login(page);
  const dir = freshDir('undo-bash', { 'app.conf': 'level = old\n', 'keep.txt': 'k' });
  const before = listing(dir);
  const card = await ask(page, 'run this: sed -i s/old/new/ app.conf && echo made > new.txt', dir);
  await expect(card.getByTestId('job-status')).toHaveText('pending');
  await expect(card).toContainText('snapshotted before it runs');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  expect(fs.readFileSync(path.join(dir, 'app.conf'), 'utf8')).toBe('level = new\n');
  expect(fs.existsSync(path.join(dir, 'new.txt'))).toBe(true);
  await card.getByRole('button', { name: 'Undo' }).click();
  await expect(card.getByRole('status')).toContainText('1 moved to the trash');
  expect(listing(dir)).toEqual(before);
  await expect(card.getByRole('button', { name: 'Redo' })).toBeVisible();
});

test('cd changes the console directory; requests then run there', async ({ page }) => {
  await login(page);
  const dir = fs.realpathSync(freshDir('cd-here', { 'inside.txt': 'x' }));
  const input = page.getByLabel('What should DevOS do?');
  await input.fill(`cd ${dir}`);
  await input.press('Enter');
  await expect(page.getByLabel('Working directory')).toHaveValue(dir);
  await expect(page.getByRole('complementary', { name: 'Context' })).toContainText(dir);

  await input.fill('cd no-such-folder');
  await input.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'is not a directory' })).toBeVisible();
  await expect(page.getByLabel('Working directory')).toHaveValue(dir);

  await input.fill('list the files here');
  await input.press('Enter');
  const card = page.getByTestId('job-card').filter({ hasText: 'list the files here' }).first();
  await expect(card.getByTestId('job-log')).toContainText('inside.txt');
});

test('a folder outside the workspace roots is watched from the context panel', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'devos-e2e-outside-')));
  fs.writeFileSync(path.join(dir, 'notes.md'), 'notes');
  const input = page.getByLabel('What should DevOS do?');
  await input.fill(`cd ${dir}`);
  await input.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Context' });
  await expect(panel).toContainText('read on demand');
  await panel.getByRole('button', { name: 'Watch this folder' }).click();
  await expect(panel.getByTestId('watch-result')).toContainText(`Watching ${dir}`);
  // Once indexed the panel comes from the index: no more on-demand note or button.
  await expect(panel.getByRole('button', { name: 'Watch this folder' })).toHaveCount(0);
  await expect(panel).not.toContainText('read on demand');
  // The socket follows this folder: a file written now shows without a reload.
  fs.writeFileSync(path.join(dir, 'arrived-later.txt'), 'x');
  await expect(panel).toContainText('arrived-later.txt');
  expect(errors).toEqual([]);
});
