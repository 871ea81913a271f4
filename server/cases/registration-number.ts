// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from an
// alphabet of 31 (digits and capitals without I, O, Z, S, V), the last a check character
// over the first 17 with weights 3^i mod 31.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character the first 17 characters of a code call for (GB 32100-2015, 4.3). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Why `code` is not a unified social credit code, or null when it is one: the shape (length,
 * alphabet, the six-digit division code in places 3 to 8) and then the check character.
 */
export function usccProblem(code: string): string | null {
  if (code.length !== 18) return 'a unified social credit code has 18 characters';
  if (!SHAPE.test(code)) {
    return 'a unified social credit code uses digits and capital letters other than I, O, Z, S and V, with digits in places 3 to 8';
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  return code[17] === expected
    ? null
    : `the check character is wrong: the first 17 characters call for ${expected}`;
}

/**
 * Why a registration number given for a respondent in `jurisdiction` is not valid, or null. In
 * China it must be a unified social credit code (letters folded to capitals first); elsewhere
 * the request schema's length bound is the only rule.
 */
export function registrationNumberProblem(jurisdiction: string, value: string): string | null {
  return jurisdiction === 'CN' ? usccProblem(value.toUpperCase()) : null;
}

/** How a valid registration number is stored: a Chinese code in capitals, others as given. */
export function normalRegistrationNumber(jurisdiction: string, value: string): string {
  return jurisdiction === 'CN' ? value.toUpperCase() : value;
}
