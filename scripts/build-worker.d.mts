export function compilerFromFile(
  source: string,
  file: string,
): { contents: string; base64Module: string; fileName: string };
export function buildWorker(outfile?: string): Promise<void>;
