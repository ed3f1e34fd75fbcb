/** The part of EJSON that Rocket.Chat's wire uses: dates as `{"$date": ms}`. */

export function parseEjson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (typeof o.$date === 'number' && Object.keys(o).length === 1) return new Date(o.$date);
    }
    return value;
  });
}

export function stringifyEjson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : v;
  });
}
