// Stops the server global-setup.js started (SIGTERM: graceful shutdown), then
// the AWS emulator (closing its stdin ends it) and the fake Bedrock.
module.exports = async () => {
  const server = globalThis.__devosServer;
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.on('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  const moto = globalThis.__devosMoto;
  if (moto && moto.exitCode === null) {
    moto.stdin.end();
    moto.kill('SIGTERM');
  }
  globalThis.__devosBedrock?.close();
};
