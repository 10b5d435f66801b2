// The widget needs nothing here: the defaults work.
/** @type {import('next').NextConfig} */
const config = {};

export default config;
