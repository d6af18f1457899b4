import { describe, expect, it } from 'vitest';
import { alertKinds, siteCategories } from '../../../server/contracts/index.ts';
import en from './en.json';
import zh from './zh.json';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

function placeholders(tree: Tree): Map<string, string[]> {
  const lookup = (path: string) => path.split('.').reduce<string | Tree>((node, key) => (node as Tree)[key] ?? '', tree) as string;
  return new Map(keys(tree).map((key) => [key, [...lookup(key).matchAll(/{{(\w+)}}/g)].map((m) => m[1] ?? '').sort()]));
}

describe('locales', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(zh as Tree).sort());
  });

  it('use the same interpolation placeholders in both languages', () => {
    const zhPlaceholders = placeholders(zh as Tree);
    for (const [key, names] of placeholders(en as Tree)) expect(names, key).toEqual(zhPlaceholders.get(key));
  });

  it('name every site category in both languages', () => {
    for (const category of siteCategories) {
      expect(zh.sites.category[category], category).toBeTruthy();
      expect(en.sites.category[category], category).toBeTruthy();
    }
  });

  it('name every alert kind in both languages', () => {
    for (const kind of alertKinds) {
      expect((zh.alerts.kind as Record<string, string>)[kind], kind).toBeTruthy();
      expect((en.alerts.kind as Record<string, string>)[kind], kind).toBeTruthy();
    }
  });
});
