import { describe, expect, it } from 'vitest';
import { englishName, toPinyin, type PinyinOf } from './shanghai-names.ts';
import { readDivisions } from './load-demo.ts';

// A stand-in for pinyin-pro (an extraction-only package) covering the characters used below.
const table: Record<string, string> = { 陆: 'lù', 家: 'jiā', 嘴: 'zuǐ', 静: 'jìng', 安: 'ān', 高: 'gāo', 桥: 'qiáo', 梅: 'méi', 园: 'yuán', 一: 'yī', 村: 'cūn', 女: 'nǚ' };
const pinyinOf: PinyinOf = (text) => [...text].map((ch) => (table[ch] ?? ch).normalize('NFD').replace(/[\u0300-\u0304\u030c]/g, '').normalize('NFC'));

describe('English names', () => {
  it('writes pinyin as one capitalised word, with an apostrophe before an inner vowel syllable', () => {
    expect(toPinyin('陆家嘴', pinyinOf)).toBe('Lujiazui');
    expect(toPinyin('静安', pinyinOf)).toBe("Jing'an");
    expect(toPinyin('女', pinyinOf)).toBe('Nü');
  });

  it('translates the generic part of street, town and committee names', () => {
    expect(englishName('310115005', '陆家嘴街道', pinyinOf)).toBe('Lujiazui Subdistrict');
    expect(englishName('310115104', '高桥镇', pinyinOf)).toBe('Gaoqiao Town');
    expect(englishName('310115005001', '梅园一村居委会', pinyinOf)).toBe("Meiyuanyicun Residents' Committee");
    expect(englishName('310115104201', '高桥村村委会', pinyinOf)).toBe('Gaoqiao Village');
    expect(englishName('310115503', '张江高科技园区', pinyinOf)).toBe('Zhangjiang Hi-Tech Park');
    expect(englishName('310115503498', '张江高科技园区虚拟社区', pinyinOf)).toBe('Zhangjiang Hi-Tech Park Virtual Community');
  });
});

describe('the committed data/shanghai extract', async () => {
  const divisions = await readDivisions();

  it('has the 16 districts with official English names and census populations', () => {
    expect(divisions.districts).toHaveLength(16);
    expect(divisions.districts.find((d) => d.code === '310101')).toMatchObject({ name: '黄浦区', nameEn: 'Huangpu District' });
    expect(divisions.districts.find((d) => d.code === '310115')).toMatchObject({ name: '浦东新区', nameEn: 'Pudong New Area' });
    expect(divisions.districts.reduce((sum, d) => sum + d.population, 0)).toBeGreaterThan(24_800_000);
  });

  it('has well-formed codes whose parents exist, and an English name for everything', () => {
    const districts = new Set(divisions.districts.map((d) => d.code));
    const streets = new Set(divisions.streets.map((s) => s.code));
    expect(divisions.streets.every((s) => /^\d{9}$/.test(s.code) && districts.has(s.parent) && s.code.startsWith(s.parent))).toBe(true);
    expect(divisions.communities.every((c) => /^\d{12}$/.test(c.code) && streets.has(c.parent) && c.code.startsWith(c.parent))).toBe(true);
    expect([...divisions.streets, ...divisions.communities].every((a) => /^[A-Z][\x20-\x7eü]+$/.test(a.nameEn))).toBe(true);
  });
});
