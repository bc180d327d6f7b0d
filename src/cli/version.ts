/** The hazetrace version the CLI reports (`--version`, manifest.json). Kept in its own module so output code can import it without a cycle. */
export const VERSION = '0.1.0';
