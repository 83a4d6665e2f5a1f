// Parses a Mermaid text from stdin with the real Mermaid parser (under jsdom) and prints
// what it read as JSON: {"ok":true,"type":...,"config":{...}} where `config` holds every
// setting a directive or front matter changed, or {"ok":false,"error":...}.
// MERMAID_DIR names a directory where `npm install mermaid jsdom` was run. With
// MERMAID_MANY=1, stdin is a JSON array of texts and the answer a JSON array, one each:
// node and Mermaid start once for all of them.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.MERMAID_DIR, 'package.json'));
const { JSDOM } = await import(pathToFileURL(require.resolve('jsdom')).href);
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaidEntry = join(process.env.MERMAID_DIR, 'node_modules/mermaid/dist/mermaid.core.mjs');
const { default: mermaid } = await import(pathToFileURL(mermaidEntry).href);
mermaid.initialize({ startOnLoad: false });
async function probe(text) {
  try {
    const result = await mermaid.parse(text);
    return { ok: true, type: result.diagramType, config: result.config };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}
const input = readFileSync(0, 'utf8');
if (process.env.MERMAID_MANY === '1') {
  const answers = [];
  for (const text of JSON.parse(input)) {
    answers.push(await probe(text));
  }
  console.log(JSON.stringify(answers));
} else {
  console.log(JSON.stringify(await probe(input)));
}
