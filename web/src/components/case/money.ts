/** How many decimals a currency's minor unit has: 2 for CNY and USD, 0 for JPY. */
export function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** amountMinor as the decimal amount fmt.money expects (a string, so no float rounding). */
export function toMajor(amountMinor: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(amountMinor);
  const text = String(amountMinor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * What a person typed ("1,299.5", "1299.50", "１２９９") as minor units, or null when it is not
 * an amount in this currency (more decimals than it has, letters, negative).
 */
export function parseAmount(typed: string, currency: string): number | null {
  let normal = typed.normalize('NFKC').replace(/[\s']/g, '').replace('。', '.');
  // "12,50" is how much of Europe writes 12.50; "1,299" is a thousands separator.
  if (/^\d+,\d{1,2}$/.test(normal)) normal = normal.replace(',', '.');
  normal = normal.replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(normal);
  if (!match) return null;
  const digits = fractionDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}
