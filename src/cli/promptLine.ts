/**
 * Asks the person at the terminal for one line: the question on stderr, the answer from stdin.
 * Only `rolemap login` asks anything; Terragrunt's calls never reach this (docs/architecture.md, "The contract with Terragrunt").
 * Returns undefined when stdin is not a terminal, so there is nobody to ask.
 */
export async function promptLine(question: string): Promise<string | undefined> {
  if (process.stdin.isTTY !== true) return undefined;
  const { createInterface } = await import('node:readline/promises');
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await reader.question(question)).trim();
  } finally {
    reader.close();
  }
}
