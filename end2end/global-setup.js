// Starts moto (the AWS emulator, seeded by server/tests/fixtures/moto_world.py),
// a fake Bedrock runtime (fake-bedrock.js: what the built-in planner declines
// goes to a model, so Costs has spend) and target/debug/devos on a fresh data
// dir pointed at both, waits for the
// server's one-time setup link on stderr and hands it (and the data dir) to
// the specs via env.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startFakeBedrock } = require('./fake-bedrock');

const root = path.resolve(__dirname, '..');

// Starts the seeded emulator and resolves with its port.
function startMoto() {
  const python = path.join(root, 'target/moto-venv/bin/python');
  const world = path.join(root, 'server/tests/fixtures/moto_world.py');
  const moto = spawn(python, [world], { stdio: ['pipe', 'pipe', 'ignore'] });
  globalThis.__devosMoto = moto;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('moto did not start within 60 s')), 60_000);
    let out = '';
    moto.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const match = out.match(/ready (\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    moto.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`moto exited with ${code}`));
    });
  });
}

module.exports = async () => {
  const motoPort = await startMoto();
  const bedrock = await startFakeBedrock();
  globalThis.__devosBedrock = bedrock.server;
  const port = process.env.E2E_PORT ?? '18089';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devos-e2e-'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devos-e2e-work-'));
  // A private home: the server's default workspace root (watched by the
  // context engine) is then the work dir, never the real home.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'devos-e2e-home-'));
  const binary = process.env.DEVOS_BIN ?? path.join(root, 'target/debug/devos');
  const env = {
    ...process.env,
    HOME: home,
    DEVOS_DATA_DIR: dataDir,
    DEVOS_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: path.join(root, 'target/site'),
    DEVOS_LOG: process.env.DEVOS_LOG ?? 'info',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${motoPort}`,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    DEVOS_PROVIDERS: 'bedrock',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
  };
  const server = spawn(binary, ['serve'], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = fs.createWriteStream(path.join(dataDir, 'server.log'));
  server.stdout.pipe(logFile);
  let stderr = '';
  const setupLink = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print a setup link:\n${stderr}`)), 30_000);
    server.stderr.on('data', (chunk) => {
      logFile.write(chunk);
      stderr += chunk.toString();
      const match = stderr.match(/http:\/\/\S+\/setup\?token=\S+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
  process.env.DEVOS_SETUP_LINK = setupLink;
  process.env.DEVOS_E2E_DATA_DIR = dataDir;
  process.env.DEVOS_E2E_WORK_DIR = workDir;
  process.env.DEVOS_E2E_BIN = binary;
  process.env.DEVOS_E2E_BEDROCK = bedrock.url;
  globalThis.__devosServer = server;
};
