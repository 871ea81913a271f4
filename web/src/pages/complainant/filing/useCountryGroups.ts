import { useMemo } from 'react';
import { useI18n } from '../../../i18n';
import { countryGroups } from './places';

/** Every country for a native select, grouped and named in the page's language. */
export function useCountryGroups() {
  const { t, lang } = useI18n();
  return useMemo(
    () =>
      countryGroups(lang, {
        common: t('file.company.countriesCommon'),
        eu: t('file.company.countriesEu'),
        all: t('file.company.countriesAll'),
      }),
    [lang, t],
  );
}
