/** The package version; compared when two copies of the element meet on one page. Kept in sync with package.json by a test. */
export const VERSION = '0.1.0';
