// The official openai package for Node against `vigil serve --gateway`: the base URL is all that changes.
// Usage: node gateway.mjs <gateway base URL, e.g. http://127.0.0.1:5080/v1>
// Prints one JSON object with what each call saw; the C# test (NodeOpenAiClientTests) asserts on it.
import OpenAI from 'openai';

const baseURL = process.argv[2];
if (!baseURL) {
  console.error('usage: node gateway.mjs <gateway base URL>');
  process.exit(2);
}

// The stub upstream picks its answer from this header; the gateway passes it on like any other.
const client = (scenario, options = {}) =>
  new OpenAI({ baseURL, apiKey: 'sk-node-test', maxRetries: 0, defaultHeaders: { 'X-Stub-Scenario': scenario }, ...options });
const messages = [{ role: 'user', content: 'What is the capital of France?' }];
const model = 'gpt-4.1-mini';
const result = {};

const completion = await client('Normal').chat.completions.create({ model, messages });
result.json = { text: completion.choices[0].message.content, usage: completion.usage };

const stream = await client('Normal').chat.completions.create({ model, messages, stream: true });
let text = '';
let usageChunks = 0;
for await (const chunk of stream) {
  text += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) usageChunks++;
}
result.stream = { text, usageChunks };

try {
  await client('RateLimited').chat.completions.create({ model, messages });
  result.rateLimited = { status: 200 };
} catch (error) {
  result.rateLimited = { status: error.status, retryAfter: error.headers?.get?.('retry-after') ?? null };
}

try {
  await client('Slow', { timeout: 300 }).chat.completions.create({ model, messages });
  result.gaveUp = { timedOut: false };
} catch (error) {
  result.gaveUp = { timedOut: error instanceof OpenAI.APIConnectionTimeoutError, name: error.constructor.name };
}

console.log(JSON.stringify(result));
