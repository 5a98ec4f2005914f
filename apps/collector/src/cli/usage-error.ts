/** A mistake in how a command was called: the CLI exits 2 and points at --help. */
export class UsageError extends Error {}
