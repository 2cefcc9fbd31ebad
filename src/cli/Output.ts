/**
 * The single writer to stdout. In credentials mode exactly one JSON object goes through it, once;
 * every other byte rolemap writes goes to stderr.
 */
export interface Output {
  /** Writes one compact JSON line. */
  json(value: unknown): void;
  /** Writes text for humans (explain, env, validate, cache list). */
  text(value: string): void;
}

export function stdoutOutput(write: (chunk: string) => void): Output {
  return {
    json: (value) => write(`${JSON.stringify(value)}\n`),
    text: (value) => write(value.endsWith('\n') ? value : `${value}\n`),
  };
}
