// Stops the server global-setup.js started (SIGTERM: graceful shutdown).
module.exports = async () => {
  const server = globalThis.__devosServer;
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.on('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (server.exitCode === null) server.kill('SIGKILL');
};
