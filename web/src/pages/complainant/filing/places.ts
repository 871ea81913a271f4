// ISO 3166-1 alpha-2, all 249 codes; names come from Intl.DisplayNames in the page's language.
const COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
  'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
  'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
  'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
  'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
  'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
  'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

// workflows/taxonomy.ts EU_STATES: they share the EU policy row and its consumer bodies.
export const EU_STATES =
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

const EURO = new Set(
  'AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK AD MC SM VA ME XK'.split(' '),
);

const CURRENCY_OF: Record<string, string> = {
  CN: 'CNY',
  US: 'USD',
  GB: 'GBP',
  HK: 'HKD',
  MO: 'MOP',
  TW: 'TWD',
  JP: 'JPY',
  KR: 'KRW',
  SG: 'SGD',
  MY: 'MYR',
  TH: 'THB',
  IN: 'INR',
  AU: 'AUD',
  NZ: 'NZD',
  CA: 'CAD',
  CH: 'CHF',
  NO: 'NOK',
  SE: 'SEK',
  DK: 'DKK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
};

/** The currency a payment in this country most likely used: CNY for CN, EUR for the euro area. */
export function currencyFor(country: string): string | undefined {
  return EURO.has(country) ? 'EUR' : CURRENCY_OF[country];
}

const COMMON_CURRENCIES = ['CNY', 'USD', 'GBP', 'EUR', 'HKD', 'JPY'];

export interface Group {
  group: string;
  items: { value: string; label: string }[];
}

function names(lang: string, type: 'region' | 'currency') {
  const display = new Intl.DisplayNames([lang], { type, fallback: 'code' });
  return (code: string) => display.of(code) ?? code;
}

/** China, the US and the UK first, then the EU states, then every other country, by name. */
export function countryGroups(lang: string, labels: { common: string; eu: string; all: string }) {
  const name = names(lang, 'region');
  const collator = new Intl.Collator(lang);
  const option = (code: string) => ({ value: code, label: name(code) });
  const byName = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label);
  const first = ['CN', 'US', 'GB'];
  const rest = COUNTRIES.filter((code) => !first.includes(code) && !EU_STATES.includes(code));
  return [
    { group: labels.common, items: first.map(option) },
    { group: labels.eu, items: EU_STATES.map(option).sort(byName) },
    { group: labels.all, items: rest.map(option).sort(byName) },
  ] satisfies Group[];
}

export function countryName(lang: string, code: string): string {
  return names(lang, 'region')(code);
}

/** The most used currencies first, then every ISO 4217 currency the browser knows, by code. */
export function currencyGroups(lang: string, labels: { common: string; all: string }) {
  const name = names(lang, 'currency');
  const option = (code: string) => ({ value: code, label: `${code} — ${name(code)}` });
  const all = Intl.supportedValuesOf('currency').filter((c) => !COMMON_CURRENCIES.includes(c));
  return [
    { group: labels.common, items: COMMON_CURRENCIES.map(option) },
    { group: labels.all, items: all.map(option) },
  ] satisfies Group[];
}
