// The mutation run gives every test file the same node arguments: the owner's TypeScript tests need the TypeScript
// loader (ts-loader.mjs), the backend's JavaScript tests (which import dist/) do not, and are spared its start-up cost.
if (process.argv[1]?.endsWith('.ts')) await import('./ts-loader.mjs');
