/** The entries of an Accept-style header (`a, b;q=0.8`), lower-cased, each with its quality (1 when unstated). */
export function qualityValues(header: string | null): { range: string; quality: number }[] {
  return (header ?? "").split(",").flatMap((entry) => {
    const [range = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith("q="));
    const quality = qParam === undefined ? 1 : Number(qParam.slice(2));
    return range === "" || !Number.isFinite(quality) ? [] : [{ range, quality }];
  });
}
