// A fake Amazon Bedrock runtime for the journeys: it speaks the real
// ConverseStream wire format (application/vnd.amazon.eventstream frames with
// CRC32s) and Converse JSON, and plans every request as one safe `echo`
// with a fixed token count, so Costs has real spend to show. GET /requests
// says how many model calls it has answered.
const http = require('node:http');

// Tokens every reply reports; the Costs journey checks the dollars they make.
const INPUT_TOKENS = 1234;
const OUTPUT_TOKENS = 56;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function stringHeader(name, value) {
  const nameBytes = Buffer.from(name);
  const valueBytes = Buffer.from(value);
  const head = Buffer.alloc(1 + nameBytes.length + 3);
  head.writeUInt8(nameBytes.length, 0);
  nameBytes.copy(head, 1);
  head.writeUInt8(7, 1 + nameBytes.length); // 7: string
  head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
  return Buffer.concat([head, valueBytes]);
}

// One event-stream frame: prelude (lengths + CRC), headers, payload, CRC.
function frame(eventType, payload) {
  const headers = Buffer.concat([
    stringHeader(':event-type', eventType),
    stringHeader(':content-type', 'application/json'),
    stringHeader(':message-type', 'event'),
  ]);
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headers, body]);
  const end = Buffer.alloc(4);
  end.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, end]);
}

function plan() {
  return {
    interpretation: 'Print a line planned by the model',
    steps: [{ kind: 'bash', command: "echo 'planned by the model'", description: 'Print the line', safety_level: 'safe' }],
    explanation: 'echo prints it',
    risks: [],
  };
}

const usage = { inputTokens: INPUT_TOKENS, outputTokens: OUTPUT_TOKENS, totalTokens: INPUT_TOKENS + OUTPUT_TOKENS };

function streamed() {
  const input = JSON.stringify(plan());
  const half = Math.floor(input.length / 2);
  return Buffer.concat([
    frame('messageStart', { role: 'assistant' }),
    frame('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_1', name: 'submit_plan' } } }),
    frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: input.slice(0, half) } } }),
    frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: input.slice(half) } } }),
    frame('contentBlockStop', { contentBlockIndex: 0 }),
    frame('messageStop', { stopReason: 'tool_use' }),
    frame('metadata', { usage, metrics: { latencyMs: 42 } }),
  ]);
}

function whole() {
  return JSON.stringify({
    output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'submit_plan', input: plan() } }] } },
    stopReason: 'tool_use',
    usage,
    metrics: { latencyMs: 42 },
  });
}

// Starts the fake on a free loopback port; resolves with { url, server }.
function startFakeBedrock() {
  let answered = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'GET' && request.url === '/requests') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ answered }));
        return;
      }
      answered += 1;
      if (request.url.endsWith('/converse-stream')) {
        response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
        response.end(streamed());
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(whole());
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, server }));
  });
}

module.exports = { startFakeBedrock, INPUT_TOKENS, OUTPUT_TOKENS };
