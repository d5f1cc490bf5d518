#!/usr/bin/env node
// Entry point of the `madoguchi` command. The TypeScript sources run directly through
// Node's built-in type stripping (Node.js 24 or newer).
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(`madoguchi needs Node.js 24 or newer (this is ${process.version}).`);
  process.exit(1);
}
await import('../src/main.ts');
