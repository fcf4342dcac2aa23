// `devos ask` from a terminal goes through the running server: the job it
// starts appears in an open console's live feed without a reload.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { login, freshDir } = require('./helpers');

const root = path.resolve(__dirname, '../..');
const binary = process.env.DEVOS_BIN ?? path.join(root, 'target/debug/devos');

test('a job started by devos ask shows up live in the console', async ({ page, baseURL }) => {
  await login(page);
  const env = {
    ...process.env,
    DEVOS_DATA_DIR: process.env.DEVOS_E2E_DATA_DIR,
    XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'devos-e2e-config-')),
    DEVOS_URL: baseURL,
    DEVOS_LOG: 'warn',
  };
  execFileSync(binary, ['token', 'create', '--user', 'admin', '--save'], { env });
  const dir = freshDir('from-terminal', { 'gamma.txt': 'g' });
  const ask = spawn(binary, ['ask', 'list the files here', '--cwd', dir], { env });
  let output = '';
  ask.stdout.on('data', (chunk) => { output += chunk.toString(); });
  const exitCode = new Promise((resolve) => ask.on('exit', resolve));

  const card = page.getByTestId('job-card').filter({ hasText: 'list the files here' })
    .filter({ hasText: 'from-terminal' }).first();
  await expect(card.getByTestId('job-status')).toHaveText('completed');
  await expect(card.getByTestId('job-log')).toContainText('gamma.txt');
  expect(await exitCode).toBe(0);
  expect(output).toContain('gamma.txt');
});
