/** Where a command writes: results to stdout, instructions and errors to stderr. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env(name: string): string | undefined;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: (name) => {
    const value = process.env[name];
    return value === undefined || value === '' ? undefined : value;
  },
};
