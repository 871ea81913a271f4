import { NativeSelect } from '@mantine/core';
import { LANGUAGES, isLanguage } from '../i18n/catalog';
import { useI18n } from '../i18n';

/** Named "Language" in English on every page, whatever the page's language, with its twin. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <NativeSelect
      size="xs"
      label={lang === 'en' ? 'Language' : `${t('lang.label')} Language`}
      value={lang}
      onChange={(event) => {
        if (isLanguage(event.currentTarget.value)) setLang(event.currentTarget.value);
      }}
      data={LANGUAGES.map((value) => ({ value, label: t(`lang.${value}`) }))}
    />
  );
}
