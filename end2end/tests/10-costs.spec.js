// Costs with real spend: a request the built-in planner declines is planned
// by (fake) Bedrock, the chart and the tables show what the calls cost, and
// a budget lowered on the page refuses the next model call before it is made.
const { test, expect } = require('@playwright/test');
const { login, watchPageErrors, waitForHydration, freshDir, ask } = require('./helpers');
const { INPUT_TOKENS, OUTPUT_TOKENS } = require('../fake-bedrock');

// config/models.toml: nova-micro costs $0.035 in and $0.14 out per 1M
// tokens; each part of a call is rounded up to a whole micro-dollar.
const MICROS_PER_CALL = Math.ceil((INPUT_TOKENS * 35_000) / 1e6) + Math.ceil((OUTPUT_TOKENS * 140_000) / 1e6);

// "$0.000052", "$1.50": at least two decimals, trailing zeros dropped.
function usd(micros) {
  const whole = Math.floor(micros / 1e6);
  const frac = String(micros % 1e6).padStart(6, '0');
  const trimmed = frac.replace(/0+$/, '');
  return `$${whole}.${trimmed.length < 2 ? frac.slice(0, 2) : trimmed}`;
}

async function modelCalls(page) {
  const response = await page.request.get(`${process.env.DEVOS_E2E_BEDROCK}/requests`);
  return (await response.json()).answered;
}

test('model spend shows on the chart and tables; a lower budget refuses the next call', async ({ page }) => {
  const errors = watchPageErrors(page);
  await login(page);
  const dir = freshDir('costs', { 'a.txt': 'a\n' });
  const card = await ask(page, 'write a haiku about containers into the terminal', dir);
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  await expect(card).toContainText('nova-micro');
  await expect(card.getByTestId('job-log')).toContainText('planned by the model');
  const calls = await modelCalls(page);
  expect(calls).toBeGreaterThanOrEqual(1);

  await page.goto('/costs');
  await waitForHydration(page);
  const today = page.getByTestId('day-chart').locator('g.chart__day').last();
  await expect(today).toHaveAttribute('data-cost', usd(calls * MICROS_PER_CALL));
  await expect(today.locator('title')).toContainText(`(${calls} calls)`);
  await today.hover();
  await expect(page.getByTestId('chart-caption')).toContainText(`${usd(calls * MICROS_PER_CALL)} (${calls} calls)`);
  const row = page.getByRole('row').filter({ hasText: 'nova-micro' });
  await expect(row.getByRole('cell')).toHaveText([
    'nova-micro', String(calls), String(calls * INPUT_TOKENS), String(calls * OUTPUT_TOKENS), usd(calls * MICROS_PER_CALL),
  ]);
  await expect(page.getByTestId('costliest').getByRole('link').first()).toBeVisible();

  // Ten micro-dollars per job is below any call's worst case.
  const perJob = page.getByLabel('Per job (US $)');
  const before = await perJob.inputValue();
  await perJob.fill('0.00001');
  await page.getByRole('button', { name: 'Save budgets' }).click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();

  await page.goto('/');
  await waitForHydration(page);
  const refused = await ask(page, 'write a limerick about queues into the terminal', dir);
  await expect(refused.getByTestId('job-status')).toHaveText('failed');
  await expect(refused).toContainText(/per-job budget|per job/i);
  expect(await modelCalls(page)).toBe(calls);

  await page.goto('/costs');
  await waitForHydration(page);
  await page.getByLabel('Per job (US $)').fill(before);
  await page.getByRole('button', { name: 'Save budgets' }).click();
  await expect(page.getByRole('status').filter({ hasText: /saved/i })).toBeVisible();
  expect(errors).toEqual([]);
});
