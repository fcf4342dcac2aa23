// History pages by id and searches requests, plans and output; a search hit
// opens the job's detail page; the log viewer follows a running job.
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, waitForHydration, freshDir } = require('./helpers');

// Submits through REST v1 with the page's session and returns the job id.
async function submit(page, command, cwd) {
  const response = await page.request.post('/api/v1/command', { data: { command, context: { cwd } } });
  expect(response.status()).toBe(200);
  return (await response.json()).job_id;
}

async function rowIds(page) {
  const ids = await page.getByTestId('history-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.jobId)));
  return ids;
}

test('history pages through every job and a search hit opens its detail', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('history', { 'quasarfile.txt': 'x\n', 'other.txt': 'y\n' });
  const found = await submit(page, 'list the files here', dir);
  for (let n = 0; n < 52; n += 1) await submit(page, `show git status ${n}`, dir);

  await page.goto('/history');
  await waitForHydration(page);
  const first = await rowIds(page);
  expect(first).toHaveLength(50);
  expect([...first].sort((a, b) => b - a)).toEqual(first);
  await page.getByRole('link', { name: 'Older →' }).click();
  await expect(page).toHaveURL(new RegExp(`before=${first[49]}`));
  // The old rows stay on screen until the older page is in (a transition).
  await expect.poll(async () => Math.max(...(await rowIds(page)))).toBeLessThan(Math.min(...first));
  const second = await rowIds(page);
  expect(second.length).toBeGreaterThanOrEqual(3);
  await page.getByRole('link', { name: '← Newer' }).click();
  await expect.poll(() => rowIds(page)).toEqual(first);

  // The file name is only in the job's output: the snippet shows it marked.
  await page.getByLabel('Search jobs').fill('quasarfile');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=quasarfile/);
  const hit = page.getByTestId('history-row');
  await expect(hit).toHaveCount(1);
  await expect(hit.getByTestId('history-snippet').locator('mark')).toHaveText('quasarfile');
  await hit.getByRole('link').click();

  await expect(page).toHaveURL(`/jobs/${found}`);
  await expect(page.getByRole('heading', { name: `Job #${found}` })).toBeVisible();
  await expect(page.getByTestId('job-status')).toHaveText('completed');
  await expect(page.getByTestId('model-calls')).toContainText('No model was called');
  await expect(page.getByTestId('undo-state')).toBeVisible();

  const missing = await page.goto('/jobs/999999');
  expect(missing.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Job not found' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the log viewer follows a running job to its end', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('log-viewer', {});
  const id = await submit(page, 'run this: `for i in 1 2 3 4; do echo tick $i; sleep 1; done`', dir);

  await page.goto(`/jobs/${id}/log`);
  await waitForHydration(page);
  const lines = page.getByTestId('log-view').locator('li');
  await expect(page.getByTestId('log-status')).toHaveText('executing');
  await expect(lines.filter({ hasText: 'tick 4' })).toHaveCount(1);
  await expect(page.getByTestId('log-status')).toHaveText('completed');
  const stdout = lines.and(page.locator('[data-stream="stdout"]'));
  await expect(stdout).toHaveText([/tick 1$/, /tick 2$/, /tick 3$/, /tick 4$/]);

  await page.getByLabel('Search the log').fill('tick 3');
  await expect(lines).toHaveCount(1);
  await expect(page.getByTestId('log-count')).toContainText('1 of');

  const download = await page.request.get(`/api/v1/command/${id}/log`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toContain(`devos-job-${id}.log`);
  expect(await download.text()).toContain('[step 1 stdout] tick 2');
  expect(errors).toEqual([]);
});
