// Placeholder until spot-submit lands.
export async function submitMain(_argv: string[]): Promise<number> {
  process.stderr.write('spot-submit: not implemented yet\n');
  return 1;
}
