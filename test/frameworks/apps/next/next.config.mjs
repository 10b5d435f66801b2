// The Next.js app of the framework tests (App Router). The widget needs nothing here: the defaults work.
// The test builds into NEXT_DIST_DIR, under node_modules/.cache, so that the repository's lint never reads the build.
/** @type {import('next').NextConfig} */
const config = { distDir: process.env.NEXT_DIST_DIR || '.next' };

export default config;
