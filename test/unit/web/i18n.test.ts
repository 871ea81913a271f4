import { expect } from 'chai';
import { interpolate, languageFromBrowser } from '../../../web/src/i18n/catalog.ts';
import { catalogs } from '../../../web/src/i18n/messages/index.ts';

describe('web app strings', () => {
  for (const [area, catalog] of Object.entries(catalogs)) {
    it(`${area}: every key has an English and a zh-CN string, neither empty`, () => {
      const en = Object.keys(catalog.en).sort();
      const zh = Object.keys(catalog['zh-CN']).sort();
      expect(zh, `keys missing in zh-CN or extra there (${area})`).to.deep.equal(en);
      for (const key of en) {
        expect(catalog.en[key as keyof typeof catalog.en], `en ${key}`).to.match(/\S/);
        expect(catalog['zh-CN'][key as keyof typeof catalog.en], `zh-CN ${key}`).to.match(/\S/);
      }
    });
    it(`${area}: both languages use the same placeholders`, () => {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const key of Object.keys(catalog.en) as (keyof typeof catalog.en)[]) {
        expect(names(catalog['zh-CN'][key]), `${area} ${String(key)}`).to.deep.equal(
          names(catalog.en[key]),
        );
      }
    });
  }

  it('no key is defined by two areas, so none silently overrides another', () => {
    const owner = new Map<string, string>();
    for (const [area, catalog] of Object.entries(catalogs)) {
      for (const key of Object.keys(catalog.en)) {
        expect(owner.get(key), `${key} in ${area}`).to.equal(undefined);
        owner.set(key, area);
      }
    }
  });

  it('picks the first browser language it speaks, else English', () => {
    expect(languageFromBrowser(['fr-FR', 'zh-TW', 'en'])).to.equal('zh-CN');
    expect(languageFromBrowser(['de', 'en-GB'])).to.equal('en');
    expect(languageFromBrowser(['de'])).to.equal('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Due {when} ({n})', { when: 'tomorrow', n: 2 })).to.equal(
      'Due tomorrow (2)',
    );
    expect(interpolate('Hello {name}')).to.equal('Hello {name}');
  });
});
