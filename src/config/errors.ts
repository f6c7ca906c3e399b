/** A configuration problem the user must fix: the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Every problem is a value typed after a flag: a usage error, whose line ends with where the help is. */
  fromFlags = false;
}
